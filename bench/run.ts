/**
 * Petits pas benchmarks (`npm run bench` → node dist/bench/run.js). Not part of the tests.
 *
 * 1. HTTP turn latency and throughput, closed loop, 50 concurrent conversations, expectReplies:
 *    (a) a bare echo bot on the same stack (bench/echoBot.ts) and (b) Petits pas mid-dialog
 *    (conversations onboarded first, then menu navigation that keeps them in a dialog). Each
 *    server runs in its own child process (the load generator has the other core); rounds
 *    alternate A/B so that background load on the machine hits both alike.
 * 2. Risk screening time per message (bench/screen.ts runScreenBench when present).
 * 3. Start-up time: spawn `node dist/bot/index.js` with PORT=0 until /healthz answers.
 * 4. Memory (RSS, heap) of Petits pas with 1,000 active conversations.
 * 5. 10,000 due reminders dispatched by the scheduler on the file store (fake messenger).
 *
 * Human-readable figures first; the LAST line is one JSON object with every figure.
 * Traffic goes to 127.0.0.1 only; every phase is bounded in count and time.
 *
 * Options: --duration <s> (measured seconds per target, default 10), --warmup <s> (default 3),
 * --concurrency <n> (default 50), --only http,screen,startup,memory,reminders, --quick,
 * --profile <dir> (CPU profile of the Petits pas server child, see bench/profileSummary.ts).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileDocumentStore } from '../adapters/storage/fileStore';
import { silentLogger } from '../bot/observability/logger';
import { projectRoot } from '../bot/projectRoot';
import { Scheduler } from '../bot/scheduler/scheduler';
import { loadSafetyLexicon } from '../content/safetyLexicon';
import { screenMessage } from '../core/safety/screen';
import { newJob } from '../core/schedule/job';
import { LoopbackClient, percentile, runBounded, type HttpResult } from './loadClient';
import { printProfileSummary, summarizeProfile } from './profileSummary';

type Target = 'echo' | 'petitspas';
type Phase = 'http' | 'screen' | 'startup' | 'memory' | 'reminders';

interface Options {
  durationS: number;
  warmupS: number;
  concurrency: number;
  only: Set<Phase>;
  profileDir?: string;
  quick: boolean;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ─── Child side: one server per process ──────────────────────────────────────────────────────

async function serve(target: Target): Promise<void> {
  // Loaded here only: the orchestrating process never loads the HTTP stack.
  const { startEchoBot } = require('./echoBot') as typeof import('./echoBot');
  const { startPetitsPas } = require('../bot/app') as typeof import('../bot/app');
  const { loadConfig } = require('../bot/config') as typeof import('../bot/config');
  const { hardeningOf } = require('../bot/hardening') as typeof import('../bot/hardening');
  const { createLogger } = require('../bot/observability/logger') as typeof import('../bot/observability/logger');
  const dataDir = mkdtempSync(join(tmpdir(), `petits-pas-bench-${target}-`));
  let url: string;
  let stop: () => Promise<void>;
  let logBytes = 0;
  if (target === 'echo') {
    const echo = await startEchoBot(dataDir);
    url = echo.url;
    stop = echo.stop;
  } else {
    const result = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    // Log lines are built as in production (JSON.stringify of every record) but not written.
    const logger = createLogger('info', (line) => {
      logBytes += line.length + 1;
    });
    const app = await startPetitsPas(result.config, { logger, startScheduler: false });
    // The load comes from one address and ~20 messages/s per conversation: far above the limits.
    hardeningOf(app.server)?.setRateLimit(false);
    url = app.url;
    stop = app.stop;
  }
  const inspector = require('node:inspector') as typeof import('node:inspector');
  let session: import('node:inspector').Session | undefined;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((done, fail) => session?.post(method, params ?? {}, (error, result) => (error ? fail(error) : done(result))));
  process.on('message', (message: { cmd?: string; file?: string }) => {
    void (async () => {
      if (message.cmd === 'profile-start') {
        session = new inspector.Session();
        session.connect();
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 200 });
        await post('Profiler.start');
        process.send?.({ profiling: true });
      } else if (message.cmd === 'profile-stop' && message.file) {
        const { profile } = (await post('Profiler.stop')) as { profile: unknown };
        require('node:fs').writeFileSync(message.file, JSON.stringify(profile));
        session?.disconnect();
        session = undefined;
        process.send?.({ profiled: message.file });
      } else if (message.cmd === 'cpu') {
        const usage = process.cpuUsage();
        process.send?.({ cpuUs: usage.user + usage.system });
      } else if (message.cmd === 'memory') {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        await delay(100);
        gc?.();
        process.send?.({ memory: process.memoryUsage(), logBytes });
      } else if (message.cmd === 'stop') {
        await stop();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      }
    })();
  });
  process.send?.({ ready: true, url });
}

/** Children still running: killed if this process ends early (no orphan servers holding ports or pipes). */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    process.exit(130);
  });
}

