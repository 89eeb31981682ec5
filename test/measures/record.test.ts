import { addCheckin, addCheckinOutcome, addMeasureResult, addSatisfaction, completeMeasure, emptyRecord, lastCompletedAll, measuresSummary, normalizeRecord, setCheckinMotivation, setDraft, totalCheckins } from '../../core/measures/record';
import { answerItem, completedAnswers, isDraftExpired, nextItem, normalizeDraft, startDraft, DRAFT_MAX_IDLE_MS } from '../../core/measures/draft';
import { addResult, makeResult, MAX_RESULTS_PER_INSTRUMENT, resultCount, type MeasureResult } from '../../core/measures/history';
import { isSatisfactionDue, makeSatisfaction, motivationTrend, MAX_CHECKINS } from '../../core/measures/checkins';
import {
  DEFAULT_MEASURE_EVERY_DAYS,
  defaultSettings,
  isMeasureDue,
  isPaused,
  nextCheckinAt,
  nextMeasureAt,
  normalizeSettings,
  pauseSettings,
  resumeSettings,
  setMeasureCadence,
  setQuietHours,
} from '../../core/measures/settings';
import { localDateTime } from '../../core/schedule/recurrence';

const T0 = new Date('2025-03-03T15:00:00.000Z'); // a Monday, 10:00 in Montréal
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

function result(score: number, day: number): MeasureResult {
  return { instrument: 'gad7', score, answers: [], at: at(day).toISOString() };
}

describe('drafts: saved as they come, never scored from partial answers', () => {
  it('fills item by item, then gives the complete answers', () => {
    let draft = startDraft('gad7', T0, { then: ['wsas', 'gad7'] });
    expect(draft.then).toEqual(['wsas']);
    expect(nextItem(draft)).toBe(0);
    for (let i = 0; i < 6; i++) draft = answerItem(draft, i, 2, T0);
    expect(nextItem(draft)).toBe(6);
    expect(completedAnswers(draft)).toBeUndefined();
    expect(makeResult('gad7', draft.answers, T0)).toBeUndefined();
    draft = answerItem(draft, 6, 1, T0);
    expect(completedAnswers(draft)).toEqual([2, 2, 2, 2, 2, 2, 1]);
    expect(makeResult('gad7', completedAnswers(draft), T0)).toMatchObject({ score: 13 });
  });

  it('refuses answers outside the questionnaire', () => {
    const draft = startDraft('phq9', T0);
    expect(() => answerItem(draft, 9, 1, T0)).toThrow(RangeError);
    expect(() => answerItem(draft, 0, 4, T0)).toThrow(RangeError);
    expect(() => startDraft('phq9', T0, { prefill: [5] })).toThrow(RangeError);
  });

  it('a short form’s answers carry into the full form', () => {
    const draft = startDraft('phq9', T0, { prefill: [2, 1] });
    expect(draft.answers.slice(0, 3)).toEqual([2, 1, null]);
    expect(nextItem(draft)).toBe(2);
  });

  it('expires after 3 days without an answer', () => {
    const draft = startDraft('phq9', T0);
    expect(isDraftExpired(draft, new Date(T0.getTime() + DRAFT_MAX_IDLE_MS))).toBe(false);
    expect(isDraftExpired(draft, new Date(T0.getTime() + DRAFT_MAX_IDLE_MS + 1))).toBe(true);
  });

  it('a stored draft that does not fit its questionnaire is dropped', () => {
    expect(normalizeDraft({ instrument: 'phq9', answers: [1, 2], startedAt: 'x', updatedAt: 'x', then: [] })).toBeUndefined();
    expect(normalizeDraft({ instrument: 'gad2', answers: [1, 7], startedAt: 'x', updatedAt: 'x' })).toBeUndefined();
    expect(normalizeDraft({ instrument: 'gad2', answers: [1, null], startedAt: 'x', updatedAt: 'x', then: ['nope', 'wsas'] })).toMatchObject({ then: ['wsas'] });
  });
});

