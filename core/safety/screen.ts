/**
 * Screen one inbound message: normalise it, find which lexicon entries match, drop matches
 * cancelled by figurative speech or denials (only where those cover them), keep the most specific
 * reading of nested matches, and read short answers in the light of the bot's last question.
 *
 * Deterministic and explainable: the result lists the entries that matched. Fast: the text is
 * normalised once, and only the patterns whose anchor words occur in the message are run.
 */
import { answerInContext, type BotQuestion } from './contextAnswer';
import type { CompiledLexicon, RequiredWords } from './lexicon';
import { screenForms } from './normalize';
import { CATEGORIES, levelRank, type Category, type Level, type SignalLevel } from './types';

export type { BotQuestion } from './contextAnswer';

export interface ScreenContext {
  /** What the bot asked just before this message, so short answers can be read in context. */
  readonly lastBotQuestion?: BotQuestion;
}

export interface ScreenMatch {
  readonly entryId: string;
  readonly category: Category;
  readonly level: SignalLevel;
}

export interface ScreenResult {
  readonly level: Level;
  readonly categories: Category[];
  readonly matches: ScreenMatch[];
}

export function screenMessage(text: string, compiled: CompiledLexicon, context?: ScreenContext): ScreenResult {
  const { normalized, skeleton } = screenForms(text);
  const kept = skeleton.length > 0 ? matchEntries(skeleton, compiled) : [];
  const answer = answerInContext(normalized, context?.lastBotQuestion);
  if (kept.length === 0 && !answer) return emptyScreenResult();

  const matches: ScreenMatch[] = [];
  if (answer) matches.push({ entryId: answer.entryId, category: answer.category, level: answer.level });
  for (const entryIndex of kept) {
    const entry = compiled.entries[entryIndex];
    if (entry) matches.push({ entryId: entry.id, category: entry.category, level: entry.level });
  }
  let level: Level = 'none';
  const present = new Set<Category>();
  for (const m of matches) {
    if (levelRank(m.level) > levelRank(level)) level = m.level;
    present.add(m.category);
  }
  return { level, categories: CATEGORIES.filter((c) => present.has(c)), matches };
}

/** An empty result, for callers that skip screening (e.g. messages without text). */
export function emptyScreenResult(): ScreenResult {
  return { level: 'none', categories: [], matches: [] };
}

/**
 * Entry indexes whose matches survive neutralisation, in order of first appearance in the text.
 * `text` is the skeleton of the normalised message (see pattern.ts). Spans are kept as flat number
 * triples [entry, start, end] to avoid an object per match.
 */
function matchEntries(normalized: string, compiled: CompiledLexicon): number[] {
  const signals: number[] = [];
  const cancels: number[] = [];
  collectCandidates(normalized, compiled, signals, cancels);
  if (signals.length === 0) return [];

  const found = runPatterns(normalized, compiled, signals);
  if (found.length === 0) return [];
  const cancelled = cancels.length > 0 ? runPatterns(normalized, compiled, cancels) : [];

  const kept: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < found.length; i += 3) {
    const entry = found[i] as number;
    const start = found[i + 1] as number;
    const end = found[i + 2] as number;
    if (neutralised(cancelled, compiled, start, end) || covered(found, start, end, true)) continue;
    if (!kept.includes(entry)) {
      kept.push(entry);
      order.push(start);
    }
  }
  return kept.map((entry, i) => [entry, order[i] as number] as const).sort((a, b) => a[1] - b[1]).map(([entry]) => entry);
}

/**
 * Is the signal [start, end) cancelled by a neutraliser span? A denial must contain the whole
 * signal ("je ne suis pas suicidaire"); a figure of speech only needs to contain the signal's end
 * ("je vais MOURIR DE RIRE" cancels "je vais mourir"), since figures are about one word's sense.
 */
function neutralised(spans: readonly number[], compiled: CompiledLexicon, start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 3) {
    const s = spans[i + 1] as number;
    const e = spans[i + 2] as number;
    if (end > e) continue;
    if (s <= start) return true;
    if (s < end && compiled.entries[spans[i] as number]?.kind === 'figurative') return true;
  }
  return false;
}

/** Is [start, end) inside one of `spans` (strictly longer ones only when `strict`)? */
function covered(spans: readonly number[], start: number, end: number, strict: boolean): boolean {
  for (let i = 0; i < spans.length; i += 3) {
    const s = spans[i + 1] as number;
    const e = spans[i + 2] as number;
    if (s <= start && end <= e && (!strict || e - s > end - start)) return true;
  }
  return false;
}

function runPatterns(normalized: string, compiled: CompiledLexicon, ids: readonly number[]): number[] {
  const spans: number[] = [];
  for (const id of ids) {
    const pattern = compiled.patterns[id];
    if (!pattern) continue;
    const re = pattern.regex;
    re.lastIndex = 0;
    for (let m = re.exec(normalized); m; m = re.exec(normalized)) {
      spans.push(pattern.entry, m.index, m.index + m[0].length);
      if (m[0].length === 0) re.lastIndex += 1;
    }
  }
  return spans;
}

/**
 * The patterns worth running: those anchored on a word (or stem) of the message, plus raw regexes
 * without declared words, keeping only those whose other required words are all present.
 */
function collectCandidates(normalized: string, compiled: CompiledLexicon, signals: number[], cancels: number[]): void {
  const scratch = compiled.scratch;
  scratch.stamp = (scratch.stamp + 1) >>> 0;
  if (scratch.stamp === 0) {
    scratch.seen.fill(0);
    scratch.stamp = 1;
  }
  const stamp = scratch.stamp;
  const tokens = normalized.split(' ');
  const tokenSet = new Set(tokens);
  const add = (ids: readonly number[]): void => {
    for (const id of ids) {
      if (scratch.seen[id] === stamp) continue;
      scratch.seen[id] = stamp;
      const pattern = compiled.patterns[id];
      if (!pattern || !allRequired(pattern.requires, tokens, tokenSet)) continue;
      (pattern.cancels ? cancels : signals).push(id);
    }
  };
  add(compiled.unanchored);
  const useStems = compiled.stemIndex.size > 0;
  for (const key of tokenSet) {
    if (key.length === 0) continue;
    const byWord = compiled.wordIndex.get(key);
    if (byWord) add(byWord);
    if (useStems && key.length >= 3) {
      const stems = compiled.stemIndex.get(key.slice(0, 3));
      if (stems) for (const s of stems) if (key.startsWith(s.stem)) add(s.patterns);
    }
  }
}

function allRequired(requires: readonly RequiredWords[], tokens: readonly string[], tokenSet: ReadonlySet<string>): boolean {
  for (const required of requires) if (!present(required, tokens, tokenSet)) return false;
  return true;
}

function present(required: RequiredWords, tokens: readonly string[], tokenSet: ReadonlySet<string>): boolean {
  const words = required.words;
  if (words.size <= tokens.length) {
    for (const w of words) if (tokenSet.has(w)) return true;
  } else {
    for (const t of tokens) if (words.has(t)) return true;
  }
  for (const stem of required.stems) for (const t of tokens) if (t.startsWith(stem)) return true;
  return false;
}