class ServerChild {
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    liveChildren.add(child);
    child.once('exit', () => {
      this.exited = true;
      liveChildren.delete(child);
    });
  }

  static async start(target: Target): Promise<ServerChild> {
    const execArgv = ['--expose-gc', '--disable-warning=DEP0111'];
    const child = fork(__filename, ['--serve', target], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${target} server did not start within 60 s`)), 60_000);
      child.on('message', (message: { ready?: boolean; url?: string }) => {
        if (message.ready && message.url) {
          clearTimeout(timer);
          done(message.url);
        }
      });
      child.once('exit', (code) => fail(new Error(`${target} server exited with ${code}`)));
    });
    return new ServerChild(child, url);
  }

  /** Resolves when the child answered with `key` in its message; rejects if it dies or takes over 60 s. */
  private ask<T>(command: object, key: string): Promise<T> {
    return new Promise((done, fail) => {
      if (this.exited) return fail(new Error('the server process has exited'));
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        cleanup();
        done(message as T);
      };
      const onExit = (code: number | null) => {
        cleanup();
        fail(new Error(`the server process exited (${code}) while asked for ${key}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(new Error(`the server process did not answer ${key} within 60 s`));
      }, 60_000);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(command);
    });
  }

  /** CPU time (user + system) the server process has used so far, in µs. */
  async cpuUs(): Promise<number> {
    return (await this.ask<{ cpuUs: number }>({ cmd: 'cpu' }, 'cpuUs')).cpuUs;
  }

  async startProfile(): Promise<void> {
    await this.ask({ cmd: 'profile-start' }, 'profiling');
  }

  async stopProfile(file: string): Promise<void> {
    await this.ask({ cmd: 'profile-stop', file }, 'profiled');
  }

  memory(): Promise<{ memory: NodeJS.MemoryUsage; logBytes: number }> {
    return this.ask<{ memory: NodeJS.MemoryUsage; logBytes: number }>({ cmd: 'memory' }, 'memory');
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.send({ cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

// ─── Load ────────────────────────────────────────────────────────────────────────────────────

interface Ids {
  conversationId: string;
  userId: string;
}

function activity(text: string, ids: Ids, sequence: number): Record<string, unknown> {
  return {
    type: 'message',
    id: `bench-${ids.conversationId}-${sequence}`,
    text,
    channelId: 'bench',
    serviceUrl: 'http://127.0.0.1:9/unused',
    conversation: { id: ids.conversationId },
    from: { id: ids.userId },
    recipient: { id: 'bot' },
    locale: 'fr-CA',
    deliveryMode: 'expectReplies',
  };
}

/** A reply that means something went wrong (errors.generic / errors.storageDown / plan errors). */
const ERROR_REPLY = /Oups, quelque chose|Je n'arrive pas à/;

function failed(result: HttpResult): boolean {
  return result.status !== 200 || ERROR_REPLY.test(result.body);
}

interface LoadResult {
  latencies: number[];
  count: number;
  errors: number;
  seconds: number;
  /** Server CPU time during the run (µs), measured in the server process. */
  cpuUs?: number;
}

/** A closed-loop run with the server's CPU time measured around it (less sensitive to other load on the machine than latency). */
async function measured(server: ServerChild, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = await server.cpuUs();
  const result = await run();
  return { ...result, cpuUs: (await server.cpuUs()) - before };
}

/** Closed loop: one worker per conversation, each sends its next message when the reply arrives. */
async function closedLoop(url: string, conversations: Ids[], next: (step: number) => string, durationMs: number, thinkMs = 0): Promise<LoadResult> {
  const client = new LoopbackClient(url, { maxSockets: conversations.length, timeoutMs: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const end = started + durationMs;
  const steps = new Map<string, number>();
  await Promise.all(
    conversations.map(async (ids) => {
      // Light load: people do not all write at the same instant.
      if (thinkMs > 0) await delay(Math.random() * thinkMs);
      while (Date.now() < end) {
        const step = steps.get(ids.conversationId) ?? 0;
        steps.set(ids.conversationId, step + 1);
        try {
          const result = await client.postJson('/api/messages', activity(next(step), ids, step));
          latencies.push(result.ms);
          if (failed(result)) errors += 1;
        } catch {
          errors += 1;
        }
        // A person reading and typing: exponential think time (light load), none at saturation.
        if (thinkMs > 0) await delay(Math.min(-Math.log(1 - Math.random()) * thinkMs, Math.max(0, end - Date.now())));
      }
    }),
  );
  client.close();
  return { latencies, count: latencies.length, errors, seconds: (Date.now() - started) / 1000 };
}

const ONBOARDING = ['bonjour', 'Français', "J'accepte", 'Oui, je partage', 'Oui, heure du Québec', 'Aucune'];
/** Menu navigation that stays inside dialogs: what helps → a category → more ideas → menu. */
const MID_DIALOG = ["Ce qui m'aide", 'Habitudes de vie', "D'autres idées", 'Menu'];

async function sequence(url: string, conversations: Ids[], texts: readonly string[], concurrency: number): Promise<number> {
  const client = new LoopbackClient(url, { maxSockets: concurrency });
  let errors = 0;
  await runBounded(conversations.length, concurrency, async (i) => {
    for (const [step, text] of texts.entries()) {
      const result = await client.postJson('/api/messages', activity(text, conversations[i], 1000 + step));
      if (failed(result)) errors += 1;
    }
  });
  client.close();
  return errors;
}

interface Stats {
  /** Server CPU per turn, ms. */
  cpuMs: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rps: number;
  count: number;
  errors: number;
}

function stats(results: LoadResult[]): Stats {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const cpuUs = results.reduce((sum, r) => sum + (r.cpuUs ?? 0), 0);
  return {
    cpuMs: round(cpuUs / 1000 / Math.max(1, latencies.length), 3),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? Number.NaN),
    rps: round(latencies.length / seconds, 1),
    count: latencies.length,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

async function httpPhase(options: Options): Promise<Record<string, number>> {
  const n = options.concurrency;
  const conversations = (prefix: string) => Array.from({ length: n }, (_, i) => ({ conversationId: `${prefix}-${i}`, userId: `${prefix}-person-${i}` }));
  const echoConversations = conversations('echo');
  const ppConversations = conversations('pp');
  out(`HTTP turns: ${n} concurrent conversations, expectReplies, ${options.warmupS} s warm-up, ${options.durationS} s measured per target in 2 alternating rounds`);
  const echo = await ServerChild.start('echo');
  const pp = await ServerChild.start('petitspas');
  const profileFile = options.profileDir ? join(options.profileDir, `petitspas-${Date.now()}.cpuprofile`) : undefined;
  try {
    const onboardErrors = await sequence(pp.url, ppConversations, ONBOARDING, n);
    const echoNext = (step: number) => `hello ${step}`;
    const ppNext = (step: number) => MID_DIALOG[step % MID_DIALOG.length];
    await closedLoop(echo.url, echoConversations, echoNext, options.warmupS * 1000);
    await closedLoop(pp.url, ppConversations, ppNext, options.warmupS * 1000);
    const echoRuns: LoadResult[] = [];
    const ppRuns: LoadResult[] = [];
    const half = (options.durationS * 1000) / 2;
    for (let round_ = 0; round_ < 2; round_++) {
      echoRuns.push(await measured(echo, () => closedLoop(echo.url, echoConversations, echoNext, half)));
      // The profile covers the measured Petits pas rounds only (not start-up, onboarding or idle time).
      if (profileFile) await pp.startProfile();
      ppRuns.push(await measured(pp, () => closedLoop(pp.url, ppConversations, ppNext, half)));
      if (profileFile) await pp.stopProfile(`${profileFile}.${round_}`);
    }
    const e = stats(echoRuns);
    const p = stats(ppRuns);
    // Light load: the same conversations with ~2.5 s of think time each (about 20 turns/s in all).
    const lightMs = Math.max(5_000, options.durationS * 1_000);
    const echoLight = stats([await closedLoop(echo.url, echoConversations, echoNext, lightMs, 2_500)]);
    const ppLight = stats([await closedLoop(pp.url, ppConversations, ppNext, lightMs, 2_500)]);
    const ratio = p.p99 / e.p99;
    // Server CPU per turn is shown at saturation only (at light load, idle-time work dilutes it).
    const row = (name: string, s: Stats, cpu = true) =>
      out(`  ${name.padEnd(24)} p50 ${s.p50.toFixed(1).padStart(6)} ms  p90 ${s.p90.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms  max ${s.max.toFixed(0).padStart(5)} ms  ${s.rps.toFixed(0).padStart(5)} turns/s${cpu ? `  server CPU ${s.cpuMs.toFixed(2)} ms/turn` : ''}  (${s.count} turns, ${s.errors} errors)`);
    row('echo bot (same stack)', e);
    row('Petits pas, mid-dialog', p);
    out(`  onboarding errors: ${onboardErrors}; p99 ratio Petits pas / echo: ${ratio.toFixed(2)} (target <= 1.30: ${ratio <= 1.3 ? 'met' : 'MISSED'})`);
    out(`  light load (same conversations, ~2.5 s think time each, ${(lightMs / 1000).toFixed(0)} s):`);
    row('echo bot, light load', echoLight, false);
    row('Petits pas, light load', ppLight, false);
    return {
      p50_ms: p.p50,
      p90_ms: p.p90,
      p99_ms: p.p99,
      max_ms: p.max,
      rps: p.rps,
      errors: p.errors,
      echo_p50_ms: e.p50,
      echo_p90_ms: e.p90,
      echo_p99_ms: e.p99,
      echo_rps: e.rps,
      echo_errors: e.errors,
      p99_ratio: round(ratio),
      light_p50_ms: ppLight.p50,
      light_p99_ms: ppLight.p99,
      echo_light_p50_ms: echoLight.p50,
      echo_light_p99_ms: echoLight.p99,
      light_rps: ppLight.rps,
      cpu_ms_per_turn: p.cpuMs,
      echo_cpu_ms_per_turn: e.cpuMs,
      concurrency: n,
    };
  } finally {
    await Promise.all([echo.stop(), pp.stop()]);
    if (profileFile) {
      for (const file of [`${profileFile}.0`, `${profileFile}.1`]) {
        out(`  CPU profile of the Petits pas server during a measured round: ${file}`);
        printProfileSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8'))), (line) => out(`  ${line}`));
      }
    }
  }
}

// ─── Screening ───────────────────────────────────────────────────────────────────────────────

function screenPhase(): Record<string, number> {
  // The safety engineer's benchmark when present (corpus + public data mix); else a mix of our own.
  try {
    const mod = require('./screen') as { runScreenBench?: (options: { print?: boolean }) => { screen_us_median: number; screen_us_p99: number; screen_us_mean: number; screen_messages: number } };
    if (typeof mod.runScreenBench === 'function') {
      const figures = mod.runScreenBench({ print: true });
      out(`  screening target < 20 µs median: ${figures.screen_us_median < 20 ? 'met' : 'MISSED'}`);
      return { screen_us_median: figures.screen_us_median, screen_us_p99: figures.screen_us_p99, screen_us_mean: figures.screen_us_mean, screen_messages: figures.screen_messages };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') out(`  bench/screen.ts failed (${(error as Error).message}); measuring here instead`);
  }
  const root = projectRoot();
  const compiled = loadSafetyLexicon(join(root, 'content'), root).compiled;
  if (!compiled) throw new Error('the safety lexicon does not load');
  const messages = ['oui', 'non', 'menu', "Ce qui m'aide", 'ça va', 'bof', 'je suis fatigué à soir', 'I went for a walk today', "j'ai marché 10 minutes après le souper", 'je veux mourir', 'ce trafic me tue', 'je meurs de rire'];
  for (let i = 0; i < 2_000; i++) screenMessage(messages[i % messages.length], compiled);
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const start = process.hrtime.bigint();
    screenMessage(messages[i % messages.length], compiled);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  const median = round(percentile(samples, 50));
  out(`Risk screen (own mix of ${messages.length} messages): median ${median} µs, p99 ${round(percentile(samples, 99))} µs`);
  return { screen_us_median: median, screen_us_p99: round(percentile(samples, 99)) };
}

// ─── Start-up ────────────────────────────────────────────────────────────────────────────────

async function startupOnce(entry: string): Promise<{ healthyMs: number; startedLogMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'petits-pas-bench-startup-'));
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', entry], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    let buffer = '';
    const port = await new Promise<{ port: number; at: number }>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the bot did not log "started" within 30 s')), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const line of buffer.split('\n')) {
          try {
            const record = JSON.parse(line) as { event?: string; port?: number };
            if (record.event === 'started' && record.port) {
              clearTimeout(timer);
              done({ port: record.port, at: elapsed() });
            }
          } catch {
            // not a JSON line (yet)
          }
        }
      });
      child.stderr?.resume();
      child.once('exit', (code) => fail(new Error(`the bot exited with ${code}`)));
    });
    const client = new LoopbackClient(`http://127.0.0.1:${port.port}`, { maxSockets: 1, timeoutMs: 2_000 });
    try {
      for (;;) {
        try {
          if ((await client.request('GET', '/healthz')).status === 200) break;
        } catch {
          // not listening yet
        }
        if (elapsed() > 30_000) throw new Error('/healthz did not answer within 30 s');
        await delay(5);
      }
    } finally {
      client.close();
    }
    return { healthyMs: elapsed(), startedLogMs: port.at };
  } finally {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function startupPhase(runs: number): Promise<Record<string, number>> {
  const entry = join(projectRoot(), 'dist', 'bot', 'index.js');
  if (!existsSync(entry)) throw new Error('dist/bot/index.js is missing: npm run build');
  const results: number[] = [];
  const logged: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await startupOnce(entry);
    results.push(r.healthyMs);
    logged.push(r.startedLogMs);
  }
  results.sort((a, b) => a - b);
  logged.sort((a, b) => a - b);
  const median = round(percentile(results, 50), 0);
  out(`Start-up (spawn node dist/bot/index.js → /healthz 200), ${runs} runs: median ${median} ms (min ${round(results[0], 0)}, max ${round(results.at(-1) as number, 0)}); "started" logged at ${round(percentile(logged, 50), 0)} ms`);
  return { startup_ms: median, startup_ms_max: round(results.at(-1) as number, 0) };
}

