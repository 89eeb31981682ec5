/**
 * The between-sessions engine: every minute (node-cron), in every instance, claim due jobs and run
 * their handlers, then write each outcome back with a compare-and-swap. With N instances on one
 * database each job runs once (see jobStore.ts); a crashed instance's jobs come back when their
 * lease expires.
 *
 * - Handlers answer 'done', `{ retryAt?, error? }` (retry with backoff, `failed` after the kind's
 *   max attempts) or `{ reschedule }` (recurring work: pending again, fresh attempt budget). A
 *   handler that throws or overruns its timeout is a retry, never a crash of the tick.
 * - Jobs run with bounded concurrency and are claimed one at a time as workers free up, so a
 *   lease starts when its work does. A tick takes due jobs in batches, one after the other, while
 *   a full batch came back and its time lasts: 10,000 check-ins due at 9:00 go out within minutes,
 *   not one batch a minute. A tick stops starting jobs after `maxTickMs` (real time); the rest
 *   wait for the next tick. `leaseMs` must exceed `maxTickMs + handlerTimeoutMs`, so a
 *   live instance never has its job taken over.
 * - Tick hooks (e.g. the escalation outbox's drainSpool and deliverDue) run in registration order,
 *   beside the jobs, each isolated: a failing hook is logged, a hung one is skipped until it ends.
 * - Ticks never overlap within an instance: a tick that finds the previous one running is skipped.
 *
 * Logs carry job ids, kinds, counts and error kinds only (job ids must be pseudonymous).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { schedule as cronSchedule } from 'node-cron';
import type { DocumentStore, StoredDocument } from '../../core/ports/documentStore';
import { completeJob, DEFAULT_MAX_ATTEMPTS, failJob, rescheduleJob, retryJob, type Job, type JobKind } from '../../core/schedule/job';
import { createLogger, errorKind, type Logger } from '../observability/logger';
import { delay, forEachLimit, shuffle, TimeoutError, withTimeout } from './concurrency';
import { JobStore } from './jobStore';

export type JobOutcome =
  | 'done'
  | { readonly retryAt?: Date; readonly error?: string }
  | { readonly reschedule: Date; readonly payload?: Readonly<Record<string, unknown>> };
export type JobHandler = (job: Job, now: Date) => Promise<JobOutcome>;
export type TickHook = (now: Date) => unknown;

/** What the scheduler needs of a node-cron task (injectable for tests). */
export interface CronTask {
  stop(): void | Promise<void>;
  destroy(): void | Promise<void>;
}
export type CronScheduleFn = (expression: string, fn: () => Promise<void>, options: { name: string; noOverlap: boolean }) => CronTask;

export interface SchedulerOptions {
  readonly store: DocumentStore;
  /** Names this instance in claims; unique per process by default. */
  readonly instanceId?: string;
  readonly logger?: Logger;
  /** Claim lease. Default 5 min. */
  readonly leaseMs?: number;
  /** A handler still running after this is given up on (retry). Default 60 s. */
  readonly handlerTimeoutMs?: number;
  /** A hook still running after this is left to finish alone; it is skipped until it does. Default 50 s. */
  readonly hookTimeoutMs?: number;
  /** No new job starts after this much real time in a tick. Default 50 s. */
  readonly maxTickMs?: number;
  /** Handlers running at once. Default 8. */
  readonly concurrency?: number;
  /** Due jobs read at a time; a tick reads batches until one is not full or its time is spent. Default 200. */
  readonly batchSize?: number;
  /** Default for kinds registered without their own. */
  readonly maxAttempts?: number;
  /** Pause between attempts to store an outcome when the store fails. Default 250 ms. */
  readonly settleRetryDelayMs?: number;
  readonly clock?: () => Date;
  readonly cron?: CronScheduleFn;
  /** node-cron task name. Default 'petits-pas-scheduler'. */
  readonly cronName?: string;
  /** Order in which due jobs are tried (shuffled, so instances rarely race for the same one). */
  readonly random?: () => number;
}

export interface RunSummary {
  /** Claimable jobs seen. */
  found: number;
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  rescheduled: number;
  /** Cancelled or erased while running: the result was dropped. */
  cancelled: number;
  /** Claimed by another instance first (or changed since read). */
  skipped: number;
  /** Our lease was taken over before we could store the result. */
  lost: number;
  /** Not started: the tick's time budget was spent. */
  deferred: number;
  /** Outcome could not be stored (store down): the job comes back when its lease expires. */
  unsettled: number;
  hooksRun: number;
  hooksFailed: number;
  hooksSkipped: number;
  storeUnavailable: boolean;
  /** This call found a tick already running in the instance and did nothing. */
  overlapped: boolean;
}

interface Registration {
  readonly handler: JobHandler;
  readonly maxAttempts: number;
}
interface Hook {
  readonly name: string;
  readonly fn: TickHook;
  busy: boolean;
}
type Verdict = 'done' | 'retried' | 'failed' | 'rescheduled';

