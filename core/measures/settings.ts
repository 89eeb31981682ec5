/**
 * A person's between-sessions settings: when check-ins come (days, time, time zone, quiet hours),
 * a pause, and how often the questionnaires come (every two weeks by default; the person or their
 * clinician may change it). Pure rules; the timing itself is core/schedule/recurrence (DST-safe).
 */
import type { Locale } from '../i18n/locale';
import { DEFAULT_CHECKIN_SCHEDULE, DEFAULT_QUIET_HOURS, isValidTimeZone, nextOccurrence, type QuietHours, type RecurrenceRule } from '../schedule/recurrence';
import { FULL_INSTRUMENTS, isInstrumentId, type InstrumentId } from './instruments';

export const DEFAULT_MEASURE_EVERY_DAYS = 14;
export const MIN_MEASURE_EVERY_DAYS = 7;
export const MAX_MEASURE_EVERY_DAYS = 56;
/** The questionnaires asked together at each measure point. */
export const DEFAULT_MEASURE_INSTRUMENTS: readonly InstrumentId[] = FULL_INSTRUMENTS;
/** A questionnaire answered this many days before it was due still counts for this time. */
export const MEASURE_SLACK_DAYS = 2;

const DAY_MS = 24 * 60 * 60 * 1000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface CheckinTiming {
  /** Weekdays, 0 = Sunday … 6 = Saturday. */
  readonly days: readonly number[];
  /** 'HH:MM' local. */
  readonly time: string;
  readonly timeZone: string;
  /** None: no quiet hours. */
  readonly quietHours?: QuietHours;
}

export interface MeasureCadence {
  readonly everyDays: number;
  readonly instruments: readonly InstrumentId[];
  /** Who chose the cadence last. */
  readonly setBy: 'default' | 'person' | 'clinician';
}

export interface BetweenSettings {
  readonly version: 1;
  readonly checkin: CheckinTiming;
  /** Paused since `since`; until `until`, or until the person resumes when there is none. */
  readonly pause?: { readonly since: string; readonly until?: string };
  readonly measures: MeasureCadence;
  /** The language of proactive messages (the person's choice; else the channel's). */
  readonly locale?: Locale;
  /** The last reminder sent and not answered yet (what "Plus tard" snoozes). */
  readonly lastPrompt?: { readonly kind: 'checkin' | 'measure'; readonly at: string };
  readonly updatedAt: string;
}

export function defaultSettings(now: Date, options: { timeZone?: string; locale?: Locale } = {}): BetweenSettings {
  const timeZone = options.timeZone && isValidTimeZone(options.timeZone) ? options.timeZone : DEFAULT_CHECKIN_SCHEDULE.timeZone;
  return {
    version: 1,
    checkin: { days: [...DEFAULT_CHECKIN_SCHEDULE.days], time: DEFAULT_CHECKIN_SCHEDULE.time, timeZone, quietHours: DEFAULT_CHECKIN_SCHEDULE.quietHours ?? DEFAULT_QUIET_HOURS },
    measures: { everyDays: DEFAULT_MEASURE_EVERY_DAYS, instruments: [...DEFAULT_MEASURE_INSTRUMENTS], setBy: 'default' },
    ...(options.locale ? { locale: options.locale } : {}),
    updatedAt: now.toISOString(),
  };
}

function touch(settings: BetweenSettings, now: Date): BetweenSettings {
  return { ...settings, updatedAt: now.toISOString() };
}

export function isValidDays(days: unknown): days is number[] {
  return Array.isArray(days) && days.length > 0 && days.length <= 7 && days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6) && new Set(days).size === days.length;
}

export function isValidTime(time: unknown): time is string {
  return typeof time === 'string' && TIME.test(time);
}

export function setCheckinDays(settings: BetweenSettings, days: readonly number[], now: Date): BetweenSettings {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (!isValidDays(sorted)) throw new RangeError('days must be weekdays 0–6, at least one');
  return touch({ ...settings, checkin: { ...settings.checkin, days: sorted } }, now);
}

