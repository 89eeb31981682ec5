/**
 * The guided self-care programme: about 8–10 weeks in four stages.
 *   1. assess and set goals  2. support  3. measure progress and satisfaction  4. final review
 * Stage 1 is the first two weeks, stage 4 the last week (and any time after), stage 3 the two weeks
 * before it, stage 2 everything in between. With 8 weeks: 1–2, 3–5, 6–7, 8.
 */
export const DEFAULT_TOTAL_WEEKS = 8;
export const MIN_TOTAL_WEEKS = 8;
export const MAX_TOTAL_WEEKS = 10;

export const ProgrammeStages = {
  assess: 1,
  support: 2,
  measure: 3,
  finalReview: 4,
} as const;
export type ProgrammeStage = (typeof ProgrammeStages)[keyof typeof ProgrammeStages];

const DAY_MS = 24 * 60 * 60 * 1000;

/** A whole number of weeks between 8 and 10; anything else gives the default (8) or the nearest bound. */
export function normalizeTotalWeeks(value: number | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_TOTAL_WEEKS;
  return Math.min(MAX_TOTAL_WEEKS, Math.max(MIN_TOTAL_WEEKS, Math.round(value)));
}

/**
 * The programme week `now` falls in, starting at 1 on the day it started (days 0–6 → week 1,
 * 7–13 → week 2...). A start in the future or an unreadable date gives week 1.
 */
export function weekOf(startedAt: string | Date, now: Date): number {
  const start = typeof startedAt === 'string' ? Date.parse(startedAt) : startedAt.getTime();
  const at = now.getTime();
  if (Number.isNaN(start) || Number.isNaN(at) || at <= start) return 1;
  return Math.floor((at - start) / (7 * DAY_MS)) + 1;
}

export function stageOf(week: number, totalWeeks: number = DEFAULT_TOTAL_WEEKS): ProgrammeStage {
  const total = normalizeTotalWeeks(totalWeeks);
  const w = Number.isFinite(week) ? Math.max(1, Math.floor(week)) : 1;
  if (w >= total) return ProgrammeStages.finalReview;
  if (w >= total - 2) return ProgrammeStages.measure;
  if (w <= 2) return ProgrammeStages.assess;
  return ProgrammeStages.support;
}

/** The last week has come: time for the final review. */
export function isFinalReviewDue(week: number, totalWeeks: number = DEFAULT_TOTAL_WEEKS): boolean {
  return stageOf(week, totalWeeks) === ProgrammeStages.finalReview;
}

/** Every week of the programme has passed. */
export function isProgrammeOver(week: number, totalWeeks: number = DEFAULT_TOTAL_WEEKS): boolean {
  return Number.isFinite(week) && week > normalizeTotalWeeks(totalWeeks);
}

export interface ProgrammeStatus {
  readonly week: number;
  readonly totalWeeks: number;
  readonly stage: ProgrammeStage;
  readonly over: boolean;
  readonly finalReviewDone: boolean;
}

/** Where the person is in the programme, for the menu and the programme dialog. */
export function programmeStatus(programme: { startedAt: string; totalWeeks: number; finalReviewAt?: string }, now: Date): ProgrammeStatus {
  const totalWeeks = normalizeTotalWeeks(programme.totalWeeks);
  const week = weekOf(programme.startedAt, now);
  return { week, totalWeeks, stage: stageOf(week, totalWeeks), over: isProgrammeOver(week, totalWeeks), finalReviewDone: Boolean(programme.finalReviewAt) };
}
