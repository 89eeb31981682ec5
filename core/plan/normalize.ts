/**
 * Reads a stored plan defensively: whatever the document holds (an older shape, a hand edit, a
 * partial write), the result is a valid Plan. Entries that cannot be understood are dropped one by
 * one; everything readable is kept. Never throws.
 */
import { isPlanCategoryId } from './categories';
import {
  ORIENTATIONS,
  REVIEW_DECISIONS,
  REVIEW_OUTCOMES,
  SATISFACTION_LEVELS,
  TINY_STEP_FIELDS,
  compactPlan,
  emptyPlan,
  isCatalogueId,
  isMeanStatus,
  ownMeanId,
  OWN_MEAN_PREFIX,
  type ActionReview,
  type ActionStatus,
  type ConfidenceRating,
  type Orientation,
  type PlanAction,
  type Plan,
  type PlanMean,
  type Pride,
  type ReviewDecision,
  type ReviewOutcome,
  type ReviewTally,
  type SatisfactionEntry,
  type SatisfactionLevel,
  type TinyStep,
} from './plan';
import { normalizeTotalWeeks } from './programme';
import { cleanText } from './text';

type Json = Record<string, unknown>;

export function normalizePlan(raw: unknown, now: Date): Plan {
  const record = asRecord(raw);
  const fallback = emptyPlan(now);
  const createdAt = isoOr(record.createdAt, fallback.createdAt);
  const programmeRaw = asRecord(record.programme);

  const means: PlanMean[] = [];
  const seenMeans = new Set<string>();
  for (const item of asArray(record.means)) {
    const mean = readMean(asRecord(item), createdAt);
    if (!mean || seenMeans.has(mean.id)) continue;
    seenMeans.add(mean.id);
    means.push(mean);
  }

  const actions: PlanAction[] = [];
  const seenActions = new Set<string>();
  let highest = 0;
  for (const item of asArray(record.actions)) {
    const action = readAction(asRecord(item), createdAt);
    if (!action || seenActions.has(action.id)) continue;
    seenActions.add(action.id);
    actions.push(action);
    const number = /^a(\d+)$/.exec(action.id)?.[1];
    if (number) highest = Math.max(highest, Number(number));
  }
  // Never more than two active: any extra (a bad write) is stopped rather than dropped.
  let active = 0;
  const bounded = actions.map((action) => {
    if (action.status !== 'active') return action;
    active++;
    return active <= 2 ? action : { ...action, status: 'stopped' as const };
  });

  const pastSummaryRaw = asRecord(record.pastSummary);
  const plan: Plan = {
    version: 1,
    createdAt,
    updatedAt: isoOr(record.updatedAt, createdAt),
    means,
    prides: asArray(record.prides).flatMap((item) => {
      const pride = readPride(asRecord(item), createdAt);
      return pride ? [pride] : [];
    }),
    earlierPrides: count(record.earlierPrides),
    actions: bounded,
    pastSummary: { actions: count(pastSummaryRaw.actions), reviews: readTally(pastSummaryRaw.reviews) },
    nextActionNumber: Math.max(count(record.nextActionNumber), highest + 1, 1),
    programme: {
      startedAt: isoOr(programmeRaw.startedAt, createdAt),
      totalWeeks: normalizeTotalWeeks(typeof programmeRaw.totalWeeks === 'number' ? programmeRaw.totalWeeks : undefined),
      ...(isIso(programmeRaw.finalReviewAt) ? { finalReviewAt: programmeRaw.finalReviewAt } : {}),
      ...(oneOf(programmeRaw.orientation, ORIENTATIONS) ? { orientation: programmeRaw.orientation as Orientation } : {}),
      satisfaction: asArray(programmeRaw.satisfaction).flatMap((item): SatisfactionEntry[] => {
        const entry = asRecord(item);
        return oneOf(entry.value, SATISFACTION_LEVELS) && isIso(entry.at) ? [{ value: entry.value as SatisfactionLevel, at: entry.at }] : [];
      }),
    },
  };
  return compactPlan(plan);
}

function readMean(item: Json, createdAt: string): PlanMean | undefined {
  if (!isPlanCategoryId(item.category) || !isMeanStatus(item.status) || typeof item.id !== 'string') return undefined;
  const addedAt = isoOr(item.addedAt, createdAt);
  const updatedAt = isoOr(item.updatedAt, addedAt);
  if (item.id.startsWith(OWN_MEAN_PREFIX)) {
    const text = cleanText(item.text);
    if (!text) return undefined;
    return { id: ownMeanId(text.text), category: item.category, status: item.status, text: text.text, addedAt, updatedAt };
  }
  if (!isCatalogueId(item.id)) return undefined;
  return { id: item.id, category: item.category, status: item.status, addedAt, updatedAt };
}

function readPride(item: Json, createdAt: string): Pride | undefined {
  const text = cleanText(item.text);
  if (!text) return undefined;
  return { text: text.text, kind: item.kind === 'goodMove' ? 'goodMove' : 'pride', at: isoOr(item.at, createdAt) };
}

function readAction(item: Json, createdAt: string): PlanAction | undefined {
  if (typeof item.id !== 'string' || !item.id || item.id.length > 40 || typeof item.meanId !== 'string' || !item.meanId) return undefined;
  const status: ActionStatus = item.status === 'active' || item.status === 'swapped' ? item.status : 'stopped';
  const stepRaw = asRecord(item.step);
  const step: Record<string, string> = {};
  for (const field of TINY_STEP_FIELDS) {
    const text = cleanText(stepRaw[field]);
    if (text) step[field] = text.text;
  }
  const confidence = asArray(item.confidence).flatMap((entry): ConfidenceRating[] => {
    const rating = asRecord(entry);
    return Number.isInteger(rating.value) && (rating.value as number) >= 0 && (rating.value as number) <= 10 && isIso(rating.at)
      ? [{ value: rating.value as number, at: rating.at }]
      : [];
  });
  const reviews = asArray(item.reviews).flatMap((entry): ActionReview[] => {
    const review = asRecord(entry);
    if (!oneOf(review.outcome, REVIEW_OUTCOMES) || !isIso(review.at)) return [];
    const why = cleanText(review.why)?.text;
    return [
      {
        at: review.at,
        outcome: review.outcome as ReviewOutcome,
        ...(why ? { why } : {}),
        ...(oneOf(review.decision, REVIEW_DECISIONS) ? { decision: review.decision as ReviewDecision } : {}),
      },
    ];
  });
  const at = isoOr(item.createdAt, createdAt);
  return {
    id: item.id,
    meanId: item.meanId,
    status,
    step: step as TinyStep,
    confidence,
    earlierRatings: count(item.earlierRatings),
    reviews,
    earlierReviews: readTally(item.earlierReviews),
    createdAt: at,
    updatedAt: isoOr(item.updatedAt, at),
    ...(status !== 'active' ? { endedAt: isoOr(item.endedAt, isoOr(item.updatedAt, at)) } : {}),
  };
}

function readTally(raw: unknown): ReviewTally {
  const tally = asRecord(raw);
  return { worked: count(tally.worked), partly: count(tally.partly), didnt: count(tally.didnt) };
}

function asRecord(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

function isIso(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function isoOr(value: unknown, fallback: string): string {
  return isIso(value) ? value : fallback;
}

function oneOf(value: unknown, list: readonly string[]): boolean {
  return typeof value === 'string' && list.includes(value);
}
