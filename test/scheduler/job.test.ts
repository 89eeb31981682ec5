import {
  cancelJob,
  claimJob,
  completeJob,
  DEFAULT_MAX_ATTEMPTS,
  isClaimable,
  isDue,
  newJob,
  nextRetryAt,
  rescheduleJob,
  retryJob,
  RETRY_MAX_MS,
  sanitizeJobError,
  validateJob,
} from '../../core/schedule/job';
import { makeJob, minutes, T0 } from './helpers';

describe('job rules', () => {
  test('a new job is pending, due at its time, with normalised ISO dates', () => {
    const job = newJob({ id: 'checkin', kind: 'checkin', personKey: 'p1', dueAt: '2026-03-10T18:00:00-04:00' }, T0);
    expect(job).toEqual({ id: 'checkin', kind: 'checkin', personKey: 'p1', dueAt: '2026-03-10T22:00:00.000Z', status: 'pending', attempts: 0, payload: {}, createdAt: T0.toISOString() });
    expect(isDue(job, minutes(-1))).toBe(false);
    expect(isDue(job, T0)).toBe(true);
  });

  test('validation names the field, never the value', () => {
    expect(() => newJob({ id: '', kind: 'checkin', personKey: 'p', dueAt: T0 }, T0)).toThrow(/job.id/);
    expect(() => newJob({ id: 'x', kind: 'checkin', personKey: '', dueAt: T0 }, T0)).toThrow(/personKey/);
    expect(() => newJob({ id: 'x', kind: 'checkin', personKey: 'p', dueAt: 'tomorrow' }, T0)).toThrow(RangeError);
    expect(() => newJob({ id: 'x', kind: 'checkin', personKey: 'p', dueAt: T0, payload: { big: 'x'.repeat(3000) } }, T0)).toThrow(/payload/);
    expect(() => validateJob({ ...makeJob(1), dueAt: '2026-03-10T22:00:00Z' })).toThrow(/dueAt/);
  });

  test('claim: running under a lease, attempts counted; expired lease → claimable again', () => {
    const claimed = claimJob(makeJob(1), 'i1', T0, 5 * 60_000);
    expect(claimed).toMatchObject({ status: 'running', attempts: 1, claimedBy: 'i1', claimedUntil: minutes(5).toISOString() });
    expect(isClaimable(claimed, minutes(4))).toBe(false);
    expect(isClaimable(claimed, minutes(5))).toBe(true);
    expect(isDue(claimed, minutes(10))).toBe(false);
  });

  test('retry backoff doubles from 1 min, capped at 1 h, with at most +20 % jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((a) => nextRetryAt(a, T0).getTime() - T0.getTime());
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60].map((m) => m * 60_000));
    for (let a = 1; a < 10; a++) {
      const d = nextRetryAt(a, T0, { jitterKey: 'job-9' }).getTime() - T0.getTime();
      const base = Math.min(60_000 * 2 ** (a - 1), RETRY_MAX_MS);
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThanOrEqual(Math.min(base * 1.2, RETRY_MAX_MS));
    }
  });

  test('retry: pending again with backoff or the asked time; failed at max attempts', () => {
    let job = claimJob(makeJob(1), 'i1', T0, 60_000);
    const retried = retryJob(job, T0, { error: 'Timeout while sending' });
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Timeout' });
    expect(retried.claimedBy).toBeUndefined();
    expect(Date.parse(retried.dueAt) - T0.getTime()).toBeGreaterThanOrEqual(60_000);
    expect(retryJob(job, T0, { retryAt: minutes(30) }).dueAt).toBe(minutes(30).toISOString());
    expect(retryJob(job, T0, { retryAt: minutes(-30) }).dueAt).toBe(T0.toISOString()); // never in the past
    for (let a = 1; a < DEFAULT_MAX_ATTEMPTS; a++) job = claimJob(retryJob(job, T0), 'i1', T0, 60_000);
    expect(job.attempts).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(retryJob(job, T0, { error: 'boom' })).toMatchObject({ status: 'failed', lastError: 'boom', finishedAt: T0.toISOString() });
    expect(retryJob(claimJob(makeJob(2), 'i', T0, 1), T0, { maxAttempts: 1 }).status).toBe('failed');
  });

  test('done, reschedule and cancel', () => {
    const running = claimJob(makeJob(1), 'i1', T0, 60_000);
    expect(completeJob(running, T0)).toMatchObject({ status: 'done', finishedAt: T0.toISOString() });
    const again = rescheduleJob({ ...running, lastError: 'x' }, minutes(60 * 24 * 3), T0, { n: 2 });
    expect(again).toMatchObject({ status: 'pending', attempts: 0, dueAt: minutes(60 * 24 * 3).toISOString(), payload: { n: 2 } });
    expect(again.lastError).toBeUndefined();
    expect(again.claimedUntil).toBeUndefined();
    expect(cancelJob(running, T0)).toMatchObject({ status: 'cancelled', finishedAt: T0.toISOString() });
  });

  test('error kinds are short tokens without message text or long numbers', () => {
    expect(sanitizeJobError('RestError 429: « je veux mourir »')).toBe('RestError');
    expect(sanitizeJobError('proactive_send:429')).toBe('proactive_send:429');
    expect(sanitizeJobError('tel:5145551234')).toBe('tel:#');
    expect(sanitizeJobError('x'.repeat(200))).toHaveLength(80);
    expect(sanitizeJobError('   ')).toBe('error');
    expect(sanitizeJobError('« je meurs »')).toBe('error');
  });
});
