/**
 * Shared vocabulary of the risk screen. The ids are fixed: dialogs, escalation cards, stored
 * screen results and content files all refer to them, so renaming one is a data migration.
 */

export const LEVELS = ['none', 'concern', 'crisis'] as const;
export type Level = (typeof LEVELS)[number];

/** Levels a lexicon entry may carry (an entry that signals nothing has no reason to exist). */
export const SIGNAL_LEVELS = ['concern', 'crisis'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];

/** Fixed category ids, in the order results list them (most acute first). */
export const CATEGORIES = [
  'suicidal_ideation',
  'plan_means',
  'self_harm',
  'overdose',
  'harm_to_others',
  'danger_abuse',
  'command_hallucination',
  'third_party',
  'passive_ideation',
  'hopelessness',
  'burden',
] as const;
export type Category = (typeof CATEGORIES)[number];

const RANK: Readonly<Record<Level, number>> = { none: 0, concern: 1, crisis: 2 };

export function levelRank(level: Level): number {
  return RANK[level];
}

export function maxLevel(a: Level, b: Level): Level {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}
