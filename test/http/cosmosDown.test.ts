import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distEntry, PROJECT_ROOT } from '../support/dist';
import { sendMessage, textsOf } from '../support/http';

/**
 * The real start command with STORAGE_PROVIDER=cosmos and an endpoint nobody answers on:
 * the bot must start, and a crisis message must still get the crisis lines.
 */
describe('crisis path with an unreachable Cosmos DB (real process, real HTTP)', () => {
  let child: ChildProcess;
  let baseUrl: string;
  let dataDir: string;
  let stderr = '';
  let stdout = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'petits-pas-cosmos-down-'));
    child = spawn(process.execPath, ['--disable-warning=DEP0111', distEntry('bot/index.js')], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        STORAGE_PROVIDER: 'cosmos',
        COSMOS_ENDPOINT: 'https://127.0.0.1:1/',
        COSMOS_KEY: Buffer.from('not-a-real-key').toString('base64'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot did not start: ${stderr}`)), 20_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const started = stdout.split('\n').map((line) => safeJson(line)).find((record) => record?.event === 'started');
        if (started) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${started.port}`);
        }
      });
      child.once('exit', (code) => reject(new Error(`bot exited with ${code}: ${stderr}`)));
    });
  }, 30_000);

  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, answers /healthz, and sends the crisis lines over HTTP', async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const { status, replies } = await sendMessage(baseUrl, 'je vais me suicider', { conversationId: 'down-1', userId: 'down-1' });
    expect(status).toBe(200);
    const all = textsOf(replies).join('\n');
    for (const line of ['911', '1 866 APPELLE', '535353']) expect(all).toContain(line);
    expect(all).toContain('Est-ce que tu es en sécurité en ce moment ?');
  }, 30_000);

  it('keeps the person\'s words out of the logs', async () => {
    await sendMessage(baseUrl, 'canari-7f3a je veux mourir', { conversationId: 'down-2', userId: 'down-2' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stdout).toContain('"event":"screened"');
    expect(stdout + stderr).not.toContain('canari-7f3a');
  }, 30_000);
});

function safeJson(line: string): { event?: string; port?: number } | undefined {
  try {
    return JSON.parse(line) as { event?: string; port?: number };
  } catch {
    return undefined;
  }
}
