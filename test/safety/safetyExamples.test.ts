import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pct, SAFETY_TARGETS } from '../../content/safetyCorpus';
import { EXAMPLE_HEADER, loadSafetyExamples, SAFETY_EXAMPLES_DIR, type SafetyExample } from '../../content/safetyExamples';
import { loadSafetyLexicon } from '../../content/safetyLexicon';
import { trainScreenModel } from '../../content/safetyModel';
import { screenMessage } from '../../core/safety/screen';
import type { Level } from '../../core/safety/types';
import { CONTENT_DIR, realLexicon, ROOT } from './helpers/lexicon';

/**
 * content/safety-examples/*.tsv: the labelled messages the learned stage is trained on. The files
 * must load cleanly, a broken line must be named by file and line, training must be repeatable,
 * and the whole screen must hold the product's targets on them (a fit check: the independent
 * figures come from test/safety/heldout and the corpus).
 */
describe('safety example files', () => {
  const loaded = loadSafetyExamples(CONTENT_DIR, ROOT);

  it('load without a problem, a few thousand lines in every label and language', () => {
    expect(loaded.problems).toEqual([]);
    const count = (pick: (e: SafetyExample) => boolean) => loaded.examples.filter(pick).length;
    expect(loaded.examples.length).toBeGreaterThan(4000);
    for (const level of ['crisis', 'concern', 'none'] as Level[]) expect([level, count((e) => e.level === level) > 800]).toEqual([level, true]);
    for (const lang of ['fr', 'qc', 'en', 'mix']) expect([lang, count((e) => e.lang === lang) > 100]).toEqual([lang, true]);
  });

  describe('the whole screen on them', () => {
    const rows = loaded.examples.map((e) => ({ ...e, got: screenMessage(e.text, realLexicon()).level }));
    const of = (level: Level) => rows.filter((r) => r.level === level);
    const rate = (list: typeof rows, ok: (l: Level) => boolean) => list.filter((r) => ok(r.got)).length / list.length;
    it(`screens at least ${pct(SAFETY_TARGETS.crisisAtCrisis)} of crisis examples at crisis and flags them all but a handful`, () => {
      expect(rate(of('crisis'), (l) => l === 'crisis')).toBeGreaterThanOrEqual(SAFETY_TARGETS.crisisAtCrisis);
      expect(rate(of('crisis'), (l) => l !== 'none')).toBeGreaterThanOrEqual(0.995);
    });
    it(`flags at least ${pct(SAFETY_TARGETS.concernFlagged)} of concern examples`, () => {
      expect(rate(of('concern'), (l) => l !== 'none')).toBeGreaterThanOrEqual(SAFETY_TARGETS.concernFlagged);
    });
    it(`flags at most ${pct(SAFETY_TARGETS.noneFlagged)} of ordinary examples`, () => {
      expect(rate(of('none'), (l) => l !== 'none')).toBeLessThanOrEqual(SAFETY_TARGETS.noneFlagged);
    });
  });

  it('trains the same model twice from the same files', () => {
    const lexicon = loadSafetyLexicon(CONTENT_DIR, ROOT, { learned: false }).compiled;
    if (!lexicon) throw new Error('lexicon does not load');
    const some = loaded.examples.filter((_, i) => i % 4 === 0);
    const digest = () => {
      const model = trainScreenModel(lexicon, some);
      const hash = createHash('sha256');
      for (const array of [model.weights, model.categories, model.categoryBias]) hash.update(Buffer.from(array.buffer));
      hash.update(`${model.flagBias} ${model.crisisBias}`);
      return hash.digest('hex');
    };
    expect(digest()).toBe(digest());
  });

  describe('a broken file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pp-examples-'));
      mkdirSync(join(dir, SAFETY_EXAMPLES_DIR));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => writeFileSync(join(dir, SAFETY_EXAMPLES_DIR, name), text);

    it('names each broken line by file and line, and keeps the good ones', () => {
      write(
        'a.tsv',
        [
          EXAMPLE_HEADER,
          'crisis\tfr\tideation\tje veux mourir',
          'danger\tfr\tideation\tje veux partir',
          'none\tfr\tsmalltalk',
          'none\tde\tsmalltalk\tguten Tag',
          'none\tfr\tweather\til fait beau',
          'concern\tqc\tpassive\t   ',
          'none\tfr\tsmalltalk\tJE VEUX MOURIR !',
          '',
        ].join('\n'),
      );
      write('b.tsv', 'label,lang,kind,text\nnone,fr,smalltalk,bonjour\n');
      const result = loadSafetyExamples(dir, dir);
      const file = join(SAFETY_EXAMPLES_DIR, 'a.tsv');
      expect(result.problems).toEqual([
        { file, line: 3, message: 'label "danger" is not one of crisis, concern, none' },
        { file, line: 4, message: 'expected 4 fields separated by tabs (label, lang, kind, text), found 3' },
        { file, line: 5, message: 'lang "de" is not one of fr, qc, en, mix, -' },
        { file, line: 6, message: expect.stringMatching(/^kind "weather" is not known/) },
        { file, line: 7, message: 'the text is empty' },
        { file, line: 8, message: `the same message is already at ${file}:2` },
        { file: join(SAFETY_EXAMPLES_DIR, 'b.tsv'), line: 1, message: 'the first line must be the header "label<TAB>lang<TAB>kind<TAB>text"' },
      ]);
      expect(result.examples.map((e) => e.line)).toEqual([2]);
    });

    it('stops the screen from loading (the bot never starts on a broken example file)', () => {
      write('a.tsv', `${EXAMPLE_HEADER}\ncrisis\tfr\tideation\n`);
      for (const name of ['fr-CA', 'en-CA']) mkdirSync(join(dir, name));
      for (const name of ['fr-CA/safety-lexicon.yaml', 'en-CA/safety-lexicon.yaml'])
        writeFileSync(join(dir, name), readFileSync(join(CONTENT_DIR, name), 'utf8'));
      const result = loadSafetyLexicon(dir, dir);
      expect(result.compiled).toBeUndefined();
      expect(result.problems).toEqual([{ file: join(SAFETY_EXAMPLES_DIR, 'a.tsv'), line: 2, message: expect.stringContaining('expected 4 fields') }]);
    });
  });
});
