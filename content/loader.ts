import { join } from 'node:path';
import { SUPPORTED_LOCALES, FALLBACK_LOCALE, type Locale } from '../core/i18n/locale';
import { collectLeaves, compareWithReference, toTree, type Leaves } from './messageTree';
import { crisisResourcesSchema, REQUIRED_CRISIS_RESOURCE_IDS, type CrisisResources, type MessageTree } from './schema';
import { YamlFile, type ContentProblem } from './yamlFile';
import { zodProblems } from './zodProblems';

export interface LocaleContent {
  readonly messages: MessageTree;
  readonly crisisResources: CrisisResources;
}

export interface Content {
  readonly dir: string;
  readonly locales: Readonly<Record<Locale, LocaleContent>>;
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
 * Reads and checks every content file. Returns the content only when there is no problem at all:
 * the bot never runs on half-valid texts (start-up refuses, the content check exits non-zero).
 */
export function loadContent(dir: string, root = process.cwd()): ContentResult {
  const problems: ContentProblem[] = [];
  const files = (locale: Locale, name: string) => YamlFile.read(join(dir, locale, name), root);

  const messageFiles = Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, files(locale, 'messages.yaml')])) as Record<Locale, YamlFile>;
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
  }

  const crisis = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => {
      const file = files(locale, 'crisis-resources.yaml');
      problems.push(...file.problems);
      return [locale, loadCrisisResources(file, problems)];
    }),
  ) as Record<Locale, CrisisResources | undefined>;

  if (problems.length) return { problems };
  const locales = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [locale, { messages: toTree(leaves[locale]), crisisResources: crisis[locale] as CrisisResources }]),
  ) as Record<Locale, LocaleContent>;
  return { content: { dir, locales }, problems: [] };
}
