import { join } from 'node:path';
import { z } from 'zod';
import { compileLexicon, type CompiledLexicon, type Lexicon, type LexiconEntry, type LexiconError, type NeutraliserEntry } from '../core/safety/lexicon';
import { screenMessage } from '../core/safety/screen';
import { CATEGORIES, SIGNAL_LEVELS } from '../core/safety/types';
import { checkCorpusTargets } from './safetyCorpus';
import { YamlFile, type ContentProblem } from './yamlFile';
import { loadSafetyExamples } from './safetyExamples';
import { botPhrases, screenModel } from './safetyModel';
import { defaultModelCacheDir } from './safetyModelCache';
import { zodProblems } from './zodProblems';

export { measureCorpus, checkCorpusTargets, SAFETY_TARGETS, type CorpusReport } from './safetyCorpus';

/**
 * The safety lexicon content: content/fr-CA/safety-lexicon.yaml and content/en-CA/safety-lexicon.yaml
 * are read with their line numbers, checked against the schema below, merged into one lexicon
 * (every language's patterns screen every message: people mix languages), compiled, and
 * self-checked with the examples editors write next to each entry. Every problem points at a
 * file and line, phrased for an editor.
 */

export const SAFETY_LEXICON_FILES = ['fr-CA/safety-lexicon.yaml', 'en-CA/safety-lexicon.yaml'] as const;

const ID = /^[a-z0-9][a-z0-9_.-]*$/i;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const patternText = z.string({ message: 'should be a pattern text in quotes' }).trim().min(1, { message: 'should not be empty' });
const patternList = z.array(patternText, { message: 'should be a list of patterns' }).min(1, { message: 'should list at least one pattern' });
const exampleList = z.array(z.string({ message: 'should be a text in quotes' }).trim().min(1), { message: 'should be a list of texts' });
const id = z.string({ message: 'should be an id' }).regex(ID, { message: "should be an id made of letters, digits, '.', '_' or '-'" });

const entrySchema = z.strictObject({
  id,
  category: z.enum(CATEGORIES, { message: `should be one of ${CATEGORIES.join(', ')}` }),
  level: z.enum(SIGNAL_LEVELS, { message: 'should be concern or crisis' }),
  note: z.string().optional(),
  /** A match of this entry hides the more severe matches inside it (see core/safety/lexicon.ts). */
  downgrades: z.boolean({ message: 'should be true or false' }).optional(),
  patterns: patternList,
  /** Messages this entry must flag (checked by the content check). */
  examples: exampleList.optional(),
});

const neutraliserSchema = z.strictObject({
  id,
  note: z.string().optional(),
  patterns: patternList,
  /** Messages this neutraliser must leave unflagged (checked by the content check). */
  examples: exampleList.optional(),
});

const fileSchema = z.strictObject({
  groups: z
    .record(z.string().regex(GROUP_NAME, { message: 'group names use letters, digits and _' }), patternText)
    .optional(),
  entries: z.array(entrySchema, { message: 'should be a list of entries' }).default([]),
  figurative: z.array(neutraliserSchema, { message: 'should be a list' }).optional(),
  denials: z.array(neutraliserSchema, { message: 'should be a list' }).optional(),
});

type SafetyFile = z.infer<typeof fileSchema>;
type Section = 'entries' | 'figurative' | 'denials';
const SECTIONS: readonly Section[] = ['entries', 'figurative', 'denials'];

export interface SafetyLexiconResult {
  readonly lexicon?: Lexicon;
  readonly compiled?: CompiledLexicon;
  readonly problems: ContentProblem[];
  /** Whether the learned stage's model was read from the cache or trained (absent: no model). */
  readonly modelSource?: 'cache' | 'trained';
}

interface Origin {
  readonly file: YamlFile;
  readonly index: number;
}

/**
 * Load, check, merge and compile both lexicon files under `contentDir`. `lexicon` and `compiled`
 * are returned only when there is no problem at all (the bot never screens with half a lexicon).
 */
export interface SafetyLoadOptions {
  /**
   * Screen every entry's own examples (content:check and the tests do; start-up does not, to start
   * fast: a failing example is an editor's mistake that content:check reports, not a broken file).
   */
  readonly verifyExamples?: boolean;
  /** Train the learned stage from content/safety-examples (default true). */
  readonly learned?: boolean;
  /**
   * Where the trained model is cached (safetyModelCache.ts): by default node_modules/.cache
   * under `root`, when `root` has a node_modules folder; null: always train.
   */
  readonly modelCacheDir?: string | null;
}

