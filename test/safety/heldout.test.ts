import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pct } from '../../content/safetyCorpus';
import { screenMessage } from '../../core/safety/screen';
import { isLevel, type Level } from '../../core/safety/types';
import { realLexicon } from './helpers/lexicon';

/**
 * test/safety/heldout/*.tsv: messages the screen was never tuned or trained on (see README.md).
 * The product's targets (crisis at crisis ≥ 98 %, concern flagged ≥ 97 %, ordinary flagged ≤ 3 %)
 * are not all met here yet; these floors are the figures measured on 2026-11-23, so a change that
 * makes the screen worse on unseen wordings fails.
 */
const FLOORS = { crisisFlagged: 0.985, crisisAtCrisis: 0.98, concernFlagged: 0.975, noneFlaggedAtMost: 0.03 };

const dir = join(__dirname, 'heldout');
const rows = readdirSync(dir)
  .filter((name) => name.endsWith('.tsv'))
  .flatMap((name) =>
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
const of = (label: Level) => rows.filter((r) => r.label === label);
const share = (list: typeof rows, ok: (level: Level) => boolean) => list.filter((r) => ok(r.level)).length / list.length;

describe('held-out rounds', () => {
  const figures = {
    crisisFlagged: share(of('crisis'), (l) => l !== 'none'),
    crisisAtCrisis: share(of('crisis'), (l) => l === 'crisis'),
    concernFlagged: share(of('concern'), (l) => l !== 'none'),
    noneFlagged: share(of('none'), (l) => l !== 'none'),
  };

  it('prints its figures', () => {
    console.log(
      `Held-out rounds (${of('crisis').length} crisis, ${of('concern').length} concern, ${of('none').length} ordinary): ` +
        `crisis flagged ${pct(figures.crisisFlagged)}, crisis at crisis ${pct(figures.crisisAtCrisis)}, ` +
        `concern flagged ${pct(figures.concernFlagged)}, ordinary flagged ${pct(figures.noneFlagged)}`,
    );
    expect(rows.length).toBeGreaterThan(900);
  });
  it('flags crisis messages at least as well as measured', () => {
    expect(figures.crisisFlagged).toBeGreaterThanOrEqual(FLOORS.crisisFlagged);
    expect(figures.crisisAtCrisis).toBeGreaterThanOrEqual(FLOORS.crisisAtCrisis);
  });
  it('flags concern messages at least as well as measured', () => {
    expect(figures.concernFlagged).toBeGreaterThanOrEqual(FLOORS.concernFlagged);
  });
  it('raises no more false alarms than measured', () => {
    expect(figures.noneFlagged).toBeLessThanOrEqual(FLOORS.noneFlaggedAtMost);
  });
});
