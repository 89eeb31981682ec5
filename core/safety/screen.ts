/**
 * Screen one inbound message: normalise it, find which lexicon entries match, drop matches
 * cancelled by figurative speech or denials (only where those cover them), keep the most specific
 * reading of nested matches, and read short answers in the light of the bot's last question.
 *
 * Deterministic and explainable: the result lists the entries that matched. Fast: the text is
 * normalised once, and only the patterns whose anchor words occur in the message are run.
 */
import { answerInContext, type BotQuestion } from './contextAnswer';
import type { CompiledLexicon } from './lexicon';
import { extractFeatures, hashString } from './model/features';
import { likelyCategory, modelLevel, scoreRisk, type RiskModel } from './model/riskModel';
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
  const learned = compiled.model && learnedStageReads(skeleton, compiled, context) ? learnedMatch(skeleton, kept, compiled, compiled.model) : undefined;
  if (kept.length === 0 && !answer && !learned) return emptyScreenResult();

  const matches: ScreenMatch[] = [];
  if (answer) matches.push({ entryId: answer.entryId, category: answer.category, level: answer.level });
  for (const entryIndex of kept) {
    const entry = compiled.entries[entryIndex];
    if (entry) matches.push({ entryId: entry.id, category: entry.category, level: entry.level });
  }
  let level: Level = 'none';
  for (const m of matches) if (levelRank(m.level) > levelRank(level)) level = m.level;
  // The learned stage only ever raises the level: it adds what the lexicon missed, never hides a match.
  if (learned && levelRank(learned.level) > levelRank(level)) {
    matches.push(learned);
    level = learned.level;
  }
  const present = new Set<Category>();
  for (const m of matches) present.add(m.category);
  return { level, categories: CATEGORIES.filter((c) => present.has(c)), matches };
}

/** Answers this short to one of the bot's questions are read by the context rules alone. */
export const SHORT_ANSWER_WORDS = 4;

/**
 * The learned stage reads free text, not what the bot itself offered (a button label sent back)
 * nor a short answer to a question, which contextAnswer.ts reads with the question in mind.
 */
function learnedStageReads(skeleton: string, compiled: CompiledLexicon, context: ScreenContext | undefined): boolean {
  if (skeleton.length === 0 || compiled.botPhrases?.has(skeleton)) return false;
  const question = context?.lastBotQuestion;
  return !question || question === 'none' || skeleton.split(' ').length > SHORT_ANSWER_WORDS;
}

/** Id of the match the learned stage adds (its level says which threshold was crossed). */
export const LEARNED_ENTRY_ID = 'learned';

const featureScratch: number[] = [];

/**
 * The learned stage's reading, when it flags the message. Its category is that of the most severe
 * lexicon match when there is one (the lexicon names things precisely), else the model's guess.
 */
function learnedMatch(skeleton: string, kept: readonly number[], compiled: CompiledLexicon, model: RiskModel): ScreenMatch | undefined {
  const features = extractFeatures(skeleton, lexiconHits(kept, compiled), featureScratch, compiled.scratch.cancelledSpans);
  const level = modelLevel(scoreRisk(model, features));
  if (level === 'none') return undefined;
  let category: Category | undefined;
  let rank = 0;
  for (const index of kept) {
    const entry = compiled.entries[index];
    if (entry && levelRank(entry.level) > rank) {
      rank = levelRank(entry.level);
      category = entry.category;
    }
  }
  return { entryId: LEARNED_ENTRY_ID, category: category ?? likelyCategory(model, features), level };
}

/** The learned stage's features of a message: its words and what the lexicon kept (or cancelled). */
export function riskFeatures(text: string, compiled: CompiledLexicon, out: number[] = []): number[] {
  const { skeleton } = screenForms(text);
  const kept = skeleton.length > 0 ? matchEntries(skeleton, compiled) : [];
  return extractFeatures(skeleton, lexiconHits(kept, compiled), out, compiled.scratch.cancelledSpans);
}

/** Hash of the feature name "cancelled": a figure or a denial cancelled a lexicon match. */
const CANCELLED_HIT = hashString('cancelled');
const hitScratch: number[] = [];

