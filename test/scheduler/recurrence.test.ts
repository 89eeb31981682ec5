import {
  DEFAULT_CHECKIN_SCHEDULE,
  localDateTime,
  MAX_SNOOZE_MINUTES,
  nextOccurrence,
  snooze,
  type RecurrenceRule,
} from '../../core/schedule/recurrence';

const TORONTO = 'America/Toronto';
const VANCOUVER = 'America/Vancouver';
const REGINA = 'America/Regina';

const rule = (timeZone: string, days: number[], time: string, extra: Partial<RecurrenceRule> = {}): RecurrenceRule => ({ days, time, timeZone, ...extra });
const next = (r: RecurrenceRule, after: string) => nextOccurrence(r, new Date(after)).toISOString();

// 2026: DST starts Sunday March 8 and ends Sunday November 1 (02:00 local) in Toronto and Vancouver.
describe('nextOccurrence: DST-safe local times', () => {
  const tuFri = (tz: string) => rule(tz, [2, 5], '18:00');
  test.each([
    // [case, rule, after, expected]
    ['Toronto: Fri 18:00 EST → Tue 18:00 EDT across spring forward', tuFri(TORONTO), '2026-03-06T23:00:00.000Z', '2026-03-10T22:00:00.000Z'],
    ['Toronto: same day before the time', tuFri(TORONTO), '2026-03-03T12:00:00.000Z', '2026-03-03T23:00:00.000Z'],
    ['Toronto: Fri 18:00 EDT → Tue 18:00 EST across fall back', tuFri(TORONTO), '2026-10-30T22:00:00.000Z', '2026-11-03T23:00:00.000Z'],
    ['Toronto: spring-forward gap 02:30 → 03:00 EDT', rule(TORONTO, [0], '02:30'), '2026-03-07T12:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['Toronto: gap start 02:00 → 03:00 EDT', rule(TORONTO, [0], '02:00'), '2026-03-07T12:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['Toronto: gap end 02:59 → 03:00 EDT', rule(TORONTO, [0], '02:59'), '2026-03-07T12:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['Toronto: 01:59 before the gap is EST', rule(TORONTO, [0], '01:59'), '2026-03-07T12:00:00.000Z', '2026-03-08T06:59:00.000Z'],
    ['Toronto: 03:00 after the gap is EDT', rule(TORONTO, [0], '03:00'), '2026-03-07T12:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['Toronto: ambiguous 01:30 uses the first (EDT)', rule(TORONTO, [0], '01:30'), '2026-10-31T12:00:00.000Z', '2026-11-01T05:30:00.000Z'],
    ['Toronto: the repeated 01:30 is not a second occurrence', rule(TORONTO, [0], '01:30'), '2026-11-01T05:30:00.000Z', '2026-11-08T06:30:00.000Z'],
    ['Vancouver: Fri 18:00 PST → Tue 18:00 PDT', tuFri(VANCOUVER), '2026-03-07T02:00:00.000Z', '2026-03-11T01:00:00.000Z'],
    ['Vancouver: Fri 18:00 PDT → Tue 18:00 PST', tuFri(VANCOUVER), '2026-10-31T01:00:00.000Z', '2026-11-04T02:00:00.000Z'],
    ['Vancouver: gap 02:15 → 03:00 PDT', rule(VANCOUVER, [0], '02:15'), '2026-03-07T12:00:00.000Z', '2026-03-08T10:00:00.000Z'],
    ['Vancouver: ambiguous 01:30 uses PDT', rule(VANCOUVER, [0], '01:30'), '2026-10-31T12:00:00.000Z', '2026-11-01T08:30:00.000Z'],
    ['Regina (no DST): Fri 18:00 CST', tuFri(REGINA), '2026-03-06T12:00:00.000Z', '2026-03-07T00:00:00.000Z'],
    ['Regina: Tue after the Toronto change, same offset', tuFri(REGINA), '2026-03-07T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['Regina: 02:30 on Nov 1 exists once', rule(REGINA, [0], '02:30'), '2026-10-31T12:00:00.000Z', '2026-11-01T08:30:00.000Z'],
    ['strictly after: an occurrence itself gives the next one', tuFri(TORONTO), '2026-03-10T22:00:00.000Z', '2026-03-13T22:00:00.000Z'],
    ['Lord Howe: a 30-minute gap, 02:15 → 02:30', rule('Australia/Lord_Howe', [0], '02:15'), '2026-10-03T00:00:00.000Z', '2026-10-03T15:30:00.000Z'],
    ['midnight 00:00', rule(TORONTO, [3], '00:00'), '2026-01-06T12:00:00.000Z', '2026-01-07T05:00:00.000Z'],
  ])('%s', (_name, r, after, expected) => {
    expect(next(r, after)).toBe(expected);
  });

  test.each([
    [TORONTO, [2, 5], '18:00', 104],
    [VANCOUVER, [2, 5], '18:00', 104],
    [REGINA, [2, 5], '18:00', 104],
    [TORONTO, [0, 1, 2, 3, 4, 5, 6], '02:30', 365],
  ])('a whole year in %s (%j at %s): the wall clock holds, times increase', (tz, days, time, count) => {
    const r = rule(tz, days, time);
    let at = new Date('2025-12-31T12:00:00.000Z');
    const seen: string[] = [];
    for (;;) {
      const n = nextOccurrence(r, at);
      if (n.getTime() >= Date.parse('2026-12-31T12:00:00.000Z')) break;
      expect(n.getTime()).toBeGreaterThan(at.getTime());
      const local = localDateTime(n, tz);
      expect(days).toContain(local.weekday);
      // Only the skipped 02:30 of March 8 in Toronto may differ, and then it is 03:00.
      if (local.time !== time) expect([local.date, local.time]).toEqual(['2026-03-08', '03:00']);
      seen.push(local.date);
      at = n;
    }
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });
});

describe('nextOccurrence: quiet hours and pause', () => {
  const night = { start: '22:00', end: '07:00' };
  test.each([
    ['late time inside a period crossing midnight → next morning', rule(TORONTO, [3], '23:00', { quietHours: night }), '2026-01-06T12:00:00.000Z', '2026-01-08T12:00:00.000Z'],
    ['early time inside it → same morning', rule(TORONTO, [3], '06:00', { quietHours: night }), '2026-01-06T12:00:00.000Z', '2026-01-07T12:00:00.000Z'],
    ['quiet start is quiet', rule(TORONTO, [3], '22:00', { quietHours: night }), '2026-01-06T12:00:00.000Z', '2026-01-08T12:00:00.000Z'],
    ['quiet end is not quiet', rule(TORONTO, [3], '07:00', { quietHours: night }), '2026-01-06T12:00:00.000Z', '2026-01-07T12:00:00.000Z'],
    ['outside the period, unchanged', rule(TORONTO, [3], '18:00', { quietHours: night }), '2026-01-06T12:00:00.000Z', '2026-01-07T23:00:00.000Z'],
    ['a pushed time from yesterday still counts today', rule(TORONTO, [3], '23:00', { quietHours: night }), '2026-01-08T10:00:00.000Z', '2026-01-08T12:00:00.000Z'],
    ['a period within one day', rule(TORONTO, [3], '12:30', { quietHours: { start: '12:00', end: '13:00' } }), '2026-01-06T12:00:00.000Z', '2026-01-07T18:00:00.000Z'],
    ['equal start and end is no quiet period', rule(TORONTO, [3], '12:30', { quietHours: { start: '12:00', end: '12:00' } }), '2026-01-06T12:00:00.000Z', '2026-01-07T17:30:00.000Z'],
    ['quiet end in the DST gap → 03:00 EDT', rule(TORONTO, [0], '01:00', { quietHours: { start: '00:00', end: '02:30' } }), '2026-03-07T12:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    ['the default schedule: Tue 18:00 is outside its quiet hours', DEFAULT_CHECKIN_SCHEDULE, '2026-03-06T23:00:00.000Z', '2026-03-10T22:00:00.000Z'],
    ['pause skips occurrences inside it', { ...DEFAULT_CHECKIN_SCHEDULE, pausedUntil: '2026-03-12T00:00:00.000Z' }, '2026-03-06T23:00:00.000Z', '2026-03-13T22:00:00.000Z'],
    ['an occurrence at the pause end counts', { ...DEFAULT_CHECKIN_SCHEDULE, pausedUntil: '2026-03-10T22:00:00.000Z' }, '2026-03-06T23:00:00.000Z', '2026-03-10T22:00:00.000Z'],
    ['a past pause changes nothing', { ...DEFAULT_CHECKIN_SCHEDULE, pausedUntil: '2026-01-01T00:00:00.000Z' }, '2026-03-06T23:00:00.000Z', '2026-03-10T22:00:00.000Z'],
    ['a long pause', { ...DEFAULT_CHECKIN_SCHEDULE, pausedUntil: '2026-06-01T00:00:00.000Z' }, '2026-03-06T23:00:00.000Z', '2026-06-02T22:00:00.000Z'],
  ])('%s', (_name, r, after, expected) => {
    expect(next(r, after)).toBe(expected);
  });

  test('rejects malformed rules with a plain sentence', () => {
    const ok = DEFAULT_CHECKIN_SCHEDULE;
    const after = new Date('2026-01-01T00:00:00Z');
    expect(() => nextOccurrence({ ...ok, days: [] }, after)).toThrow(/weekdays/);
    expect(() => nextOccurrence({ ...ok, days: [7] }, after)).toThrow(/weekdays/);
    expect(() => nextOccurrence({ ...ok, time: '24:00' }, after)).toThrow(/HH:MM/);
    expect(() => nextOccurrence({ ...ok, time: '8:00' }, after)).toThrow(/HH:MM/);
    expect(() => nextOccurrence({ ...ok, timeZone: 'Mars/Olympus_Mons' }, after)).toThrow(/IANA/);
    expect(() => nextOccurrence({ ...ok, quietHours: { start: '22h', end: '07:00' } }, after)).toThrow(/quietHours.start/);
    expect(() => nextOccurrence({ ...ok, pausedUntil: 'soon' }, after)).toThrow(/pausedUntil/);
    expect(() => nextOccurrence(ok, new Date('nope'))).toThrow(RangeError);
  });
});

describe('snooze and localDateTime', () => {
  const now = new Date('2026-03-10T22:00:00.000Z'); // Tue 18:00 EDT

  test('adds minutes, pushed out of quiet hours when given', () => {
    expect(snooze(now, 30).toISOString()).toBe('2026-03-10T22:30:00.000Z');
    expect(snooze(now, 60 * 4, { timeZone: TORONTO, quietHours: { start: '21:00', end: '08:00' } }).toISOString()).toBe('2026-03-11T12:00:00.000Z');
    expect(snooze(now, 60, { timeZone: TORONTO, quietHours: { start: '21:00', end: '08:00' } }).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });

  test('refuses nonsense durations', () => {
    for (const bad of [0, -5, 1.5, MAX_SNOOZE_MINUTES + 1, Number.NaN]) expect(() => snooze(now, bad)).toThrow(RangeError);
  });

  test('localDateTime gives the wall clock', () => {
    expect(localDateTime(now, TORONTO)).toEqual({ date: '2026-03-10', time: '18:00', weekday: 2 });
    expect(localDateTime(new Date('2026-03-11T00:00:00Z'), REGINA)).toEqual({ date: '2026-03-10', time: '18:00', weekday: 2 });
    expect(localDateTime(new Date('2026-11-01T04:00:00Z'), TORONTO)).toEqual({ date: '2026-11-01', time: '00:00', weekday: 0 });
  });
});
