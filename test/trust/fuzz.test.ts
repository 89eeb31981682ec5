/**
 * Fuzz over real HTTP: 10,000 generated requests (seeded, reproducible per index) against the
 * running bot — malformed JSON, invalid UTF-8, oversized bodies, wrong types, missing fields,
 * unknown activity types, lone surrogates, RTL and zero-width characters, emoji, 10k-character
 * texts, control characters, card payloads in `value`, attachments, conversationUpdate with odd
 * members, prototype-pollution keys, odd content types and routes — through a keep-alive agent
 * with 20 in flight. No crash, no 5xx, no turn error, and afterwards the bot still greets in French.
 *
 * Replay: FUZZ_SEED=<seed> FUZZ_COUNT=<n> npx jest test/trust/fuzz.test.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { LoopbackClient, runBounded, seededRandom } from '../../bench/loadClient';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { hardeningOf } from '../../bot/hardening';
import { createLogger } from '../../bot/observability/logger';
import { RecordingNotifier } from '../support/escalations';
import { testConfig } from '../support/http';
import { say } from './support/activities';
import { generateFuzzRequest } from './support/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_123);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 20;

/** Stands in for a channel's connector: replies sent without expectReplies land here, on loopback. */
async function startSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(req.method === 'POST' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sink-${received}` }));
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isInvoke(body: string | Buffer | undefined): boolean {
  try {
    return (JSON.parse(String(body)) as { type?: unknown }).type === 'invoke';
  } catch {
    return false;
  }
}

describe(`fuzz: ${COUNT} generated requests over HTTP (seed ${SEED})`, () => {
  let env: ReturnType<typeof testConfig>;
  let app: RunningApp;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let client: LoopbackClient;
  const lines: string[] = [];
  const notifier = new RecordingNotifier();
  const crashes: string[] = [];
  const onUnhandled = (error: unknown) => crashes.push(`unhandled: ${(error as Error)?.name ?? typeof error}`);
  const onUncaught = (error: Error) => crashes.push(`uncaught: ${error.name}`);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUncaught);
    sink = await startSink();
    env = testConfig({ LOG_LEVEL: 'debug' });
    app = await startPetitsPas(env.config, {
      // The real file store (odd ids become file names), without fsync to keep the run short.
      store: new FileDocumentStore(join(env.dataDir, 'store'), { fsync: false }),
      logger: createLogger('debug', (line) => lines.push(line)),
      notifiers: { primary: notifier },
      startScheduler: false,
    });
    // One client address sends everything here: the per-address limit would answer most with 429.
    hardeningOf(app.server)!.setRateLimit({ perIp: null });
    client = new LoopbackClient(app.url, { maxSockets: CONCURRENCY, timeoutMs: 30_000 });
  });
  afterAll(async () => {
    client?.close();
    await app?.stop();
    await sink?.close();
    env?.cleanup();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
  });

  it('never crashes, never answers 5xx, never fails a turn, and still greets afterwards', async () => {
    const byKind = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    const started = Date.now();
    await runBounded(COUNT, CONCURRENCY, async (index) => {
      const request = generateFuzzRequest(seededRandom(SEED ^ Math.imul(index + 1, 0x9e3779b1)), index, sink.url);
      const kind = request.kind.startsWith('route') ? 'other-route' : request.kind;
      let status: number;
      try {
        // The request's index comes back as the correlation id of every log line of its turn.
        const result = await client.request(request.method, request.path, request.body, { ...request.headers, 'x-request-id': `fuzz-${String(index).padStart(5, '0')}` });
        status = result.status;
        // The SDK's own answer to an invoke nobody handles is an invoke response of 501 ("not
        // implemented", the Bot Framework protocol, which Teams reads) — not a server fault.
        const unhandledInvoke = status === 501 && isInvoke(request.body);
        if (status >= 500 && !unhandledInvoke) failures.push(`#${index} ${request.kind}: ${status} ${result.body.slice(0, 160)}`);
      } catch (error) {
        status = -1;
        failures.push(`#${index} ${request.kind}: ${(error as Error).message}`);
      }
      const statuses = byKind.get(kind) ?? new Map<number, number>();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      byKind.set(kind, statuses);
    });
    const seconds = (Date.now() - started) / 1000;
    await app.escalationsSettled();

    const summary = [...byKind.entries()].map(([kind, statuses]) => `${kind}: ${[...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    const turnErrors = lines
      .filter((l) => l.includes('"turn_failed"') || l.includes('"message_route_failed"'))
      .map((l) => {
        const record = JSON.parse(l) as { event: string; error: string; correlationId?: string };
        const index = Number(record.correlationId?.replace('fuzz-', ''));
        const request = Number.isFinite(index) ? generateFuzzRequest(seededRandom(SEED ^ Math.imul(index + 1, 0x9e3779b1)), index, sink.url) : undefined;
        return `${record.event} ${record.error} on #${index} ${request?.kind ?? '?'}: ${String(request?.body ?? '').slice(0, 300)}`;
      });
    process.stdout.write(
      `fuzz: ${COUNT} requests in ${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(0)}/s), seed ${SEED}; sink got ${sink.received()} replies; ${notifier.count({ kind: 'alert' })} alerts\n  ${summary.join('\n  ')}\n`,
    );

    expect(failures.slice(0, 20)).toEqual([]);
    expect(crashes).toEqual([]);
    expect(turnErrors.slice(0, 5)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A good share of the requests really ran a turn (not everything bounced at the edge).
    expect([...byKind.values()].reduce((sum, s) => sum + (s.get(200) ?? 0), 0)).toBeGreaterThan(COUNT * 0.25);

    const health = await client.request('GET', '/healthz');
    expect(health.status).toBe(200);
    const hello = await say(client, 'bonjour', { conversationId: 'after-fuzz', userId: 'after-fuzz' });
    expect(hello.status).toBe(200);
    expect(hello.text).toContain("Bonjour, moi c'est Petits pas");
    expect(hello.text).toContain("Tu préfères qu'on se parle en français ou en anglais ?");
  }, 120_000);
});