// ─── Memory ──────────────────────────────────────────────────────────────────────────────────

async function memoryPhase(conversationsCount: number, concurrency: number): Promise<Record<string, number>> {
  const pp = await ServerChild.start('petitspas');
  try {
    // Warm the code paths once, then take the baseline.
    await sequence(pp.url, [{ conversationId: 'mem-warm', userId: 'mem-warm' }], ONBOARDING, 1);
    const before = (await pp.memory()).memory;
    const conversations = Array.from({ length: conversationsCount }, (_, i) => ({ conversationId: `mem-${i}`, userId: `mem-person-${i}` }));
    const started = Date.now();
    // Each conversation is left in the middle of onboarding (dialog state live, caches filled).
    const errors = await sequence(pp.url, conversations, ['bonjour', 'Français'], concurrency);
    const seconds = (Date.now() - started) / 1000;
    const after = (await pp.memory()).memory;
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
    const perConversationKb = round((after.heapUsed - before.heapUsed) / 1024 / conversationsCount, 2);
    out(`Memory with ${conversationsCount} active conversations (${2 * conversationsCount} turns in ${seconds.toFixed(1)} s, ${errors} errors): RSS ${mb(after.rss)} MB, heap used ${mb(after.heapUsed)} MB (baseline RSS ${mb(before.rss)} MB, heap ${mb(before.heapUsed)} MB; +${perConversationKb} KB heap per conversation)`);
    return { active_conversations: conversationsCount, rss_mb: mb(after.rss), heap_mb: mb(after.heapUsed), rss_mb_baseline: mb(before.rss), heap_mb_baseline: mb(before.heapUsed), heap_kb_per_conversation: perConversationKb };
  } finally {
    await pp.stop();
  }
}

