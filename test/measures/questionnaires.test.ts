import { loadQuestionnaires } from '../../content/measures';
import { formatProblem } from '../../content/yamlFile';
import { CONTENT_DIR, copyContent } from '../support/contentFixture';

describe('questionnaires.yaml', () => {
  it('loads in both locales with the standard items and answer scales', () => {
    const loaded = loadQuestionnaires(CONTENT_DIR);
    expect(loaded.problems).toEqual([]);
    const q = loaded.questionnaires!;
    for (const locale of ['fr-CA', 'en-CA'] as const) {
      expect(q[locale].phq9.items).toHaveLength(9);
      expect(q[locale].gad7.items).toHaveLength(7);
      expect(q[locale].wsas.items).toHaveLength(5);
      expect(q[locale].phq9.options.map((o) => o.score)).toEqual([0, 1, 2, 3]);
      expect(q[locale].wsas.options.map((o) => o.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    }
    expect(q['fr-CA'].phq9.stem).toBe('Au cours des 2 dernières semaines, à quelle fréquence avez-vous été dérangé(e) par les problèmes suivants ?');
    expect(q['fr-CA'].phq9.options.map((o) => o.label)).toEqual(['Jamais', 'Plusieurs jours', 'Plus de la moitié du temps', 'Presque tous les jours']);
    expect(q['en-CA'].phq9.stem).toBe('Over the last 2 weeks, how often have you been bothered by any of the following problems?');
    expect(q['en-CA'].gad7.options.map((o) => o.label)).toEqual(['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);
    expect(q['en-CA'].phq9.items[8]).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(q['fr-CA'].phq9.options[0].also).toContain('pas du tout');
  });

  describe('a broken copy is refused with file, line and a plain sentence', () => {
    let content: ReturnType<typeof copyContent>;
    beforeEach(() => (content = copyContent()));
    afterEach(() => content.cleanup());

    const problems = () => (loadQuestionnaires(content.dir, content.dir.replace(/\/content$/, '')).problems ?? []).map(formatProblem);

    it('an item missing', () => {
      content.edit('fr-CA/questionnaires.yaml', (text) => text.replace(/    - "Peu d'appétit ou trop manger"\n/, ''));
      const found = problems();
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^content\/fr-CA\/questionnaires\.yaml:\d+: PHQ-9 must have 9 items, found 8$/);
      const line = Number(found[0].split(':')[1]);
      expect(line).toBe(18); // the "items:" list of phq9
    });

    it('a wrong number of answer options', () => {
      content.edit('en-CA/questionnaires.yaml', (text) => text.replace(/    - score: 3\n      label: "Nearly every day"\n      also: "every day \| all the time \| always \| almost every day \| daily"\n  source: "GAD-7/, '  source: "GAD-7'));
      expect(problems()).toEqual([expect.stringMatching(/^content\/en-CA\/questionnaires\.yaml:\d+: GAD-7 must have 4 answer options \(scores 0 to 3\), found 3$/)]);
    });

    it('scores not 0..3', () => {
      content.edit('fr-CA/questionnaires.yaml', (text) => text.replace('    - score: 2\n      label: "Plus de la moitié du temps"\n      also: "plus de la moitié des jours | la moitié du temps | souvent | plus de sept jours"', '    - score: 5\n      label: "Plus de la moitié du temps"'));
      const found = problems();
      expect(found).toEqual([expect.stringMatching(/questionnaires\.yaml:\d+: PHQ-9 answer option 3 must have score 2 \(scores go 0 to 3, in order\), found 5$/)]);
      expect(Number(found[0].split(':')[1])).toBeGreaterThan(20);
    });

    it('a missing questionnaire, an unknown one, an empty label and a missing file', () => {
      content.edit('en-CA/questionnaires.yaml', (text) => text.replace(/^wsas:/m, 'wsass:').replace('label: "Several days"', 'label: ""'));
      const found = problems();
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/en-CA\/questionnaires\.yaml:66: "wsass" is an unknown questionnaire/),
          expect.stringMatching(/en-CA\/questionnaires\.yaml:\d+: the questionnaire "wsas" \(WSAS\) is missing/),
          expect.stringMatching(/en-CA\/questionnaires\.yaml:\d+: "phq9\.options\.1\.label" should not be empty/),
        ]),
      );
      content.edit('fr-CA/questionnaires.yaml', () => 'phq9: [');
      expect(problems().some((p) => /fr-CA\/questionnaires\.yaml:\d+: this is not valid YAML/.test(p))).toBe(true);
    });
  });
});