describe('history: bounded, older results summarised', () => {
  it('keeps the last 26 and folds the rest into count, dates, min and max', () => {
    let history = undefined as ReturnType<typeof addResult> | undefined;
    for (let i = 0; i < 30; i++) history = addResult(history, result(i % 22, i * 14));
    expect(history!.recent).toHaveLength(MAX_RESULTS_PER_INSTRUMENT);
    expect(history!.recent[0].at).toBe(at(4 * 14).toISOString());
    expect(history!.earlier).toEqual({ count: 4, firstAt: at(0).toISOString(), lastAt: at(3 * 14).toISOString(), min: 0, max: 3 });
    expect(resultCount(history)).toBe(30);
  });

  it('keeps results in date order, whatever order they come in', () => {
    const history = addResult(addResult(undefined, result(5, 14)), result(9, 0));
    expect(history.recent.map((r) => r.score)).toEqual([9, 5]);
  });

  it('the stored record stays bounded and is never trusted blindly', () => {
    const raw = {
      history: { gad7: { recent: [result(5, 0), { instrument: 'gad7', score: 99, at: 'x' }, { instrument: 'gad7', score: 3, answers: [1, 1, 1, 1, 1, 1, 1], at: 'y' }] } },
      checkins: Array.from({ length: 60 }, (_, i) => ({ at: at(i).toISOString(), outcomes: ['worked', 'bogus'], motivation: i % 12 })),
      satisfaction: [{ at: 'x', value: 11 }, { at: 'y', value: 7, comment: 'utile' }],
      draft: { instrument: 'nope' },
    };
    const record = normalizeRecord(raw, T0);
    expect(record.history.gad7?.recent.map((r) => r.score)).toEqual([5]);
    expect(record.checkins).toHaveLength(MAX_CHECKINS);
    expect(record.checkins[0].outcomes).toEqual(['worked']);
    expect(record.checkins.some((c) => c.motivation === 11)).toBe(false);
    expect(record.satisfaction).toEqual([{ at: 'y', value: 7, comment: 'utile' }]);
    expect(record.draft).toBeUndefined();
  });
});

describe('record changes', () => {
  it('completing a questionnaire stores the result and the next draft in one change', () => {
    const draft = startDraft('gad7', T0, { then: ['wsas'] });
    const withDraft = setDraft(emptyRecord(T0), draft, T0);
    const next = startDraft('wsas', T0);
    const done = completeMeasure(withDraft, makeResult('gad7', [1, 1, 1, 1, 1, 1, 1], T0)!, next, T0);
    expect(done.history.gad7?.recent[0].score).toBe(7);
    expect(done.draft?.instrument).toBe('wsas');
    expect(setDraft(emptyRecord(T0), undefined, T0)).toEqual(emptyRecord(T0));
  });

  it('the last time a whole set was answered is its oldest latest date', () => {
    let record = emptyRecord(T0);
    record = addMeasureResult(record, { instrument: 'phq9', score: 5, answers: [], at: at(0).toISOString() }, T0);
    expect(lastCompletedAll(record, ['phq9', 'gad7'])).toBeUndefined();
    record = addMeasureResult(record, { instrument: 'gad7', score: 5, answers: [], at: at(1).toISOString() }, T0);
    expect(lastCompletedAll(record, ['phq9', 'gad7'])).toBe(at(0).toISOString());
  });

  it('check-ins: outcomes and motivation, bounded', () => {
    let record = addCheckinOutcome(emptyRecord(T0), 'c1', 'worked', T0);
    record = addCheckinOutcome(record, 'c1', 'didnt', T0);
    record = setCheckinMotivation(record, 'c1', 7, T0);
    expect(record.checkins).toEqual([{ at: 'c1', outcomes: ['worked', 'didnt'], motivation: 7 }]);
    expect(() => setCheckinMotivation(record, 'c1', 11, T0)).toThrow(RangeError);
    for (let i = 0; i < MAX_CHECKINS + 5; i++) record = addCheckin(record, { at: `x${i}`, outcomes: [] }, T0);
    expect(record.checkins).toHaveLength(MAX_CHECKINS);
    expect(totalCheckins(record)).toBe(MAX_CHECKINS + 6);
  });

  it('motivation trend', () => {
    expect(motivationTrend([{ at: 'a', outcomes: [], motivation: 4 }, { at: 'b', outcomes: [] }, { at: 'c', outcomes: [], motivation: 7 }])).toMatchObject({ latest: 7, previous: 4, direction: 'up' });
    expect(motivationTrend([])).toEqual({ values: [] });
  });

  it('satisfaction: at most every 2 weeks, from the second check-in', () => {
    expect(isSatisfactionDue([], 1, T0)).toBe(false);
    expect(isSatisfactionDue([], 2, T0)).toBe(true);
    const answered = [makeSatisfaction(8, 'Ça m’aide', T0)];
    expect(isSatisfactionDue(answered, 5, at(10))).toBe(false);
    expect(isSatisfactionDue(answered, 5, at(13))).toBe(true);
    expect(addSatisfaction(emptyRecord(T0), answered[0], T0).satisfaction).toEqual([{ at: T0.toISOString(), value: 8, comment: 'Ça m’aide' }]);
  });

  it('the clinician summary: latest, band, caseness, change since last time and since the first', () => {
    let record = emptyRecord(T0);
    record = addMeasureResult(record, { instrument: 'phq9', score: 16, answers: [], at: at(0).toISOString() }, T0);
    record = addMeasureResult(record, { instrument: 'phq9', score: 12, answers: [], at: at(14).toISOString() }, T0);
    record = addMeasureResult(record, { instrument: 'phq9', score: 8, answers: [], at: at(28).toISOString() }, T0);
    const [phq9] = measuresSummary(record);
    expect(phq9).toMatchObject({
      instrument: 'phq9',
      count: 3,
      band: 'mild',
      isCase: false,
      trend: { direction: 'lower', reliable: 'none', since: { unit: 'week', count: 2 } },
      sinceFirst: { reliable: 'improved', recovery: 'recovered' },
    });
  });
});

