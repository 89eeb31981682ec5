import {
  bandOf,
  elapsedBetween,
  isCase,
  isReliableRecovery,
  offersFullForm,
  recoveryOf,
  reliableChange,
  scoreAnswers,
  scoreOrThrow,
  trendOf,
} from '../../core/measures/scoring';
import { INSTRUMENTS, maxScore, needsSafetyFollowUp, wordingOf, type InstrumentId } from '../../core/measures/instruments';

const filled = (n: number, value: number) => Array.from({ length: n }, () => value);

describe('instruments', () => {
  it.each([
    ['phq9', 9, 0, 3, 27],
    ['gad7', 7, 0, 3, 21],
    ['wsas', 5, 0, 8, 40],
    ['phq2', 2, 0, 3, 6],
    ['gad2', 2, 0, 3, 6],
  ] as const)('%s: %i items scored %i–%i, total up to %i', (id, items, min, max, total) => {
    expect(INSTRUMENTS[id]).toMatchObject({ items, min, max });
    expect(maxScore(id)).toBe(total);
  });

  it('short forms read their full form’s wording', () => {
    expect(wordingOf('phq2')).toBe('phq9');
    expect(wordingOf('gad2')).toBe('gad7');
    expect(wordingOf('wsas')).toBe('wsas');
  });

  it.each([
    ['phq9', 8, 1, true],
    ['phq9', 8, 3, true],
    ['phq9', 8, 0, false],
    ['phq9', 7, 3, false],
    ['gad7', 6, 3, false],
    ['phq2', 1, 3, false],
  ] as const)('safety follow-up: %s item %i = %i → %s', (id, index, value, expected) => {
    expect(needsSafetyFollowUp(id, index, value)).toBe(expected);
  });
});

describe('scoreAnswers: only complete, valid answers give a score', () => {
  it.each<[string, InstrumentId, unknown[], number | undefined]>([
    ['PHQ-9 all zero', 'phq9', filled(9, 0), 0],
    ['PHQ-9 all three', 'phq9', filled(9, 3), 27],
    ['PHQ-9 mixed', 'phq9', [0, 1, 2, 3, 0, 1, 2, 3, 1], 13],
    ['PHQ-9 eight answers', 'phq9', filled(8, 1), undefined],
    ['PHQ-9 ten answers', 'phq9', filled(10, 1), undefined],
    ['PHQ-9 a missing answer', 'phq9', [...filled(8, 1), null], undefined],
    ['PHQ-9 a 4', 'phq9', [...filled(8, 1), 4], undefined],
    ['PHQ-9 a negative', 'phq9', [...filled(8, 1), -1], undefined],
    ['PHQ-9 a decimal', 'phq9', [...filled(8, 1), 1.5], undefined],
    ['PHQ-9 a string', 'phq9', [...filled(8, 1), '1'], undefined],
    ['GAD-7 complete', 'gad7', [3, 3, 2, 2, 1, 1, 0], 12],
    ['GAD-7 six answers', 'gad7', filled(6, 2), undefined],
    ['WSAS complete', 'wsas', [8, 6, 4, 2, 0], 20],
    ['WSAS a 9', 'wsas', [9, 6, 4, 2, 0], undefined],
    ['PHQ-2', 'phq2', [2, 1], 3],
    ['GAD-2 one answer', 'gad2', [2], undefined],
  ])('%s', (_name, id, answers, expected) => {
    expect(scoreAnswers(id, answers)).toBe(expected);
  });

  it('scoreOrThrow names the problem, never the answers', () => {
    expect(scoreOrThrow('gad7', [0, 1, 2, 3, 0, 1, 2])).toBe(9);
    expect(() => scoreOrThrow('phq9', filled(8, 1))).toThrow('PHQ-9: 9 answers are needed, found 8');
    expect(() => scoreOrThrow('wsas', [1, 2, 3, 4, 12])).toThrow('WSAS: answer 5 is not a whole number from 0 to 8');
    expect(() => scoreOrThrow('phq9', undefined)).toThrow('PHQ-9: answers must be a list');
  });
});

describe('bands', () => {
  it.each<[InstrumentId, number, string]>([
    ['phq9', 0, 'minimal'],
    ['phq9', 4, 'minimal'],
    ['phq9', 5, 'mild'],
    ['phq9', 9, 'mild'],
    ['phq9', 10, 'moderate'],
    ['phq9', 14, 'moderate'],
    ['phq9', 15, 'moderately_severe'],
    ['phq9', 19, 'moderately_severe'],
    ['phq9', 20, 'severe'],
    ['phq9', 27, 'severe'],
    ['gad7', 0, 'minimal'],
    ['gad7', 4, 'minimal'],
    ['gad7', 5, 'mild'],
    ['gad7', 9, 'mild'],
    ['gad7', 10, 'moderate'],
    ['gad7', 14, 'moderate'],
    ['gad7', 15, 'severe'],
    ['gad7', 21, 'severe'],
    ['wsas', 0, 'subclinical'],
    ['wsas', 9, 'subclinical'],
    ['wsas', 10, 'significant'],
    ['wsas', 20, 'significant'],
    ['wsas', 21, 'severe'],
    ['wsas', 40, 'severe'],
    ['phq2', 2, 'negative'],
    ['phq2', 3, 'positive'],
    ['gad2', 6, 'positive'],
  ])('%s %i → %s', (id, score, band) => {
    expect(bandOf(id, score)).toBe(band);
  });

  it.each<[InstrumentId, number]>([
    ['phq9', 28],
    ['phq9', -1],
    ['gad7', 22],
    ['wsas', 41],
    ['phq9', 3.5],
  ])('%s %s is not a score', (id, score) => {
    expect(() => bandOf(id, score)).toThrow(RangeError);
  });
});