function lexiconHits(kept: readonly number[], compiled: CompiledLexicon): number[] {
  const hits = hitScratch;
  hits.length = 0;
  const table = compiled.entryHits;
  for (const index of kept) {
    if (index * 3 + 2 >= table.length) continue;
    hits.push(table[index * 3] as number, table[index * 3 + 1] as number, table[index * 3 + 2] as number);
  }
  if (compiled.scratch.cancelled) hits.push(CANCELLED_HIT);
  return hits;
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
  compiled.scratch.cancelled = false;
  compiled.scratch.cancelledSpans.length = 0;
  const signals: number[] = [];
  const cancels: number[] = [];
  const words = new Words(normalized, compiled, nextStamp(compiled));
  collectCandidates(words, compiled, signals, cancels);
  // Denials are found even without a signal, and their words give the learned stage no feature:
  // it must not read "I don't want to die" as "want to die". Figures only mask what they cancel.
  const cancelled = cancels.length > 0 ? runPatterns(words, compiled, cancels) : [];
  for (let i = 0; i < cancelled.length; i += 3) {
    if (compiled.entries[cancelled[i] as number]?.kind === 'denial') compiled.scratch.cancelledSpans.push(cancelled[i + 1] as number, cancelled[i + 2] as number);
  }
  if (signals.length === 0) return [];

  const found = runPatterns(words, compiled, signals);
  if (found.length === 0) return [];

  const kept: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < found.length; i += 3) {
    const entry = found[i] as number;
    const start = found[i + 1] as number;
    const end = found[i + 2] as number;
    if (neutralised(cancelled, compiled, start, end)) {
      compiled.scratch.cancelled = true;
      compiled.scratch.cancelledSpans.push(start, end);
      continue;
    }
    if (hiddenByFuller(found, compiled, entry, start, end)) continue;
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
    // A figure cancels a signal that ends inside it, unless the signal reads the whole figure in a
    // fuller phrase ("je vais me laisser MOURIR DE FAIM" is not "mourir de faim").
    if (s < end && compiled.entries[spans[i] as number]?.kind === 'figurative' && !(start < s && end === e)) return true;
  }
  return false;
}

/**
 * Is the signal [start, end) of `entry` inside a match that reads it more fully: a strictly longer
 * one of the same or a more severe level, or any one whose entry `downgrades` (past tense)?
 */
function hiddenByFuller(spans: readonly number[], compiled: CompiledLexicon, entry: number, start: number, end: number): boolean {
  const level = compiled.entries[entry]?.level;
  for (let i = 0; i < spans.length; i += 3) {
    const s = spans[i + 1] as number;
    const e = spans[i + 2] as number;
    if (s > start || end > e || (spans[i] as number) === entry) continue;
    const outer = compiled.entries[spans[i] as number];
    if (!outer) continue;
    // A downgrading reading wins even over an equal span; otherwise only a strictly longer one.
    if (outer.downgrades && !compiled.entries[entry]?.downgrades) return true;
    if (e - s > end - start && (outer.level === level || outer.level === 'crisis')) return true;
  }
  return false;
}

/** The message's words (skeleton form) with where each starts in " " + text (its leading space). */
class Words {
  readonly spaced: string;
  readonly tokens: string[];
  readonly starts: number[];
  /** Vocab id of each token (-1 when no pattern needs that word). */
  readonly ids: Int32Array;
  /** Each vocab id present, once. */
  readonly unique: number[] = [];

  constructor(
    readonly text: string,
    compiled: CompiledLexicon,
    readonly stamp: number,
  ) {
    this.spaced = ` ${text}`;
    this.tokens = text.split(' ');
    this.starts = new Array<number>(this.tokens.length);
    this.ids = new Int32Array(this.tokens.length);
    const present = compiled.scratch.present;
    let at = 0;
    for (let i = 0; i < this.tokens.length; i += 1) {
      const token = this.tokens[i] as string;
      this.starts[i] = at;
      at += token.length + 1;
      const id = compiled.vocab.get(token);
      this.ids[i] = id ?? -1;
      if (id !== undefined && present[id] !== stamp) {
        present[id] = stamp;
        this.unique.push(id);
      }
    }
  }
}

