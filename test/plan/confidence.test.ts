import { readConfidence } from '../../core/plan/confidence';
import { CONFIDENCE_THRESHOLD, needsSmallerStep } from '../../core/plan/plan';

describe('readConfidence', () => {
  it.each([
    ['7', 7],
    ['0', 0],
    ['10', 10],
    [' 8 ', 8],
    ['7/10', 7],
    ['7 / 10', 7],
    ['7 sur 10', 7],
    ['sept', 7],
    ['Sept', 7],
    ['sept sur dix', 7],
    ['zéro', 0],
    ['dix', 10],
    ['un', 1],
    ['une', 1],
    ['je dirais huit', 8],
    ['je dirais 6', 6],
    ['seven', 7],
    ['seven out of ten', 7],
    ['8 out of 10', 8],
    ['10/10 !', 10],
    ['6,5', 6],
    ['6.5', 6],
    ['nine', 9],
    ['six', 6],
  ])('%p → %p', (text, value) => {
    expect(readConfidence(text)).toBe(value);
  });

  it.each([['11'], ['-'], ['12/10'], ['entre 5 et 7'], ['beaucoup'], [''], ['un peu'], ['one day'], ['🙂'], ['x'.repeat(100)], [undefined]])('%p → undefined', (text) => {
    expect(readConfidence(text)).toBeUndefined();
  });
});

describe('needsSmallerStep', () => {
  it.each([
    [0, true],
    [5, true],
    [6, true],
    [7, false],
    [8, false],
    [10, false],
  ])('%i → %p', (value, expected) => {
    expect(needsSmallerStep(value)).toBe(expected);
  });

  it('uses 7 as the threshold', () => {
    expect(CONFIDENCE_THRESHOLD).toBe(7);
  });
});
