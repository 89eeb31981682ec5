/**
 * Results over time, bounded: the last MAX_RESULTS_PER_INSTRUMENT results of each questionnaire
 * are kept whole (score, item answers, date); older ones are folded into a summary (how many, the
 * first and last dates, the lowest and highest scores), never silently lost.
 */
import { isInstrumentId, type InstrumentId } from './instruments';
import { isValidAnswer, isValidScore, scoreAnswers } from './scoring';

/** A year of results every two weeks. */
export const MAX_RESULTS_PER_INSTRUMENT = 26;

export interface MeasureResult {
  readonly instrument: InstrumentId;
  readonly score: number;
  /** The item answers, in order (the clinician may look at an item, e.g. PHQ-9 item 9). */
  readonly answers: readonly number[];
  readonly at: string;
}

export interface EarlierResults {
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly min: number;
  readonly max: number;
}

export interface InstrumentHistory {
  /** Oldest first. */
  readonly recent: readonly MeasureResult[];
  readonly earlier?: EarlierResults;
}

/** A result from complete, valid answers; undefined otherwise (never from partial answers). */
export function makeResult(instrument: InstrumentId, answers: readonly unknown[] | undefined, at: Date): MeasureResult | undefined {
  const score = scoreAnswers(instrument, answers);
  if (score === undefined) return undefined;
  return { instrument, score, answers: [...(answers as number[])], at: at.toISOString() };
}

/** Adds a result (kept in date order) and folds the oldest beyond `max` into the summary. */
export function addResult(history: InstrumentHistory | undefined, result: MeasureResult, max = MAX_RESULTS_PER_INSTRUMENT): InstrumentHistory {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive whole number');
  const recent = [...(history?.recent ?? []), result].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  let earlier = history?.earlier;
  while (recent.length > max) {
    const dropped = recent.shift() as MeasureResult;
    earlier = earlier
      ? {
          count: earlier.count + 1,
          firstAt: earlier.firstAt < dropped.at ? earlier.firstAt : dropped.at,
          lastAt: earlier.lastAt > dropped.at ? earlier.lastAt : dropped.at,
          min: Math.min(earlier.min, dropped.score),
          max: Math.max(earlier.max, dropped.score),
        }
      : { count: 1, firstAt: dropped.at, lastAt: dropped.at, min: dropped.score, max: dropped.score };
  }
  return earlier ? { recent, earlier } : { recent };
}

export function latestResult(history: InstrumentHistory | undefined): MeasureResult | undefined {
  return history?.recent[history.recent.length - 1];
}

/** The result before the latest one (what a trend compares with). */
export function previousResult(history: InstrumentHistory | undefined): MeasureResult | undefined {
  return history && history.recent.length >= 2 ? history.recent[history.recent.length - 2] : undefined;
}

/** The first kept result (a baseline for recovery, while it has not been folded away). */
export function firstResult(history: InstrumentHistory | undefined): MeasureResult | undefined {
  return history?.recent[0];
}

/** Total number of results ever recorded. */
export function resultCount(history: InstrumentHistory | undefined): number {
  return (history?.recent.length ?? 0) + (history?.earlier?.count ?? 0);
}

/** A stored history checked entry by entry; invalid results are dropped. */
export function normalizeHistory(instrument: InstrumentId, raw: unknown): InstrumentHistory | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const h = raw as { recent?: unknown; earlier?: unknown };
  const recent = (Array.isArray(h.recent) ? h.recent : []).flatMap((entry): MeasureResult[] => {
    const r = entry as Partial<Record<keyof MeasureResult, unknown>> | null;
    if (!r || r.instrument !== instrument || !isInstrumentId(r.instrument) || typeof r.at !== 'string' || !isValidScore(instrument, r.score)) return [];
    const answers = Array.isArray(r.answers) && r.answers.every((v) => isValidAnswer(instrument, v)) ? (r.answers as number[]) : [];
    if (answers.length && scoreAnswers(instrument, answers) !== r.score) return [];
    return [{ instrument, score: r.score, answers, at: r.at }];
  });
  const e = h.earlier as Partial<EarlierResults> | undefined;
  const earlier =
    e && typeof e === 'object' && Number.isInteger(e.count) && (e.count ?? 0) > 0 && typeof e.firstAt === 'string' && typeof e.lastAt === 'string' &&
    typeof e.min === 'number' && typeof e.max === 'number'
      ? { count: e.count as number, firstAt: e.firstAt, lastAt: e.lastAt, min: e.min, max: e.max }
      : undefined;
  if (!recent.length && !earlier) return undefined;
  return earlier ? { recent, earlier } : { recent };
}