export function loadSafetyLexicon(contentDir: string, root = process.cwd(), options: SafetyLoadOptions = {}): SafetyLexiconResult {
  const loaded = loadSafetyLexiconFiles(
    SAFETY_LEXICON_FILES.map((name) => join(contentDir, name)),
    root,
    options,
  );
  if (!loaded.compiled || !loaded.lexicon || options.learned === false) return loaded;
  const { examples, problems } = loadSafetyExamples(contentDir, root);
  if (problems.length > 0) return { problems };
  const cacheDir = options.modelCacheDir === null ? undefined : (options.modelCacheDir ?? defaultModelCacheDir(root));
  const { model, source } = screenModel(loaded.lexicon, loaded.compiled, examples, cacheDir);
  return { ...loaded, compiled: { ...loaded.compiled, model, botPhrases: botPhrases(contentDir) }, modelSource: source };
}

type Entry = SafetyFile['entries'][number];
type Neutraliser = NonNullable<SafetyFile['figurative']>[number];

/** One file's content, each entry with its index in the file (for line numbers). */
interface ParsedFile {
  readonly file: YamlFile;
  readonly groups: Record<string, string>;
  readonly sections: Record<Section, Array<{ readonly index: number; readonly entry: Entry | Neutraliser }>>;
}

/**
 * The valid parts of a file: everything when it matches the schema, otherwise each entry that is
 * valid on its own (so one mistake does not hide the problems of every other entry).
 */
function parseFile(file: YamlFile, problems: ContentProblem[]): ParsedFile {
  const full = fileSchema.safeParse(file.data ?? {});
  const sections: ParsedFile['sections'] = { entries: [], figurative: [], denials: [] };
  if (full.success) {
    for (const section of SECTIONS) (full.data[section] ?? []).forEach((entry, index) => sections[section].push({ index, entry }));
    return { file, groups: { ...(full.data.groups ?? {}) }, sections };
  }
  problems.push(...zodProblems(file, full.error));
  const raw = (file.data && typeof file.data === 'object' ? file.data : {}) as Record<string, unknown>;
  const groups: Record<string, string> = {};
  if (raw.groups && typeof raw.groups === 'object' && !Array.isArray(raw.groups)) {
    for (const [name, body] of Object.entries(raw.groups as Record<string, unknown>)) {
      if (GROUP_NAME.test(name) && typeof body === 'string' && body.trim() !== '') groups[name] = body;
    }
  }
  for (const section of SECTIONS) {
    const list = raw[section];
    if (!Array.isArray(list)) continue;
    const schema = section === 'entries' ? entrySchema : neutraliserSchema;
    list.forEach((item, index) => {
      const one = schema.safeParse(item);
      if (one.success) sections[section].push({ index, entry: one.data });
    });
  }
  return { file, groups, sections };
}

