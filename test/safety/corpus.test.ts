import { measureCorpus, pct, rate, SAFETY_TARGETS, type Tally } from '../../content/safetyCorpus';
import { CORPUS_DIR, realLexicon, ROOT } from './helpers/lexicon';

/**
 * The independent labelled corpus (test/safety/corpus/, never edited here) against the real
 * lexicon: prints the figures and holds them to the product's targets.
 */
const report = measureCorpus(realLexicon(), CORPUS_DIR, ROOT);

function row(name: string, t: Tally): string {
  const cells = [
    pct(rate(t.crisisAtCrisis, t.crisis)),
    pct(rate(t.crisisFlagged, t.crisis)),
    pct(rate(t.concernFlagged, t.concern)),
    pct(rate(t.noneFlagged, t.none)),
    `${t.crisis}/${t.concern}/${t.none}`,
  ];
  return `${name.padEnd(8)}${cells.map((c) => c.padStart(17)).join('')}`;
}

function table(title: string, group: { all: Tally; byLang: Readonly<Record<string, Tally>> }): string {
  const header = `${''.padEnd(8)}${['crisis@crisis', 'crisis flagged', 'concern flagged', 'none flagged', 'lines c/c/n'].map((h) => h.padStart(17)).join('')}`;
  const langs = ['fr', 'qc', 'en', 'mix', ...Object.keys(group.byLang).filter((l) => !['fr', 'qc', 'en', 'mix'].includes(l))];
  const lines = langs.filter((l) => group.byLang[l]).map((l) => row(l, group.byLang[l] as Tally));
  return [title, header, ...lines, row('all', group.all)].join('\n');
}

describe('labelled corpus', () => {
  it('reads every TSV of the corpus without a format problem', () => {
    expect(report.files.map((f) => f.split('/').pop()).sort()).toEqual(expect.arrayContaining(['concern.tsv', 'context.tsv', 'crisis.tsv', 'none.tsv']));
    expect(report.formatProblems).toEqual([]);
    expect(report.main.all.crisis).toBeGreaterThan(0);
    expect(report.context.all.crisis).toBeGreaterThan(0);
  });

  it('prints the figures', () => {
    // eslint-disable-next-line no-console
    console.log(`${table('Main corpus (crisis.tsv, concern.tsv, none.tsv)', report.main)}\n\n${table('Context corpus (context.tsv, with the bot question)', report.context)}`);
  });

  describe.each([
    ['main corpus', report.main.all, (l: (typeof report.lines)[number]) => !l.context],
    ['context corpus', report.context.all, (l: (typeof report.lines)[number]) => Boolean(l.context)],
  ])('%s', (_name, tally, belongs) => {
    it('flags every crisis line', () => {
      const missed = report.lines.filter((l) => belongs(l) && l.label === 'crisis' && l.level === 'none').map((l) => `${l.file}:${l.line}`);
      expect(missed).toEqual([]);
    });
    it(`screens at least ${pct(SAFETY_TARGETS.crisisAtCrisis)} of crisis lines at crisis`, () => {
      expect(rate(tally.crisisAtCrisis, tally.crisis)).toBeGreaterThanOrEqual(SAFETY_TARGETS.crisisAtCrisis);
    });
    it(`flags at least ${pct(SAFETY_TARGETS.concernFlagged)} of concern lines`, () => {
      expect(rate(tally.concernFlagged, tally.concern)).toBeGreaterThanOrEqual(SAFETY_TARGETS.concernFlagged);
    });
    it(`flags at most ${pct(SAFETY_TARGETS.noneFlagged)} of ordinary lines`, () => {
      expect(rate(tally.noneFlagged, tally.none)).toBeLessThanOrEqual(SAFETY_TARGETS.noneFlagged);
    });
  });
});
