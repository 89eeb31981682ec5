import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUPPORTED_LOCALES, FALLBACK_LOCALE, type Locale } from '../core/i18n/locale';
import { collectLeaves, compareWithReference, toTree, type Leaf, type Leaves } from './messageTree';
import { crisisResourcesSchema, REQUIRED_CRISIS_RESOURCE_IDS, type CrisisResources, type MessageTree } from './schema';
import { YamlFile, type ContentProblem } from './yamlFile';
import { zodProblems } from './zodProblems';
import { loadMeansCatalogue } from './catalogue';
import { loadQuestionnaires, type Questionnaires } from './measures';
import type { MeansCatalogue } from '../core/plan/catalogue';

export interface LocaleContent {
  readonly messages: MessageTree;
  readonly crisisResources: CrisisResources;
}

export interface Content {
  readonly dir: string;
  readonly locales: Readonly<Record<Locale, LocaleContent>>;
  /** The catalogue of means (content/<locale>/means-catalogue.yaml). */
  readonly catalogue: MeansCatalogue;
  /** PHQ-9, GAD-7, WSAS and short forms (content/<locale>/questionnaires.yaml). */
  readonly questionnaires: Questionnaires;
}

export type ContentResult = { content: Content; problems: [] } | { content?: undefined; problems: ContentProblem[] };

function loadCrisisResources(file: YamlFile, problems: ContentProblem[]): CrisisResources | undefined {
  if (file.problems.length) return undefined;
  // Checked on the raw data too, so a missing crisis line is reported even beside other mistakes.
  const raw = (file.data as { resources?: unknown } | null)?.resources;
  const ids = new Set(Array.isArray(raw) ? raw.map((r) => (r as { id?: unknown } | null)?.id) : []);
  for (const required of REQUIRED_CRISIS_RESOURCE_IDS) {
    if (!ids.has(required)) problems.push(file.problemAt(['resources'], `the crisis line "${required}" is missing: every locale must list it`));
  }
  const parsed = crisisResourcesSchema.safeParse(file.data);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error));
    return undefined;
  }
  return parsed.data;
}

/**
 * Texts are split by topic: `messages.yaml` plus any `<topic>.messages.yaml`, listed from the
 * reference locale's folder (the other locales must have the same files).
 */
function messageFileNames(referenceDir: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(referenceDir).filter((name) => name.endsWith('.messages.yaml')).sort();
  } catch {
    // A missing folder is reported by the read of messages.yaml below.
  }
  return ['messages.yaml', ...names];
}

/**
 * Reads and checks every content file. Returns the content only when there is no problem at all:
 * the bot never runs on half-valid texts (start-up refuses, the content check exits non-zero).
 */
export function loadContent(dir: string, root = process.cwd()): ContentResult {
  const problems: ContentProblem[] = [];
  const files = (locale: Locale, name: string) => YamlFile.read(join(dir, locale, name), root);

  const allLeaves = Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, [] as Leaf[]])) as Record<Locale, Leaf[]>;
  const sectionOwner = new Map<string, string>();
  for (const name of messageFileNames(join(dir, FALLBACK_LOCALE))) {
    const messageFiles = Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, files(locale, name)])) as Record<Locale, YamlFile>;
    const leaves = Object.fromEntries(
      SUPPORTED_LOCALES.map((locale) => {
        const file = messageFiles[locale];
        problems.push(...file.problems);
        return [locale, file.problems.length ? [] : collectLeaves(file, problems)];
      }),
    ) as Record<Locale, Leaves>;
    const reference = { file: messageFiles[FALLBACK_LOCALE], leaves: leaves[FALLBACK_LOCALE] };
    if (!reference.file.problems.length) {
      for (const locale of SUPPORTED_LOCALES) {
        if (locale === FALLBACK_LOCALE || messageFiles[locale].problems.length) continue;
        problems.push(...compareWithReference(reference, { file: messageFiles[locale], leaves: leaves[locale] }));
      }
      // A section lives in one file only, so an editor always knows where a text is.
      for (const section of new Set(reference.leaves.map((leaf) => leaf.path[0]))) {
        const owner = sectionOwner.get(section);
        if (owner) problems.push(reference.file.problemAt([section], `the section "${section}" is already in ${owner}: keep each section in one file`));
        else sectionOwner.set(section, reference.file.displayPath);
      }
    }
    for (const locale of SUPPORTED_LOCALES) allLeaves[locale].push(...leaves[locale]);
  }

  const crisis = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => {
      const file = files(locale, 'crisis-resources.yaml');
      problems.push(...file.problems);
      return [locale, loadCrisisResources(file, problems)];
    }),
  ) as Record<Locale, CrisisResources | undefined>;

  const catalogue = loadMeansCatalogue(dir, root);
  problems.push(...catalogue.problems);
  const questionnaires = loadQuestionnaires(dir, root);
  problems.push(...questionnaires.problems);

  if (problems.length || !catalogue.catalogue || !questionnaires.questionnaires) return { problems };
  const locales = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [locale, { messages: toTree(allLeaves[locale]), crisisResources: crisis[locale] as CrisisResources }]),
  ) as Record<Locale, LocaleContent>;
  return { content: { dir, locales, catalogue: catalogue.catalogue, questionnaires: questionnaires.questionnaires }, problems: [] };
}
