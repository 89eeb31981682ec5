/**
 * The personal safety plan (Stanley & Brown): six steps, each a short list of the person's own
 * words. Pure rules only — no SDK, no I/O — so the dialog, the repository's conflict merge and the
 * crisis flow all share one definition of what a valid plan is.
 *
 * - Items are trimmed, their inner whitespace collapsed to single spaces, cut at MAX_ITEM_LENGTH
 *   characters (the caller is told), and must hold at least one letter or digit.
 * - A step holds at most MAX_ITEMS_PER_STEP items when the person adds them; duplicates (same
 *   words, ignoring case, accents and punctuation) are ignored.
 * - Crisis lines are not stored here: they come from the content at display time, always current
 *   and in the person's language.
 */

export const SafetyPlanSteps = {
  /** 1. Thoughts, moods, situations that tell me a crisis may be coming. */
  warningSigns: 'warningSigns',
  /** 2. Things I can do alone to take my mind off it. */
  copingStrategies: 'copingStrategies',
  /** 3. People and places that help me take my mind off things. */
  distractions: 'distractions',
  /** 4. People I can ask for help (name and how to reach them). */
  helpers: 'helpers',
  /** 5. Professionals and services (crisis lines are added at display time). */
  professionals: 'professionals',
  /** 6. Making my environment safer. */
  safeEnvironment: 'safeEnvironment',
} as const;

export type SafetyPlanStepId = (typeof SafetyPlanSteps)[keyof typeof SafetyPlanSteps];

/** The steps in the order they are built and shown. */
export const SAFETY_PLAN_STEP_IDS: readonly SafetyPlanStepId[] = [
  SafetyPlanSteps.warningSigns,
  SafetyPlanSteps.copingStrategies,
  SafetyPlanSteps.distractions,
  SafetyPlanSteps.helpers,
  SafetyPlanSteps.professionals,
  SafetyPlanSteps.safeEnvironment,
];

export const MAX_ITEM_LENGTH = 200;
export const MAX_ITEMS_PER_STEP = 10;

export interface SafetyPlan {
  readonly version: 1;
  readonly steps: Readonly<Record<SafetyPlanStepId, readonly string[]>>;
  /** ISO date-time of the last change. */
  readonly updatedAt: string;
}

export interface SafetyPlanSection {
  readonly stepId: SafetyPlanStepId;
  readonly items: readonly string[];
}

export type AddItemResult =
  | { readonly outcome: 'added'; readonly plan: SafetyPlan; readonly item: string; readonly truncated: boolean }
  /** Already in this step (same words): the plan is returned unchanged. */
  | { readonly outcome: 'duplicate'; readonly plan: SafetyPlan; readonly item: string; readonly truncated: boolean }
  /** Nothing usable: empty, spaces, or no letter or digit at all (emoji, punctuation). */
  | { readonly outcome: 'empty'; readonly plan: SafetyPlan }
  /** The step already holds MAX_ITEMS_PER_STEP items. */
  | { readonly outcome: 'full'; readonly plan: SafetyPlan };

export function isSafetyPlanStepId(value: unknown): value is SafetyPlanStepId {
  return typeof value === 'string' && (SAFETY_PLAN_STEP_IDS as readonly string[]).includes(value);
}

export function emptySafetyPlan(now: Date): SafetyPlan {
  return { version: 1, steps: emptySteps(), updatedAt: now.toISOString() };
}

/**
 * The comparison key of an item: lower case, no accents, letters and digits only (runs of anything
 * else become one space). "Appeler Julie : 514-555-0123" and "appeler julie 514 555 0123" match.
 */
export function itemKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the text holds at least one letter or digit (not only emoji, punctuation or spaces). */
export function hasWords(text: string): boolean {
  return itemKey(text) !== '';
}

/**
 * Cleans a raw item: control characters and runs of whitespace become single spaces, ends are
 * trimmed, and the text is cut at MAX_ITEM_LENGTH characters (on a word boundary when one is near,
 * ending with "…"). Undefined when nothing usable is left.
 */
export function prepareItem(raw: string): { readonly text: string; readonly truncated: boolean } | undefined {
  const cleaned = raw.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  if (!hasWords(cleaned)) return undefined;
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_ITEM_LENGTH) return { text: cleaned, truncated: false };
  let cut = chars.slice(0, MAX_ITEM_LENGTH - 1).join('');
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace >= cut.length - 40 && lastSpace > 0) cut = cut.slice(0, lastSpace);
  return { text: `${cut.trimEnd()}…`, truncated: true };
}