export function setCheckinTime(settings: BetweenSettings, time: string, now: Date): BetweenSettings {
  if (!isValidTime(time)) throw new RangeError("time must be 'HH:MM'");
  return touch({ ...settings, checkin: { ...settings.checkin, time } }, now);
}

export function setTimeZone(settings: BetweenSettings, timeZone: string, now: Date): BetweenSettings {
  if (!isValidTimeZone(timeZone)) throw new RangeError('timeZone must be an IANA time zone name');
  return touch({ ...settings, checkin: { ...settings.checkin, timeZone } }, now);
}

/** Quiet hours, or none (undefined). */
export function setQuietHours(settings: BetweenSettings, quietHours: QuietHours | undefined, now: Date): BetweenSettings {
  if (quietHours && (!isValidTime(quietHours.start) || !isValidTime(quietHours.end))) throw new RangeError("quiet hours must be 'HH:MM' to 'HH:MM'");
  const { quietHours: _old, ...checkin } = settings.checkin;
  return touch({ ...settings, checkin: quietHours ? { ...checkin, quietHours } : checkin }, now);
}

/** Pauses check-ins and questionnaires, until `until` or until resumed. */
export function pauseSettings(settings: BetweenSettings, now: Date, until?: Date): BetweenSettings {
  if (until && (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime())) throw new RangeError('a pause must end in the future');
  return touch({ ...settings, pause: until ? { since: now.toISOString(), until: until.toISOString() } : { since: now.toISOString() } }, now);
}

export function resumeSettings(settings: BetweenSettings, now: Date): BetweenSettings {
  if (!settings.pause) return settings;
  const { pause: _p, ...rest } = settings;
  return touch(rest, now);
}

export function isPaused(settings: BetweenSettings, now: Date): boolean {
  if (!settings.pause) return false;
  if (!settings.pause.until) return true;
  return Date.parse(settings.pause.until) > now.getTime();
}

/** Every `everyDays` days (7–56), optionally with another set of questionnaires. Throws on values out of range. */
export function setMeasureCadence(settings: BetweenSettings, cadence: { everyDays: number; instruments?: readonly InstrumentId[] }, by: 'person' | 'clinician', now: Date): BetweenSettings {
  const { everyDays } = cadence;
  if (!Number.isInteger(everyDays) || everyDays < MIN_MEASURE_EVERY_DAYS || everyDays > MAX_MEASURE_EVERY_DAYS) {
    throw new RangeError(`everyDays must be a whole number from ${MIN_MEASURE_EVERY_DAYS} to ${MAX_MEASURE_EVERY_DAYS}`);
  }
  const instruments = cadence.instruments ?? settings.measures.instruments;
  if (!instruments.length || !instruments.every(isInstrumentId)) throw new RangeError('instruments must be a non-empty list of known questionnaires');
  return touch({ ...settings, measures: { everyDays, instruments: [...new Set(instruments)], setBy: by } }, now);
}

export function setLocale(settings: BetweenSettings, locale: Locale, now: Date): BetweenSettings {
  return settings.locale === locale ? settings : touch({ ...settings, locale }, now);
}

export function notePrompt(settings: BetweenSettings, kind: 'checkin' | 'measure', now: Date): BetweenSettings {
  return touch({ ...settings, lastPrompt: { kind, at: now.toISOString() } }, now);
}

export function clearPrompt(settings: BetweenSettings, now: Date): BetweenSettings {
  if (!settings.lastPrompt) return settings;
  const { lastPrompt: _l, ...rest } = settings;
  return touch(rest, now);
}

/** The check-in recurrence (with the pause's end, when it has one). */
export function checkinRule(settings: BetweenSettings): RecurrenceRule {
  const { days, time, timeZone, quietHours } = settings.checkin;
  return {
    days,
    time,
    timeZone,
    ...(quietHours ? { quietHours } : {}),
    ...(settings.pause?.until ? { pausedUntil: settings.pause.until } : {}),
  };
}

/** The next check-in strictly after `after`. */
export function nextCheckinAt(settings: BetweenSettings, after: Date): Date {
  return nextOccurrence(checkinRule(settings), after);
}