describe('between-sessions settings', () => {
  const settings = defaultSettings(T0);

  it('defaults: Tuesday and Friday 18:00 in Montréal, quiet 21:00–08:00, questionnaires every 2 weeks', () => {
    expect(settings.checkin).toEqual({ days: [2, 5], time: '18:00', timeZone: 'America/Toronto', quietHours: { start: '21:00', end: '08:00' } });
    expect(settings.measures).toEqual({ everyDays: DEFAULT_MEASURE_EVERY_DAYS, instruments: ['phq9', 'gad7', 'wsas'], setBy: 'default' });
  });

  it('next check-in stays at 18:00 local across the DST change (March 9, 2025)', () => {
    const friday = nextCheckinAt(settings, new Date('2025-03-07T12:00:00Z'));
    const tuesday = nextCheckinAt(settings, friday);
    expect(friday.toISOString()).toBe('2025-03-07T23:00:00.000Z'); // EST, UTC−5
    expect(tuesday.toISOString()).toBe('2025-03-11T22:00:00.000Z'); // EDT, UTC−4
    expect(localDateTime(tuesday, 'America/Toronto').time).toBe('18:00');
  });

  it('pause: open-ended until resumed, or until a date', () => {
    const open = pauseSettings(settings, T0);
    expect(isPaused(open, at(100))).toBe(true);
    expect(isPaused(resumeSettings(open, T0), T0)).toBe(false);
    const week = pauseSettings(settings, T0, at(7));
    expect(isPaused(week, at(6))).toBe(true);
    expect(isPaused(week, at(8))).toBe(false);
    expect(nextCheckinAt(week, T0).getTime()).toBeGreaterThanOrEqual(at(7).getTime());
    expect(() => pauseSettings(settings, T0, at(-1))).toThrow(RangeError);
  });

  it('questionnaires: due every 2 weeks from the last complete set, on a check-in slot', () => {
    expect(isMeasureDue(settings, undefined, T0)).toBe(true);
    expect(isMeasureDue(settings, at(-11).toISOString(), T0)).toBe(false);
    expect(isMeasureDue(settings, at(-12).toISOString(), T0)).toBe(true);
    const last = '2025-03-04T23:00:00.000Z'; // Tuesday 18:00 EST
    expect(nextMeasureAt(settings, last, T0).toISOString()).toBe('2025-03-18T22:00:00.000Z'); // Tuesday 18:00 EDT, 2 weeks on
    expect(nextMeasureAt(settings, undefined, T0).toISOString()).toBe('2025-03-04T23:00:00.000Z');
  });

  it('the cadence can be set by the person or the clinician, within 1 to 8 weeks', () => {
    const weekly = setMeasureCadence(settings, { everyDays: 7 }, 'clinician', T0);
    expect(weekly.measures).toEqual({ everyDays: 7, instruments: ['phq9', 'gad7', 'wsas'], setBy: 'clinician' });
    expect(setMeasureCadence(settings, { everyDays: 14, instruments: ['phq2', 'gad2'] }, 'person', T0).measures.instruments).toEqual(['phq2', 'gad2']);
    expect(() => setMeasureCadence(settings, { everyDays: 3 }, 'person', T0)).toThrow(RangeError);
    expect(() => setMeasureCadence(settings, { everyDays: 14, instruments: [] }, 'person', T0)).toThrow(RangeError);
  });

  it('stored settings are checked field by field', () => {
    const raw = { checkin: { days: [9], time: '25:00', timeZone: 'Mars/Olympus', quietHours: { start: '22:00', end: '07:00' } }, measures: { everyDays: 2 }, locale: 'de', pause: { since: 'x' } };
    const normal = normalizeSettings(raw, T0);
    expect(normal.checkin).toEqual({ days: [2, 5], time: '18:00', timeZone: 'America/Toronto', quietHours: { start: '22:00', end: '07:00' } });
    expect(normal.measures.everyDays).toBe(14);
    expect(normal.locale).toBeUndefined();
    expect(normal.pause).toEqual({ since: 'x' });
    expect(normalizeSettings({ ...raw, checkin: { ...raw.checkin, quietHours: null } }, T0).checkin.quietHours).toBeUndefined();
    expect(setQuietHours(settings, undefined, T0).checkin.quietHours).toBeUndefined();
  });
});
