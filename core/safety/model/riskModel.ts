/**
 * The learned stage of the risk screen: logistic models over hashed features (features.ts).
 * Two heads share the features: `flag` (concern or crisis vs ordinary) and `crisis` (crisis vs
 * the rest); a naive Bayes table names the most likely category of a message only the model flags.
 *
 * Why a learned stage: a lexicon catches the wordings its editors foresaw; people find others
 * ("vous n'aurez plus à vous inquiéter pour moi"). Word pairs weighed together generalise to new
 * wordings, and the lexicon's own matches are features, so the two stages agree where both know.
 */
import { CATEGORIES, type Category, type Level } from '../types';
import { FEATURE_BITS } from './features';

/** Category weights use fewer cells: they only pick a name among flagged messages. */
export const CATEGORY_BITS = 16;

/**
 * Operating points, chosen on leave-one-round-out cross-validation of the example files (see
 * content/safety-examples/README.md) to lean towards flagging: a missed crisis costs far more than
 * a gentle question asked once too often. Change them only with the clinical lead.
 */
export const FLAG_THRESHOLD = 0.5;
export const CRISIS_THRESHOLD = 0.3;

export interface RiskModel {
  /** Per cell, the flag weight then the crisis weight: side by side, one memory read serves both. */
  readonly weights: Float32Array;
  readonly flagBias: number;
  readonly crisisBias: number;
  /**
   * 2^CATEGORY_BITS cells of CATEGORIES.length log-likelihoods each: a feature's values for every
   * category sit side by side, so naming a category costs one memory read per feature, not eleven.
   */
  readonly categories: Float32Array;
  readonly categoryBias: Float32Array;
}

export interface RiskScores {
  /** Probability that the message deserves at least a gentle follow-up. */
  readonly flag: number;
  /** Probability that it is a crisis. */
  readonly crisis: number;
}

const MASK = (1 << FEATURE_BITS) - 1;
const CATEGORY_MASK = (1 << CATEGORY_BITS) - 1;

// Bound once: inside a test runner's sandbox each global lookup costs a lot.
const { exp } = Math;

export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

export function scoreRisk(model: RiskModel, features: readonly number[]): RiskScores {
  let flag = model.flagBias;
  let crisis = model.crisisBias;
  const weights = model.weights;
  for (let i = 0; i < features.length; i += 1) {
    const cell = ((features[i] as number) & MASK) << 1;
    flag += weights[cell] as number;
    crisis += weights[cell + 1] as number;
  }
  return { flag: sigmoid(flag), crisis: sigmoid(crisis) };
}

/**
 * The level the model alone gives these scores. A crisis needs both heads (a crisis is also a
 * flag); a message either head finds likely risky is at least a concern, so a crisis the flag
 * head underrates still gets the gentle question.
 */
export function modelLevel(scores: RiskScores): Level {
  if (scores.crisis >= CRISIS_THRESHOLD && scores.flag >= CRISIS_THRESHOLD) return 'crisis';
  return scores.flag >= FLAG_THRESHOLD || scores.crisis >= FLAG_THRESHOLD ? 'concern' : 'none';
}

/** Per-category sums of the message being named (screening is synchronous: one buffer is enough). */
const categoryScores = new Float64Array(CATEGORIES.length);

/** The most likely category of a flagged message. */
export function likelyCategory(model: RiskModel, features: readonly number[]): Category {
  const rows = CATEGORIES.length;
  const table = model.categories;
  for (let k = 0; k < rows; k += 1) categoryScores[k] = model.categoryBias[k] as number;
  for (let i = 0; i < features.length; i += 1) {
    const cell = ((features[i] as number) & CATEGORY_MASK) * rows;
    for (let k = 0; k < rows; k += 1) categoryScores[k] = (categoryScores[k] as number) + (table[cell + k] as number);
  }
  let best = 0;
  for (let k = 1; k < rows; k += 1) if ((categoryScores[k] as number) > (categoryScores[best] as number)) best = k;
  return CATEGORIES[best] as Category;
}