describe('caseness and short forms', () => {
  it.each<[InstrumentId, number, boolean | undefined]>([
    ['phq9', 9, false],
    ['phq9', 10, true],
    ['gad7', 7, false],
    ['gad7', 8, true],
    ['wsas', 30, undefined],
    ['phq2', 6, undefined],
  ])('%s %i → case %s', (id, score, expected) => {
    expect(isCase(id, score)).toBe(expected);
  });

  it.each<[InstrumentId, number, boolean]>([
    ['phq2', 2, false],
    ['phq2', 3, true],
    ['gad2', 3, true],
    ['gad2', 0, false],
    ['phq9', 20, false],
  ])('%s %i offers the full form: %s', (id, score, expected) => {
    expect(offersFullForm(id, score)).toBe(expected);
  });
});

describe('reliable change and recovery', () => {
  it.each<[InstrumentId, number, number, string | undefined]>([
    ['phq9', 18, 12, 'improved'],
    ['phq9', 18, 13, 'none'],
    ['phq9', 12, 18, 'deteriorated'],
    ['phq9', 12, 17, 'none'],
    ['gad7', 15, 11, 'improved'],
    ['gad7', 15, 12, 'none'],
    ['gad7', 8, 12, 'deteriorated'],
    ['gad7', 8, 8, 'none'],
    ['wsas', 30, 10, undefined],
  ])('%s %i → %i: %s', (id, before, after, expected) => {
    expect(reliableChange(id, before, after)).toBe(expected);
  });

  it.each<[InstrumentId, number, number, string, boolean]>([
    ['phq9', 16, 9, 'recovered', true],
    ['phq9', 12, 9, 'recovered', false],
    ['phq9', 16, 10, 'not_recovered', false],
    ['phq9', 8, 2, 'not_applicable', false],
    ['gad7', 12, 7, 'recovered', true],
    ['gad7', 9, 7, 'recovered', false],
    ['gad7', 7, 14, 'not_applicable', false],
    ['wsas', 25, 5, 'not_applicable', false],
  ])('%s %i → %i: %s (reliable recovery %s)', (id, before, after, recovery, reliable) => {
    expect(recoveryOf(id, before, after)).toBe(recovery);
    expect(isReliableRecovery(id, before, after)).toBe(reliable);
  });
});

describe('trend wording inputs', () => {
  it.each([
    ['2025-03-03T12:00:00Z', '2025-03-03T18:00:00Z', 'day', 0],
    ['2025-03-01T12:00:00Z', '2025-03-04T12:00:00Z', 'day', 3],
    ['2025-03-01T12:00:00Z', '2025-03-14T12:00:00Z', 'day', 13],
    ['2025-03-01T12:00:00Z', '2025-03-15T12:00:00Z', 'week', 2],
    ['2025-03-01T12:00:00Z', '2025-03-19T12:00:00Z', 'week', 3],
    ['2025-03-01T12:00:00Z', '2025-04-25T12:00:00Z', 'week', 8],
    ['2025-01-01T12:00:00Z', '2025-04-01T12:00:00Z', 'month', 3],
    ['2025-03-04T12:00:00Z', '2025-03-01T12:00:00Z', 'day', 0],
  ] as const)('%s → %s: %s %s', (from, to, unit, count) => {
    expect(elapsedBetween(from, to)).toEqual({ unit, count });
  });

  it('lower than 2 weeks ago, reliably, with recovery', () => {
    const trend = trendOf('phq9', { score: 16, at: '2025-03-01T12:00:00Z' }, { score: 8, at: '2025-03-15T12:00:00Z' });
    expect(trend).toEqual({ direction: 'lower', difference: -8, reliable: 'improved', recovery: 'recovered', previousBand: 'moderately_severe', band: 'mild', since: { unit: 'week', count: 2 } });
  });

  it('the same, or higher; WSAS has no reliable-change index', () => {
    expect(trendOf('gad7', { score: 6, at: '2025-03-01' }, { score: 6, at: '2025-03-08' })).toMatchObject({ direction: 'same', difference: 0, reliable: 'none' });
    const wsas = trendOf('wsas', { score: 10, at: '2025-03-01' }, { score: 14, at: '2025-03-29' });
    expect(wsas).toMatchObject({ direction: 'higher', difference: 4, recovery: 'not_applicable', since: { unit: 'week', count: 4 } });
    expect(wsas.reliable).toBeUndefined();
  });
});
