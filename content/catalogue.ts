import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FALLBACK_LOCALE, SUPPORTED_LOCALES, type Locale } from '../core/i18n/locale';
import { PLAN_CATEGORY_IDS, isPlanCategoryId, type PlanCategoryId } from '../core/plan/categories';
import { MIN_MEANS_PER_CATEGORY, type CatalogueMean, type CatalogueMeanText, type MeansCatalogue } from '../core/plan/catalogue';
import { YamlFile, type ContentProblem } from './yamlFile';
import { zodProblems } from './zodProblems';

/**
 * The catalogue of means, one file per locale: `content/<locale>/means-catalogue.yaml`, with the
 * five categories as top-level keys, each a list of `{ id, label, example? }`. fr-CA is the
 * reference: every locale has the same ids in the same categories. Every problem is reported with
 * its file and line, and the catalogue is returned only when there is none.
 */
export const MEANS_CATALOGUE_FILE = 'means-catalogue.yaml';
export const MAX_LABEL_LENGTH = 60;
export const MAX_EXAMPLE_LENGTH = 120;

const text = z.string({ message: 'should be a text in quotes' }).trim().min(1, { message: 'should not be empty' });

export const catalogueEntrySchema = z.strictObject({
  id: z
    .string({ message: 'should be a short id in quotes' })
    .max(60, { message: 'should be at most 60 characters' })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'should be lowercase words joined by dashes (like walk-outside)' }),
  label: text.max(MAX_LABEL_LENGTH, { message: `should be short (at most ${MAX_LABEL_LENGTH} characters): it is also a button` }),
  example: text.max(MAX_EXAMPLE_LENGTH, { message: `should be one short line (at most ${MAX_EXAMPLE_LENGTH} characters)` }).optional(),
});

export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export type MeansCatalogueResult = { catalogue: MeansCatalogue; problems: [] } | { catalogue?: undefined; problems: ContentProblem[] };

interface Found {
  readonly category: PlanCategoryId;
  readonly path: readonly (string | number)[];
  readonly text: CatalogueMeanText;
}

interface LocaleCatalogue {
  readonly file: YamlFile;
  /** Valid entries by id, in file order. */
  readonly entries: Map<string, Found>;
}

export function loadMeansCatalogue(contentDir: string, root = process.cwd()): MeansCatalogueResult {
  const problems: ContentProblem[] = [];
  const perLocale = new Map<Locale, LocaleCatalogue>();
  for (const locale of SUPPORTED_LOCALES) {
    const file = YamlFile.read(join(contentDir, locale, MEANS_CATALOGUE_FILE), root);
    problems.push(...file.problems);
    if (file.problems.length) continue;
    perLocale.set(locale, { file, entries: readLocale(file, problems) });
  }

  const reference = perLocale.get(FALLBACK_LOCALE);
  if (reference) {
    for (const [locale, other] of perLocale) {
      if (locale === FALLBACK_LOCALE) continue;
      problems.push(...compareWithReference(reference, other));
    }
  }

  if (problems.length || !reference || perLocale.size !== SUPPORTED_LOCALES.length) {
    return { problems: problems.length ? problems : [{ file: join(contentDir, FALLBACK_LOCALE, MEANS_CATALOGUE_FILE), line: 1, message: 'the catalogue could not be read' }] };
  }
  const means: CatalogueMean[] = [];
  for (const category of PLAN_CATEGORY_IDS) {
    for (const [id, found] of reference.entries) if (found.category === category) means.push({ id, category });
  }
  const texts = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [locale, Object.fromEntries([...(perLocale.get(locale)?.entries ?? new Map<string, Found>())].map(([id, found]) => [id, found.text]))]),
  ) as Record<Locale, Record<string, CatalogueMeanText>>;
  return { catalogue: { means, texts }, problems: [] };
}

function readLocale(file: YamlFile, problems: ContentProblem[]): Map<string, Found> {
  const entries = new Map<string, Found>();
  const data = file.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(file.problemAt([], `the file should list the five categories (${PLAN_CATEGORY_IDS.join(', ')}), each with its means`));
    return entries;
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!isPlanCategoryId(key)) {
      problems.push({ file: file.displayPath, line: topLevelKeyLine(file, key), message: `"${key}" is an unknown category: use one of ${PLAN_CATEGORY_IDS.join(', ')}` });
    }
  }
  for (const category of PLAN_CATEGORY_IDS) {
    const raw = record[category];
    if (raw === undefined) {
      problems.push(file.problemAt([], `the category "${category}" is missing: write at least ${MIN_MEANS_PER_CATEGORY} means in it`));
      continue;
    }
    if (!Array.isArray(raw)) {
      problems.push(file.problemAt([category], `"${category}" should be a list of means (each starting with "- id:")`));
      continue;
    }
    if (raw.length < MIN_MEANS_PER_CATEGORY) {
      problems.push(file.problemAt([category], `the category "${category}" has ${raw.length} means: write at least ${MIN_MEANS_PER_CATEGORY}`));
    }
    const schema = z.object({ [category]: z.array(catalogueEntrySchema) });
    const parsed = schema.safeParse({ [category]: raw });
    if (!parsed.success) problems.push(...zodProblems(file, parsed.error));
    raw.forEach((item, index) => {
      const entry = catalogueEntrySchema.safeParse(item);
      if (!entry.success) {
        // An entry with a usable id still counts for duplicates and cross-locale checks.
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === 'string' && id && !entries.has(id)) entries.set(id, { category, path: [category, index], text: { label: id } });
        return;
      }
      const path = [category, index];
      const previous = entries.get(entry.data.id);
      if (previous) {
        problems.push(file.problemAt([...path, 'id'], `the id "${entry.data.id}" is used twice (also line ${file.lineOf([...previous.path, 'id'])}): each mean needs its own id`));
        return;
      }
      const meanText: CatalogueMeanText = entry.data.example ? { label: entry.data.label, example: entry.data.example } : { label: entry.data.label };
      entries.set(entry.data.id, { category, path, text: meanText });
    });
  }
  return entries;
}

/** The line of a top-level key itself (YAML nodes start at their value, a list's first item). */
function topLevelKeyLine(file: YamlFile, key: string): number {
  try {
    const lines = readFileSync(file.path, 'utf8').split(/\r?\n/);
    const index = lines.findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`"${key}":`) || line.startsWith(`'${key}':`));
    if (index >= 0) return index + 1;
  } catch {
    // Fall back to the value's line.
  }
  return file.lineOf([key]);
}

function compareWithReference(reference: LocaleCatalogue, other: LocaleCatalogue): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const refPath = reference.file.displayPath;
  // A category the reference lacks is reported there once, not as every id of the other locale.
  const referenceCategories = new Set([...reference.entries.values()].map((found) => found.category));
  for (const [id, found] of reference.entries) {
    const twin = other.entries.get(id);
    if (!twin) {
      problems.push(other.file.problemAt([found.category], `the mean "${id}" is missing here (it is in ${refPath} line ${reference.file.lineOf([...found.path, 'id'])})`));
    } else if (twin.category !== found.category) {
      problems.push(
        other.file.problemAt([...twin.path, 'id'], `the mean "${id}" is under "${twin.category}" here but under "${found.category}" in ${refPath}: keep the same category`),
      );
    }
  }
  for (const [id, found] of other.entries) {
    if (!reference.entries.has(id) && referenceCategories.has(found.category)) {
      problems.push(other.file.problemAt([...found.path, 'id'], `the mean "${id}" is an unknown id: it is not in ${refPath} (add it there first, or fix the spelling)`));
    }
  }
  return problems;
}
