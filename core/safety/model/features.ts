/**
 * Features of the learned stage of the risk screen: hashed words, word pairs and word stems of the
 * skeleton text (see normalize.ts), plus what the lexicon found. Hashing keeps scoring allocation-
 * light and the model a fixed-size array; collisions are rare at FEATURE_BITS and only add noise.
 *
 * Pairs are taken within a sentence, up to PAIR_WINDOW words apart, so "veux ... mourir" and
 * "want to ... die" are seen whatever sits between them; a sentence end never joins two sentences.
 */

export const FEATURE_BITS = 20;
export const FEATURE_MASK = (1 << FEATURE_BITS) - 1;
/** Words at most this far apart form a pair feature. */
export const PAIR_WINDOW = 3;
/** Words of at least this length also give their first STEM_LENGTH letters (tense, gender, typos). */
export const STEM_MIN_LENGTH = 6;
export const STEM_LENGTH = 5;
/** Longest message read, in words (the lexicon still reads MAX_SCREENED_CHARS). */
export const MAX_FEATURE_WORDS = 400;

const enum Tag {
  Word = 1,
  Pair = 2,
  Stem = 3,
  Lexicon = 4,
  SkipPair = 5,
}


/** FNV-1a, 32 bits, of the first `length` characters (all by default). */
export function hashString(text: string, length = text.length): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Word hashes of the message being read (screening is synchronous: one buffer is enough). */
let hashes = new Uint32Array(64);

/** Combine two hashes under a tag (murmur3 finaliser), so "a b" and "b a" differ. */
function combine(tag: number, a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(tag, 0x9e3779b1), 0xcc9e2d51) ^ b;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SENTENCE = '.';

/**
 * Feature hashes of a skeleton text, appended to `out` (cleared first); repeated features repeat.
 * `lexiconHits` are names of what the lexicon matched (entry ids, "category:…", "level:…");
 * `maskedSpans` are [start, end) pairs, in the lexicon's " " + skeleton coordinates, of words a
 * figure of speech or a denial cancelled: those words give no feature (they still join pairs).
 */
export function extractFeatures(skeleton: string, lexiconHits: readonly string[], out: number[], maskedSpans: readonly number[] = []): number[] {
  out.length = 0;
  const words = skeleton.length > 0 ? skeleton.split(' ') : [];
  const n = Math.min(words.length, MAX_FEATURE_WORDS);
  if (hashes.length < n) hashes = new Uint32Array(Math.max(n, hashes.length * 2));
  const masked = skippedWords(words, n, maskedSpans);
  for (let i = 0; i < n; i += 1) {
    const word = words[i] as string;
    const h = hashString(word);
    hashes[i] = h;
    if (word === SENTENCE || masked?.[i]) continue;
    out.push(combine(Tag.Word, h, 0));
    if (word.length >= STEM_MIN_LENGTH) out.push(combine(Tag.Stem, hashString(word, STEM_LENGTH), 0));
    for (let j = i - 1; j >= 0 && j >= i - PAIR_WINDOW; j -= 1) {
      if (words[j] === SENTENCE) break;
      if (masked?.[j]) continue;
      // Next words (a bigram) and words a little apart (a skip pair) are distinct features.
      out.push(combine(i - j === 1 ? Tag.Pair : Tag.SkipPair, hashes[j] as number, h));
    }
  }
  for (const hit of lexiconHits) out.push(combine(Tag.Lexicon, hashString(hit), 0));
  return out;
}

/**
 * Words that give no feature and join no pair: those a figure or a denial masked, and a word that
 * only repeats the one before it ("la la la", pasted junk), which would otherwise add its weight
 * again at every repeat. Undefined when there is none (the usual case: nothing allocated).
 */
function skippedWords(words: readonly string[], n: number, spans: readonly number[]): Uint8Array | undefined {
  let skipped: Uint8Array | undefined;
  for (let i = 1; i < n; i += 1) {
    if (words[i] !== words[i - 1] || words[i] === SENTENCE) continue;
    skipped ??= new Uint8Array(n);
    skipped[i] = 1;
  }
  if (spans.length === 0) return skipped;
  skipped ??= new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < n; i += 1) {
    const first = at + 1;
    const end = first + (words[i] as string).length;
    for (let k = 0; k < spans.length; k += 2) {
      if (first < (spans[k + 1] as number) && end > (spans[k] as number)) skipped[i] = 1;
    }
    at = end;
  }
  return skipped;
}
