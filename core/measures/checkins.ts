/**
 * What a check-in leaves behind besides the plan's reviews: the motivation ruler (0–10) and, at
 * progress points, how much Petits pas helps (0–10, with an optional comment). Bounded lists,
 * oldest first; older entries are counted, never silently lost.
 */
import type { ReviewOutcome } from '../plan/plan';
import { cleanText } from '../plan/text';

export const MAX_CHECKINS = 52;
export const MAX_SATISFACTION = 26;
/** "Est-ce que Petits pas t'aide ?" at most this often. */
export const SATISFACTION_EVERY_DAYS = 14;
/** ...and only once the person has done this many check-ins (a progress point, not a first contact). */
export const SATISFACTION_MIN_CHECKINS = 2;
export const MAX_COMMENT_CHARS = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CheckinEntry {
  readonly at: string;
  /** One per tiny step reviewed (the plan keeps the details). */
  readonly outcomes: readonly ReviewOutcome[];
  /** The motivation ruler, 0–10, when answered. */
  readonly motivation?: number;
}

export interface SatisfactionEntry {
  readonly at: string;
  /** 0–10. */
  readonly value: number;
  readonly comment?: string;
}

export function isRating(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10;
}

/** Appends a check-in; returns the bounded list and how many were folded away. */
export function appendBounded<T>(list: readonly T[], entry: T, max: number): { list: T[]; dropped: number } {
  const next = [...list, entry];
  const dropped = Math.max(0, next.length - max);
  return { list: next.slice(dropped), dropped };
}

/** Due when there are enough check-ins and no answer in the last SATISFACTION_EVERY_DAYS days. */
export function isSatisfactionDue(satisfaction: readonly SatisfactionEntry[], checkinCount: number, now: Date): boolean {
  if (checkinCount < SATISFACTION_MIN_CHECKINS) return false;
  const last = satisfaction[satisfaction.length - 1];
  if (!last) return true;
  const at = Date.parse(last.at);
  return Number.isNaN(at) || now.getTime() - at >= (SATISFACTION_EVERY_DAYS - 1) * DAY_MS;
}

export function makeSatisfaction(value: number, comment: string | undefined, now: Date): SatisfactionEntry {
  if (!isRating(value)) throw new RangeError('satisfaction must be a whole number from 0 to 10');
  const clean = comment === undefined ? undefined : cleanText(comment, MAX_COMMENT_CHARS)?.text;
  return clean ? { at: now.toISOString(), value, comment: clean } : { at: now.toISOString(), value };
}

export interface MotivationTrend {
  readonly latest?: number;
  readonly previous?: number;
  readonly direction?: 'up' | 'down' | 'same';
  /** Every rating kept, oldest first (for a small chart). */
  readonly values: ReadonlyArray<{ readonly at: string; readonly value: number }>;
}

export function motivationTrend(checkins: readonly CheckinEntry[]): MotivationTrend {
  const values = checkins.filter((c) => isRating(c.motivation)).map((c) => ({ at: c.at, value: c.motivation as number }));
  const latest = values[values.length - 1]?.value;
  const previous = values[values.length - 2]?.value;
  const direction = latest === undefined || previous === undefined ? undefined : latest > previous ? 'up' : latest < previous ? 'down' : 'same';
  return { ...(latest === undefined ? {} : { latest }), ...(previous === undefined ? {} : { previous }), ...(direction ? { direction } : {}), values };
}
