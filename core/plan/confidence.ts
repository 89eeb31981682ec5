/**
 * Reads a confidence rating 0–10 typed freely: "7", "7/10", "7 sur 10", "sept", "je dirais huit",
 * "seven out of ten", "10 !". Anything unclear (two numbers, out of range, no number) is undefined:
 * the caller asks again with the buttons. Decimals are rounded down ("6,5" → 6: not quite 7).
 */
const WORDS: Readonly<Record<string, number>> = {
  zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  one: 1, two: 2, three: 3, four: 4, five: 5, seven: 7, eight: 8, nine: 9, ten: 10,
};
/** Words that are also articles or pronouns: a number only when they are the whole answer. */
const AMBIGUOUS = new Set(['un', 'une', 'one']);

export function readConfidence(text: string | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const said = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  if (!said || said.length > 40) return undefined;
  const withoutScale = said.replace(/\s*(?:\/|sur|out of|on)\s*(?:10|dix|ten)\b/g, ' ');
  const tokens = withoutScale.split(/[^a-z0-9.,]+/).map((token) => token.replace(/^[.,]+|[.,]+$/g, '')).filter(Boolean);
  const found: number[] = [];
  for (const token of tokens) {
    if (/^\d+(?:[.,]\d+)?$/.test(token)) found.push(Math.floor(Number(token.replace(',', '.'))));
    else if (token in WORDS && (!AMBIGUOUS.has(token) || tokens.length === 1)) found.push(WORDS[token]);
  }
  const distinct = [...new Set(found)];
  if (distinct.length !== 1) return undefined;
  const value = distinct[0];
  return Number.isInteger(value) && value >= 0 && value <= 10 ? value : undefined;
}
