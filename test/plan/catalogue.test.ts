import { loadMeansCatalogue } from '../../content/catalogue';
import { PLAN_CATEGORY_IDS } from '../../core/plan/categories';
import { MIN_MEANS_PER_CATEGORY, catalogueMean, catalogueMeansIn, catalogueText } from '../../core/plan/catalogue';
import { SUPPORTED_LOCALES } from '../../core/i18n/locale';
import { CONTENT_DIR, copyContent } from '../support/contentFixture';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FR = 'fr-CA/means-catalogue.yaml';
const EN = 'en-CA/means-catalogue.yaml';

/** The 1-based line where `needle` first appears in a content file. */
function lineOf(dir: string, file: string, needle: string): number {
  const index = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in ${file}`);
  return index + 1;
}

describe('means catalogue content', () => {
  const loaded = loadMeansCatalogue(CONTENT_DIR);

  it('loads without problems', () => {
    expect(loaded.problems).toEqual([]);
    expect(loaded.catalogue).toBeDefined();
  });

  it('has at least 12 means per category and 60 in all, with the same ids in both locales', () => {
    const catalogue = loaded.catalogue!;
    expect(catalogue.means.length).toBeGreaterThanOrEqual(60);
    for (const category of PLAN_CATEGORY_IDS) expect(catalogueMeansIn(catalogue, category).length).toBeGreaterThanOrEqual(MIN_MEANS_PER_CATEGORY);
    const ids = catalogue.means.map((mean) => mean.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const locale of SUPPORTED_LOCALES) expect(Object.keys(catalogue.texts[locale]).sort()).toEqual([...ids].sort());
  });

  it('has short labels, all different within a locale (they are button titles)', () => {
    const catalogue = loaded.catalogue!;
    for (const locale of SUPPORTED_LOCALES) {
      const labels = catalogue.means.map((mean) => catalogueText(catalogue, locale, mean.id)!.label);
      expect(new Set(labels.map((l) => l.toLowerCase())).size).toBe(labels.length);
      for (const label of labels) expect(label.length).toBeLessThanOrEqual(60);
    }
    expect(catalogueMean(catalogue, 'walk-outside')).toEqual({ id: 'walk-outside', category: 'habits' });
    expect(catalogueText(catalogue, 'fr-CA', 'walk-outside')).toEqual({ label: 'Marcher dehors', example: '10 minutes autour du bloc' });
  });
});

describe('means catalogue problems, with file and line', () => {
  let content: ReturnType<typeof copyContent>;
  beforeEach(() => {
    content = copyContent();
  });
  afterEach(() => content.cleanup());

  const load = () => loadMeansCatalogue(content.dir, content.dir.replace(/\/content$/, ''));

  it('reports a mean missing in en-CA, pointing at its category there and its line in fr-CA', () => {
    content.edit(EN, (text) => text.replace(/  - id: budget\n    label: "Keep track of my budget"\n    example: "[^"]*"\n/, ''));
    const result = load();
    expect(result.catalogue).toBeUndefined();
    expect(result.problems).toEqual([
      {
        file: 'content/en-CA/means-catalogue.yaml',
        line: lineOf(content.dir, EN, 'dailyLife:') + 1,
        message: `the mean "budget" is missing here (it is in content/fr-CA/means-catalogue.yaml line ${lineOf(content.dir, FR, 'id: budget')})`,
      },
    ]);
  });

  it('reports an id unknown to fr-CA', () => {
    content.edit(EN, (text) => text.replace('id: budget', 'id: budgett'));
    const messages = load().problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the mean "budget" is missing here'),
        `content/en-CA/means-catalogue.yaml:${lineOf(content.dir, EN, 'id: budgett')}: the mean "budgett" is an unknown id: it is not in content/fr-CA/means-catalogue.yaml (add it there first, or fix the spelling)`,
      ]),
    );
  });

  it('reports a duplicate id at its second place', () => {
    content.edit(FR, (text) => text.replace('id: music', 'id: hobby'));
    content.edit(EN, (text) => text.replace('id: music', 'id: hobby'));
    const problems = load().problems;
    const frLines = readFileSync(join(content.dir, FR), 'utf8').split('\n');
    const second = frLines.findIndex((line, i) => line.includes('id: hobby') && i > frLines.findIndex((l) => l.includes('id: hobby'))) + 1;
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'content/fr-CA/means-catalogue.yaml',
          line: second,
          message: `the id "hobby" is used twice (also line ${lineOf(content.dir, FR, 'id: hobby')}): each mean needs its own id`,
        },
      ]),
    );
  });

  it('reports a category with fewer than 12 means', () => {
    content.edit(FR, (text) => text.replace(/  - id: prepare-tomorrow\n.*\n.*\n/, '').replace(/  - id: reminders\n.*\n.*\n/, ''));
    const problems = load().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'content/fr-CA/means-catalogue.yaml', line: lineOf(content.dir, FR, 'dailyLife:') + 1, message: 'the category "dailyLife" has 11 means: write at least 12' },
      ]),
    );
  });

  it('reports an unknown category and a missing one', () => {
    content.edit(FR, (text) => text.replace('potential:', 'potentiel:'));
    const problems = load().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          file: 'content/fr-CA/means-catalogue.yaml',
          line: lineOf(content.dir, FR, 'potentiel:'),
          message: '"potentiel" is an unknown category: use one of resources, habits, relationships, dailyLife, potential',
        },
        expect.objectContaining({ file: 'content/fr-CA/means-catalogue.yaml', message: expect.stringContaining('the category "potential" is missing') }),
      ]),
    );
    // Reported once, in the reference: not as every en-CA id of that category.
    expect(problems.filter((p) => p.file.includes('en-CA'))).toEqual([]);
  });

  it('reports an empty label and a missing one', () => {
    content.edit(EN, (text) => text.replace('label: "Walk outside"', 'label: "  "').replace('    label: "Relax"\n', ''));
    const problems = load().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'content/en-CA/means-catalogue.yaml', line: lineOf(content.dir, EN, 'label: "  "'), message: '"habits.1.label" should not be empty' },
        { file: 'content/en-CA/means-catalogue.yaml', line: lineOf(content.dir, EN, 'id: relax-body'), message: '"habits.11.label" is missing' },
      ]),
    );
    // An invalid entry does not also count as "missing in en-CA".
    expect(problems.some((p) => p.message.includes('"walk-outside" is missing'))).toBe(false);
  });

  it('reports a bad id, an unknown key and broken YAML', () => {
    content.edit(FR, (text) => text.replace('id: hobby', 'id: Hobby Time').replace('example: "Une recette', 'exemple: "Une recette'));
    const problems = load().problems.map((p) => p.message);
    expect(problems).toEqual(
      expect.arrayContaining([
        '"potential.0.id" should be lowercase words joined by dashes (like walk-outside)',
        '"potential.1" has unknown key(s): exemple',
      ]),
    );
    content.edit(EN, (text) => `${text}\n  - id: [oops`);
    expect(load().problems.some((p) => p.file === 'content/en-CA/means-catalogue.yaml' && p.message.startsWith('this is not valid YAML'))).toBe(true);
  });

  it('reports a missing file', () => {
    content.edit(EN, () => '');
    const empty = load().problems;
    expect(empty[0]).toMatchObject({ file: 'content/en-CA/means-catalogue.yaml', line: 1 });
  });
});