// ─── Reminders ───────────────────────────────────────────────────────────────────────────────

async function remindersOnce(count: number, schedulerOptions: { batchSize?: number; concurrency?: number }, budgetMs: number): Promise<{ setupS: number; dispatchS: number; sent: number; ticks: number; complete: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'petits-pas-bench-reminders-'));
  try {
    const store = new FileDocumentStore(resolve(dir, 'store'));
    await store.init();
    const scheduler = new Scheduler({ store, logger: silentLogger, instanceId: 'bench', ...schedulerOptions });
    // The fake messenger: counts what would be sent proactively.
    let sent = 0;
    scheduler.register('checkin', async () => {
      sent += 1;
      return 'done';
    });
    const due = new Date(Date.now() - 60_000);
    const setupStarted = Date.now();
    await runBounded(count, 16, async (i) => {
      await scheduler.jobs.schedule(newJob({ id: `reminder-${i}`, kind: 'checkin', personKey: `bench-person-${i % 1000}`, dueAt: due, payload: { n: i } }, due));
    });
    const setupS = (Date.now() - setupStarted) / 1000;
    const started = Date.now();
    let ticks = 0;
    while (sent < count && Date.now() - started < budgetMs) {
      const summary = await scheduler.runOnce(new Date());
      ticks += 1;
      if (summary.found === 0) break;
    }
    await scheduler.stop();
    return { setupS, dispatchS: (Date.now() - started) / 1000, sent, ticks, complete: sent === count };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function remindersPhase(count: number, budgetMs: number): Promise<Record<string, number | boolean>> {
  out(`Reminders: ${count} due check-ins on the file store (fsync on), fake messenger, ticks run back to back`);
  const defaults = await remindersOnce(count, {}, budgetMs);
  const rate = defaults.sent / defaults.dispatchS;
  out(
    `  default scheduler (batches of 200, 8 at once, batch after batch for up to 50 s a tick): ${defaults.sent} sent in ${defaults.dispatchS.toFixed(1)} s over ${defaults.ticks} ticks (${rate.toFixed(0)}/s)${defaults.complete ? '' : ` — stopped at the ${budgetMs / 1000} s budget, all ${count} would take ~${(count / rate).toFixed(0)} s`}; scheduling them took ${defaults.setupS.toFixed(1)} s`,
  );
  // With cron, a tick starts each minute and works for at most 50 s of it.
  const cronMinutes = defaults.complete ? defaults.ticks : Math.ceil(count / rate / 50);
  out(`    one tick a minute (cron): ${count} due reminders are all out within ${cronMinutes} minute${cronMinutes === 1 ? '' : 's'} from one instance`);
  const tuned = await remindersOnce(count, { batchSize: 500, concurrency: 16 }, budgetMs);
  const tunedRate = tuned.sent / tuned.dispatchS;
  out(`  batch 500, 16 at once: ${tuned.sent} sent in ${tuned.dispatchS.toFixed(1)} s over ${tuned.ticks} ticks (${tunedRate.toFixed(0)}/s)${tuned.complete ? '' : ' — stopped at the budget'}`);
  return {
    reminders: count,
    reminders_dispatch_s: round(tuned.complete ? tuned.dispatchS : count / tunedRate, 1),
    reminders_per_s: round(tunedRate, 0),
    reminders_default_dispatch_s: round(defaults.complete ? defaults.dispatchS : count / rate, 1),
    reminders_default_per_s: round(rate, 0),
    reminders_default_complete: defaults.complete,
    reminders_default_cron_minutes: cronMinutes,
    reminders_setup_s: round(defaults.setupS, 1),
  };
}

// ─── Main ────────────────────────────────────────────────────────────────────────────────────

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const only = value('only');
  const profileDir = value('profile');
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return {
    durationS: Number(value('duration') ?? (quick ? 4 : 10)),
    warmupS: Number(value('warmup') ?? (quick ? 1 : 3)),
    concurrency: Number(value('concurrency') ?? 50),
    only: new Set((only ? only.split(',') : ['http', 'screen', 'startup', 'memory', 'reminders']) as Phase[]),
    profileDir: profileDir ? resolve(profileDir) : undefined,
    quick,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const figures: Record<string, number | boolean | string> = {};
  const started = Date.now();
  out(`Petits pas benchmarks — node ${process.version}, ${require('node:os').cpus().length} CPUs, load average ${require('node:os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
  out('');
  if (options.only.has('http')) Object.assign(figures, await httpPhase(options));
  if (options.only.has('screen')) {
    out('');
    Object.assign(figures, screenPhase());
  }
  if (options.only.has('startup')) {
    out('');
    Object.assign(figures, await startupPhase(options.quick ? 2 : 3));
  }
  if (options.only.has('memory')) {
    out('');
    Object.assign(figures, await memoryPhase(options.quick ? 300 : 1_000, 50));
  }
  if (options.only.has('reminders')) {
    out('');
    Object.assign(figures, await remindersPhase(options.quick ? 2_000 : 10_000, options.quick ? 20_000 : 60_000));
  }
  figures.bench_seconds = round((Date.now() - started) / 1000, 1);
  out('');
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) {
  if (process.argv[2] === '--serve') {
    serve(process.argv[3] as Target).catch((error: unknown) => {
      process.stderr.write(`bench server failed: ${(error as Error).message}\n`);
      process.exit(1);
    });
  } else {
    main().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  }
}
