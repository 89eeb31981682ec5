import { loadContent } from '../../content/loader';
import { createTexts } from '../../content/texts';
import { formatProblem } from '../../content/yamlFile';
import { CONTENT_DIR, copyContent } from '../support/contentFixture';

describe('content loader', () => {
  it('loads the real content with no problem', () => {
    const result = loadContent(CONTENT_DIR);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.content).toBeDefined();
  });

  describe('with a broken copy', () => {
    let fixture: ReturnType<typeof copyContent>;
    beforeEach(() => {
      fixture = copyContent();
    });
    afterEach(() => fixture.cleanup());

    const problemsOf = () => loadContent(fixture.dir, fixture.dir + '/..').problems.map(formatProblem);

    it('names the file and line of a key missing in one locale', () => {
      fixture.edit('en-CA/messages.yaml', (text) => text.replace(/^  backAgain:.*\n/m, ''));
      const problems = problemsOf();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^content\/en-CA\/messages\.yaml:\d+: "welcome\.backAgain" is missing here \(it is in content\/fr-CA\/messages\.yaml line \d+\)$/);
    });

    it('reports a placeholder mismatch at the right line', () => {
      fixture.edit('en-CA/messages.yaml', (text) => text.replace('({{limit}} characters)', '({{max}} characters)'));
      const problems = problemsOf();
      expect(problems).toHaveLength(1);
      const line = readLine(fixture.dir, 'en-CA/messages.yaml', '{{max}}');
      expect(problems[0]).toBe(`content/en-CA/messages.yaml:${line}: "errors.tooLong" uses {{max}} but content/fr-CA/messages.yaml uses {{limit}}`);
    });

    it('reports a wrong type and an unknown key', () => {
      fixture.edit('en-CA/messages.yaml', (text) => text.replace(/^  hello: .*$/m, '  hello: 42').replace(/^menu:$/m, 'menu:\n  extraThing: "Hello"'));
      const problems = problemsOf();
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/en-CA\/messages\.yaml:\d+: "welcome\.hello" should be a text in quotes, not a number/),
          expect.stringMatching(/en-CA\/messages\.yaml:\d+: "menu\.extraThing" is an unknown key/),
        ]),
      );
    });

    it('reports invalid YAML at the line where it goes wrong', () => {
      fixture.edit('fr-CA/messages.yaml', (text) => text.replace(/^help:$/m, 'help:\n  text: "one"\n  text: "twice"'));
      const problems = problemsOf();
      const line = readLine(fixture.dir, 'fr-CA/messages.yaml', 'text: "twice"');
      expect(problems[0]).toBe(`content/fr-CA/messages.yaml:${line}: this is not valid YAML (Map keys must be unique)`);
    });

    it('refuses a crisis resources file missing a required line or with an unknown field', () => {
      fixture.edit('en-CA/crisis-resources.yaml', (text) => text.replace(/  - id: suicide-text[\s\S]*?(?=  - id: suicide-chat)/, '').replace('region: QC', 'region: QC\nphone: 1'));
      const problems = problemsOf();
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/en-CA\/crisis-resources\.yaml:\d+: the crisis line "suicide-text" is missing/),
          expect.stringMatching(/en-CA\/crisis-resources\.yaml:\d+: has unknown key\(s\): phone/),
        ]),
      );
    });

    it('reports a missing file clearly', () => {
      fixture.edit('fr-CA/crisis-resources.yaml', () => '');
      expect(problemsOf().some((p) => p.startsWith('content/fr-CA/crisis-resources.yaml:1:'))).toBe(true);
    });
  });

  it('translates with placeholders in both locales', () => {
    const result = loadContent(CONTENT_DIR);
    if (!result.content) throw new Error('content should load');
    const texts = createTexts(result.content);
    expect(texts.t('fr-CA', 'errors.tooLong', { limit: 4000 })).toContain('4000 caractères');
    expect(texts.t('en-CA', 'errors.tooLong', { limit: 4000 })).toContain('4000 characters');
    expect(texts.crisisResources('fr-CA').resources.map((r) => r.contact).join(' ')).toContain('535353');
  });
});

function readLine(dir: string, relative: string, needle: string): number {
  const lines = require('node:fs').readFileSync(`${dir}/${relative}`, 'utf8').split('\n') as string[];
  return lines.findIndex((line) => line.includes(needle)) + 1;
}