export class Scheduler {
  readonly instanceId: string;
  readonly jobs: JobStore;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly handlerTimeoutMs: number;
  private readonly hookTimeoutMs: number;
  private readonly maxTickMs: number;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly settleRetryDelayMs: number;
  private readonly clock: () => Date;
  private readonly cron: CronScheduleFn;
  private readonly cronName: string;
  private readonly random: () => number;
  private readonly handlers = new Map<string, Registration>();
  private readonly hooks: Hook[] = [];
  private current: Promise<RunSummary> | undefined;
  private task: CronTask | undefined;

  constructor(options: SchedulerOptions) {
    this.jobs = new JobStore(options.store);
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.log = options.logger ?? createLogger('warn', (line) => process.stderr.write(`${line}\n`));
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
    this.hookTimeoutMs = options.hookTimeoutMs ?? 50_000;
    this.maxTickMs = options.maxTickMs ?? 50_000;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 200));
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.settleRetryDelayMs = options.settleRetryDelayMs ?? 250;
    this.clock = options.clock ?? (() => new Date());
    this.cron = options.cron ?? ((expression, fn, cronOptions) => cronSchedule(expression, fn, cronOptions));
    this.cronName = options.cronName ?? 'petits-pas-scheduler';
    this.random = options.random ?? Math.random;
    if (this.leaseMs <= this.maxTickMs + this.handlerTimeoutMs) {
      throw new TypeError('leaseMs must exceed maxTickMs + handlerTimeoutMs, or a live instance could lose its jobs');
    }
  }

  register(kind: JobKind, handler: JobHandler, options: { maxAttempts?: number } = {}): this {
    if (this.handlers.has(kind)) throw new TypeError(`a handler for job kind "${kind}" is already registered`);
    this.handlers.set(kind, { handler, maxAttempts: Math.max(1, options.maxAttempts ?? this.maxAttempts) });
    return this;
  }

  /** Work run on every tick besides jobs, in registration order. */
  onTick(fn: TickHook, name = `hook${this.hooks.length + 1}`): this {
    this.hooks.push({ name, fn, busy: false });
    return this;
  }

  /** One tick. Never throws; the summary says what happened. */
  async runOnce(now: Date = this.clock()): Promise<RunSummary> {
    if (this.current) {
      this.log.debug('scheduler_tick_overlap', { instanceId: this.instanceId });
      return { ...emptySummary(), overlapped: true };
    }
    const run = this.tick(now);
    this.current = run;
    try {
      return await run;
    } finally {
      this.current = undefined;
    }
  }

  /** Every minute from now on, until stop(). */
  start(): void {
    if (this.task) return;
    this.task = this.cron('* * * * *', async () => void (await this.runOnce(this.clock())), { name: this.cronName, noOverlap: true });
    this.log.info('scheduler_started', { instanceId: this.instanceId, kinds: [...this.handlers.keys()], hooks: this.hooks.length });
  }

  /** Stops the ticks and waits for the one in flight (bounded by the handler and hook timeouts). */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.current;
  }

  private async tick(now: Date): Promise<RunSummary> {
    const summary = emptySummary();
    const deadline = performance.now() + this.maxTickMs;
    await Promise.all([this.runHooks(now, summary), this.runJobs(now, deadline, summary)]);
    const busy = summary.claimed + summary.hooksFailed + summary.unsettled > 0 || summary.storeUnavailable;
    const { overlapped: _o, ...counts } = summary;
    if (busy) this.log.info('scheduler_tick', { instanceId: this.instanceId, ...counts });
    else this.log.debug('scheduler_tick', { instanceId: this.instanceId, ...counts });
    return summary;
  }

  private async runJobs(now: Date, deadline: number, summary: RunSummary): Promise<void> {
    // A job is tried at most once per tick: one that stays due (rescheduled into the past, or
    // left claimable by a failed write) waits for the next tick instead of spinning this one.
    const tried = new Set<string>();
    for (;;) {
      const batch = await this.runBatch(now, deadline, summary, tried);
      if (batch.read < this.batchSize || batch.fresh === 0 || summary.storeUnavailable || performance.now() > deadline) return;
    }
  }

  /** One batch of due jobs: how many were read, and how many of them this tick had not tried yet. */
  private async runBatch(now: Date, deadline: number, summary: RunSummary, tried: Set<string>): Promise<{ read: number; fresh: number }> {
    let read: StoredDocument<Job>[];
    try {
      read = await this.jobs.findDue(now, this.batchSize);
    } catch (error) {
      summary.storeUnavailable = true;
      this.log.warn('scheduler_query_failed', { error: errorKind(error) });
      return { read: 0, fresh: 0 };
    }
    const due = read.filter((doc) => {
      const key = `${doc.partitionKey}\u0000${doc.id}`;
      if (tried.has(key)) return false;
      tried.add(key);
      return true;
    });
    summary.found += due.length;
    shuffle(due, this.random);
    await forEachLimit(due, this.concurrency, async (doc) => {
      if (performance.now() > deadline) {
        summary.deferred++;
        return;
      }
      let claimed: StoredDocument<Job> | undefined;
      try {
        claimed = await this.jobs.claim(doc, this.instanceId, now, this.leaseMs);
      } catch (error) {
        summary.storeUnavailable = true;
        this.log.warn('job_claim_failed', { jobId: doc.id, error: errorKind(error) });
        return;
      }
      if (!claimed) {
        summary.skipped++;
        return;
      }
      summary.claimed++;
      const [verdict, next] = await this.execute(claimed.body, now);
      const settled = await this.settle(claimed, next);
      if (settled === 'saved') summary[verdict]++;
      else if (settled === 'cancelled' || settled === 'gone') summary.cancelled++;
      else if (settled === 'lost') {
        summary.lost++;
        this.log.warn('job_lease_lost', { jobId: claimed.id, kind: claimed.body.kind });
      } else summary.unsettled++;
    });
    return { read: read.length, fresh: due.length };
  }

  /** Runs the handler and turns its answer (or failure) into the job's next state. */
  private async execute(job: Job, now: Date): Promise<[Verdict, Job]> {
    const registration = this.handlers.get(job.kind);
    const fields = { jobId: job.id, kind: job.kind, attempts: job.attempts };
    if (!registration) {
      this.log.error('job_unknown_kind', fields);
      return ['failed', failJob(job, now, 'unknown_kind')];
    }
    if (job.attempts > registration.maxAttempts) {
      // Earlier claims never reported back (crash or hang): stop here rather than loop forever.
      this.log.error('job_abandoned', { ...fields, error: 'lease_expired' });
      return ['failed', failJob(job, now, 'lease_expired')];
    }
    let outcome: JobOutcome;
    try {
      outcome = await withTimeout(Promise.resolve().then(() => registration.handler(job, now)), this.handlerTimeoutMs);
    } catch (error) {
      outcome = { error: error instanceof TimeoutError ? 'handler_timeout' : `handler_threw:${errorKind(error)}` };
    }
    if (outcome === 'done') return ['done', completeJob(job, now)];
    if (outcome && typeof outcome === 'object' && 'reschedule' in outcome) {
      try {
        return ['rescheduled', rescheduleJob(job, outcome.reschedule, now, outcome.payload)];
      } catch {
        outcome = { error: 'bad_reschedule' };
      }
    }
    if (!outcome || typeof outcome !== 'object') outcome = { error: 'bad_outcome' };
    const retry = outcome as { retryAt?: Date; error?: string };
    const next = retryJob(job, now, { error: retry.error, retryAt: retry.retryAt instanceof Date ? retry.retryAt : undefined, maxAttempts: registration.maxAttempts });
    if (next.status === 'failed') {
      this.log.error('job_failed', { ...fields, error: next.lastError });
      return ['failed', next];
    }
    this.log.warn('job_retry', { ...fields, error: next.lastError, dueAt: next.dueAt });
    return ['retried', next];
  }

  /** A few tries: an outcome not stored means the job runs again after its lease. */
  private async settle(claimed: StoredDocument<Job>, next: Job): Promise<Awaited<ReturnType<JobStore['settle']>> | 'unsettled'> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await delay(this.settleRetryDelayMs * attempt);
      try {
        return await this.jobs.settle(claimed, this.instanceId, next);
      } catch (error) {
        this.log.warn('job_settle_failed', { jobId: claimed.id, attempt: attempt + 1, error: errorKind(error) });
      }
    }
    return 'unsettled';
  }

  private async runHooks(now: Date, summary: RunSummary): Promise<void> {
    for (const hook of this.hooks) {
      if (hook.busy) {
        summary.hooksSkipped++;
        this.log.warn('tick_hook_still_running', { hook: hook.name });
        continue;
      }
      hook.busy = true;
      const run = Promise.resolve().then(() => hook.fn(now));
      void run.then(
        () => (hook.busy = false),
        () => (hook.busy = false),
      );
      summary.hooksRun++;
      try {
        await withTimeout(run, this.hookTimeoutMs);
      } catch (error) {
        summary.hooksFailed++;
        this.log.warn('tick_hook_failed', { hook: hook.name, error: error instanceof TimeoutError ? 'timeout' : errorKind(error) });
      }
    }
  }
}

function emptySummary(): RunSummary {
  return {
    found: 0,
    claimed: 0,
    done: 0,
    retried: 0,
    failed: 0,
    rescheduled: 0,
    cancelled: 0,
    skipped: 0,
    lost: 0,
    deferred: 0,
    unsettled: 0,
    hooksRun: 0,
    hooksFailed: 0,
    hooksSkipped: 0,
    storeUnavailable: false,
    overlapped: false,
  };
}