/**
 * The next questionnaire reminder: the first check-in slot at least `everyDays` days (less half a
 * day, so the same weekday and time qualifies) after the last time they were all answered, and
 * never before `now`. Never answered → the next check-in slot.
 */
export function nextMeasureAt(settings: BetweenSettings, lastCompletedAt: string | undefined, now: Date): Date {
  const last = lastCompletedAt ? Date.parse(lastCompletedAt) : Number.NaN;
  const earliest = Number.isNaN(last) ? now.getTime() : Math.max(now.getTime(), last + settings.measures.everyDays * DAY_MS - DAY_MS / 2);
  return nextOccurrence(checkinRule(settings), new Date(earliest));
}

/** The questionnaires are due: never all answered, or last answered at least `everyDays − MEASURE_SLACK_DAYS` days ago. */
export function isMeasureDue(settings: BetweenSettings, lastCompletedAt: string | undefined, now: Date): boolean {
  if (!lastCompletedAt) return true;
  const last = Date.parse(lastCompletedAt);
  if (Number.isNaN(last)) return true;
  return now.getTime() - last >= (settings.measures.everyDays - MEASURE_SLACK_DAYS) * DAY_MS;
}

/** A stored settings document checked field by field; unusable parts fall back to the defaults. */
export function normalizeSettings(raw: unknown, now: Date): BetweenSettings {
  const base = defaultSettings(now);
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Partial<Record<keyof BetweenSettings, unknown>>;
  const c = (r.checkin && typeof r.checkin === 'object' ? r.checkin : {}) as Partial<Record<keyof CheckinTiming, unknown>>;
  const q = c.quietHours as Partial<QuietHours> | undefined;
  const quietHours = q && isValidTime(q.start) && isValidTime(q.end) ? { start: q.start, end: q.end } : undefined;
  const checkin: CheckinTiming = {
    days: isValidDays(c.days) ? [...c.days].sort((a, b) => a - b) : base.checkin.days,
    time: isValidTime(c.time) ? c.time : base.checkin.time,
    timeZone: typeof c.timeZone === 'string' && isValidTimeZone(c.timeZone) ? c.timeZone : base.checkin.timeZone,
    // A stored timing without quiet hours has none (the person removed them); no timing at all: the defaults.
    ...(quietHours ? { quietHours } : r.checkin && typeof r.checkin === 'object' ? {} : { quietHours: base.checkin.quietHours }),
  };
  const m = (r.measures && typeof r.measures === 'object' ? r.measures : {}) as Partial<Record<keyof MeasureCadence, unknown>>;
  const everyDays = typeof m.everyDays === 'number' && Number.isInteger(m.everyDays) && m.everyDays >= MIN_MEASURE_EVERY_DAYS && m.everyDays <= MAX_MEASURE_EVERY_DAYS ? m.everyDays : DEFAULT_MEASURE_EVERY_DAYS;
  const instruments = Array.isArray(m.instruments) ? m.instruments.filter(isInstrumentId) : [];
  const setBy = m.setBy === 'person' || m.setBy === 'clinician' ? m.setBy : 'default';
  const p = r.pause as { since?: unknown; until?: unknown } | undefined;
  const pause = p && typeof p.since === 'string' ? (typeof p.until === 'string' ? { since: p.since, until: p.until } : { since: p.since }) : undefined;
  const lp = r.lastPrompt as { kind?: unknown; at?: unknown } | undefined;
  const lastPrompt = lp && (lp.kind === 'checkin' || lp.kind === 'measure') && typeof lp.at === 'string' ? { kind: lp.kind as 'checkin' | 'measure', at: lp.at } : undefined;
  return {
    version: 1,
    checkin,
    ...(pause ? { pause } : {}),
    measures: { everyDays, instruments: instruments.length ? [...new Set(instruments)] : [...DEFAULT_MEASURE_INSTRUMENTS], setBy },
    ...(r.locale === 'fr-CA' || r.locale === 'en-CA' ? { locale: r.locale } : {}),
    ...(lastPrompt ? { lastPrompt } : {}),
    updatedAt: typeof r.updatedAt === 'string' ? r.updatedAt : base.updatedAt,
  };
}
