import { compileLexicon, type Lexicon } from '../../core/safety/lexicon';
import { compilePattern, PatternError } from '../../core/safety/pattern';
import { screenMessage } from '../../core/safety/screen';

function matches(pattern: string, text: string, groups: Record<string, string> = {}): boolean {
  const result = compileLexicon({ groups, entries: [{ id: 't.x', category: 'suicidal_ideation', level: 'crisis', patterns: [pattern] }] });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return screenMessage(text, result.compiled).level === 'crisis';
}

describe('pattern syntax', () => {
  it('matches whole words in order, whatever the spelling', () => {
    expect(matches('je veux mourir', "J'VEUX MOURRIRRR")).toBe(true);
    expect(matches('je veux mourir', 'je veux pas mourir')).toBe(false);
    expect(matches('je veux mourir', 'je veuxmourir')).toBe(false);
    expect(matches('kill', 'skill')).toBe(false);
  });

  it('supports optional parts, alternatives, stems, gaps, negation and groups', () => {
    expect(matches('je [vraiment|juste] veux mourir', 'je veux mourir')).toBe(true);
    expect(matches('je [vraiment|juste] veux mourir', 'je juste veux mourir')).toBe(true);
    expect(matches('(me tuer|en finir)', 'je vais en finir')).toBe(true);
    expect(matches('suicid*', 'suicidaire')).toBe(true);
    expect(matches('combien * mourir', 'combien de pilules pour mourir')).toBe(true);
    expect(matches('combien * mourir', 'combien de pilules faudrait il prendre pour mourir')).toBe(false);
    expect(matches('combien *6 mourir', 'combien de pilules faudrait il prendre pour mourir')).toBe(true);
    expect(matches('combien * mourir', 'combien de pilules. pour mourir')).toBe(false);
    expect(matches('en finir !avec', 'je veux en finir')).toBe(true);
    expect(matches('en finir !avec', 'je veux en finir avec ce projet')).toBe(false);
    expect(matches('je @verbe mourir', 'je voudrais mourir', { verbe: '(veux|voudrais)' })).toBe(true);
    expect(matches('regex[mourir]:mourir$', 'je veux mourir')).toBe(true);
  });

  it('checks every required part, words or stems, before running a pattern', () => {
    // "pilules" anchors; the stem and the word set must also be in the message.
    expect(matches('pilules * (suicid*|mort*) (ce|cette) (soir|nuit)', 'pilules pour me suicider ce soir')).toBe(true);
    expect(matches('pilules * (suicid*|mort*) (ce|cette) (soir|nuit)', 'pilules pour mourir ce soir')).toBe(false);
    expect(matches('pilules * (suicid*|mort*) (ce|cette) (soir|nuit)', 'pilules pour me suicider demain')).toBe(false);
    // Patterns sharing a required set (numbered once) still each need it.
    const result = compileLexicon({
      entries: [
        { id: 't.a', category: 'suicidal_ideation', level: 'crisis', patterns: ['je veux mourir ce soir', 'je veux partir ce soir'] },
        { id: 't.b', category: 'self_harm', level: 'concern', patterns: ['je veux me couper ce soir'] },
      ],
    });
    if (!result.ok) throw new Error('does not compile');
    expect(result.compiled.requiredSets.length).toBeGreaterThan(new Set(result.compiled.requiredSets).size);
    expect(screenMessage('je veux partir ce soir', result.compiled).matches.map((m) => m.entryId)).toEqual(['t.a']);
    expect(screenMessage('je veux me couper ce soir', result.compiled).matches.map((m) => m.entryId)).toEqual(['t.b']);
    expect(screenMessage('je veux partir demain soir', result.compiled).level).toBe('none');
  });

  it('reads "plus" as Quebec "pu" and "il" as "y" on the pattern side', () => {
    expect(matches('je veux plus vivre', 'jveux pu vivre')).toBe(true);
    expect(matches('il veut se tuer', 'y veut se tuer')).toBe(true);
  });

  it('returns anchors (and further required words) for fast screening', () => {
    const compiled = compilePattern('je veux (mourir|crever)');
    expect(compiled.anchors?.words).toEqual(expect.arrayContaining(['mourir', 'crever']));
    expect(compiled.requires.map((r) => r.words)).toEqual(expect.arrayContaining([['veux'], ['je']]));
  });
});

describe('pattern errors', () => {
  it.each([
    ['', 'is empty'],
    ['je (veux mourir', "has an unclosed '('"],
    ['je [veux mourir', "has an unclosed '['"],
    ['je veux) mourir', "has a ')' without a matching '('"],
    ['je veux] mourir', "has a ']' without a matching '['"],
    ['je|tu veux', "has a '|' outside ( ) or [ ]"],
    ['je (veux|) mourir', "has an empty alternative inside '()'"],
    ['* mourir', 'starts with a gap'],
    ['mourir *', 'ends with a gap'],
    ['je * * mourir', 'two gaps in a row'],
    ['je *9 mourir', "has a gap '*9' that must span 1 to 8 words"],
    ['su*', "has a stem 'su*' that is too short"],
    ['[souvent]', 'has only optional parts'],
    ['!avec mourir', "starts with '!'"],
    ['je !', "has a '!' that is not followed by a word or a ( ) group"],
    ['mourir(s)', "has 'mourir(' with no space before '('"],
    ['je @nope', 'uses @nope, which is not defined under groups'],
    ['regex:(', 'is not a valid regular expression'],
    ['regex:a*', 'has a regex that matches an empty text'],
    ['regex[]:mourir', "has 'regex[…]:' with no words between the brackets"],
  ])('%j %s', (pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it('reports looping groups', () => {
    expect(() => compilePattern('@a', { a: '(x|@b)', b: '(y|@a)' })).toThrow('groups that refer to each other in a loop');
  });
});

describe('compileLexicon', () => {
  it('reports every problem, phrased for an editor, and never throws', () => {
    const lexicon = {
      groups: { ok: '(a|b)', broken: '(a|b' },
      entries: [
        { id: 'fr.ideation.direct', category: 'suicidal_ideation', level: 'crisis', patterns: ['je veux mourir', 'x', 'je (veux mourir'] },
        { id: 'fr.ideation.direct', category: 'nope', level: 'urgent', patterns: [] },
      ],
      figurative: [{ id: 'fig.1', patterns: ['mourir de (rire|faim'] }],
      denials: 'not a list',
    } as unknown as Lexicon;
    const result = compileLexicon(lexicon);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "group 'broken' has an unclosed '('",
        "pattern 3 of entry fr.ideation.direct has an unclosed '('",
        "entry fr.ideation.direct uses an id already used in 'entries'",
        expect.stringContaining("has category 'nope'"),
        expect.stringContaining("has level 'urgent'"),
        "pattern 1 of figurative entry fig.1 has an unclosed '('",
        "the 'denials' section must be a list",
      ]),
    );
    const located = result.errors.find((e) => e.message.startsWith('pattern 3'));
    expect(located).toMatchObject({ section: 'entries', index: 0, patternIndex: 2, id: 'fr.ideation.direct' });
  });

  it('does not throw on junk', () => {
    for (const junk of [null, undefined, 42, 'x', [], { entries: 'x' }, { entries: [null, 1, 'x'] }]) {
      expect(() => compileLexicon(junk as unknown as Lexicon)).not.toThrow();
    }
  });
});
