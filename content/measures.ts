import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FALLBACK_LOCALE, SUPPORTED_LOCALES, type Locale } from '../core/i18n/locale';
import { FULL_INSTRUMENTS, INSTRUMENTS, type FullInstrumentId } from '../core/measures/instruments';
import { YamlFile, type ContentProblem } from './yamlFile';
import { zodProblems } from './zodProblems';

/**
 * The standardised questionnaires' wording, one file per locale: `content/<locale>/questionnaires.yaml`
 * with one section per full questionnaire (phq9, gad7, wsas): code, stem, items, options, source.
 * The counts come from core/measures (PHQ-9 has 9 items scored 0–3, …): a file that drifts from
 * them is refused with the file, the line and a plain sentence ("PHQ-9 must have 9 items, found 8").
 * Both locales must agree on the scores of the options. The short forms (PHQ-2, GAD-2) read the
 * first items of their full forms.
 */
export const QUESTIONNAIRES_FILE = 'questionnaires.yaml';
export const MAX_OPTION_LABEL = 40;

const text = z.string({ message: 'should be a text in quotes' }).trim().min(1, { message: 'should not be empty' });

const optionSchema = z.strictObject({
  score: z.number({ message: 'should be a whole number' }).int({ message: 'should be a whole number' }),
  label: text.max(MAX_OPTION_LABEL, { message: `should be short (at most ${MAX_OPTION_LABEL} characters): it is a button` }),
  also: text.optional(),
});

const questionnaireSchema = z.strictObject({
  code: text,
  stem: text,
  items: z.array(text, { message: 'should be a list of items (each starting with "- ")' }),
  options: z.array(optionSchema, { message: 'should be a list of answer options (each starting with "- score:")' }),
  source: text,
});

export interface AnswerOptionText {
  readonly score: number;
  readonly label: string;
  /** Other words people type for this choice. */
  readonly also: readonly string[];
}

export interface QuestionnaireText {
  readonly code: string;
  readonly stem: string;
  readonly items: readonly string[];
  /** In score order, from the lowest. */
  readonly options: readonly AnswerOptionText[];
  readonly source: string;
}

export type Questionnaires = Readonly<Record<Locale, Readonly<Record<FullInstrumentId, QuestionnaireText>>>>;

export type QuestionnairesResult = { questionnaires: Questionnaires; problems: [] } | { questionnaires?: undefined; problems: ContentProblem[] };

export function loadQuestionnaires(contentDir: string, root = process.cwd()): QuestionnairesResult {
  const problems: ContentProblem[] = [];
  const perLocale = new Map<Locale, { file: YamlFile; found: Partial<Record<FullInstrumentId, QuestionnaireText>> }>();
  for (const locale of SUPPORTED_LOCALES) {
    const file = YamlFile.read(join(contentDir, locale, QUESTIONNAIRES_FILE), root);
    problems.push(...file.problems);
    if (file.problems.length) continue;
    perLocale.set(locale, { file, found: readLocale(file, problems) });
  }
  const reference = perLocale.get(FALLBACK_LOCALE);
  if (reference) {
    for (const [locale, other] of perLocale) {
      if (locale === FALLBACK_LOCALE) continue;
      for (const id of FULL_INSTRUMENTS) {
        const mine = other.found[id];
        const theirs = reference.found[id];
        if (!mine || !theirs) continue;
        if (mine.code !== theirs.code) {
          problems.push(other.file.problemAt([id, 'code'], `the code of "${id}" is "${mine.code}" here but "${theirs.code}" in ${reference.file.displayPath}: keep the same`));
        }
      }
    }
  }
  if (problems.length || perLocale.size !== SUPPORTED_LOCALES.length) {
    return { problems: problems.length ? problems : [{ file: join(contentDir, FALLBACK_LOCALE, QUESTIONNAIRES_FILE), line: 1, message: 'the questionnaires could not be read' }] };
  }
  const questionnaires = Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, perLocale.get(locale)?.found])) as unknown as Questionnaires;
  return { questionnaires, problems: [] };
}