/**
 * Spans [entry, start, end] in the coordinates of " " + text: a pattern is tried (sticky) at each
 * word it can start with, and its match includes that word's leading space; raw regexes scan the
 * text and their spans are shifted to the same coordinates.
 */
function runPatterns(words: Words, compiled: CompiledLexicon, ids: readonly number[]): number[] {
  const spans: number[] = [];
  const { tokens, starts, spaced, text } = words;
  for (const id of ids) {
    const pattern = compiled.patterns[id];
    if (!pattern) continue;
    const re = pattern.regex;
    if (pattern.raw || !pattern.first) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        spans.push(pattern.entry, m.index, m.index + m[0].length + 1);
        if (m[0].length === 0) re.lastIndex += 1;
      }
      continue;
    }
    const first = pattern.first;
    const ids = words.ids;
    let next = 0;
    for (let k = 0; k < tokens.length; k += 1) {
      const start = starts[k] as number;
      if (start < next) continue;
      if (!first.ids.has(ids[k] as number) && (first.stems.length === 0 || !startsWithAny(tokens[k] as string, first.stems))) continue;
      re.lastIndex = start;
      const m = re.exec(spaced);
      if (m && m[0].length > 0) {
        spans.push(pattern.entry, start, start + m[0].length);
        next = start + m[0].length;
      }
    }
  }
  return spans;
}

function startsWithAny(token: string, stems: readonly string[]): boolean {
  for (const stem of stems) if (token.startsWith(stem)) return true;
  return false;
}

/**
 * The patterns worth running: those anchored on a word (or stem) of the message, plus raw regexes
 * without declared words, keeping only those whose other required words are all present.
 */
/** A fresh stamp for this screening call (marks in the scratch arrays older than it are stale). */
function nextStamp(compiled: CompiledLexicon): number {
  const scratch = compiled.scratch;
  scratch.stamp = (scratch.stamp + 1) >>> 0;
  if (scratch.stamp === 0) {
    scratch.seen.fill(0);
    scratch.present.fill(0);
    scratch.satisfied.fill(0);
    scratch.stamp = 1;
  }
  return scratch.stamp;
}

function collectCandidates(words: Words, compiled: CompiledLexicon, signals: number[], cancels: number[]): void {
  const scratch = compiled.scratch;
  const stamp = words.stamp;
  const add = (ids: readonly number[]): void => {
    for (const id of ids) {
      if (scratch.seen[id] === stamp) continue;
      scratch.seen[id] = stamp;
      if (!allRequired(id, compiled, words, stamp)) continue;
      (compiled.patterns[id]?.cancels ? cancels : signals).push(id);
    }
  };
  // Mark the required word sets this message's words satisfy (see CompiledLexicon.setsByWord).
  const satisfied = scratch.satisfied;
  for (const id of words.unique) {
    const sets = compiled.setsByWord[id];
    if (sets) for (let i = 0; i < sets.length; i += 1) satisfied[sets[i] as number] = stamp;
  }
  add(compiled.unanchored);
  for (const id of words.unique) {
    const byWord = compiled.anchoredBy[id];
    if (byWord) add(byWord);
  }
  if (compiled.stemIndex.size === 0) return;
  const firstLetters = compiled.stemFirstLetters;
  for (const key of words.tokens) {
    if (key.length < 3 || !firstLetters.has(key.charCodeAt(0))) continue;
    const stems = compiled.stemIndex.get(key.slice(0, 3));
    if (stems) for (const s of stems) if (key.startsWith(s.stem)) add(s.patterns);
  }
}

/** Does the message have a word (or a stem) of each of the pattern's required sets? */
function allRequired(pattern: number, compiled: CompiledLexicon, words: Words, stamp: number): boolean {
  const { requiredStart, requiredSets, scratch } = compiled;
  const end = requiredStart[pattern + 1] as number;
  for (let r = requiredStart[pattern] as number; r < end; r += 1) {
    const set = requiredSets[r] as number;
    if (scratch.satisfied[set] === stamp) continue;
    const stems = compiled.setStems[set] as readonly string[];
    if (stems.length === 0 || !words.tokens.some((t) => startsWithAny(t, stems))) return false;
  }
  return true;
}
