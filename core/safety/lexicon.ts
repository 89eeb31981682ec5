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
 * - When a signal match lies strictly inside a longer signal match, only the longer one counts:
 *   the fuller phrase is the more precise reading ("j'ai déjà pensé à me tuer" is past ideation,
 *   concern, although "me tuer" alone is crisis).
 *
 * Pattern syntax: see ./pattern.ts (and the header of each lexicon file).
 */
import { compilePattern, PatternError, skeleton } from './pattern';
import { CATEGORIES, isCategory, SIGNAL_LEVELS, type Category, type SignalLevel } from './types';

export interface LexiconEntry {
  readonly id: string;
  readonly category: Category;
  readonly level: SignalLevel;
  readonly patterns: readonly string[];
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
}

/** Words (skeleton form) and stems one of which a message must contain for a pattern to match. */
export interface RequiredWords {
  readonly words: ReadonlySet<string>;
  readonly stems: readonly string[];
}

export interface CompiledPattern {
  readonly regex: RegExp;
  readonly entry: number;
  readonly cancels: boolean;
  /** Checked before running the regex: each set must have a word in the message. */
  readonly requires: readonly RequiredWords[];
}

/** The matcher. Treat as opaque and immutable; build it once and share it. */
export interface CompiledLexicon {
  readonly entries: readonly CompiledEntry[];
  readonly patterns: readonly CompiledPattern[];
  /** Skeleton word → indexes of the patterns it anchors. */
  readonly wordIndex: ReadonlyMap<string, readonly number[]>;
  /** First three letters of a stem → stems and the patterns they anchor. */
  readonly stemIndex: ReadonlyMap<string, readonly { readonly stem: string; readonly patterns: readonly number[] }[]>;
  /** Patterns without anchors (raw regexes): always tried. */
  readonly unanchored: readonly number[];
  /** Per-pattern scratch used to de-duplicate candidates within one screening call. */
  readonly scratch: { stamp: number; readonly seen: Uint32Array };
}

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledLexicon }
  | { readonly ok: false; readonly errors: readonly LexiconError[] };

const ID_FORMAT = /^[a-z0-9][a-z0-9_.-]*$/i;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Check and compile a lexicon. Never throws: every problem comes back as a LexiconError. */
export function compileLexicon(lexicon: Lexicon): CompileResult {
  const errors: LexiconError[] = [];
  const groups = checkGroups(lexicon?.groups, errors);
  const entries: CompiledEntry[] = [];
  const patterns: CompiledPattern[] = [];
  const anchors: Array<{ words: readonly string[]; stems: readonly string[] } | null> = [];
  const seenIds = new Map<string, LexiconSection>();

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
            regex: new RegExp(compiled.source, 'g'),
            entry: entryIndex,
            cancels: kind !== 'signal',
            requires: compiled.requires.map((r) => ({ words: new Set(r.words), stems: r.stems })),
          });
          anchors.push(compiled.anchors);
        } catch (error) {
          const reason = error instanceof PatternError ? error.message : `could not be compiled (${String(error)})`;
          errors.push({ section, index, id: entry.compiled.id, patternIndex, message: `${where} ${reason}` });
        }
      });
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, compiled: buildIndex(entries, patterns, anchors) };
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

function checkGroups(raw: unknown, errors: LexiconError[]): Record<string, string> {
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
  // Each group must itself be a valid pattern, so a broken group is reported once, at the group.
  for (const [index, name] of Object.keys(groups).entries()) {
    try {
      compilePattern(groups[name] as string, groups);
    } catch (error) {
      const reason = error instanceof PatternError ? error.message : String(error);
      errors.push({ section: 'groups', index, id: name, message: `group '${name}' ${reason}` });
    }
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
    },
    patterns: patterns as string[],
  };
}

function buildIndex(
  entries: CompiledEntry[],
  patterns: CompiledPattern[],
  anchors: ReadonlyArray<{ words: readonly string[]; stems: readonly string[] } | null>,
): CompiledLexicon {
  const wordIndex = new Map<string, number[]>();
  const stemMap = new Map<string, Map<string, number[]>>();
  const unanchored: number[] = [];
  anchors.forEach((set, patternIndex) => {
    if (!set) {
      unanchored.push(patternIndex);
      return;
    }
    for (const word of set.words) push(wordIndex, skeleton(word), patternIndex);
    for (const stem of set.stems) {
      const key = stem.slice(0, 3);
      const byStem = stemMap.get(key) ?? new Map<string, number[]>();
      stemMap.set(key, byStem);
      push(byStem, stem, patternIndex);
    }
  });
  const stemIndex = new Map<string, { stem: string; patterns: number[] }[]>();
  for (const [key, byStem] of stemMap) stemIndex.set(key, [...byStem].map(([stem, ids]) => ({ stem, patterns: ids })));
  return {
    entries,
    patterns,
    wordIndex,
    stemIndex,
    unanchored,
    scratch: { stamp: 0, seen: new Uint32Array(patterns.length) },
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}
