/**
 * Local-time recurrence for check-ins and measures, DST-safe, with Intl only (no date library).
 *
 * A rule says "these weekdays at HH:MM in this IANA time zone": 18:00 in America/Toronto stays 18:00
 * on the wall clock across DST changes. Wall times the clock skips (spring forward) move to the
 * next valid minute (02:30 → 03:00); wall times it shows twice (fall back) use the first one
 * (daylight time). Quiet hours push a time to their end; a pause gives the first regular
 * occurrence at or after the pause ends.
 */

export interface QuietHours {
  /** 'HH:MM' local; start > end means the quiet period crosses midnight (e.g. 21:00–08:00). */
  readonly start: string;
  readonly end: string;
}

export interface RecurrenceRule {
  /** Weekdays, 0 = Sunday … 6 = Saturday (JavaScript's getDay). */
  readonly days: readonly number[];
  /** 'HH:MM', 24-hour, local to `timeZone`. */
  readonly time: string;
  /** IANA name, e.g. America/Toronto (Quebec's zone; America/Montreal is an alias of it). */
  readonly timeZone: string;
  readonly quietHours?: QuietHours;
  /** ISO instant: nothing happens before it. */
  readonly pausedUntil?: string;
}

export const DEFAULT_TIME_ZONE = 'America/Toronto';
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/**
 * Two check-ins a week, Tuesday and Friday at 18:00 local: three or four days apart (a step tried
 * early in the week is reviewed before the weekend), after work or school, and clear of Monday
 * mornings and weekends when routines differ. The person can change all of it in settings.
 */
export const DEFAULT_CHECKIN_SCHEDULE: RecurrenceRule = {
  days: [2, 5],
  time: '18:00',
  timeZone: DEFAULT_TIME_ZONE,
  quietHours: DEFAULT_QUIET_HOURS,
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** At most one snooze of a week: longer is a pause, not a snooze. */
export const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

/** The first occurrence strictly after `after` (and at or after `pausedUntil`). */
export function nextOccurrence(rule: RecurrenceRule, after: Date): Date {
  const { days, minutes, quiet, pausedMs } = checkRule(rule);
  const afterMs = after.getTime();
  if (Number.isNaN(afterMs)) throw new RangeError('after must be a valid date');
  const from = Math.max(afterMs, pausedMs);
  const start = wallOf(from, rule.timeZone);
  let best = Number.POSITIVE_INFINITY;
  // From the day before (yesterday's late time may be pushed into today by quiet hours) to 8 days on.
  for (let i = -1; i <= 8; i++) {
    const date = addDays(start, i);
    if (!days.has(weekdayOf(date))) continue;
    let at = resolveLocal({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, rule.timeZone);
    if (quiet) at = outOfQuietHours(at, rule.timeZone, quiet);
    if (at > afterMs && at >= pausedMs && at < best) best = at;
  }
  if (!Number.isFinite(best)) throw new RangeError('no occurrence found'); // unreachable with a non-empty `days`
  return new Date(best);
}

/** `now` + `minutes`, pushed out of quiet hours when they are given. */
export function snooze(now: Date, minutes: number, options?: { timeZone: string; quietHours?: QuietHours }): Date {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SNOOZE_MINUTES) {
    throw new RangeError(`snooze minutes must be a whole number from 1 to ${MAX_SNOOZE_MINUTES}`);
  }
  const at = now.getTime() + minutes * MINUTE;
  if (Number.isNaN(at)) throw new RangeError('now must be a valid date');
  if (!options?.quietHours) return new Date(at);
  assertTimeZone(options.timeZone);
  return new Date(outOfQuietHours(at, options.timeZone, quietMinutes(options.quietHours)));
}

/** The wall clock of an instant in a zone: for logs, tests and "which local day is it". */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string; weekday: number } {
  assertTimeZone(timeZone);
  const w = wallOf(instant.getTime(), timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}`, weekday: weekdayOf(w) };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

interface CivilDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number;
}
interface Wall extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function checkRule(rule: RecurrenceRule): { days: Set<number>; minutes: number; quiet?: [number, number]; pausedMs: number } {
  if (!Array.isArray(rule.days) || rule.days.length === 0 || !rule.days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
    throw new RangeError('days must be a non-empty list of weekdays 0–6');
  }
  assertTimeZone(rule.timeZone);
  let pausedMs = Number.NEGATIVE_INFINITY;
  if (rule.pausedUntil !== undefined) {
    pausedMs = new Date(rule.pausedUntil).getTime();
    if (Number.isNaN(pausedMs)) throw new RangeError('pausedUntil must be an ISO date');
  }
  return { days: new Set(rule.days), minutes: parseTime(rule.time, 'time'), quiet: rule.quietHours ? quietMinutes(rule.quietHours) : undefined, pausedMs };
}

function quietMinutes(quiet: QuietHours): [number, number] | undefined {
  const start = parseTime(quiet.start, 'quietHours.start');
  const end = parseTime(quiet.end, 'quietHours.end');
  return start === end ? undefined : [start, end]; // an empty period, not a whole day of silence
}

function parseTime(value: string, field: string): number {
  const match = typeof value === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!match) throw new RangeError(`${field} must be 'HH:MM' (00:00–23:59)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function assertTimeZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) throw new RangeError('timeZone must be an IANA time zone name');
}

/** Inside quiet hours → their end (the same local day, or the next one for the evening part of a period crossing midnight). */
function outOfQuietHours(at: number, timeZone: string, quiet: [number, number] | undefined): number {
  if (!quiet) return at;
  const [start, end] = quiet;
  const w = wallOf(at, timeZone);
  const m = w.hour * 60 + w.minute;
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return at;
  const date = start > end && m >= start ? addDays(w, 1) : w;
  return resolveLocal({ year: date.year, month: date.month, day: date.day, hour: Math.floor(end / 60), minute: end % 60, second: 0 }, timeZone);
}

/**
 * The instant a wall time names in a zone. Candidates come from the offsets in force a day either
 * side (any DST change near the wall time shows up there); of those that really show this wall
 * time, the earliest wins (fall back: first occurrence). None does in a spring-forward gap: then
 * the first instant whose wall time is past it, found by bisection between the two candidates.
 */
function resolveLocal(wall: CivilDate & { hour: number; minute: number; second?: number }, timeZone: string): number {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = new Set([offsetAt(target - DAY, timeZone), offsetAt(target, timeZone), offsetAt(target + DAY, timeZone)]);
  const candidates = [...offsets].map((o) => target - o);
  const exact = candidates.filter((t) => wallKey(t, timeZone) === target).sort((a, b) => a - b);
  if (exact.length > 0) return exact[0];
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  if (!(wallKey(lo, timeZone) < target && wallKey(hi, timeZone) > target)) return hi; // defensive: not a simple gap
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallKey(mid, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The wall time of an instant as a UTC-like number, to the minute (comparable with `target`). */
function wallKey(ms: number, timeZone: string): number {
  const w = wallOf(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

/** Local minus UTC, in ms, at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallOf(ms, timeZone);
  const seconds = Math.floor(ms / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter is the expensive part of Intl: one per zone, kept. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallOf(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

function addDays(date: CivilDate, n: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function weekdayOf(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
