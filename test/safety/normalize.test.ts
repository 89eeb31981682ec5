import { MAX_SCREENED_CHARS, normalizeText, screenForms, skeletonWord } from '../../core/safety/normalize';

describe('normalizeText', () => {
  it.each([
    ["J'veux pu vivre tsé", 'je veux plus vivre'],
    ['chu pu capable osti', 'je suis plus capable'],
    ['jpp de ma vie', 'je en peux plus de ma vie'],
    ["I don't want to live anymore", 'i do not want to live anymore'],
    ['im gonna kms', 'i am going to kms'],
    ["Je n'ai plus le goût de rien", 'je ai plus le gout de rien'],
    ['JVEUX MOURIRRRR!!!', 'je veux mourir'],
    ["j’veux mourir", 'je veux mourir'],
    ["j' veux mourir", 'je veux mourir'],
    ['jveux m suicider', 'je veux me suicider'],
    ['j veux mour1r', 'je veux mourir'],
    ['sucide', 'suicide'],
    ['i want 2 die', 'i want to die'],
    ["m'as me tuer", 'je vais me tuer'],
    ["tu m'as aidé", 'tu me as aide'],
    ['ya pu rien', 'il y a plus rien'],
    ["j'ai pu dormir", 'je ai pu dormir'],
    ['c mon dernier msg', 'ce est mon dernier message'],
    ['je me suis coupé(e)', 'je me suis coupe'],
    ['seul·e', 'seul'],
    ["they'd be fine", 'they would be fine'],
    ['la personne dont je parle', 'la personne dont je parle'],
    ['i dont care', 'i do not care'],
    ['je meurs de rire 😂😂', 'je meurs de rire lol lol'],
    ['mdr', 'lol'],
    ['Œuvre ÇA', 'oeuvre ca'],
    ['genre de chose', 'genre de chose'],
    ['chu genre fatigué', 'je suis fatigue'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('marks sentence ends so that gaps never cross them, and drops them at the edges', () => {
    expect(normalizeText('Oui. Non! Peut-être? ;')).toBe('oui . non . peut etre');
    expect(normalizeText('je veux... mourir')).toBe('je veux mourir');
  });

  it('never answers for object keys (constructor, __proto__)', () => {
    expect(normalizeText('constructor __proto__ toString hasOwnProperty valueOf')).toBe('constructor proto tostring hasownproperty valueof');
  });

  describe('junk never throws', () => {
    const junk: Array<[string, unknown]> = [
      ['empty', ''],
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['an object', { text: 'je veux mourir' }],
      ['1 MB of text', 'je veux mourir '.repeat(70_000)],
      ['lone surrogates', '\ud800 je \udfff veux \ud83d'],
      ['binary', String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))],
      ['emoji only', '😂😭💀🔥❤️‍🩹🏳️‍🌈'],
      ['mixed scripts', 'Привет 你好 مرحبا שלום je veux'],
      ['control characters', '\u0000\u0007\u001b[31mhello\u202e\u200b'],
      ['only punctuation', '?!?!... ;;; ...'],
    ];
    it.each(junk)('%s', (_, input) => {
      expect(() => normalizeText(input)).not.toThrow();
      const out = normalizeText(input);
      expect(typeof out).toBe('string');
      expect(out).toMatch(/^[a-z0-9' .]*$/);
      expect(out).not.toMatch(/^ | $|  /);
      expect(() => screenForms(input)).not.toThrow();
    });

    it('bounds the work: only the first MAX_SCREENED_CHARS characters are read', () => {
      const long = `${'a '.repeat(MAX_SCREENED_CHARS)}je veux mourir`;
      expect(normalizeText(long)).not.toContain('mourir');
    });
  });
});

describe('screenForms and skeletonWord', () => {
  it('collapses every run of one letter in the skeleton', () => {
    expect(skeletonWord('appelle')).toBe('apele');
    expect(skeletonWord('kill')).toBe('kil');
    expect(skeletonWord('mourir')).toBe('mourir');
    expect(screenForms('Je vais appeller, kill')).toEqual({ normalized: 'je vais appeller kill', skeleton: 'je vais apeler kil' });
  });
});
