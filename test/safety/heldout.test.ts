import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pct } from '../../content/safetyCorpus';
import { screenMessage } from '../../core/safety/screen';
import { isLevel, type Level } from '../../core/safety/types';
import { realLexicon } from './helpers/lexicon';

/**
 * test/safety/heldout/*.tsv: messages the screen was never tuned or trained on (see README.md).
 * The product's targets (every crisis flagged, crisis at crisis ≥ 98 %, concern flagged ≥ 97 %,
 * ordinary flagged ≤ 3 %) are not all met here yet. Each group of rounds keeps the floors measured
 * when it was added, never lowered, so a change that makes the screen worse on unseen wordings
 * fails; a round file that belongs to no group fails too (give new rounds their own group).
 */
interface Floors {
  readonly crisisFlagged: number;
  readonly crisisAtCrisis: number;
  readonly concernFlagged: number;
  readonly noneFlaggedAtMost: number;
}
const GROUPS: ReadonlyArray<{ name: string; files: readonly string[]; floors: Floors }> = [
  // Measured 2026-11-23 (session 2), when the learned stage came in.
  { name: 'rounds 1-3', files: ['round-1.tsv', 'round-2.tsv', 'round-3.tsv'], floors: { crisisFlagged: 0.985, crisisAtCrisis: 0.98, concernFlagged: 0.975, noneFlaggedAtMost: 0.03 } },
  // Measured 2026-11-23 (session 3), with the examples of that day (two more waves of writing).
  { name: 'rounds 4-5', files: ['round-4.tsv', 'round-5.tsv'], floors: { crisisFlagged: 0.983, crisisAtCrisis: 0.979, concernFlagged: 0.95, noneFlaggedAtMost: 0.026 } },
  { name: 'rounds 6-7', files: ['round-6.tsv', 'round-7.tsv'], floors: { crisisFlagged: 0.991, crisisAtCrisis: 0.97, concernFlagged: 0.999, noneFlaggedAtMost: 0.037 } },
  // Measured 2026-11-23 (session 4): written while the fourth wave was, first read with the final model.
  { name: 'round 8', files: ['round-8.tsv'], floors: { crisisFlagged: 0.982, crisisAtCrisis: 0.982, concernFlagged: 0.986, noneFlaggedAtMost: 0.04 } },
  // Measured 2026-11-23 (session 5): written while the fifth wave was, first read with the final model.
  { name: 'round 9', files: ['round-9.tsv'], floors: { crisisFlagged: 1, crisisAtCrisis: 0.991, concernFlagged: 1, noneFlaggedAtMost: 0.01 } },
  // Measured 2026-11-23 (session 5): written blind later the same session, first read with the final model.
  { name: 'round 10', files: ['round-10.tsv'], floors: { crisisFlagged: 1, crisisAtCrisis: 0.981, concernFlagged: 1, noneFlaggedAtMost: 0.05 } },
];

const dir = join(__dirname, 'heldout');
const files = readdirSync(dir).filter((name) => name.endsWith('.tsv'));
const rowsOf = (names: readonly string[]) =>
  names.flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [label, lang, , text] = line.split('\t');
        if (!isLevel(label) || !text) throw new Error(`bad held-out line in ${name}`);
        return { label, lang, level: screenMessage(text, realLexicon()).level as Level };
      }),
  );
type Row = ReturnType<typeof rowsOf>[number];

function figuresOf(rows: readonly Row[]) {
  const of = (label: Level) => rows.filter((r) => r.label === label);
  const share = (list: readonly Row[], ok: (level: Level) => boolean) => list.filter((r) => ok(r.level)).length / list.length;
  return {
    counts: { crisis: of('crisis').length, concern: of('concern').length, none: of('none').length },
    crisisFlagged: share(of('crisis'), (l) => l !== 'none'),
    crisisAtCrisis: share(of('crisis'), (l) => l === 'crisis'),
    concernFlagged: share(of('concern'), (l) => l !== 'none'),
    noneFlagged: share(of('none'), (l) => l !== 'none'),
  };
}

const describeFigures = (name: string, f: ReturnType<typeof figuresOf>) =>
  `${name} (${f.counts.crisis} crisis, ${f.counts.concern} concern, ${f.counts.none} ordinary): ` +
  `crisis flagged ${pct(f.crisisFlagged)}, crisis at crisis ${pct(f.crisisAtCrisis)}, ` +
  `concern flagged ${pct(f.concernFlagged)}, ordinary flagged ${pct(f.noneFlagged)}`;

describe('held-out rounds', () => {
  it('puts every round file in a group with floors', () => {
    const grouped = new Set(GROUPS.flatMap((g) => g.files));
    expect(files.filter((name) => !grouped.has(name))).toEqual([]);
    expect(GROUPS.flatMap((g) => g.files).filter((name) => !files.includes(name))).toEqual([]);
  });

  it('prints the figures of all rounds together', () => {
    const all = figuresOf(rowsOf(files));
    console.log(`Held-out, ${describeFigures('all rounds', all)}`);
    expect(all.counts.crisis + all.counts.concern + all.counts.none).toBeGreaterThan(1_500);
  });

  describe.each(GROUPS)('$name', ({ name, files: names, floors }) => {
    const figures = figuresOf(rowsOf(names));

    it('prints its figures', () => {
      console.log(`Held-out, ${describeFigures(name, figures)}`);
      expect(figures.counts.crisis).toBeGreaterThan(100);
    });
    it('flags crisis messages at least as well as measured', () => {
      expect(figures.crisisFlagged).toBeGreaterThanOrEqual(floors.crisisFlagged);
      expect(figures.crisisAtCrisis).toBeGreaterThanOrEqual(floors.crisisAtCrisis);
    });
    it('flags concern messages at least as well as measured', () => {
      expect(figures.concernFlagged).toBeGreaterThanOrEqual(floors.concernFlagged);
    });
    it('raises no more false alarms than measured', () => {
      expect(figures.noneFlagged).toBeLessThanOrEqual(floors.noneFlaggedAtMost);
    });
  });
});
