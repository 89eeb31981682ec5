import { spawn } from 'node:child_process';
import { distEntry, PROJECT_ROOT } from '../support/dist';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runScreen(input: Buffer | string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distEntry('bot/cli/screen.js')], { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

const NONE = '{"level":"none","categories":[]}';

describe('npm run screen (dist/bot/cli/screen.js)', () => {
  it('prints exactly one JSON object per input line, in order', async () => {
    const lines = [
      'je veux mourir',
      '',
      "J'ai fait ma marche aujourd'hui",
      'I want to die',
      '😂😂😂',
      'je meurs de rire',
      'chu pu capable',
      '   ',
      'x'.repeat(200_000),
      'kms lol',
    ];
    const input = Buffer.concat([
      Buffer.from(`${lines.slice(0, 4).join('\r\n')}\r\n`, 'utf8'),
      Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x0a]), // invalid UTF-8 and a NUL: one junk line
      Buffer.from(`${lines.slice(4).join('\n')}`, 'utf8'), // the last line has no newline
    ]);
    const run = await runScreen(input);
    expect(run.code).toBe(0);
    const outputs = run.stdout.split('\n');
    expect(outputs.pop()).toBe('');
    expect(outputs).toHaveLength(lines.length + 1);
    const parsed = outputs.map((line) => JSON.parse(line) as { level: string; categories: string[] });
    for (const p of parsed) {
      expect(Object.keys(p)).toEqual(['level', 'categories']);
      expect(['none', 'concern', 'crisis']).toContain(p.level);
    }
    expect(parsed.map((p) => p.level)).toEqual(['crisis', 'none', 'none', 'crisis', 'none', 'none', 'none', 'concern', 'none', 'none', 'none']);
    expect(outputs[0]).toBe('{"level":"crisis","categories":["suicidal_ideation"]}');
    expect(outputs[1]).toBe(NONE);
    expect(run.stderr).toBe('');
  });

  it('prints nothing for empty input and handles a huge single line', async () => {
    expect(await runScreen('')).toEqual({ code: 0, stdout: '', stderr: '' });
    const huge = await runScreen(`${'a '.repeat(2_000_000)}\nI want to die\n`);
    expect(huge.stdout).toBe(`${NONE}\n{"level":"crisis","categories":["suicidal_ideation"]}\n`);
  });

  it('streams: answers a line before the input ends', async () => {
    const child = spawn(process.execPath, [distEntry('bot/cli/screen.js')], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString('utf8')));
      child.on('error', reject);
      child.stdin.write('je veux mourir\n');
    });
    expect(first).toBe('{"level":"crisis","categories":["suicidal_ideation"]}\n');
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
  });
});
