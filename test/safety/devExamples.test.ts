import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pct, SAFETY_TARGETS } from '../../content/safetyCorpus';
import { screenMessage } from '../../core/safety/screen';
import { isLevel, type Level } from '../../core/safety/types';
import { realLexicon } from './helpers/lexicon';

/**
 * test/safety/helpers/dev-examples.tsv: in-house phrasings (label, text), written in rounds while
 * developing the lexicon, each round measured before the lexicon was extended by families of
 * phrasings. Held to the same targets as the corpus; the misses are listed when a target fails.
 */
const rows = readFileSync(join(__dirname, 'helpers', 'dev-examples.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [label, text] = l.split('\t');
    if (!isLevel(label) || !text) throw new Error(`bad dev example line: ${l}`);
    return { label, text, level: screenMessage(text, realLexicon()).level as Level };
  });

const of = (label: Level) => rows.filter((r) => r.label === label);
const misses = (list: typeof rows, ok: (level: Level) => boolean) => list.filter((r) => !ok(r.level)).map((r) => `${r.label}→${r.level}: ${r.text}`);

describe('in-house development examples', () => {
  it('flags every crisis example', () => {
    expect(misses(of('crisis'), (l) => l !== 'none')).toEqual([]);
  });
  it(`screens at least ${pct(SAFETY_TARGETS.crisisAtCrisis)} of crisis examples at crisis`, () => {
    const list = of('crisis');
    const missed = misses(list, (l) => l === 'crisis');
    expect({ rate: 1 - missed.length / list.length >= SAFETY_TARGETS.crisisAtCrisis, missed }).toEqual({ rate: true, missed: expect.any(Array) });
  });
  it(`flags at least ${pct(SAFETY_TARGETS.concernFlagged)} of concern examples`, () => {
    const list = of('concern');
    const missed = misses(list, (l) => l !== 'none');
    expect({ rate: 1 - missed.length / list.length >= SAFETY_TARGETS.concernFlagged, missed }).toEqual({ rate: true, missed: expect.any(Array) });
  });
  it(`flags at most ${pct(SAFETY_TARGETS.noneFlagged)} of ordinary examples`, () => {
    const list = of('none');
    const flagged = misses(list, (l) => l === 'none');
    expect({ rate: flagged.length / list.length <= SAFETY_TARGETS.noneFlagged, flagged }).toEqual({ rate: true, flagged: expect.any(Array) });
  });
});
