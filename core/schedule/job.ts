/**
 * Due work between sessions (check-in reminders, measures, crisis follow-ups, summaries, retention
 * sweeps) as plain records, and the rules of their life cycle. No SDK, no I/O: the job store in
 * bot/scheduler persists them and claims them with an ETag compare-and-swap.
 *
 * Life cycle: pending → (claim) running → done | pending again (retry, reschedule) | failed.
 * Anything not finished can be cancelled. `attempts` counts claims, so a job whose run crashes the
 * process (lease expires, another instance reclaims it) still reaches `failed` after MAX attempts
 * instead of looping forever.
 *
 * Privacy (Law 25): `payload` holds ids, numbers and short codes only — never message text — and
 * `lastError` is a short error kind, never an error message (which can echo content).
 */
import { jitterOf } from '../escalation/escalation';

export type JobKind = 'crisis_followup' | 'checkin' | 'measure' | 'summary' | 'retention' | (string & {});
export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  /** Unique within the person's jobs; deterministic ids (e.g. `checkin`, `crisis_followup:E-…`) make scheduling idempotent. */
  readonly id: string;
  readonly kind: JobKind;
  /** Whose job it is (the storage partition); system-wide jobs use a fixed key such as `system`. */
  readonly personKey: string;
  /** When to run (pending); for other states, the last due time. ISO 8601, UTC, from toISOString. */
  readonly dueAt: string;
  readonly status: JobStatus;
  /** Claims so far (runs started), reset by a reschedule. */
  readonly attempts: number;
  readonly lastError?: string;
  readonly claimedBy?: string;
  /** Lease end while running: past it, the job may be reclaimed (its instance is presumed dead). */
  readonly claimedUntil?: string;
  /** Set on done, failed and cancelled: what the retention sweep purges by. */
  readonly finishedAt?: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt?: string;
}

export interface NewJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly personKey: string;
  readonly dueAt: Date | string;
  readonly payload?: Readonly<Record<string, unknown>>;
}

/** 6 claims: first run + 5 retries (1, 2, 4, 8, 16 min) ≈ 31 min of trying before `failed`. */
export const DEFAULT_MAX_ATTEMPTS = 6;
export const RETRY_BASE_MS = 60_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** Payloads are small references (ids, counters), bounded so a job document stays tiny. */
export const MAX_PAYLOAD_CHARS = 2_000;
export const MAX_JOB_ID_CHARS = 200;

const FINISHED: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);
const STATUSES: ReadonlySet<string> = new Set(['pending', 'running', 'done', 'failed', 'cancelled']);

export function newJob(input: NewJob, now: Date): Job {
  const job: Job = {
    id: input.id,
    kind: input.kind,
    personKey: input.personKey,
    dueAt: toIso(input.dueAt),
    status: 'pending',
    attempts: 0,
    payload: input.payload ?? {},
    createdAt: now.toISOString(),
  };
  validateJob(job);
  return job;
}

/** Throws a TypeError naming the broken field (never its value). */
export function validateJob(job: Job): void {
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!nonEmpty(job.id) || job.id.length > MAX_JOB_ID_CHARS) throw new TypeError('job.id must be a non-empty string of at most 200 characters');
  if (!nonEmpty(job.kind)) throw new TypeError('job.kind must be a non-empty string');
  if (!nonEmpty(job.personKey)) throw new TypeError('job.personKey must be a non-empty string');
  if (!isIso(job.dueAt)) throw new TypeError('job.dueAt must be an ISO date from toISOString');
  if (!STATUSES.has(job.status)) throw new TypeError('job.status is not a known status');
  if (!Number.isInteger(job.attempts) || job.attempts < 0) throw new TypeError('job.attempts must be a non-negative integer');
  if (job.payload === null || typeof job.payload !== 'object' || Array.isArray(job.payload)) throw new TypeError('job.payload must be an object');
  if (JSON.stringify(job.payload).length > MAX_PAYLOAD_CHARS) throw new TypeError(`job.payload must stay under ${MAX_PAYLOAD_CHARS} characters of JSON`);
}

/** A stored body that looks like a job (stores hold JSON written by anyone; never trust it blindly). */
export function isJob(value: unknown): value is Job {
  if (value === null || typeof value !== 'object') return false;
  const j = value as Partial<Job>;
  return typeof j.id === 'string' && typeof j.kind === 'string' && typeof j.personKey === 'string' && typeof j.dueAt === 'string' &&
    typeof j.status === 'string' && STATUSES.has(j.status) && typeof j.attempts === 'number' && typeof j.payload === 'object' && j.payload !== null;
}

