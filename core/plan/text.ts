/**
 * Cleaning the person's own words before they are kept in the plan: one line, trimmed, at least
 * one letter or digit, cut at a maximum length (the caller is told, so it can say so).
 */

/** Longest own text kept (an own mean, a pride, a part of a tiny step, a "why"). */
export const MAX_TEXT_LENGTH = 160;

/**
 * The comparison key of a text: lower case, no accents, letters and digits only (runs of anything
 * else become one space; œ and æ spelled out). "Ma sœur !" and "ma SOEUR" match.
 */
export function textKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the text holds at least one letter or digit (not only emoji, punctuation or spaces). */
export function hasWords(text: string | undefined | null): boolean {
  return typeof text === 'string' && textKey(text) !== '';
}

export interface CleanText {
  readonly text: string;
  readonly truncated: boolean;
}

/**
 * Control characters and runs of whitespace become single spaces, ends are trimmed, and the text
 * is cut at `max` characters (on a word boundary when one is near, ending with "…"). Undefined
 * when nothing usable is left.
 */
export function cleanText(raw: unknown, max = MAX_TEXT_LENGTH): CleanText | undefined {
  if (typeof raw !== 'string') return undefined;
  const cleaned = raw.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  if (!hasWords(cleaned)) return undefined;
  const chars = Array.from(cleaned);
  if (chars.length <= max) return { text: cleaned, truncated: false };
  let cut = chars.slice(0, max - 1).join('');
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace > 0 && lastSpace >= cut.length - 30) cut = cut.slice(0, lastSpace);
  return { text: `${cut.trimEnd()}…`, truncated: true };
}
