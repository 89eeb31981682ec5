import { screenMessage } from '../../core/safety/screen';
import { CATEGORIES, LEVELS } from '../../core/safety/types';
import {
  CONCERN_EXAMPLES,
  CRISIS_EXAMPLES,
  DENIAL_EXAMPLES,
  DENIAL_WITH_SIGNAL,
  FIGURATIVE_EXAMPLES,
  ORDINARY_EXAMPLES,
  type Example,
} from './helpers/examples';
import { realLexicon } from './helpers/lexicon';

const rows = (groups: Readonly<Record<string, Example[]>>): Array<[string, string, Example]> =>
  Object.entries(groups).flatMap(([lang, list]) => list.map((ex): [string, string, Example] => [lang, ex.text, ex]));

function expectScreened(example: Example): void {
  const result = screenMessage(example.text, realLexicon());
  const ok = example.level === 'none' ? result.level === 'none' : example.level === 'concern' ? result.level !== 'none' : result.level === 'crisis';
  expect({ text: example.text, level: result.level, ok }).toEqual({ text: example.text, level: result.level, ok: true });
  if (example.category && example.level !== 'none') expect(result.categories).toContain(example.category);
}

describe('screenMessage with the real lexicon', () => {
  describe('crisis, per category and language', () => {
    it.each(rows(CRISIS_EXAMPLES))('[%s] %s', (_lang, _text, example) => expectScreened(example));
  });
  describe('concern (at least flagged)', () => {
    it.each(rows(CONCERN_EXAMPLES))('[%s] %s', (_lang, _text, example) => expectScreened(example));
  });
  describe('figures of speech are not flagged', () => {
    it.each(rows(FIGURATIVE_EXAMPLES))('[%s] %s', (_lang, _text, example) => expectScreened(example));
  });
  describe('explicit denials are not flagged', () => {
    it.each(rows(DENIAL_EXAMPLES))('[%s] %s', (_lang, _text, example) => expectScreened(example));
  });
  describe('a denial never hides a real signal in the same message', () => {
    it.each(DENIAL_WITH_SIGNAL.map((ex): [string, Example] => [ex.text, ex]))('%s', (_text, example) => expectScreened(example));
  });
  describe('ordinary self-care talk is not flagged', () => {
    it.each(rows(ORDINARY_EXAMPLES))('[%s] %s', (_lang, _text, example) => expectScreened(example));
  });

  it('applies every language to every message (code-switching)', () => {
    expect(screenMessage('ok so like jveux mourir tbh', realLexicon()).level).toBe('crisis');
    expect(screenMessage('honnêtement I want to die', realLexicon()).level).toBe('crisis');
  });

  it('lists categories in the fixed order, most acute first, and explains the matches', () => {
    const result = screenMessage("Mon chum me frappe et j'ai juste envie de mourir", realLexicon());
    expect(result.level).toBe('crisis');
    expect(result.categories).toEqual(['suicidal_ideation', 'danger_abuse']);
    expect(result.matches.map((m) => m.entryId)).toEqual(expect.arrayContaining(['fr.danger.now', 'fr.ideation.desire']));
  });

  it('keeps the fuller reading of nested matches (past ideation is concern)', () => {
    const result = screenMessage("J'ai déjà pensé à me tuer quand j'étais ado", realLexicon());
    expect(result.level).toBe('concern');
  });

  it('does not flag singing, laughter or pasted repeats, whatever their length', () => {
    for (const text of ['la la la', 'la la la la la la la', 'na na na na', `${'a '.repeat(5_000)}`, 'ok '.repeat(300), 'non non non non non', 'ha ha ha ha ha ha']) {
      expect({ text: text.slice(0, 20), level: screenMessage(text, realLexicon()).level }).toEqual({ text: text.slice(0, 20), level: 'none' });
    }
    // A repeat never hides a signal said once.
    expect(screenMessage('la la la je veux mourir la la la', realLexicon()).level).toBe('crisis');
  });

  it('returns a valid result for junk and empty text', () => {
    for (const text of ['', '   ', '😂', '\u0000\ud800', 'x'.repeat(1_000_000), 'constructor __proto__']) {
      const result = screenMessage(text, realLexicon());
      expect(LEVELS).toContain(result.level);
      for (const c of result.categories) expect(CATEGORIES).toContain(c);
    }
  });
});