export function addItem(plan: SafetyPlan, stepId: SafetyPlanStepId, raw: string, now: Date): AddItemResult {
  const prepared = prepareItem(raw);
  if (!prepared) return { outcome: 'empty', plan };
  const items = plan.steps[stepId];
  const key = itemKey(prepared.text);
  if (items.some((existing) => itemKey(existing) === key)) return { outcome: 'duplicate', plan, item: prepared.text, truncated: prepared.truncated };
  if (items.length >= MAX_ITEMS_PER_STEP) return { outcome: 'full', plan };
  return {
    outcome: 'added',
    plan: withStep(plan, stepId, [...items, prepared.text], now),
    item: prepared.text,
    truncated: prepared.truncated,
  };
}

/**
 * Removes an item, given by its position in the step (0-based) or by its words. Returns the same
 * plan object when nothing matches, so callers can tell nothing changed.
 */
export function removeItem(plan: SafetyPlan, stepId: SafetyPlanStepId, which: number | string, now: Date): SafetyPlan {
  const items = plan.steps[stepId];
  const index =
    typeof which === 'number'
      ? Number.isInteger(which) && which >= 0 && which < items.length
        ? which
        : -1
      : items.findIndex((item) => itemKey(item) === itemKey(which));
  if (index < 0) return plan;
  return withStep(plan, stepId, items.filter((_, i) => i !== index), now);
}

/** True when the person has written nothing in any step (crisis lines are not the person's items). */
export function isEmpty(plan: SafetyPlan | undefined): boolean {
  return !plan || SAFETY_PLAN_STEP_IDS.every((stepId) => plan.steps[stepId].length === 0);
}

/** The plan as a list of sections in the steps' order, every step present (possibly with no items). */
export function formatSafetyPlan(plan: SafetyPlan): SafetyPlanSection[] {
  return SAFETY_PLAN_STEP_IDS.map((stepId) => ({ stepId, items: [...plan.steps[stepId]] }));
}

/**
 * Three-way merge after a concurrent write. `base` is what we read, `ours` what we want to write,
 * `theirs` what is stored now (undefined when the plan was erased meanwhile). An item is kept when
 * it is in `theirs` and we did not remove it, or when we added it (in `ours`, not in `base`). So
 * both sides' additions survive, and a removal by either side sticks. Without a base (both sides
 * created the plan) nothing was removed: it is a union. `theirs` order comes first, then our
 * additions. The per-step cap is not applied: it limits what the person adds, never what a merge
 * keeps.
 */
export function mergeSafetyPlans(base: SafetyPlan | undefined, ours: SafetyPlan, theirs: SafetyPlan | undefined, now: Date): SafetyPlan {
  const steps = emptySteps();
  for (const stepId of SAFETY_PLAN_STEP_IDS) {
    const baseKeys = new Set((base?.steps[stepId] ?? []).map(itemKey));
    const oursKeys = new Set(ours.steps[stepId].map(itemKey));
    const keptOfTheirs = (theirs?.steps[stepId] ?? []).filter((item) => !(baseKeys.has(itemKey(item)) && !oursKeys.has(itemKey(item))));
    const addedByUs = ours.steps[stepId].filter((item) => !baseKeys.has(itemKey(item)));
    const seen = new Set<string>();
    for (const item of [...keptOfTheirs, ...addedByUs]) {
      const key = itemKey(item);
      if (seen.has(key)) continue;
      seen.add(key);
      steps[stepId].push(item);
    }
  }
  return { version: 1, steps, updatedAt: now.toISOString() };
}

/**
 * Reads a stored body defensively: unknown steps and non-text items are dropped, items are cleaned
 * and de-duplicated. Nothing the person wrote is dropped for being past the per-step cap.
 */
export function normalizeSafetyPlan(raw: unknown): SafetyPlan {
  const record = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const rawSteps = record.steps !== null && typeof record.steps === 'object' && !Array.isArray(record.steps) ? (record.steps as Record<string, unknown>) : {};
  const steps = emptySteps();
  for (const stepId of SAFETY_PLAN_STEP_IDS) {
    const list = Array.isArray(rawSteps[stepId]) ? (rawSteps[stepId] as unknown[]) : [];
    const seen = new Set<string>();
    for (const value of list) {
      if (typeof value !== 'string') continue;
      const prepared = prepareItem(value);
      if (!prepared) continue;
      const key = itemKey(prepared.text);
      if (seen.has(key)) continue;
      seen.add(key);
      steps[stepId].push(prepared.text);
    }
  }
  const updatedAt = typeof record.updatedAt === 'string' && !Number.isNaN(Date.parse(record.updatedAt)) ? record.updatedAt : new Date(0).toISOString();
  return { version: 1, steps, updatedAt };
}

function emptySteps(): Record<SafetyPlanStepId, string[]> {
  return Object.fromEntries(SAFETY_PLAN_STEP_IDS.map((stepId) => [stepId, [] as string[]])) as Record<SafetyPlanStepId, string[]>;
}

function withStep(plan: SafetyPlan, stepId: SafetyPlanStepId, items: readonly string[], now: Date): SafetyPlan {
  return { version: 1, steps: { ...plan.steps, [stepId]: items }, updatedAt: now.toISOString() };
}
