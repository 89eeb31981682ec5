/**
 * The person's self-management plan. Pure rules only — no SDK, no I/O — so the dialogs, the
 * repository (which re-applies a change after a concurrent write) and the clinician summary share
 * one definition of what a plan is and how it changes.
 *
 * - Means: things that help, from the catalogue (by id) or in the person's own words, each with a
 *   status: 'now' (I do it already), 'used_to' (I used to), 'explore' (I'd like to try).
 * - Prides and good moves: things the person is proud of; a tiny step that worked adds a good move.
 * - Actions: at most MAX_ACTIVE_ACTIONS (2) active at once, each on a mean the person chose (any
 *   mean, any status: their choice is respected), with a tiny step {what, when, where, howOften}
 *   and a confidence 0–10 with its history. Below 7, a smaller step is suggested, never imposed.
 * - Reviews: worked / partly / didn't (+ why), then keep / adjust / swap.
 * - The programme: when it started and how many weeks it lasts (8 by default, 8–10).
 *
 * Every rule returns the SAME plan object when nothing changed, so callers can skip the write.
 * Histories are capped (compactPlan); older entries are folded into counts, never silently lost.
 */
import { isPlanCategoryId, PLAN_CATEGORY_IDS, type PlanCategoryId } from './categories';
import { cleanText, textKey, type CleanText } from './text';
import { DEFAULT_TOTAL_WEEKS, normalizeTotalWeeks } from './programme';

export const MEAN_STATUSES = ['now', 'used_to', 'explore'] as const;
export type MeanStatus = (typeof MEAN_STATUSES)[number];

export const TINY_STEP_FIELDS = ['what', 'when', 'where', 'howOften'] as const;
export type TinyStepField = (typeof TINY_STEP_FIELDS)[number];

