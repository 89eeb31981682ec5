import { CONCERN_BURST_COUNT, effectiveLevel, effectiveRisk, ESCALATED_CHECK_IN_MS, HOUR_MS, nextCheckInDelayMs, type ScreenEvent } from '../../core/safety/risk';

const NOW = new Date('2025-03-10T12:00:00Z');
const ago = (hours: number): string => new Date(NOW.getTime() - hours * HOUR_MS).toISOString();
const ev = (hours: number, level: ScreenEvent['level'], categories: ScreenEvent['categories'] = []): ScreenEvent => ({ at: ago(hours), level, categories });

describe('cross-turn risk aggregation', () => {
  it('is none without events, and the latest level otherwise', () => {
    expect(effectiveRisk([], NOW)).toEqual({ level: 'none', rule: 'none' });
    expect(effectiveRisk([ev(1, 'concern', ['hopelessness'])], NOW)).toEqual({ level: 'concern', rule: 'latest' });
    expect(effectiveRisk([ev(2, 'concern', ['hopelessness']), ev(1, 'none')], NOW)).toEqual({ level: 'none', rule: 'none' });
  });

  it('carries a recent crisis over the next turns', () => {
    expect(effectiveRisk([ev(5, 'crisis', ['suicidal_ideation']), ev(1, 'none')], NOW)).toEqual({ level: 'crisis', rule: 'recent_crisis' });
    expect(effectiveLevel([ev(30, 'crisis', ['suicidal_ideation'])], NOW)).toBe('none');
  });

  it('turns a burst of concerns into a crisis', () => {
    const burst = Array.from({ length: CONCERN_BURST_COUNT }, (_, i) => ev(i + 1, 'concern', ['hopelessness']));
    expect(effectiveRisk(burst, NOW)).toEqual({ level: 'crisis', rule: 'concern_burst' });
    expect(effectiveRisk(burst.slice(1), NOW).level).not.toBe('crisis');
  });

  it('turns hopelessness plus burden (or wishing to be gone) close together into a crisis', () => {
    expect(effectiveRisk([ev(1.5, 'concern', ['hopelessness']), ev(0.5, 'concern', ['burden'])], NOW)).toEqual({ level: 'crisis', rule: 'concern_cluster' });
    expect(effectiveRisk([ev(5, 'concern', ['hopelessness']), ev(0.5, 'concern', ['burden'])], NOW).level).toBe('concern');
    expect(effectiveRisk([ev(0.5, 'concern', ['hopelessness', 'burden'])], NOW)).toEqual({ level: 'concern', rule: 'latest' });
  });

  it('ignores future, invalid and out-of-window events, in any order', () => {
    const events = [ev(-2, 'crisis', ['suicidal_ideation']), { at: 'not a date', level: 'crisis', categories: [] } as ScreenEvent, ev(100, 'crisis')];
    expect(effectiveLevel(events, NOW)).toBe('none');
    expect(effectiveLevel([ev(1, 'concern', ['burden']), ev(3, 'crisis')].reverse(), NOW)).toBe('crisis');
    expect(effectiveLevel(null as unknown as ScreenEvent[], NOW)).toBe('none');
    expect(effectiveLevel([ev(1, 'crisis')], 'nonsense')).toBe('none');
  });

  it('shortens the check-in cadence after an escalation', () => {
    const normal = 24 * HOUR_MS;
    expect(nextCheckInDelayMs([ev(10, 'crisis', ['suicidal_ideation'])], NOW, normal)).toBe(ESCALATED_CHECK_IN_MS);
    expect(nextCheckInDelayMs([ev(100, 'crisis', ['suicidal_ideation'])], NOW, normal)).toBe(normal);
    expect(nextCheckInDelayMs([], NOW, normal)).toBe(normal);
    expect(nextCheckInDelayMs([ev(10, 'crisis')], NOW, HOUR_MS)).toBe(HOUR_MS);
  });
});
