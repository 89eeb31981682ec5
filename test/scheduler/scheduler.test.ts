import { getTasks } from 'node-cron';
import { Scheduler, type CronScheduleFn, type JobHandler, type SchedulerOptions } from '../../bot/scheduler/scheduler';
import { silentLogger } from '../../bot/observability/logger';
import { claimJob, type Job } from '../../core/schedule/job';
import { DEFAULT_CHECKIN_SCHEDULE, nextOccurrence } from '../../core/schedule/recurrence';
import { MemoryDocumentStore } from '../support/memoryStore';
import { captureLogger, makeJob, minutes, T0, tick } from './helpers';

function setup(options: Partial<SchedulerOptions> = {}) {
  const store = new MemoryDocumentStore();
  const scheduler = new Scheduler({ store, instanceId: 'i1', logger: silentLogger, random: () => 0.5, ...options });
  return { store, scheduler, jobs: scheduler.jobs };
}

const stored = async (s: Scheduler, job: Job) => (await s.jobs.get(job.personKey, job.id))?.body;

describe('Scheduler.runOnce', () => {
  test('runs a due job once and marks it done; future jobs wait', async () => {
    const { scheduler, jobs } = setup();
    const seen: Job[] = [];
    scheduler.register('checkin', async (job) => (seen.push(job), 'done'));
    await jobs.schedule(makeJob(1));
    await jobs.schedule(makeJob(2, { dueAt: minutes(10) }));
    const summary = await scheduler.runOnce(T0);
    expect(summary).toMatchObject({ found: 1, claimed: 1, done: 1, retried: 0, failed: 0, skipped: 0, overlapped: false, storeUnavailable: false });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: 'job-1', status: 'running', attempts: 1, claimedBy: 'i1' });
    expect(await stored(scheduler, makeJob(1))).toMatchObject({ status: 'done', finishedAt: T0.toISOString() });
    expect((await scheduler.runOnce(T0)).found).toBe(0);
    expect((await scheduler.runOnce(minutes(10))).done).toBe(1);
  });

  test('a tick takes batch after batch until the due jobs are all done', async () => {
    const { scheduler, jobs } = setup({ batchSize: 5, concurrency: 2 });
    let calls = 0;
    scheduler.register('checkin', async () => (calls++, 'done'));
    for (let i = 1; i <= 23; i++) await jobs.schedule(makeJob(i));
    expect(await scheduler.runOnce(T0)).toMatchObject({ found: 23, claimed: 23, done: 23 });
    expect(calls).toBe(23);
    expect((await scheduler.runOnce(T0)).found).toBe(0);
  });

  test('a job that stays due (rescheduled into the past) runs once per tick, not in a loop', async () => {
    const { scheduler, jobs } = setup({ batchSize: 2 });
    let calls = 0;
    scheduler.register('checkin', async (_job, now) => (calls++, { reschedule: new Date(now.getTime() - 60_000) }));
    await jobs.schedule(makeJob(1));
    await jobs.schedule(makeJob(2));
    const summary = await scheduler.runOnce(T0);
    expect(summary).toMatchObject({ found: 2, claimed: 2 });
    expect(calls).toBe(2);
  });

  test('a throwing handler is a retry with backoff, logged by error kind only', async () => {
    const { logger, lines } = captureLogger();
    const { scheduler, jobs } = setup({ logger });
    let calls = 0;
    scheduler.register('checkin', async () => {
      calls++;
      if (calls === 1) throw new TypeError('cannot send « je veux mourir »');
      return 'done';
    });
    const job = makeJob(1, { personKey: 'msteams:29:secret-person', payload: { escalationId: 'E-1' } });
    await jobs.schedule(job);
    expect(await scheduler.runOnce(T0)).toMatchObject({ claimed: 1, retried: 1 });
    const after = await stored(scheduler, job);
    expect(after).toMatchObject({ status: 'pending', attempts: 1, lastError: 'handler_threw:TypeError' });
    expect(Date.parse(after!.dueAt) - T0.getTime()).toBeGreaterThanOrEqual(60_000);
    expect((await scheduler.runOnce(minutes(0.5))).found).toBe(0); // backoff respected
    expect(await scheduler.runOnce(minutes(2))).toMatchObject({ done: 1 });
    expect(calls).toBe(2);
    const text = lines.join('\n');
    expect(text).toContain('job_retry');
    expect(text).not.toMatch(/mourir|secret-person|E-1/);
  });

  test('retries at the asked time, then fails after the kind’s max attempts', async () => {
    const { scheduler, jobs } = setup();
    let calls = 0;
    scheduler.register('measure', async (_job, now) => (calls++, { error: 'proactive_send:429', retryAt: minutes(1, now) }), { maxAttempts: 3 });
    const job = makeJob(1, { kind: 'measure' });
    await jobs.schedule(job);
    let now = T0;
    const verdicts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await scheduler.runOnce(now);
      verdicts.push(s.failed ? 'failed' : s.retried ? 'retried' : 'idle');
      now = minutes(1, now);
    }
    expect(verdicts).toEqual(['retried', 'retried', 'failed', 'idle', 'idle']);
    expect(calls).toBe(3);
    expect(await stored(scheduler, job)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'proactive_send:429' });
  });

  test('reschedule: recurring work goes back to pending with a fresh budget and an updated payload', async () => {
    const { scheduler, jobs } = setup();
    scheduler.register('checkin', async (job, now) => ({ reschedule: nextOccurrence(DEFAULT_CHECKIN_SCHEDULE, now), payload: { sent: Number(job.payload.sent ?? 0) + 1 } }));
    const job = makeJob(1, { payload: {} });
    await jobs.schedule(job);
    expect(await scheduler.runOnce(T0)).toMatchObject({ rescheduled: 1 });
    // T0 is Tuesday 18:00 in Toronto: next is Friday 18:00.
    expect(await stored(scheduler, job)).toMatchObject({ status: 'pending', attempts: 0, dueAt: '2026-03-13T22:00:00.000Z', payload: { sent: 1 } });
    expect(await scheduler.runOnce(new Date('2026-03-13T22:00:00.000Z'))).toMatchObject({ rescheduled: 1 });
    expect(await stored(scheduler, job)).toMatchObject({ dueAt: '2026-03-17T22:00:00.000Z', payload: { sent: 2 } });
  });

  test('unknown kind → failed with a clear error kind; bad outcomes and bad reschedules → retry', async () => {
    const { scheduler, jobs } = setup();
    scheduler.register('odd', (async () => undefined) as unknown as JobHandler);
    scheduler.register('bad_date', async () => ({ reschedule: new Date('nope') }));
    await jobs.schedule(makeJob(1, { kind: 'nobody_handles_this' }));
    await jobs.schedule(makeJob(2, { kind: 'odd' }));
    await jobs.schedule(makeJob(3, { kind: 'bad_date' }));
    expect(await scheduler.runOnce(T0)).toMatchObject({ claimed: 3, failed: 1, retried: 2 });
    expect(await stored(scheduler, makeJob(1, { kind: 'x' }))).toMatchObject({ status: 'failed', lastError: 'unknown_kind' });
    expect((await stored(scheduler, makeJob(2)))?.lastError).toBe('bad_outcome');
    expect((await stored(scheduler, makeJob(3)))?.lastError).toBe('bad_reschedule');
    expect(() => scheduler.register('odd', async () => 'done')).toThrow(/already registered/);
  });

  test('a handler over its time limit is a retry (handler_timeout)', async () => {
    const { scheduler, jobs } = setup({ handlerTimeoutMs: 30, maxTickMs: 1_000 });
    scheduler.register('checkin', () => new Promise(() => undefined));
    await jobs.schedule(makeJob(1));
    expect(await scheduler.runOnce(T0)).toMatchObject({ retried: 1 });
    expect((await stored(scheduler, makeJob(1)))?.lastError).toBe('handler_timeout');
  });

  test('a job whose earlier claims never reported back fails as lease_expired without running', async () => {
    const { scheduler, jobs, store } = setup();
    const handler = jest.fn(async () => 'done' as const);
    scheduler.register('checkin', handler, { maxAttempts: 2 });
    const job = makeJob(1);
    await jobs.schedule(job);
    // Two claims by instances that died mid-run.
    let doc = (await jobs.get(job.personKey, job.id))!;
    doc = await store.replace('jobs', job.personKey, job.id, claimJob(claimJob(doc.body, 'dead', T0, 1), 'dead', T0, 1), doc.etag);
    expect(await scheduler.runOnce(minutes(1))).toMatchObject({ claimed: 1, failed: 1 });
    expect(handler).not.toHaveBeenCalled();
    expect(await stored(scheduler, job)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'lease_expired' });
  });

  test('a job cancelled while it runs stays cancelled', async () => {
    const { scheduler, jobs } = setup();
    scheduler.register('checkin', async (job) => {
      await jobs.cancelForPerson(job.personKey, 'checkin', T0);
      return 'done';
    });
    await jobs.schedule(makeJob(1));
    expect(await scheduler.runOnce(T0)).toMatchObject({ claimed: 1, done: 0, cancelled: 1 });
    expect((await stored(scheduler, makeJob(1)))?.status).toBe('cancelled');
  });

  test('bounded concurrency', async () => {
    const { scheduler, jobs } = setup({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    scheduler.register('checkin', async () => {
      peak = Math.max(peak, ++running);
      await tick();
      await tick();
      running--;
      return 'done';
    });
    for (let n = 0; n < 12; n++) await jobs.schedule(makeJob(n));
    expect(await scheduler.runOnce(T0)).toMatchObject({ done: 12 });
    expect(peak).toBe(3);
  });

  test('the tick time budget defers the rest, unclaimed, to the next tick', async () => {
    const { scheduler, jobs } = setup({ concurrency: 1, maxTickMs: 20 });
    scheduler.register('checkin', () => new Promise((resolve) => setTimeout(() => resolve('done'), 15)));
    for (let n = 0; n < 6; n++) await jobs.schedule(makeJob(n));
    const first = await scheduler.runOnce(T0);
    // 6 × 15 ms one at a time cannot fit in 20 ms: whatever ran, the rest was deferred.
    expect(first.done + first.deferred).toBe(6);
    expect(first.deferred).toBeGreaterThan(0);
    expect(first.claimed).toBe(first.done);
    const pending = (await scheduler.jobs.findDue(T0, 50)).map((d) => d.body.status);
    expect(pending.every((s) => s === 'pending')).toBe(true);
  });

  test('store unavailable: the tick reports it and does not throw', async () => {
    const { scheduler, store } = setup();
    store.unavailable = true;
    expect(await scheduler.runOnce(T0)).toMatchObject({ storeUnavailable: true, claimed: 0 });
  });

  test('an outcome that cannot be stored is retried, then left to the lease', async () => {
    const { scheduler, jobs, store } = setup({ settleRetryDelayMs: 1 });
    scheduler.register('checkin', async () => {
      store.unavailable = true;
      return 'done';
    });
    await jobs.schedule(makeJob(1));
    expect(await scheduler.runOnce(T0)).toMatchObject({ claimed: 1, unsettled: 1 });
    store.unavailable = false;
    expect((await stored(scheduler, makeJob(1)))?.status).toBe('running');
  });

  test('ticks do not overlap within one instance', async () => {
    const { scheduler, jobs } = setup();
    let release!: () => void;
    scheduler.register('checkin', () => new Promise((resolve) => (release = () => resolve('done'))));
    await jobs.schedule(makeJob(1));
    const first = scheduler.runOnce(T0);
    while (!release) await tick();
    expect(await scheduler.runOnce(T0)).toMatchObject({ overlapped: true, found: 0 });
    release();
    expect(await first).toMatchObject({ done: 1, overlapped: false });
  });

  test('tick hooks run in order, isolated; a hung hook is skipped until it ends', async () => {
    const { scheduler, jobs } = setup({ hookTimeoutMs: 20 });
    const order: string[] = [];
    let unhang!: () => void;
    let hangs = true;
    scheduler.register('checkin', async () => 'done');
    scheduler.onTick(async (now) => void order.push(`drain@${now.toISOString()}`), 'drainSpool');
    scheduler.onTick(() => {
      throw new Error('outbox down');
    }, 'broken');
    scheduler.onTick(() => (hangs ? new Promise<void>((resolve) => (unhang = resolve)) : order.push('deliver')), 'deliverDue');
    await jobs.schedule(makeJob(1));
    expect(await scheduler.runOnce(T0)).toMatchObject({ hooksRun: 3, hooksFailed: 2, done: 1 });
    expect(order).toEqual([`drain@${T0.toISOString()}`]);
    expect(await scheduler.runOnce(T0)).toMatchObject({ hooksRun: 2, hooksSkipped: 1 });
    hangs = false;
    unhang();
    await tick();
    expect(await scheduler.runOnce(T0)).toMatchObject({ hooksRun: 3, hooksFailed: 1, hooksSkipped: 0 });
    expect(order.at(-1)).toBe('deliver');
  });

  test('refuses a lease that a live tick could outlast', () => {
    expect(() => setup({ leaseMs: 60_000, maxTickMs: 50_000, handlerTimeoutMs: 60_000 })).toThrow(/leaseMs/);
  });
});

