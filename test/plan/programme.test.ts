import {
  DEFAULT_TOTAL_WEEKS,
  ProgrammeStages,
  isFinalReviewDue,
  isProgrammeOver,
  normalizeTotalWeeks,
  programmeStatus,
  stageOf,
  weekOf,
} from '../../core/plan/programme';

const START = '2025-03-03T15:00:00.000Z';
const at = (days: number, hours = 0) => new Date(Date.parse(START) + days * 86_400_000 + hours * 3_600_000);

describe('programme: weekOf', () => {
  it.each([
    [0, 0, 1],
    [0, 5, 1],
    [6, 23, 1],
    [7, 0, 2],
    [13, 0, 2],
    [14, 0, 3],
    [49, 0, 8],
    [55, 0, 8],
    [56, 0, 9],
    [70, 0, 11],
  ])('day %i + %ih → week %i', (days, hours, week) => {
    expect(weekOf(START, at(days, hours))).toBe(week);
    expect(weekOf(new Date(START), at(days, hours))).toBe(week);
  });

  it('is week 1 for a start in the future or an unreadable date', () => {
    expect(weekOf(START, at(-3))).toBe(1);
    expect(weekOf('not a date', at(20))).toBe(1);
  });
});

describe('programme: stageOf', () => {
  it.each([
    // 8 weeks (default): 1–2 assess, 3–5 support, 6–7 measure, 8+ final review
    [1, 8, ProgrammeStages.assess],
    [2, 8, ProgrammeStages.assess],
    [3, 8, ProgrammeStages.support],
    [5, 8, ProgrammeStages.support],
    [6, 8, ProgrammeStages.measure],
    [7, 8, ProgrammeStages.measure],
    [8, 8, ProgrammeStages.finalReview],
    [12, 8, ProgrammeStages.finalReview],
    // 9 weeks
    [6, 9, ProgrammeStages.support],
    [7, 9, ProgrammeStages.measure],
    [9, 9, ProgrammeStages.finalReview],
    // 10 weeks: 1–2, 3–7, 8–9, 10
    [2, 10, ProgrammeStages.assess],
    [7, 10, ProgrammeStages.support],
    [8, 10, ProgrammeStages.measure],
    [9, 10, ProgrammeStages.measure],
    [10, 10, ProgrammeStages.finalReview],
    // out-of-range lengths are clamped to 8–10
    [8, 4, ProgrammeStages.finalReview],
    [10, 20, ProgrammeStages.finalReview],
    // odd weeks
    [0, 8, ProgrammeStages.assess],
    [Number.NaN, 8, ProgrammeStages.assess],
  ])('week %p of %p → stage %p', (week, total, stage) => {
    expect(stageOf(week, total)).toBe(stage);
  });

  it('defaults to 8 weeks', () => {
    expect(DEFAULT_TOTAL_WEEKS).toBe(8);
    expect(stageOf(8)).toBe(ProgrammeStages.finalReview);
    expect(stageOf(7)).toBe(ProgrammeStages.measure);
  });

  it('goes through all four stages in order for every length', () => {
    for (const total of [8, 9, 10]) {
      const stages = Array.from({ length: total }, (_, i) => stageOf(i + 1, total));
      expect([...new Set(stages)]).toEqual([1, 2, 3, 4]);
      expect(stages).toEqual([...stages].sort());
    }
  });
});

describe('programme: end', () => {
  it.each([
    [7, 8, false, false],
    [8, 8, true, false],
    [9, 8, true, true],
    [9, 10, false, false],
    [10, 10, true, false],
    [11, 10, true, true],
  ])('week %i of %i: final review due %p, over %p', (week, total, due, over) => {
    expect(isFinalReviewDue(week, total)).toBe(due);
    expect(isProgrammeOver(week, total)).toBe(over);
  });

  it.each([
    [undefined, 8],
    [8, 8],
    [9, 9],
    [10, 10],
    [7, 8],
    [12, 10],
    [9.4, 9],
    [Number.NaN, 8],
  ])('normalizeTotalWeeks(%p) = %p', (input, expected) => {
    expect(normalizeTotalWeeks(input)).toBe(expected);
  });

  it('gives the status for the menu', () => {
    expect(programmeStatus({ startedAt: START, totalWeeks: 8 }, at(15))).toEqual({ week: 3, totalWeeks: 8, stage: 2, over: false, finalReviewDone: false });
    expect(programmeStatus({ startedAt: START, totalWeeks: 8, finalReviewAt: at(50).toISOString() }, at(60))).toEqual({
      week: 9,
      totalWeeks: 8,
      stage: 4,
      over: true,
      finalReviewDone: true,
    });
  });
});
