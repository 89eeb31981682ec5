/**
 * The safety lexicon: what content editors write (types below, filled from
 * content/<locale>/safety-lexicon.yaml), and `compileLexicon`, which checks every pattern and
 * turns the whole lexicon into one matcher built once at start-up.
 *
 * - `entries` are signals: a category, a level (concern | crisis) and patterns.
 * - `figurative` (e.g. "mourir de rire", "killing it") and `denials` (e.g. "je ne suis pas
 *   suicidaire") are neutralisers. A signal match lying entirely inside a denial match does not
 *   count; a signal match whose end lies inside a figurative match does not count either (the
 *   figure is about the sense of one word: "je vais MOURIR DE RIRE" cancels "je vais mourir").
 *   Only the span they cover is cancelled; a real signal elsewhere in the message still counts,
 *   so "je ne suis pas suicidaire mais je veux mourir" is still flagged.
 * - When a signal match lies strictly inside a longer signal match of the same or a more severe
 *   level, only the longer one counts. A milder longer match hides a more severe one only when its
 *   entry says `downgrades` (past tense: "j'ai déjà pensé à me tuer" is past ideation, concern,
 *   although "me tuer" alone is crisis); otherwise the severe reading stands.
 *
 * Pattern syntax: see ./pattern.ts (and the header of each lexicon file).
 */
import { hashString } from './model/features';
import type { RiskModel } from './model/riskModel';
import { compilePattern, PatternError, skeleton } from './pattern';
import { CATEGORIES, isCategory, SIGNAL_LEVELS, type Category, type SignalLevel } from './types';

export interface LexiconEntry {
  readonly id: string;
  readonly category: Category;
  readonly level: SignalLevel;
  readonly patterns: readonly string[];
  /**
   * A match of this entry is a fuller, milder reading of the more severe matches inside it (past
   * tense: "j'ai déjà pensé à me tuer quand j'étais ado" is concern although "me tuer" is crisis).
   * Without it, a longer match only hides shorter matches of the same or a milder level.
   */
  readonly downgrades?: boolean;
}

export interface NeutraliserEntry {
  readonly id: string;
  readonly patterns: readonly string[];
}

export interface Lexicon {
  /** Reusable alternatives, referenced in patterns as `@name`. */
  readonly groups?: Readonly<Record<string, string>>;
  readonly entries: readonly LexiconEntry[];
  readonly figurative?: readonly NeutraliserEntry[];
  readonly denials?: readonly NeutraliserEntry[];
}

export type LexiconSection = 'groups' | 'entries' | 'figurative' | 'denials';

/** A problem in the lexicon, with where it is, so a loader can point at the file and line. */
export interface LexiconError {
  readonly section: LexiconSection;
  /** Index of the entry in its section (for groups: the group's position). */
  readonly index: number;
  readonly id: string;
  /** Index of the pattern in the entry's `patterns`, when the problem is one pattern. */
  readonly patternIndex?: number;
  readonly message: string;
}

export type EntryKind = 'signal' | 'figurative' | 'denial';

export interface CompiledEntry {
  readonly id: string;
  readonly kind: EntryKind;
  /** For neutralisers: not meaningful (they carry no category). */
  readonly category: Category;
  readonly level: SignalLevel;
  /** See LexiconEntry.downgrades. */
  readonly downgrades: boolean;
}

/** Words a match can start with, as vocab ids, and stems. */
export interface FirstWords {
  readonly ids: ReadonlySet<number>;
  readonly stems: readonly string[];
}

export interface CompiledPattern {
  /** Runs on " " + skeleton text, or on the skeleton itself when `raw` (an editor's `regex:`). */
  readonly regex: RegExp;
  readonly raw: boolean;
  readonly entry: number;
  readonly cancels: boolean;
  /** Words a match can start with (the regex is sticky and tried at those words only); null for raw regexes. */
  readonly first: FirstWords | null;
}

