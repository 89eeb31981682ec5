/**
 * The five recovery categories of the self-management plan: families of "means", the things people
 * already do (or used to do, or would like to try) to feel better. The person starts with the ONE
 * category they prefer; the order below is only the order of the buttons and of the plan's display.
 */
export const PlanCategories = {
  /** 1. Using mental-health resources and services. */
  resources: 'resources',
  /** 2. Healthy life habits (sleep, food, movement, substances, rhythm). */
  habits: 'habits',
  /** 3. Relationships with others. */
  relationships: 'relationships',
  /** 4. Managing daily life (tasks, money, home, stress, organisation). */
  dailyLife: 'dailyLife',
  /** 5. Developing one's potential (interests, learning, values, meaning). */
  potential: 'potential',
} as const;

export type PlanCategoryId = (typeof PlanCategories)[keyof typeof PlanCategories];

export const PLAN_CATEGORY_IDS: readonly PlanCategoryId[] = [
  PlanCategories.resources,
  PlanCategories.habits,
  PlanCategories.relationships,
  PlanCategories.dailyLife,
  PlanCategories.potential,
];

export function isPlanCategoryId(value: unknown): value is PlanCategoryId {
  return typeof value === 'string' && (PLAN_CATEGORY_IDS as readonly string[]).includes(value);
}
