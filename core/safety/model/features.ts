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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, of the characters of `text` from `start` to `end` (all by default). */
export function hashString(text: string, start = 0, end = text.length): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Per word of the message being read: its hash, where it starts and its length (screening is
 * synchronous: one set of buffers is enough). Words are read in place, never split into strings.
 */
let hashes = new Uint32Array(64);
let starts = new Int32Array(64);
let lengths = new Int32Array(64);
let skipped = new Uint8Array(64);

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

/**
 * Feature hashes of a skeleton text, appended to `out` (cleared first); repeated features repeat.
 * `lexiconHits` are the hashes (`hashString`) of the names of what the lexicon matched (entry ids,
 * "category:…", "level:…"), hashed once when the lexicon is compiled;
 * `maskedSpans` are [start, end) pairs, in the lexicon's " " + skeleton coordinates, of words a
 * figure of speech or a denial cancelled: those words give no feature (they still join pairs).
 */
export function extractFeatures(skeleton: string, lexiconHits: readonly number[], out: number[], maskedSpans: readonly number[] = []): number[] {
  out.length = 0;
  const n = readWords(skeleton);
  markSkipped(skeleton, n, maskedSpans);
  for (let i = 0; i < n; i += 1) {
    const h = hashes[i] as number;
    if (isSentenceEnd(skeleton, i) || skipped[i]) continue;
    out.push(combine(Tag.Word, h, 0));
    if ((lengths[i] as number) >= STEM_MIN_LENGTH) out.push(combine(Tag.Stem, hashString(skeleton, starts[i] as number, (starts[i] as number) + STEM_LENGTH), 0));
    for (let j = i - 1; j >= 0 && j >= i - PAIR_WINDOW; j -= 1) {
      if (isSentenceEnd(skeleton, j)) break;
      if (skipped[j]) continue;
      // Next words (a bigram) and words a little apart (a skip pair) are distinct features.
      out.push(combine(i - j === 1 ? Tag.Pair : Tag.SkipPair, hashes[j] as number, h));
    }
  }
  for (let i = 0; i < lexiconHits.length; i += 1) out.push(combine(Tag.Lexicon, lexiconHits[i] as number, 0));
  return out;
}

const SPACE = 32;
const DOT = 46;

/**
 * Fill the word buffers with the words of `text` as `text.split(' ')` would cut them (empty ones
 * included), up to MAX_FEATURE_WORDS; returns how many. The empty text has no word.
 */
function readWords(text: string): number {
  if (text.length === 0) return 0;
  const max = Math.min(MAX_FEATURE_WORDS, text.length + 1);
  if (hashes.length < max) grow(max);
  let n = 0;
  let start = 0;
  // hashString of each word, computed as the text is scanned.
  let h = FNV_OFFSET;
  for (let i = 0; i <= text.length && n < MAX_FEATURE_WORDS; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : SPACE;
    if (code !== SPACE) {
      h = Math.imul(h ^ code, FNV_PRIME);
      continue;
    }
    hashes[n] = h >>> 0;
    starts[n] = start;
    lengths[n] = i - start;
    n += 1;
    start = i + 1;
    h = FNV_OFFSET;
  }
  return n;
}

function grow(size: number): void {
  const next = Math.max(size, hashes.length * 2);
  hashes = new Uint32Array(next);
  starts = new Int32Array(next);
  lengths = new Int32Array(next);
  skipped = new Uint8Array(next);
}

function isSentenceEnd(text: string, word: number): boolean {
  return lengths[word] === 1 && text.charCodeAt(starts[word] as number) === DOT;
}

function sameWord(text: string, a: number, b: number): boolean {
  const length = lengths[a] as number;
  if (length !== lengths[b] || hashes[a] !== hashes[b]) return false;
  const sa = starts[a] as number;
  const sb = starts[b] as number;
  for (let k = 0; k < length; k += 1) if (text.charCodeAt(sa + k) !== text.charCodeAt(sb + k)) return false;
  return true;
}

/**
 * Mark the words that give no feature and join no pair: those a figure or a denial masked, and a
 * word that only repeats the one before it ("la la la", pasted junk), which would otherwise add
 * its weight again at every repeat.
 */
function markSkipped(text: string, n: number, spans: readonly number[]): void {
  skipped.fill(0, 0, n);
  for (let i = 1; i < n; i += 1) if (sameWord(text, i, i - 1) && !isSentenceEnd(text, i)) skipped[i] = 1;
  if (spans.length === 0) return;
  for (let i = 0; i < n; i += 1) {
    // Word i covers [first, end) in the lexicon's " " + text coordinates.
    const first = (starts[i] as number) + 1;
    const end = first + (lengths[i] as number);
    for (let k = 0; k < spans.length; k += 2) {
      if (first < (spans[k + 1] as number) && end > (spans[k] as number)) skipped[i] = 1;
    }
  }
}