/** Same as loadSafetyLexicon for an explicit list of files (tests use broken copies). */
export function loadSafetyLexiconFiles(paths: readonly string[], root = process.cwd(), options: SafetyLoadOptions = {}): SafetyLexiconResult {
  const problems: ContentProblem[] = [];
  const parsed: ParsedFile[] = [];
  for (const path of paths) {
    const file = YamlFile.read(path, root);
    if (file.problems.length > 0) {
      problems.push(...file.problems);
      continue;
    }
    parsed.push(parseFile(file, problems));
  }

  // Merge: group names and ids must be unique across the files.
  const groups: Record<string, string> = {};
  const groupOrigin = new Map<string, YamlFile>();
  const merged: Record<Section, Array<LexiconEntry | NeutraliserEntry>> = { entries: [], figurative: [], denials: [] };
  const origins: Record<Section, Origin[]> = { entries: [], figurative: [], denials: [] };
  const idOrigin = new Map<string, { file: YamlFile; path: Array<string | number> }>();
  for (const { file, groups: fileGroups, sections } of parsed) {
    for (const [name, body] of Object.entries(fileGroups)) {
      const first = groupOrigin.get(name);
      if (first) {
        problems.push(file.problemAt(['groups', name], `group '${name}' is already defined in ${first.displayPath}:${first.lineOf(['groups', name])}`));
        continue;
      }
      groups[name] = body;
      groupOrigin.set(name, file);
    }
    for (const section of SECTIONS) {
      for (const { index, entry } of sections[section]) {
        const path = [section, index, 'id'];
        const first = idOrigin.get(entry.id);
        if (first) {
          problems.push(
            file.problemAt(path, `the id ${entry.id} is already used at ${first.file.displayPath}:${first.file.lineOf(first.path)}; ids must be unique in both lexicon files`),
          );
          continue;
        }
        idOrigin.set(entry.id, { file, path });
        merged[section].push(section === 'entries' ? toSignal(entry as Entry) : { id: entry.id, patterns: entry.patterns });
        origins[section].push({ file, index });
      }
    }
  }

  const lexicon: Lexicon = {
    groups,
    entries: merged.entries as LexiconEntry[],
    figurative: merged.figurative as NeutraliserEntry[],
    denials: merged.denials as NeutraliserEntry[],
  };
  const result = compileLexicon(lexicon);
  if (!result.ok) {
    for (const error of result.errors) problems.push(locate(error, origins, groupOrigin, paths));
    return { problems };
  }
  if (problems.length > 0) return { problems };

  if (options.verifyExamples) problems.push(...checkExamples(parsed, result.compiled));
  if (problems.length > 0) return { problems };
  return { lexicon, compiled: result.compiled, problems: [] };
}

function toSignal(entry: Entry): LexiconEntry {
  return { id: entry.id, category: entry.category, level: entry.level, patterns: entry.patterns, downgrades: entry.downgrades };
}

function locate(
  error: LexiconError,
  origins: Record<Section, Origin[]>,
  groupOrigin: ReadonlyMap<string, YamlFile>,
  paths: readonly string[],
): ContentProblem {
  if (error.section === 'groups') {
    const file = groupOrigin.get(error.id);
    if (file) return file.problemAt(['groups', error.id], error.message);
    return { file: paths[0] ?? 'safety-lexicon.yaml', line: 1, message: error.message };
  }
  const origin = origins[error.section][error.index];
  if (!origin) return { file: paths[0] ?? 'safety-lexicon.yaml', line: 1, message: error.message };
  const path: Array<string | number> = [error.section, origin.index];
  if (error.patternIndex !== undefined) path.push('patterns', error.patternIndex);
  return origin.file.problemAt(path, error.message);
}

/**
 * Each entry's `examples` must be flagged with that entry among the matches; each neutraliser's
 * examples must come out `none`. This keeps an edit from silently breaking what an entry is for.
 */
function checkExamples(parsed: readonly ParsedFile[], compiled: CompiledLexicon): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, sections } of parsed) {
    for (const section of SECTIONS) {
      for (const { index, entry } of sections[section]) {
        (entry.examples ?? []).forEach((example, exampleIndex) => {
          const result = screenMessage(example, compiled);
          const where = [section, index, 'examples', exampleIndex];
          if (section === 'entries') {
            if (!result.matches.some((m) => m.entryId === entry.id)) {
              const by = result.matches.map((m) => m.entryId).join(', ');
              problems.push(
                file.problemAt(where, `example ${exampleIndex + 1} of entry ${entry.id} is not matched by this entry${by ? ` (only by ${by})` : ''}`),
              );
            }
          } else if (result.level !== 'none') {
            const kind = section === 'figurative' ? 'figurative entry' : 'denial';
            problems.push(
              file.problemAt(
                where,
                `example ${exampleIndex + 1} of ${kind} ${entry.id} is still flagged ${result.level} by ${result.matches.map((m) => m.entryId).join(', ')}`,
              ),
            );
          }
        });
      }
    }
  }
  return problems;
}

/**
 * The labelled corpus (test/safety/corpus/*.tsv) against a compiled lexicon. A crisis line that
 * is not flagged at all is always a problem; beyond that, the corpus is held to the product's
 * targets (crisis lines at crisis ≥ 98 %, concern lines flagged ≥ 97 %, ordinary lines flagged
 * ≤ 3 %, per file), and when a rate misses its target every line behind the miss is listed.
 */
export function checkSafetyRegression(compiled: CompiledLexicon, corpusDir: string, root = process.cwd()): ContentProblem[] {
  return checkCorpusTargets(compiled, corpusDir, root);
}
