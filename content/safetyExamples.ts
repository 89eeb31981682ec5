/**
 * The example files the learned stage of the risk screen is trained on
 * (content/safety-examples/*.tsv, `label<TAB>lang<TAB>kind<TAB>text`, header first), checked line
 * by line: a broken line is a problem naming its file and line, never a silent skip, and the bot
 * does not start on a broken file. Message texts never appear in problems.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText } from '../core/safety/normalize';
import { isLevel, type Category, type Level } from '../core/safety/types';
import { displayPath, type ContentProblem } from './yamlFile';

export const SAFETY_EXAMPLES_DIR = 'safety-examples';
export const EXAMPLE_HEADER = 'label\tlang\tkind\ttext';
export const EXAMPLE_LANGS = ['fr', 'qc', 'en', 'mix', '-'] as const;
/** One message is at most this long (a longer line is surely a paste error). */
export const MAX_EXAMPLE_CHARS = 2000;

/** What each kind says about the category; `-` (unknown) and ordinary kinds name none. */
export const KIND_CATEGORIES: Readonly<Record<string, Category | null>> = {
  // crisis
  ideation: 'suicidal_ideation',
  typo: 'suicidal_ideation',
  farewell: 'suicidal_ideation',
  attempt_recent: 'suicidal_ideation',
  plan: 'plan_means',
  means: 'plan_means',
  selfharm: 'self_harm',
  overdose: 'overdose',
  harm_others: 'harm_to_others',
  danger_abuse: 'danger_abuse',
  command_hallucination: 'command_hallucination',
  third_party: 'third_party',
  // concern
  passive: 'passive_ideation',
  euphemism: 'passive_ideation',
  hopeless: 'hopelessness',
  hopelessness: 'hopelessness',
  burden: 'burden',
  past: 'suicidal_ideation',
  past_attempt: 'suicidal_ideation',
  question: 'suicidal_ideation',
  help_seeking: 'suicidal_ideation',
  past_selfharm: 'self_harm',
  selfharm_thoughts: 'self_harm',
  past_abuse: 'danger_abuse',
  third_party_worry: 'third_party',
  // ordinary
  figurative: null,
  denial: null,
  selfcare: null,
  checkin: null,
  smalltalk: null,
  small_talk: null,
  slang_trivial: null,
  info: null,
  grief: null,
  hard_negative: null,
  '-': null,
};

export interface SafetyExample {
  readonly file: string;
  readonly line: number;
  readonly level: Level;
  readonly lang: string;
  readonly kind: string;
  /** The category a flagged example's kind names (a `question` line labelled none names none). */
  readonly category?: Category;
  readonly text: string;
}

export interface SafetyExamplesResult {
  readonly examples: SafetyExample[];
  readonly problems: ContentProblem[];
}

export function loadSafetyExamples(contentDir: string, root = process.cwd()): SafetyExamplesResult {
  const dir = join(contentDir, SAFETY_EXAMPLES_DIR);
  const shown = (path: string) => displayPath(path, root);
  if (!existsSync(dir)) return { examples: [], problems: [{ file: shown(dir), line: 1, message: 'the folder of safety examples is missing' }] };
  const examples: SafetyExample[] = [];
  const problems: ContentProblem[] = [];
  const seen = new Map<string, string>();
  const files = readdirSync(dir).filter((name) => name.endsWith('.tsv')).sort();
  if (files.length === 0) problems.push({ file: shown(dir), line: 1, message: 'no .tsv example file' });
  for (const name of files) {
    const file = shown(join(dir, name));
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    if (lines[0]?.replace(/\r$/, '') !== EXAMPLE_HEADER) {
      problems.push({ file, line: 1, message: `the first line must be the header "${EXAMPLE_HEADER.replace(/\t/g, '<TAB>')}"` });
      continue;
    }
    lines.forEach((raw, index) => {
      const lineNumber = index + 1;
      const line = raw.replace(/\r$/, '');
      if (index === 0 || line.trim() === '') return;
      const problem = (message: string) => problems.push({ file, line: lineNumber, message });
      const fields = line.split('\t');
      if (fields.length !== 4) return problem(`expected 4 fields separated by tabs (label, lang, kind, text), found ${fields.length}`);
      const [label, lang, kind, text] = fields as [string, string, string, string];
      if (!isLevel(label)) return problem(`label "${label}" is not one of crisis, concern, none`);
      if (!(EXAMPLE_LANGS as readonly string[]).includes(lang)) return problem(`lang "${lang}" is not one of ${EXAMPLE_LANGS.join(', ')}`);
      if (!(kind in KIND_CATEGORIES)) return problem(`kind "${kind}" is not known (known kinds: ${Object.keys(KIND_CATEGORIES).join(', ')})`);
      if (text.trim() === '') return problem('the text is empty');
      if (text.length > MAX_EXAMPLE_CHARS) return problem(`the text is longer than ${MAX_EXAMPLE_CHARS} characters`);
      const key = normalizeText(text);
      const first = seen.get(key);
      if (first) return problem(`the same message is already at ${first}`);
      seen.set(key, `${file}:${lineNumber}`);
      const category = label === 'none' ? undefined : (KIND_CATEGORIES[kind] ?? undefined);
      examples.push({ file, line: lineNumber, level: label, lang, kind, category, text });
    });
  }
  return { examples, problems };
}