export const REVIEW_OUTCOMES = ['worked', 'partly', 'didnt'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_DECISIONS = ['keep', 'adjust', 'swap'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const ORIENTATIONS = ['alone', 'group', 'clinician', 'services'] as const;
export type Orientation = (typeof ORIENTATIONS)[number];

export const SATISFACTION_LEVELS = ['high', 'some', 'low'] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

export type ActionStatus = 'active' | 'swapped' | 'stopped';

export const MAX_ACTIVE_ACTIONS = 2;
/** Confidence below this suggests making the step smaller. */
export const CONFIDENCE_THRESHOLD = 7;
export const MAX_MEANS = 100;
export const MAX_PRIDES = 30;
export const MAX_CONFIDENCE_HISTORY = 12;
export const MAX_REVIEWS_PER_ACTION = 10;
export const MAX_PAST_ACTIONS = 20;
export const MAX_SATISFACTION_ENTRIES = 10;
export const OWN_MEAN_PREFIX = 'own:';

export interface PlanMean {
  /** The catalogue id, or `own:<words>` for a mean in the person's own words. */
  readonly id: string;
  readonly category: PlanCategoryId;
  readonly status: MeanStatus;
  /** The person's own words (own means only). */
  readonly text?: string;
  readonly addedAt: string;
  readonly updatedAt: string;
}

export interface Pride {
  readonly text: string;
  /** 'pride': written by the person; 'goodMove': a tiny step that worked. */
  readonly kind: 'pride' | 'goodMove';
  readonly at: string;
}

export interface TinyStep {
  readonly what?: string;
  readonly when?: string;
  readonly where?: string;
  readonly howOften?: string;
}

export interface ConfidenceRating {
  readonly value: number;
  readonly at: string;
}

export interface ActionReview {
  readonly at: string;
  readonly outcome: ReviewOutcome;
  readonly why?: string;
  readonly decision?: ReviewDecision;
}

export interface ReviewTally {
  readonly worked: number;
  readonly partly: number;
  readonly didnt: number;
}

export interface PlanAction {
  readonly id: string;
  readonly meanId: string;
  readonly status: ActionStatus;
  readonly step: TinyStep;
  /** Every rating, oldest first; the last one is the current confidence. Capped. */
  readonly confidence: readonly ConfidenceRating[];
  /** Ratings folded away by the cap. */
  readonly earlierRatings: number;
  readonly reviews: readonly ActionReview[];
  /** Reviews folded away by the cap. */
  readonly earlierReviews: ReviewTally;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly endedAt?: string;
}

export interface SatisfactionEntry {
  readonly value: SatisfactionLevel;
  readonly at: string;
}

export interface Programme {
  readonly startedAt: string;
  /** 8 by default, 8–10. */
  readonly totalWeeks: number;
  readonly finalReviewAt?: string;
  readonly orientation?: Orientation;
  readonly satisfaction: readonly SatisfactionEntry[];
}

/** What is left of past actions folded away by the cap. */
export interface PastSummary {
  readonly actions: number;
  readonly reviews: ReviewTally;
}

export interface Plan {
  readonly version: 1;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly means: readonly PlanMean[];
  readonly prides: readonly Pride[];
  /** Prides folded away by the cap. */
  readonly earlierPrides: number;
  /** Active actions and recent past ones (capped), oldest first. */
  readonly actions: readonly PlanAction[];
  readonly pastSummary: PastSummary;
  readonly nextActionNumber: number;
  readonly programme: Programme;
}

export type MeanInput =
  | { readonly kind: 'catalogue'; readonly id: string; readonly category: PlanCategoryId }
  | { readonly kind: 'own'; readonly text: string; readonly category: PlanCategoryId };

export type AddMeanResult =
  | { readonly outcome: 'added'; readonly plan: Plan; readonly mean: PlanMean; readonly truncated: boolean }
  /** Already in the plan with another status: the status is updated. */
  | { readonly outcome: 'updated'; readonly plan: Plan; readonly mean: PlanMean; readonly previous: MeanStatus; readonly truncated: boolean }
  /** Already in the plan with the same status: nothing changes. */
  | { readonly outcome: 'unchanged'; readonly plan: Plan; readonly mean: PlanMean; readonly truncated: boolean }
  /** No usable words, or an invalid id or category. */
  | { readonly outcome: 'empty'; readonly plan: Plan }
  | { readonly outcome: 'full'; readonly plan: Plan };

export type ChooseActionResult =
  | { readonly outcome: 'chosen'; readonly plan: Plan; readonly action: PlanAction }
  | { readonly outcome: 'alreadyActive'; readonly plan: Plan; readonly action: PlanAction }
  | { readonly outcome: 'full'; readonly plan: Plan; readonly active: readonly PlanAction[] }
  | { readonly outcome: 'unknownMean'; readonly plan: Plan };

export type ActionChange =
  | { readonly outcome: 'changed'; readonly plan: Plan; readonly action: PlanAction }
  | { readonly outcome: 'unchanged'; readonly plan: Plan; readonly action: PlanAction }
  | { readonly outcome: 'unknownAction'; readonly plan: Plan }
  | { readonly outcome: 'invalid'; readonly plan: Plan };

const ZERO_TALLY: ReviewTally = { worked: 0, partly: 0, didnt: 0 };

// ── Creating and reading ────────────────────────────────────────────────────────────────────────

export function emptyPlan(now: Date, totalWeeks: number = DEFAULT_TOTAL_WEEKS): Plan {
  const at = now.toISOString();
  return {
    version: 1,
    createdAt: at,
    updatedAt: at,
    means: [],
    prides: [],
    earlierPrides: 0,
    actions: [],
    pastSummary: { actions: 0, reviews: ZERO_TALLY },
    nextActionNumber: 1,
    programme: { startedAt: at, totalWeeks: normalizeTotalWeeks(totalWeeks), satisfaction: [] },
  };
}

export function isMeanStatus(value: unknown): value is MeanStatus {
  return typeof value === 'string' && (MEAN_STATUSES as readonly string[]).includes(value);
}

export function isOwnMeanId(id: string): boolean {
  return id.startsWith(OWN_MEAN_PREFIX);
}

export function ownMeanId(text: string): string {
  return `${OWN_MEAN_PREFIX}${textKey(text)}`;
}

/** A catalogue id: lowercase words joined by dashes (the content check enforces the same). */
export function isCatalogueId(id: unknown): id is string {
  return typeof id === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id) && id.length <= 60;
}

export function findMean(plan: Plan, meanId: string): PlanMean | undefined {
  return plan.means.find((mean) => mean.id === meanId);
}

export function findAction(plan: Plan, actionId: string): PlanAction | undefined {
  return plan.actions.find((action) => action.id === actionId);
}

export function activeActions(plan: Plan): PlanAction[] {
  return plan.actions.filter((action) => action.status === 'active');
}

export function pastActions(plan: Plan): PlanAction[] {
  return plan.actions.filter((action) => action.status !== 'active');
}

/** True when the person has noted nothing at all yet. */
export function isPlanEmpty(plan: Plan | undefined): boolean {
  return !plan || (plan.means.length === 0 && plan.prides.length === 0 && plan.actions.length === 0);
}

/** The plan's means grouped by category, in the categories' order; empty categories left out. */
export function meansByCategory(plan: Plan): Array<{ category: PlanCategoryId; means: PlanMean[] }> {
  return PLAN_CATEGORY_IDS.map((category) => ({ category, means: plan.means.filter((mean) => mean.category === category) })).filter(
    (group) => group.means.length > 0,
  );
}

export function currentConfidence(action: PlanAction): number | undefined {
  return action.confidence.length ? action.confidence[action.confidence.length - 1].value : undefined;
}

/** Below 7 out of 10, a smaller step usually helps (a suggestion: the person may keep theirs). */
export function needsSmallerStep(confidence: number): boolean {
  return confidence < CONFIDENCE_THRESHOLD;
}

export function isStepComplete(step: TinyStep): boolean {
  return TINY_STEP_FIELDS.every((field) => typeof step[field] === 'string' && step[field] !== '');
}

/** The first field of a tiny step still to fill, or undefined when complete. */
export function nextMissingField(step: TinyStep): TinyStepField | undefined {
  return TINY_STEP_FIELDS.find((field) => !step[field]);
}

// ── Means ────────────────────────────────────────────────────────────────────────────────────────

export function addMean(plan: Plan, input: MeanInput, status: MeanStatus, now: Date): AddMeanResult {
  if (!isPlanCategoryId(input.category) || !isMeanStatus(status)) return { outcome: 'empty', plan };
  let id: string;
  let text: CleanText | undefined;
  if (input.kind === 'catalogue') {
    if (!isCatalogueId(input.id)) return { outcome: 'empty', plan };
    id = input.id;
  } else {
    text = cleanText(input.text);
    if (!text) return { outcome: 'empty', plan };
    id = ownMeanId(text.text);
  }
  const truncated = text?.truncated ?? false;
  const existing = findMean(plan, id);
  if (existing) {
    if (existing.status === status) return { outcome: 'unchanged', plan, mean: existing, truncated };
    const mean: PlanMean = { ...existing, status, updatedAt: now.toISOString() };
    const next = touch({ ...plan, means: plan.means.map((m) => (m.id === id ? mean : m)) }, now);
    return { outcome: 'updated', plan: next, mean, previous: existing.status, truncated };
  }
  if (plan.means.length >= MAX_MEANS) return { outcome: 'full', plan };
  const at = now.toISOString();
  const mean: PlanMean = text
    ? { id, category: input.category, status, text: text.text, addedAt: at, updatedAt: at }
    : { id, category: input.category, status, addedAt: at, updatedAt: at };
  return { outcome: 'added', plan: touch({ ...plan, means: [...plan.means, mean] }, now), mean, truncated };
}

/**
 * Removes a mean. An active tiny step on it stops too (it stays in the history). Returns the same
 * plan when the mean is not there.
 */
export function removeMean(plan: Plan, meanId: string, now: Date): { plan: Plan; removed?: PlanMean; stopped: PlanAction[] } {
  const removed = findMean(plan, meanId);
  if (!removed) return { plan, stopped: [] };
  const at = now.toISOString();
  const stopped: PlanAction[] = [];
  const actions = plan.actions.map((action) => {
    if (action.meanId !== meanId || action.status !== 'active') return action;
    const ended: PlanAction = { ...action, status: 'stopped', endedAt: at, updatedAt: at };
    stopped.push(ended);
    return ended;
  });
  return { plan: touch({ ...plan, means: plan.means.filter((m) => m.id !== meanId), actions }, now), removed, stopped };
}

// ── Prides and good moves ───────────────────────────────────────────────────────────────────────

export type AddPrideResult =
  | { readonly outcome: 'added'; readonly plan: Plan; readonly text: string; readonly truncated: boolean }
  | { readonly outcome: 'duplicate'; readonly plan: Plan; readonly text: string; readonly truncated: boolean }
  | { readonly outcome: 'empty'; readonly plan: Plan };

export function addPride(plan: Plan, raw: string, now: Date, kind: Pride['kind'] = 'pride'): AddPrideResult {
  const clean = cleanText(raw);
  if (!clean) return { outcome: 'empty', plan };
  const key = textKey(clean.text);
  if (plan.prides.some((pride) => textKey(pride.text) === key)) return { outcome: 'duplicate', plan, text: clean.text, truncated: clean.truncated };
  const pride: Pride = { text: clean.text, kind, at: now.toISOString() };
  return { outcome: 'added', plan: touch({ ...plan, prides: [...plan.prides, pride] }, now), text: clean.text, truncated: clean.truncated };
}

// ── Actions and tiny steps ──────────────────────────────────────────────────────────────────────

/**
 * Starts a tiny step on a mean the person chose. Any mean of the plan may be chosen, whatever its
 * status; at most MAX_ACTIVE_ACTIONS are active at once. A mean already being worked on gives
 * back its active action.
 */
export function chooseAction(plan: Plan, meanId: string, now: Date): ChooseActionResult {
  if (!findMean(plan, meanId)) return { outcome: 'unknownMean', plan };
  const active = activeActions(plan);
  const already = active.find((action) => action.meanId === meanId);
  if (already) return { outcome: 'alreadyActive', plan, action: already };
  if (active.length >= MAX_ACTIVE_ACTIONS) return { outcome: 'full', plan, active };
  const at = now.toISOString();
  const action: PlanAction = {
    id: `a${plan.nextActionNumber}`,
    meanId,
    status: 'active',
    step: {},
    confidence: [],
    earlierRatings: 0,
    reviews: [],
    earlierReviews: ZERO_TALLY,
    createdAt: at,
    updatedAt: at,
  };
  const next = touch({ ...plan, actions: [...plan.actions, action], nextActionNumber: plan.nextActionNumber + 1 }, now);
  return { outcome: 'chosen', plan: next, action };
}

/** Sets one part of an active action's tiny step. 'invalid' when the text has no words. */
export function setStepField(plan: Plan, actionId: string, field: TinyStepField, raw: string, now: Date): ActionChange & { truncated?: boolean } {
  const action = findAction(plan, actionId);
  if (!action || action.status !== 'active') return { outcome: 'unknownAction', plan };
  if (!(TINY_STEP_FIELDS as readonly string[]).includes(field)) return { outcome: 'invalid', plan };
  const clean = cleanText(raw);
  if (!clean) return { outcome: 'invalid', plan };
  if (action.step[field] === clean.text) return { outcome: 'unchanged', plan, action, truncated: clean.truncated };
  return { ...changeAction(plan, action, { step: { ...action.step, [field]: clean.text } }, now), truncated: clean.truncated };
}

/** Records a confidence rating (an integer 0–10) for an active action; the history keeps every rating. */
export function rateConfidence(plan: Plan, actionId: string, value: number, now: Date): ActionChange {
  const action = findAction(plan, actionId);
  if (!action || action.status !== 'active') return { outcome: 'unknownAction', plan };
  if (!Number.isInteger(value) || value < 0 || value > 10) return { outcome: 'invalid', plan };
  return changeAction(plan, action, { confidence: [...action.confidence, { value, at: now.toISOString() }] }, now);
}

/** Ends an active action (the person stopped it, or swapped it for another). */
export function endAction(plan: Plan, actionId: string, now: Date, status: Exclude<ActionStatus, 'active'> = 'stopped'): ActionChange {
  const action = findAction(plan, actionId);
  if (!action) return { outcome: 'unknownAction', plan };
  if (action.status !== 'active') return { outcome: 'unchanged', plan, action };
  return changeAction(plan, action, { status, endedAt: now.toISOString() }, now);
}

/**
 * Takes back an action chosen a moment ago when nothing was written for it yet (the person went
 * back): it frees its place and leaves no trace. An action with anything in it is left alone.
 */
export function discardEmptyAction(plan: Plan, actionId: string, now: Date): Plan {
  const action = findAction(plan, actionId);
  if (!action || action.status !== 'active' || action.confidence.length || action.reviews.length) return plan;
  if (TINY_STEP_FIELDS.some((field) => action.step[field])) return plan;
  return touch({ ...plan, actions: plan.actions.filter((a) => a.id !== actionId) }, now);
}

// ── Reviews ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What happened with a tiny step: worked, partly, or didn't (with the person's why). A step that
 * worked becomes a good move among the prides: progress is celebrated and remembered.
 */
export function addReview(plan: Plan, actionId: string, review: { outcome: ReviewOutcome; why?: string }, now: Date): ActionChange {
  const action = findAction(plan, actionId);
  if (!action || action.status !== 'active') return { outcome: 'unknownAction', plan };
  if (!(REVIEW_OUTCOMES as readonly string[]).includes(review.outcome)) return { outcome: 'invalid', plan };
  const why = review.why === undefined ? undefined : cleanText(review.why)?.text;
  const entry: ActionReview = why ? { at: now.toISOString(), outcome: review.outcome, why } : { at: now.toISOString(), outcome: review.outcome };
  const changed = changeAction(plan, action, { reviews: [...action.reviews, entry] }, now);
  if (changed.outcome !== 'changed' || review.outcome !== 'worked' || !action.step.what) return changed;
  const withGoodMove = addPride(changed.plan, action.step.what, now, 'goodMove');
  return { ...changed, plan: withGoodMove.plan };
}

/** Adds the why to the latest review of an action (asked after the outcome). */
export function explainReview(plan: Plan, actionId: string, why: string, now: Date): ActionChange {
  const action = findAction(plan, actionId);
  if (!action || !action.reviews.length) return { outcome: 'unknownAction', plan };
  const clean = cleanText(why);
  if (!clean) return { outcome: 'invalid', plan };
  const reviews = [...action.reviews];
  reviews[reviews.length - 1] = { ...reviews[reviews.length - 1], why: clean.text };
  return changeAction(plan, action, { reviews }, now);
}

/**
 * What the person decided after a review: keep the step, adjust it (the caller then edits the
 * tiny step), or swap it (the action ends and frees its place for another mean).
 */
export function decideReview(plan: Plan, actionId: string, decision: ReviewDecision, now: Date): ActionChange {
  const action = findAction(plan, actionId);
  if (!action || action.status !== 'active') return { outcome: 'unknownAction', plan };
  if (!(REVIEW_DECISIONS as readonly string[]).includes(decision)) return { outcome: 'invalid', plan };
  const reviews = [...action.reviews];
  if (reviews.length) reviews[reviews.length - 1] = { ...reviews[reviews.length - 1], decision };
  const patch: Partial<PlanAction> = decision === 'swap' ? { reviews, status: 'swapped', endedAt: now.toISOString() } : { reviews };
  return changeAction(plan, action, patch, now);
}

// ── Programme ───────────────────────────────────────────────────────────────────────────────────

export function recordSatisfaction(plan: Plan, value: SatisfactionLevel, now: Date): Plan {
  if (!(SATISFACTION_LEVELS as readonly string[]).includes(value)) return plan;
  const satisfaction = [...plan.programme.satisfaction, { value, at: now.toISOString() }];
  return touch({ ...plan, programme: { ...plan.programme, satisfaction } }, now);
}

/** The final review is done: what the person would like next. */
export function chooseOrientation(plan: Plan, orientation: Orientation, now: Date): Plan {
  if (!(ORIENTATIONS as readonly string[]).includes(orientation)) return plan;
  return touch({ ...plan, programme: { ...plan.programme, orientation, finalReviewAt: now.toISOString() } }, now);
}

export function setTotalWeeks(plan: Plan, totalWeeks: number, now: Date): Plan {
  const weeks = normalizeTotalWeeks(totalWeeks);
  if (weeks === plan.programme.totalWeeks) return plan;
  return touch({ ...plan, programme: { ...plan.programme, totalWeeks: weeks } }, now);
}

export interface JourneySummary {
  readonly means: Readonly<Record<MeanStatus, number>>;
  readonly prides: number;
  readonly goodMoves: number;
  /** Tiny steps chosen since the start (active, past, and folded away). */
  readonly stepsTried: number;
  readonly reviews: ReviewTally;
}

/** Counts for the final review: what the person did along the way. */
export function journeySummary(plan: Plan): JourneySummary {
  const means = { now: 0, used_to: 0, explore: 0 };
  for (const mean of plan.means) means[mean.status]++;
  const reviews = { ...plan.pastSummary.reviews };
  for (const action of plan.actions) {
    addTally(reviews, action.earlierReviews);
    for (const review of action.reviews) reviews[review.outcome]++;
  }
  return {
    means,
    prides: plan.prides.filter((p) => p.kind === 'pride').length + plan.earlierPrides,
    goodMoves: plan.prides.filter((p) => p.kind === 'goodMove').length,
    stepsTried: plan.actions.length + plan.pastSummary.actions,
    reviews,
  };
}

// ── Bounded size ────────────────────────────────────────────────────────────────────────────────

/**
 * Keeps the document small: at most MAX_PRIDES prides, MAX_PAST_ACTIONS ended actions,
 * MAX_CONFIDENCE_HISTORY ratings and MAX_REVIEWS_PER_ACTION reviews per action, and
 * MAX_SATISFACTION_ENTRIES satisfaction answers. The oldest go first and are folded into counts.
 * Means are never dropped (adding stops at MAX_MEANS). Returns the same plan when within bounds.
 */
export function compactPlan(plan: Plan): Plan {
  let next = plan;
  if (next.prides.length > MAX_PRIDES) {
    const dropped = next.prides.length - MAX_PRIDES;
    next = { ...next, prides: next.prides.slice(dropped), earlierPrides: next.earlierPrides + dropped };
  }
  const actions = next.actions.map(compactAction);
  const changedActions = actions.some((action, i) => action !== next.actions[i]);
  const past = actions.filter((action) => action.status !== 'active');
  if (past.length > MAX_PAST_ACTIONS) {
    const fold = new Set(past.slice(0, past.length - MAX_PAST_ACTIONS).map((action) => action.id));
    const reviews = { ...next.pastSummary.reviews };
    for (const action of actions.filter((a) => fold.has(a.id))) {
      addTally(reviews, action.earlierReviews);
      for (const review of action.reviews) reviews[review.outcome]++;
    }
    next = { ...next, actions: actions.filter((a) => !fold.has(a.id)), pastSummary: { actions: next.pastSummary.actions + fold.size, reviews } };
  } else if (changedActions) {
    next = { ...next, actions };
  }
  if (next.programme.satisfaction.length > MAX_SATISFACTION_ENTRIES) {
    next = { ...next, programme: { ...next.programme, satisfaction: next.programme.satisfaction.slice(-MAX_SATISFACTION_ENTRIES) } };
  }
  return next;
}

function compactAction(action: PlanAction): PlanAction {
  let next = action;
  if (next.confidence.length > MAX_CONFIDENCE_HISTORY) {
    const dropped = next.confidence.length - MAX_CONFIDENCE_HISTORY;
    next = { ...next, confidence: next.confidence.slice(dropped), earlierRatings: next.earlierRatings + dropped };
  }
  if (next.reviews.length > MAX_REVIEWS_PER_ACTION) {
    const dropped = next.reviews.slice(0, next.reviews.length - MAX_REVIEWS_PER_ACTION);
    const tally = { ...next.earlierReviews };
    for (const review of dropped) tally[review.outcome]++;
    next = { ...next, reviews: next.reviews.slice(dropped.length), earlierReviews: tally };
  }
  return next;
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

function touch(plan: Plan, now: Date): Plan {
  return compactPlan({ ...plan, updatedAt: now.toISOString() });
}

function changeAction(plan: Plan, action: PlanAction, patch: Partial<PlanAction>, now: Date): ActionChange {
  const updated: PlanAction = { ...action, ...patch, updatedAt: now.toISOString() };
  const next = touch({ ...plan, actions: plan.actions.map((a) => (a.id === action.id ? updated : a)) }, now);
  return { outcome: 'changed', plan: next, action: findAction(next, action.id) ?? updated };
}

function addTally(into: { worked: number; partly: number; didnt: number }, from: ReviewTally): void {
  into.worked += from.worked;
  into.partly += from.partly;
  into.didnt += from.didnt;
}
