/**
 * Escalation to a human: the record a crisis turn produces and the pure rules of its delivery
 * (retry backoff, reminders, acknowledgement). No SDK, no I/O: the outbox in bot/escalation does the
 * storing and sending and asks these functions what to do next.
 *
 * Hashing uses node:crypto only as a deterministic function (same input, same output), never for
 * randomness, so everything here stays reproducible in tests.
 */
import { createHmac } from 'node:crypto';
import { FALLBACK_LOCALE, normalizeLocale, type Locale } from '../i18n/locale';

export type EscalationLevel = 'crisis' | 'concern';

export interface ScoreSnapshot {
  readonly instrument: string; // e.g. 'PHQ-9', 'GAD-7', 'WSAS'
  readonly score: number;
  readonly band: string; // e.g. 'moderate', 'severe'
  readonly at: string; // ISO
}

export type EscalationTarget = { readonly kind: 'clinician'; readonly clinicianId: string } | { readonly kind: 'oncall' };

export interface Escalation {
  /** Deterministic from the triggering event: the same inbound message can never make two. */
  readonly id: string;
  /** Pseudonymous ('P-' + short HMAC of the user key): what the clinician sees and the outbox partition. */
  readonly personId: string;
  readonly level: EscalationLevel;
  readonly categories: readonly string[];
  /** ≤ 160 characters; the only piece of the person's words that leaves the conversation. */
  readonly excerpt: string;
  readonly createdAt: string;
  /** The person's locale (the card itself is rendered in the clinician's). */
  readonly locale: Locale;
  /** Answer to "are you safe right now?": true/false, null when asked but not answered, absent when not asked yet. */
  readonly saidSafe?: boolean | null;
  readonly latestScores?: readonly ScoreSnapshot[];
  readonly plan?: { readonly steps: readonly string[] };
  readonly target: EscalationTarget;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'acknowledged' | 'failed';
export type Destination = 'primary' | 'backup';

/**
 * Where one escalation's delivery stands.
 * - pending: no human reached yet; attempts continue with backoff (primary, then backup).
 * - delivered: an alert landed (see deliveredVia); reminders run until acknowledged.
 * - acknowledged: a clinician took it; nothing more to do.
 * - failed: every channel refused permanently (e.g. bot removed, webhook 4xx). Not dropped: retried
 *   at the backoff cap until `giveUpAt`, and reported as an error on every pass.
 */
export interface DeliveryState {
  readonly status: DeliveryStatus;
  /** Alert passes made so far (one pass = primary, plus backup when the primary is out). */
  readonly attempts: number;
  /** When the next alert pass is due (meaningful while pending/failed). */
  readonly nextAttemptAt: string;
  readonly deliveredAt?: string;
  readonly deliveredVia?: Destination;
  readonly channelMessageId?: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly remindersSent: number;
  readonly lastReminderAt?: string;
  /** Set after a reminder could not be sent: the next try waits for it (backoff). */
  readonly reminderRetryAt?: string;
  readonly reminderFailures?: number;
  /** The primary destination refused permanently: later passes go straight to the backup. */
  readonly primaryFailed?: boolean;
  readonly failedAt?: string;
  /** Status codes and error kinds only, never personal data or message text. */
  readonly lastError?: string;
}

export const DEFAULT_ACK_MINUTES = 15;
export const DEFAULT_MAX_REMINDERS = 4;
export const EXCERPT_MAX_CHARS = 160;
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;
/** Retrying a crisis alert for days helps nobody; a failed record stays visible after that. */
export const DEFAULT_GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

// ---------------------------------------------------------------------------------------------
// Identifiers

function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/** 'P-' + 12 hex of HMAC(secret, userKey): stable per person, not reversible without the secret. */
export function pseudonymousPersonId(secret: string, userKey: string): string {
  if (!secret) throw new TypeError('pseudonymousPersonId: a secret is required');
  return `P-${hmacHex(secret, `person\u0000${userKey}`).slice(0, 12).toUpperCase()}`;
}

/**
 * 'E-' + 24 hex of HMAC(secret, personKey + event id). Keyed, so the id shown to clinicians and
 * external systems cannot be matched back to a user key by hashing candidates.
 */
export function escalationIdFor(secret: string, personKey: string, eventId: string): string {
  if (!secret) throw new TypeError('escalationIdFor: a secret is required');
  if (!eventId) throw new TypeError('escalationIdFor: the triggering event id is required');
  return `E-${hmacHex(secret, `escalation\u0000${personKey}\u0000${eventId}`).slice(0, 24)}`;
}

// ---------------------------------------------------------------------------------------------
// Excerpt

/**
 * Whitespace collapsed, control characters removed, at most 160 characters (code points, so an
 * emoji is never cut in half), cut at a word boundary and ended with '…' when shortened.
 */
export function excerptOf(text: string, maxChars = EXCERPT_MAX_CHARS): string {
  const clean = (text ?? '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = Array.from(clean);
  if (chars.length <= maxChars) return clean;
  const room = chars.slice(0, maxChars - 1); // one slot for the ellipsis
  let cut = room.length;
  const lastSpace = room.lastIndexOf(' ');
  // Only back up to a space when it does not throw away most of the text (one very long word).
  if (lastSpace >= Math.floor((maxChars - 1) / 2)) cut = lastSpace;
  const head = room
    .slice(0, cut)
    .join('')
    .replace(/[\s,;:.\-–—]+$/u, '');
  return `${head}…`;
}

// ---------------------------------------------------------------------------------------------
// Building

export interface BuildEscalationInput {
  /** Pseudonym secret (config.pseudonymSecret). */
  readonly secret: string;
  /** The stable user key (e.g. channel + user id); never stored in the escalation itself. */
  readonly personKey: string;
  /** The triggering inbound activity's id. */
  readonly eventId: string;
  readonly level: EscalationLevel;
  readonly categories: readonly string[];
  /** The triggering message; only its excerpt is kept. */
  readonly text: string;
  readonly createdAt: Date | string;
  readonly locale?: string;
  readonly saidSafe?: boolean | null;
  readonly latestScores?: readonly ScoreSnapshot[];
  readonly planSteps?: readonly string[];
  /** The linked clinician, when there is one; otherwise the on-call channel is the target. */
  readonly clinicianId?: string | null;
}

export function buildEscalation(input: BuildEscalationInput): Escalation {
  const createdAt = toIso(input.createdAt);
  const categories = [...new Set(input.categories.map((c) => c.trim()).filter(Boolean))];
  const steps = (input.planSteps ?? []).map((s) => excerptOf(s, 120)).filter(Boolean).slice(0, 5);
  const escalation: Escalation = {
    id: escalationIdFor(input.secret, input.personKey, input.eventId),
    personId: pseudonymousPersonId(input.secret, input.personKey),
    level: input.level,
    categories,
    excerpt: excerptOf(input.text),
    createdAt,
    locale: normalizeLocale(input.locale) ?? FALLBACK_LOCALE,
    target: input.clinicianId ? { kind: 'clinician', clinicianId: input.clinicianId } : { kind: 'oncall' },
    ...(input.saidSafe !== undefined ? { saidSafe: input.saidSafe } : {}),
    ...(input.latestScores && input.latestScores.length > 0 ? { latestScores: input.latestScores.slice(0, 6).map((s) => ({ ...s })) } : {}),
    ...(steps.length > 0 ? { plan: { steps } } : {}),
  };
  return escalation;
}

// ---------------------------------------------------------------------------------------------
// Timing rules

/**
 * Delay before the next pass after `attempts` failed ones: 5 s, 10 s, 20 s, 40 s … capped at 5 min.
 * `jitter` in [0, 1) adds up to +20 % (deterministic: the caller derives it, e.g. from the id) so
 * that many records failing together do not retry in lockstep.
 */
export function nextAttemptDelayMs(
  attempts: number,
  options: { baseMs?: number; maxMs?: number; jitter?: number } = {},
): number {
  const base = options.baseMs ?? BACKOFF_BASE_MS;
  const max = options.maxMs ?? BACKOFF_MAX_MS;
  if (!Number.isFinite(attempts) || attempts <= 0) return 0;
  const exponent = Math.min(Math.floor(attempts) - 1, 30); // 2^30 × base is far past any cap
  const raw = Math.min(base * 2 ** exponent, max);
  const jitter = Math.min(Math.max(options.jitter ?? 0, 0), 0.999);
  return Math.min(Math.round(raw * (1 + 0.2 * jitter)), max);
}

/** A stable number in [0, 1) from a string, for deterministic jitter. */
export function jitterOf(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * When the next reminder is due for a delivered, unacknowledged escalation: ackMinutes after the
 * delivery, then every ackMinutes after the previous reminder, up to `maxReminders`; a failed
 * reminder waits for its retry time. Undefined when no reminder is (or will be) due.
 */
export function nextReminderAt(
  state: DeliveryState,
  ackMinutes = DEFAULT_ACK_MINUTES,
  maxReminders = DEFAULT_MAX_REMINDERS,
): string | undefined {
  if (state.status !== 'delivered' || !state.deliveredAt || state.acknowledgedAt) return undefined;
  if (state.remindersSent >= maxReminders) return undefined;
  const from = Date.parse(state.lastReminderAt ?? state.deliveredAt);
  if (Number.isNaN(from)) return undefined;
  const due = from + ackMinutes * 60_000;
  const retry = state.reminderRetryAt ? Date.parse(state.reminderRetryAt) : Number.NaN;
  return new Date(Number.isNaN(retry) ? due : Math.max(due, retry)).toISOString();
}

/** Delivered, not acknowledged, and ESCALATION_ACK_MINUTES (default 15) have passed → remind + backup channel. */
export function needsReminder(
  state: DeliveryState,
  now: Date | string,
  ackMinutes = DEFAULT_ACK_MINUTES,
  maxReminders = DEFAULT_MAX_REMINDERS,
): boolean {
  const due = nextReminderAt(state, ackMinutes, maxReminders);
  return due !== undefined && due <= toIso(now);
}

// ---------------------------------------------------------------------------------------------
// State transitions (pure; the outbox applies them under an ETag compare-and-swap)

export function initialDeliveryState(now: Date | string): DeliveryState {
  return { status: 'pending', attempts: 0, nextAttemptAt: toIso(now), remindersSent: 0 };
}

export function markDelivered(state: DeliveryState, at: Date | string, via: Destination, channelMessageId?: string): DeliveryState {
  if (state.deliveredAt) return state; // the first delivery is the one on record
  const next: DeliveryState = {
    ...state,
    status: state.status === 'acknowledged' ? 'acknowledged' : 'delivered',
    attempts: state.attempts + 1,
    deliveredAt: toIso(at),
    deliveredVia: via,
    ...(channelMessageId ? { channelMessageId } : {}),
  };
  return next;
}

/**
 * One alert pass failed. `permanent` means every destination tried in that pass refused for good
 * (status 'failed'); retries continue at backoff either way, so nothing is dropped.
 */
export function markAttemptFailed(
  state: DeliveryState,
  at: Date | string,
  error: string,
  outcome: { primaryRefused: boolean; permanent: boolean; jitter?: number },
): DeliveryState {
  if (state.deliveredAt || state.status === 'acknowledged') return state;
  const attempts = state.attempts + 1;
  const atIso = toIso(at);
  const delay = outcome.permanent ? BACKOFF_MAX_MS : nextAttemptDelayMs(attempts, { jitter: outcome.jitter });
  return {
    ...state,
    status: outcome.permanent ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: new Date(Date.parse(atIso) + delay).toISOString(),
    lastError: sanitizeError(error),
    ...(outcome.primaryRefused ? { primaryFailed: true } : {}),
    ...(outcome.permanent && !state.failedAt ? { failedAt: atIso } : {}),
  };
}

export function markReminderSent(state: DeliveryState, at: Date | string): DeliveryState {
  const { reminderRetryAt: _retry, reminderFailures: _failures, ...rest } = state;
  return { ...rest, remindersSent: state.remindersSent + 1, lastReminderAt: toIso(at) };
}

export function markReminderFailed(state: DeliveryState, at: Date | string, error: string): DeliveryState {
  const failures = (state.reminderFailures ?? 0) + 1;
  const retryAt = new Date(Date.parse(toIso(at)) + nextAttemptDelayMs(failures)).toISOString();
  return { ...state, reminderFailures: failures, reminderRetryAt: retryAt, lastError: sanitizeError(error) };
}

/** Idempotent: the first acknowledgement wins and is kept. */
export function markAcknowledged(state: DeliveryState, by: string, at: Date | string): DeliveryState {
  if (state.status === 'acknowledged') return state;
  return { ...state, status: 'acknowledged', acknowledgedAt: toIso(at), acknowledgedBy: by };
}

/**
 * Merges two views of the same escalation's delivery (the store's and a local spool file written
 * while the store was down, or ours and a concurrent writer's), keeping every fact either side
 * learned: an acknowledgement beats a delivery, a delivery beats a pending/failed state; retry timing
 * comes from the side that made more attempts (it knows the current backoff).
 */
export function mergeDeliveryStates(a: DeliveryState, b: DeliveryState): DeliveryState {
  const first = <K extends keyof DeliveryState>(key: K, pick: (x: string, y: string) => boolean) => {
    const x = a[key] as string | undefined;
    const y = b[key] as string | undefined;
    if (x && y) return pick(x, y) ? a : b;
    return x ? a : y ? b : undefined;
  };
  const deliveredFrom = first('deliveredAt', (x, y) => x <= y);
  const ackFrom = first('acknowledgedAt', (x, y) => x <= y);
  const lastReminder = first('lastReminderAt', (x, y) => x >= y);
  const attemptsFrom = a.attempts >= b.attempts ? a : b;
  const reminderFrom =
    a.remindersSent !== b.remindersSent ? (a.remindersSent > b.remindersSent ? a : b) : (a.reminderFailures ?? 0) >= (b.reminderFailures ?? 0) ? a : b;
  const status: DeliveryStatus = ackFrom ? 'acknowledged' : deliveredFrom ? 'delivered' : attemptsFrom.status;
  return dropUndefined<DeliveryState>({
    status,
    attempts: attemptsFrom.attempts,
    nextAttemptAt: attemptsFrom.nextAttemptAt,
    deliveredAt: deliveredFrom?.deliveredAt,
    deliveredVia: deliveredFrom?.deliveredVia,
    channelMessageId: deliveredFrom?.channelMessageId,
    acknowledgedAt: ackFrom?.acknowledgedAt,
    acknowledgedBy: ackFrom?.acknowledgedBy,
    remindersSent: reminderFrom.remindersSent,
    lastReminderAt: lastReminder?.lastReminderAt,
    reminderRetryAt: reminderFrom.reminderRetryAt,
    reminderFailures: reminderFrom.reminderFailures,
    primaryFailed: a.primaryFailed || b.primaryFailed || undefined,
    failedAt: first('failedAt', (x, y) => x <= y)?.failedAt,
    lastError: attemptsFrom.lastError ?? a.lastError ?? b.lastError,
  });
}

/** Error texts that leave the process or reach storage: short, one line, no digits runs that could be ids/phones. */
export function sanitizeError(error: string): string {
  return String(error)
    .replace(/\s+/g, ' ')
    .replace(/\d{7,}/g, '#')
    .slice(0, 120);
}

export function toIso(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return date.toISOString();
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