/** The matcher. Treat as opaque and immutable; build it once and share it. */
export interface CompiledLexicon {
  readonly entries: readonly CompiledEntry[];
  readonly patterns: readonly CompiledPattern[];
  /** Skeleton word → indexes of the patterns it anchors. */
  readonly wordIndex: ReadonlyMap<string, readonly number[]>;
  /** The same by vocab id (undefined: the word anchors nothing). */
  readonly anchoredBy: ReadonlyArray<readonly number[] | undefined>;
  /** First three letters of a stem → stems and the patterns they anchor. */
  readonly stemIndex: ReadonlyMap<string, readonly { readonly stem: string; readonly patterns: readonly number[] }[]>;
  /** Patterns without anchors (raw regexes): always tried. */
  readonly unanchored: readonly number[];
  /**
   * Required word sets: before running a pattern's regex, the screen checks that the message has
   * a word (or a stem) of each of the pattern's sets, which skips most runs cheaply. Pattern p's
   * sets are `requiredSets[requiredStart[p] .. requiredStart[p + 1])`, flat so that the check
   * reads contiguous memory; equal sets (many patterns share "je|j|jai…") are numbered once.
   */
  readonly requiredStart: Int32Array;
  readonly requiredSets: Int32Array;
  /** Stems of each required set (usually none). */
  readonly setStems: ReadonlyArray<readonly string[]>;
  /**
   * Vocab id → the required sets holding that word: the screen marks the sets of the message's
   * words once, then checks a pattern's sets with one read each.
   */
  readonly setsByWord: ReadonlyArray<Int32Array | undefined>;
  /** Every word of `requires` and `first` sets, numbered. */
  readonly vocab: ReadonlyMap<string, number>;
  /**
   * Scratch for one screening call (screening is synchronous, so one per lexicon is enough):
   * `seen` de-duplicates candidate patterns, `present` marks the vocab words of the message,
   * `satisfied` the required word sets they belong to.
   */
  readonly scratch: {
    stamp: number;
    readonly seen: Uint32Array;
    readonly present: Uint32Array;
    /** Stamp of the message whose words satisfy each required word set. */
    readonly satisfied: Uint32Array;
    cancelled: boolean;
    readonly cancelledSpans: number[];
  };
  /**
   * Per entry, the learned stage's three lexicon features (hashes of its id, "category:…" and
   * "level:…"; see model/features.ts), hashed once here instead of at every message.
   */
  readonly entryHits: Uint32Array;
  /** The stems' first letters (char codes): most words start with none, and skip the stem lookup. */
  readonly stemFirstLetters: ReadonlySet<number>;
  /** The learned stage (model/riskModel.ts), trained from the example files; absent: lexicon only. */
  readonly model?: RiskModel;
  /** Skeletons of the bot's own short texts (button labels people tap): the learned stage skips them. */
  readonly botPhrases?: ReadonlySet<string>;
}

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledLexicon }
  | { readonly ok: false; readonly errors: readonly LexiconError[] };

