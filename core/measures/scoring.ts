/**
 * Scoring and reading the questionnaires: totals, severity bands, caseness, reliable change,
 * recovery and the inputs of a plain-words trend ("lower than 2 weeks ago"). Pure functions.
 *
 * A score is only ever computed from a COMPLETE set of VALID answers: `scoreAnswers` returns
 * undefined (and `scoreOrThrow` throws) for a missing, extra, non-integer or out-of-scale answer.
 *
 * Thresholds (change them only with the clinical lead):
 * - PHQ-9 bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe;
 *   caseness ≥ 10; reliable change ≥ 6 points.
 * - GAD-7 bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe; caseness ≥ 8 (the stepped-care
 *   threshold used with reliable change); reliable change ≥ 4 points.
 * - WSAS < 10 subclinical, 10–20 significant impairment, > 20 severe impairment.
 * - PHQ-2 / GAD-2 ≥ 3 positive (offer the full form).
 * - Recovery: at caseness before, below caseness after. Reliable recovery: recovery together with
 *   a reliable improvement.
 */
import { INSTRUMENTS, SHORT_FORM_POSITIVE, maxScore, specOf, type InstrumentId } from './instruments';

export type Phq9Band = 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';
export type Gad7Band = 'minimal' | 'mild' | 'moderate' | 'severe';
export type WsasBand = 'subclinical' | 'significant' | 'severe';
export type ScreenBand = 'negative' | 'positive';
export type Band = Phq9Band | Gad7Band | WsasBand | ScreenBand;

/** Bands as [lowest score, band], ascending. */
export const BANDS: Readonly<Record<InstrumentId, ReadonlyArray<readonly [number, Band]>>> = {
  phq9: [[0, 'minimal'], [5, 'mild'], [10, 'moderate'], [15, 'moderately_severe'], [20, 'severe']],
  gad7: [[0, 'minimal'], [5, 'mild'], [10, 'moderate'], [15, 'severe']],
  wsas: [[0, 'subclinical'], [10, 'significant'], [21, 'severe']],
  phq2: [[0, 'negative'], [SHORT_FORM_POSITIVE, 'positive']],
  gad2: [[0, 'negative'], [SHORT_FORM_POSITIVE, 'positive']],
};

/** Caseness thresholds (score ≥ threshold), for the instruments that have one. */
export const CASENESS: Readonly<Partial<Record<InstrumentId, number>>> = { phq9: 10, gad7: 8 };

/** Smallest change in points that is a reliable change, for the instruments that have one. */
export const RELIABLE_CHANGE: Readonly<Partial<Record<InstrumentId, number>>> = { phq9: 6, gad7: 4 };

export function isValidAnswer(id: InstrumentId, value: unknown): value is number {
  const spec = specOf(id);
  return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max;
}

/** True when every item has a valid answer, and there is no extra one. */
export function isComplete(id: InstrumentId, answers: readonly unknown[] | undefined): answers is readonly number[] {
  if (!Array.isArray(answers)) return false;
  const spec = INSTRUMENTS[id];
  if (!spec || answers.length !== spec.items) return false;
  return answers.every((value) => isValidAnswer(id, value));
}

/** The total, or undefined unless the answers are complete and valid. */
export function scoreAnswers(id: InstrumentId, answers: readonly unknown[] | undefined): number | undefined {
  if (!isComplete(id, answers)) return undefined;
  return answers.reduce((sum, value) => sum + value, 0);
}

/** The total; throws a RangeError (naming the problem, never the answers) unless complete and valid. */
export function scoreOrThrow(id: InstrumentId, answers: readonly unknown[] | undefined): number {
  const spec = specOf(id);
  if (!Array.isArray(answers)) throw new RangeError(`${spec.code}: answers must be a list`);
  if (answers.length !== spec.items) throw new RangeError(`${spec.code}: ${spec.items} answers are needed, found ${answers.length}`);
  const bad = answers.findIndex((value) => !isValidAnswer(id, value));
  if (bad >= 0) throw new RangeError(`${spec.code}: answer ${bad + 1} is not a whole number from ${spec.min} to ${spec.max}`);
  return answers.reduce((sum: number, value) => sum + (value as number), 0);
}