function readLocale(file: YamlFile, problems: ContentProblem[]): Partial<Record<FullInstrumentId, QuestionnaireText>> {
  const found: Partial<Record<FullInstrumentId, QuestionnaireText>> = {};
  const data = file.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(file.problemAt([], `the file should hold the questionnaires ${FULL_INSTRUMENTS.join(', ')}, each with its code, stem, items, options and source`));
    return found;
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FULL_INSTRUMENTS as readonly string[]).includes(key)) {
      problems.push({ file: file.displayPath, line: topLevelKeyLine(file, key), message: `"${key}" is an unknown questionnaire: use one of ${FULL_INSTRUMENTS.join(', ')}` });
    }
  }
  for (const id of FULL_INSTRUMENTS) {
    const spec = INSTRUMENTS[id];
    const raw = record[id];
    if (raw === undefined) {
      problems.push(file.problemAt([], `the questionnaire "${id}" (${spec.code}) is missing`));
      continue;
    }
    const before = problems.length;
    const parsed = z.object({ [id]: questionnaireSchema }).safeParse({ [id]: raw });
    if (!parsed.success) problems.push(...zodProblems(file, parsed.error));
    const rawItems = (raw as { items?: unknown } | null)?.items;
    if (Array.isArray(rawItems) && rawItems.length !== spec.items) {
      problems.push(file.problemAt([id, 'items'], `${spec.code} must have ${spec.items} items, found ${rawItems.length}`));
    }
    const rawOptions = (raw as { options?: unknown } | null)?.options;
    const expected = spec.max - spec.min + 1;
    if (Array.isArray(rawOptions)) {
      if (rawOptions.length !== expected) {
        problems.push(file.problemAt([id, 'options'], `${spec.code} must have ${expected} answer options (scores ${spec.min} to ${spec.max}), found ${rawOptions.length}`));
      }
      rawOptions.forEach((option, index) => {
        const score = (option as { score?: unknown } | null)?.score;
        const want = spec.min + index;
        if (typeof score === 'number' && score !== want) {
          problems.push(file.problemAt([id, 'options', index, 'score'], `${spec.code} answer option ${index + 1} must have score ${want} (scores go ${spec.min} to ${spec.max}, in order), found ${score}`));
        }
      });
      const labels = rawOptions.map((option) => (option as { label?: unknown } | null)?.label).filter((l): l is string => typeof l === 'string');
      const twice = labels.find((label, i) => labels.findIndex((other) => other.trim().toLowerCase() === label.trim().toLowerCase()) !== i);
      if (twice) problems.push(file.problemAt([id, 'options'], `${spec.code} has the answer "${twice}" twice: each button needs its own words`));
    }
    if (problems.length > before || !parsed.success) continue;
    const q = parsed.data[id];
    found[id] = {
      code: q.code,
      stem: q.stem,
      items: q.items,
      options: q.options.map((o) => ({ score: o.score, label: o.label, also: o.also ? o.also.split('|').map((w) => w.trim()).filter(Boolean) : [] })),
      source: q.source,
    };
  }
  return found;
}

/** The wording of one questionnaire in one locale (short forms read their full form). */
export function questionnaireText(questionnaires: Questionnaires, locale: Locale, id: FullInstrumentId): QuestionnaireText {
  return questionnaires[locale][id];
}

/** The line of a top-level key itself (a YAML node starts at its value). */
function topLevelKeyLine(file: YamlFile, key: string): number {
  try {
    const index = readFileSync(file.path, 'utf8')
      .split(/\r?\n/)
      .findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`"${key}":`) || line.startsWith(`'${key}':`));
    if (index >= 0) return index + 1;
  } catch {
    // Fall back to the value's line.
  }
  return file.lineOf([key]);
}