const ID_FORMAT = /^[a-z0-9][a-z0-9_.-]*$/i;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Check and compile a lexicon. Never throws: every problem comes back as a LexiconError. */
export function compileLexicon(lexicon: Lexicon): CompileResult {
  const errors: LexiconError[] = [];
  const broken = new Set<string>();
  const groups = checkGroups(lexicon?.groups, errors, broken);
  const entries: CompiledEntry[] = [];
  const patterns: CompiledPattern[] = [];
  const anchors: Array<{ words: readonly string[]; stems: readonly string[] } | null> = [];
  const seenIds = new Map<string, LexiconSection>();
  const vocab = new Map<string, number>();
  const idOf = (word: string): number => {
    let id = vocab.get(word);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(word, id);
    }
    return id;
  };
  // Equal word sets (many patterns share "je|j|jai…") are numbered once.
  const sets: RequiredSets = { members: [], stems: [], byKey: new Map(), ofPattern: [] };
  const requiredSetIndex = (ids: number[], stems: readonly string[]): number => {
    const members = [...new Set(ids)].sort((a, b) => a - b);
    const key = `${members.join(',')}|${[...stems].sort().join(',')}`;
    let index = sets.byKey.get(key);
    if (index === undefined) {
      index = sets.members.length;
      sets.members.push(members);
      sets.stems.push(stems);
      sets.byKey.set(key, index);
    }
    return index;
  };

  const sections: Array<[LexiconSection, EntryKind, readonly unknown[] | undefined]> = [
    ['entries', 'signal', lexicon?.entries],
    ['figurative', 'figurative', lexicon?.figurative],
    ['denials', 'denial', lexicon?.denials],
  ];
  for (const [section, kind, list] of sections) {
    if (list === undefined && section !== 'entries') continue;
    if (!Array.isArray(list)) {
      errors.push({ section, index: 0, id: '', message: `the '${section}' section must be a list` });
      continue;
    }
    list.forEach((raw, index) => {
      const entry = checkEntry(raw, section, kind, index, seenIds, errors);
      if (!entry) return;
      const entryIndex = entries.length;
      entries.push(entry.compiled);
      entry.patterns.forEach((pattern, patternIndex) => {
        const where = `pattern ${patternIndex + 1} of ${describe(section)} ${entry.compiled.id}`;
        try {
          const compiled = compilePattern(pattern, groups);
          patterns.push({
            regex: new RegExp(compiled.source, compiled.raw ? 'g' : 'y'),
            raw: compiled.raw,
            first: compiled.first && { ids: new Set(compiled.first.words.map(idOf)), stems: compiled.first.stems },
            entry: entryIndex,
            cancels: kind !== 'signal',
          });
          sets.ofPattern.push(compiled.requires.map((r) => requiredSetIndex(r.words.map(idOf), r.stems)));
          anchors.push(compiled.anchors);
        } catch (error) {
          // A pattern that uses a broken group is not reported again: the group's problem says it.
          if (usesGroup(pattern, broken)) return;
          const reason = error instanceof PatternError ? error.message : `could not be compiled (${String(error)})`;
          errors.push({ section, index, id: entry.compiled.id, patternIndex, message: `${where} ${reason}` });
        }
      });
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, compiled: buildIndex(entries, patterns, anchors, vocab, sets) };
}

/** Like compileLexicon, but throws one Error listing every problem (for start-up code and tests). */
export function compileLexiconOrThrow(lexicon: Lexicon): CompiledLexicon {
  const result = compileLexicon(lexicon);
  if (result.ok) return result.compiled;
  throw new Error(`The safety lexicon is invalid:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
}

function describe(section: LexiconSection): string {
  return section === 'entries' ? 'entry' : section === 'figurative' ? 'figurative entry' : 'denial';
}

function usesGroup(pattern: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (const m of pattern.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)) if (names.has(m[1] as string)) return true;
  return false;
}

function checkGroups(raw: unknown, errors: LexiconError[], broken: Set<string>): Record<string, string> {
  const groups: Record<string, string> = {};
  if (raw === undefined || raw === null) return groups;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({ section: 'groups', index: 0, id: '', message: "'groups' must map names to patterns" });
    return groups;
  }
  Object.entries(raw as Record<string, unknown>).forEach(([name, body], index) => {
    if (!GROUP_NAME.test(name)) {
      errors.push({ section: 'groups', index, id: name, message: `group '${name}' must be named with letters, digits or _` });
    } else if (typeof body !== 'string' || body.trim() === '') {
      errors.push({ section: 'groups', index, id: name, message: `group '${name}' must be a non-empty pattern text` });
    } else {
      groups[name] = body;
    }
  });
  // Each group must itself be a valid pattern. A broken group is reported once, at the group; the
  // groups and patterns that merely use it are not reported again.
  const failures: Array<[number, string, string]> = [];
  for (const [index, name] of Object.keys(groups).entries()) {
    try {
      compilePattern(groups[name] as string, groups);
    } catch (error) {
      // A group of words the matcher ignores ("juste", "vraiment") may come out all optional:
      // that is fine for a group, which is used inside patterns.
      if (error instanceof PatternError && error.message.endsWith('has only optional parts')) continue;
      broken.add(name);
      failures.push([index, name, error instanceof PatternError ? error.message : String(error)]);
    }
  }
  for (const [index, name, reason] of failures) {
    const others = new Set([...broken].filter((other) => other !== name));
    if (usesGroup(groups[name] as string, others) && !reason.includes('loop')) continue;
    errors.push({ section: 'groups', index, id: name, message: `group '${name}' ${reason}` });
  }
  return groups;
}

function checkEntry(
  raw: unknown,
  section: LexiconSection,
  kind: EntryKind,
  index: number,
  seenIds: Map<string, LexiconSection>,
  errors: LexiconError[],
): { compiled: CompiledEntry; patterns: readonly string[] } | undefined {
  const at = `${describe(section)} ${index + 1} of '${section}'`;
  if (!raw || typeof raw !== 'object') {
    errors.push({ section, index, id: '', message: `${at} must have an id and patterns` });
    return undefined;
  }
  const e = raw as Record<string, unknown>;
  const id = typeof e.id === 'string' ? e.id : '';
  const problems: string[] = [];
  if (!ID_FORMAT.test(id)) problems.push(`${at} needs an id made of letters, digits, '.', '_' or '-'`);
  else if (seenIds.has(id)) problems.push(`${describe(section)} ${id} uses an id already used in '${seenIds.get(id)}'`);
  const name = id || at;
  if (kind === 'signal') {
    if (!isCategory(e.category)) problems.push(`entry ${name} has category '${String(e.category)}'; use one of ${CATEGORIES.join(', ')}`);
    if (!(SIGNAL_LEVELS as readonly unknown[]).includes(e.level)) {
      problems.push(`entry ${name} has level '${String(e.level)}'; use concern or crisis`);
    }
  }
  const patterns = e.patterns;
  if (!Array.isArray(patterns) || patterns.length === 0) problems.push(`${describe(section)} ${name} has no patterns`);
  else if (patterns.some((p) => typeof p !== 'string')) problems.push(`${describe(section)} ${name} has a pattern that is not text`);
  if (problems.length > 0) {
    for (const message of problems) errors.push({ section, index, id, message });
    return undefined;
  }
  seenIds.set(id, section);
  return {
    compiled: {
      id,
      kind,
      category: kind === 'signal' ? (e.category as Category) : 'suicidal_ideation',
      level: kind === 'signal' ? (e.level as SignalLevel) : 'concern',
      downgrades: kind === 'signal' && e.downgrades === true,
    },
    patterns: patterns as string[],
  };
}

function buildIndex(
  entries: CompiledEntry[],
  patterns: CompiledPattern[],
  anchors: ReadonlyArray<{ words: readonly string[]; stems: readonly string[] } | null>,
  vocab: Map<string, number>,
  sets: RequiredSets,
): CompiledLexicon {
  const wordIndex = new Map<string, number[]>();
  const byId: number[][] = [];
  const stemMap = new Map<string, Map<string, number[]>>();
  const unanchored: number[] = [];
  anchors.forEach((set, patternIndex) => {
    if (!set) {
      unanchored.push(patternIndex);
      return;
    }
    for (const word of set.words) {
      const key = skeleton(word);
      push(wordIndex, key, patternIndex);
      let id = vocab.get(key);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(key, id);
      }
      const list = (byId[id] ??= []);
      if (list[list.length - 1] !== patternIndex) list.push(patternIndex);
    }
    for (const stem of set.stems) {
      const key = stem.slice(0, 3);
      const byStem = stemMap.get(key) ?? new Map<string, number[]>();
      stemMap.set(key, byStem);
      push(byStem, stem, patternIndex);
    }
  });
  const stemIndex = new Map<string, { stem: string; patterns: number[] }[]>();
  for (const [key, byStem] of stemMap) stemIndex.set(key, [...byStem].map(([stem, ids]) => ({ stem, patterns: ids })));
  const setLists: number[][] = [];
  sets.members.forEach((members, index) => {
    for (const id of members) (setLists[id] ??= []).push(index);
  });
  const requiredStart = new Int32Array(sets.ofPattern.length + 1);
  sets.ofPattern.forEach((list, p) => {
    requiredStart[p + 1] = (requiredStart[p] as number) + list.length;
  });
  const entryHits = new Uint32Array(entries.length * 3);
  entries.forEach((entry, i) => {
    entryHits[i * 3] = hashString(entry.id);
    entryHits[i * 3 + 1] = hashString(`category:${entry.category}`);
    entryHits[i * 3 + 2] = hashString(`level:${entry.level}`);
  });
  return {
    entries,
    patterns,
    entryHits,
    stemFirstLetters: new Set([...stemIndex.keys()].map((key) => key.charCodeAt(0))),
    wordIndex,
    anchoredBy: Array.from({ length: vocab.size }, (_, id) => byId[id]),
    requiredStart,
    requiredSets: Int32Array.from(sets.ofPattern.flat()),
    setStems: sets.stems,
    setsByWord: Array.from({ length: vocab.size }, (_, id) => (setLists[id] ? Int32Array.from(setLists[id]) : undefined)),
    stemIndex,
    unanchored,
    vocab,
    scratch: { stamp: 0, seen: new Uint32Array(patterns.length), present: new Uint32Array(vocab.size), satisfied: new Uint32Array(sets.members.length), cancelled: false, cancelledSpans: [] },
  };
}

/** Required word sets while compiling (see CompiledLexicon.requiredSets). */
interface RequiredSets {
  readonly members: number[][];
  readonly stems: (readonly string[])[];
  readonly byKey: Map<string, number>;
  /** Per pattern, in pattern order: its set indexes. */
  readonly ofPattern: number[][];
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}