export function isValidScore(id: InstrumentId, score: unknown): score is number {
  return typeof score === 'number' && Number.isInteger(score) && score >= 0 && score <= maxScore(id);
}

function checkScore(id: InstrumentId, score: number): void {
  if (!isValidScore(id, score)) throw new RangeError(`${specOf(id).code}: a score must be a whole number from 0 to ${maxScore(id)}`);
}

export function bandOf(id: InstrumentId, score: number): Band {
  checkScore(id, score);
  let found: Band = BANDS[id][0][1];
  for (const [lowest, band] of BANDS[id]) if (score >= lowest) found = band;
  return found;
}

/** At or above the caseness threshold; undefined for instruments without one (WSAS, short forms). */
export function isCase(id: InstrumentId, score: number): boolean | undefined {
  checkScore(id, score);
  const threshold = CASENESS[id];
  return threshold === undefined ? undefined : score >= threshold;
}

/** A short form at or above 3: the full form is offered. False for full forms. */
export function offersFullForm(id: InstrumentId, score: number): boolean {
  checkScore(id, score);
  return specOf(id).shortFormOf !== undefined && score >= SHORT_FORM_POSITIVE;
}

export type ReliableChange = 'improved' | 'deteriorated' | 'none';

/** Lower is better on every instrument here. Undefined for instruments without a reliable-change index. */
export function reliableChange(id: InstrumentId, before: number, after: number): ReliableChange | undefined {
  checkScore(id, before);
  checkScore(id, after);
  const threshold = RELIABLE_CHANGE[id];
  if (threshold === undefined) return undefined;
  if (before - after >= threshold) return 'improved';
  if (after - before >= threshold) return 'deteriorated';
  return 'none';
}

export type Recovery = 'recovered' | 'not_recovered' | 'not_applicable';

/** From caseness to below it ('not_applicable' when the first score was below caseness, or no caseness exists). */
export function recoveryOf(id: InstrumentId, before: number, after: number): Recovery {
  const wasCase = isCase(id, before);
  const isNowCase = isCase(id, after);
  if (wasCase !== true) return 'not_applicable';
  return isNowCase ? 'not_recovered' : 'recovered';
}

/** Recovery together with a reliable improvement. */
export function isReliableRecovery(id: InstrumentId, before: number, after: number): boolean {
  return recoveryOf(id, before, after) === 'recovered' && reliableChange(id, before, after) === 'improved';
}

export type ElapsedUnit = 'day' | 'week' | 'month';
export interface Elapsed {
  readonly unit: ElapsedUnit;
  readonly count: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long ago, in the words people use: days under two weeks ("3 days"), weeks under two months
 * ("2 weeks", rounded), months after that. A negative span counts as 0 days.
 */
export function elapsedBetween(from: Date | string, to: Date | string): Elapsed {
  const start = new Date(from).getTime();
  const end = new Date(to).getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError('elapsedBetween needs two valid dates');
  const days = Math.max(0, Math.round((end - start) / DAY_MS));
  if (days < 14) return { unit: 'day', count: days };
  if (days < 60) return { unit: 'week', count: Math.round(days / 7) };
  return { unit: 'month', count: Math.round(days / 30.44) };
}

export type Direction = 'lower' | 'higher' | 'same';

export interface Trend {
  readonly direction: Direction;
  /** current − previous. */
  readonly difference: number;
  readonly reliable?: ReliableChange;
  readonly recovery: Recovery;
  readonly previousBand: Band;
  readonly band: Band;
  /** How long before the current result the previous one was. */
  readonly since: Elapsed;
}

export interface DatedScore {
  readonly score: number;
  readonly at: string | Date;
}

/** What a trend sentence needs: "lower than 2 weeks ago", and whether the change is reliable. */
export function trendOf(id: InstrumentId, previous: DatedScore, current: DatedScore): Trend {
  const difference = current.score - previous.score;
  const reliable = reliableChange(id, previous.score, current.score);
  return {
    direction: difference < 0 ? 'lower' : difference > 0 ? 'higher' : 'same',
    difference,
    ...(reliable === undefined ? {} : { reliable }),
    recovery: recoveryOf(id, previous.score, current.score),
    previousBand: bandOf(id, previous.score),
    band: bandOf(id, current.score),
    since: elapsedBetween(previous.at, current.at),
  };
}