describe('Scheduler.start / stop', () => {
  test('schedules one task every minute and waits for the tick in flight on stop', async () => {
    let fire: (() => Promise<void>) | undefined;
    const task = { stop: jest.fn(), destroy: jest.fn() };
    const cron: CronScheduleFn = jest.fn((_expression, fn) => ((fire = fn), task));
    const { scheduler, jobs } = setup({ cron, clock: () => T0, cronName: 'test-scheduler' });
    let finish!: () => void;
    scheduler.register('checkin', () => new Promise((resolve) => (finish = () => resolve('done'))));
    await jobs.schedule(makeJob(1));
    scheduler.start();
    scheduler.start(); // idempotent
    expect(cron).toHaveBeenCalledTimes(1);
    expect(cron).toHaveBeenCalledWith('* * * * *', expect.any(Function), { name: 'test-scheduler', noOverlap: true });
    const firing = fire!();
    while (!finish) await tick();
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await tick();
    expect(task.stop).toHaveBeenCalled();
    expect(task.destroy).toHaveBeenCalled();
    expect(stopped).toBe(false); // still waiting for the handler
    finish();
    await Promise.all([firing, stopping]);
    expect((await stored(scheduler, makeJob(1)))?.status).toBe('done');
  });

  test('with the real node-cron: a named task that runs a tick, gone after stop', async () => {
    const { scheduler, jobs } = setup({ clock: () => T0, cronName: 'petits-pas-scheduler-test' });
    const handler = jest.fn(async () => 'done' as const);
    scheduler.register('checkin', handler);
    await jobs.schedule(makeJob(1));
    scheduler.start();
    try {
      const task = [...getTasks().values()].find((t) => t.name === 'petits-pas-scheduler-test');
      expect(task).toBeDefined();
      expect(task!.getNextRun()!.getSeconds()).toBe(0);
      await task!.execute(); // what the minute would do, without waiting for it
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      await scheduler.stop();
    }
    expect([...getTasks().values()].some((t) => t.name === 'petits-pas-scheduler-test')).toBe(false);
  });
});