export function isFinished(job: Job): boolean {
  return FINISHED.has(job.status);
}

export function isDue(job: Job, now: Date): boolean {
  return job.status === 'pending' && job.dueAt <= now.toISOString();
}

/** Due, or running under a lease that has expired (its instance crashed or hung). */
export function isClaimable(job: Job, now: Date): boolean {
  if (isDue(job, now)) return true;
  return job.status === 'running' && (job.claimedUntil === undefined || job.claimedUntil <= now.toISOString());
}

export function hasLiveClaim(job: Job, now: Date): boolean {
  return job.status === 'running' && job.claimedUntil !== undefined && job.claimedUntil > now.toISOString();
}

/**
 * Delay after the `attempts`-th failed run: 1, 2, 4, 8 … min, capped at 1 h, plus up to 20 %
 * deterministic jitter (from `jitterKey`, e.g. the job id) so jobs failing together spread out.
 */
export function nextRetryAt(attempts: number, now: Date, options: { baseMs?: number; maxMs?: number; jitterKey?: string } = {}): Date {
  const base = options.baseMs ?? RETRY_BASE_MS;
  const max = options.maxMs ?? RETRY_MAX_MS;
  const exponent = Math.min(Math.max(Math.floor(attempts), 1) - 1, 30);
  const raw = Math.min(base * 2 ** exponent, max);
  const jitter = options.jitterKey === undefined ? 0 : jitterOf(`${options.jitterKey}:${attempts}`);
  return new Date(now.getTime() + Math.min(Math.round(raw * (1 + 0.2 * jitter)), max));
}

export function claimJob(job: Job, instanceId: string, now: Date, leaseMs: number): Job {
  const { finishedAt: _f, ...rest } = job;
  return { ...rest, status: 'running', attempts: job.attempts + 1, claimedBy: instanceId, claimedUntil: new Date(now.getTime() + leaseMs).toISOString(), updatedAt: now.toISOString() };
}

export function completeJob(job: Job, now: Date): Job {
  return { ...unclaimed(job, now), status: 'done', finishedAt: now.toISOString() };
}

export function failJob(job: Job, now: Date, error: string): Job {
  return { ...unclaimed(job, now), status: 'failed', lastError: sanitizeJobError(error), finishedAt: now.toISOString() };
}

/** A failed run: pending again at `retryAt` (or the backoff), or `failed` once attempts reach `maxAttempts`. */
export function retryJob(job: Job, now: Date, outcome: { error?: string; retryAt?: Date; maxAttempts?: number } = {}): Job {
  const error = sanitizeJobError(outcome.error ?? 'retry');
  if (job.attempts >= (outcome.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return failJob(job, now, error);
  const backoff = nextRetryAt(job.attempts, now, { jitterKey: `${job.personKey}/${job.id}` });
  const at = outcome.retryAt && !Number.isNaN(outcome.retryAt.getTime()) ? new Date(Math.max(outcome.retryAt.getTime(), now.getTime())) : backoff;
  return { ...unclaimed(job, now), status: 'pending', dueAt: at.toISOString(), lastError: error };
}

/** The run succeeded and the job recurs: pending at `dueAt` with a fresh attempt budget. */
export function rescheduleJob(job: Job, dueAt: Date, now: Date, payload?: Readonly<Record<string, unknown>>): Job {
  const { lastError: _e, ...rest } = unclaimed(job, now);
  const next: Job = { ...rest, status: 'pending', attempts: 0, dueAt: toIso(dueAt), payload: payload ?? job.payload };
  validateJob(next);
  return next;
}

export function cancelJob(job: Job, now: Date): Job {
  return { ...unclaimed(job, now), status: 'cancelled', finishedAt: now.toISOString() };
}

/**
 * Error kinds only: the leading token of letters, digits and `_:.-` (so a sentence, should one be
 * passed, stops at its first word), long digit runs masked, at most 80 characters.
 */
export function sanitizeJobError(error: string): string {
  const token = /^[A-Za-z0-9_:.-]+/.exec(String(error).trim())?.[0] ?? '';
  return token.replace(/\d{7,}/g, '#').slice(0, 80) || 'error';
}

export function toIso(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return date.toISOString();
}

function unclaimed(job: Job, now: Date): Job {
  const { claimedBy: _b, claimedUntil: _u, finishedAt: _f, ...rest } = job;
  return { ...rest, updatedAt: now.toISOString() };
}

function isIso(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}
