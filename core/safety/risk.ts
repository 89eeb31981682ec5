/**
 * Cross-turn risk: one message may only be a "concern", but several of them close together are a
 * crisis. Pure: the caller passes the recent screen results (any order) and the current time.
 *
 * Rules (constants below; change them only with the clinical lead):
 * 1. A crisis screened within CRISIS_CARRY_MS stays the effective level: a concern right after a
 *    crisis is still handled as a crisis.
 * 2. CONCERN_BURST_COUNT or more flagged messages (concern or crisis) within CONCERN_BURST_MS
 *    → crisis.
 * 3. CLUSTER_DISTINCT or more distinct categories among hopelessness / burden / passive ideation,
 *    from at least two messages, within CLUSTER_MS → crisis (hopelessness plus feeling a burden
 *    plus wishing to be gone is the classic build-up to ideation). A single message naming two of
 *    them stays its own level (the screen already reads each message whole).
 * Otherwise the effective level is the most recent result's level (if within CONCERN_BURST_MS).
 *
 * `nextCheckInDelayMs` shortens the check-in cadence after a recent escalation.
 */
import type { Category, Level } from './types';

export const HOUR_MS = 60 * 60 * 1000;
export const CRISIS_CARRY_MS = 24 * HOUR_MS;
export const CONCERN_BURST_COUNT = 3;
export const CONCERN_BURST_MS = 24 * HOUR_MS;
export const CLUSTER_DISTINCT = 2;
export const CLUSTER_MS = 2 * HOUR_MS;
export const CLUSTER_CATEGORIES: readonly Category[] = ['hopelessness', 'burden', 'passive_ideation'];
/** After an escalation, check in again this soon (instead of the normal cadence)... */
export const ESCALATED_CHECK_IN_MS = 4 * HOUR_MS;
/** ...for escalations (effective crisis) this recent. */
export const ESCALATION_RECENT_MS = 72 * HOUR_MS;

export interface ScreenEvent {
  readonly at: Date | string;
  readonly level: Level;
  readonly categories: readonly Category[];
}

export type RiskRule = 'none' | 'latest' | 'recent_crisis' | 'concern_burst' | 'concern_cluster';

export interface EffectiveRisk {
  readonly level: Level;
  /** Which rule decided the level (for the escalation card and the audit trail). */
  readonly rule: RiskRule;
}

interface TimedEvent {
  readonly time: number;
  readonly level: Level;
  readonly categories: readonly Category[];
}

function toTime(at: Date | string): number {
  const time = at instanceof Date ? at.getTime() : Date.parse(at);
  return Number.isFinite(time) ? time : Number.NaN;
}

/** Events in the past (≤ now) within `windowMs`, with valid times, newest first. */
function within(events: readonly ScreenEvent[], now: number, windowMs: number): TimedEvent[] {
  const out: TimedEvent[] = [];
  for (const e of events) {
    const time = toTime(e.at);
    if (Number.isNaN(time) || time > now || now - time > windowMs) continue;
    out.push({ time, level: e.level, categories: Array.isArray(e.categories) ? e.categories : [] });
  }
  return out.sort((a, b) => b.time - a.time);
}

export function effectiveRisk(events: readonly ScreenEvent[], now: Date | string = new Date()): EffectiveRisk {
  const nowTime = toTime(now);
  if (Number.isNaN(nowTime) || !Array.isArray(events)) return { level: 'none', rule: 'none' };

  if (within(events, nowTime, CRISIS_CARRY_MS).some((e) => e.level === 'crisis')) return { level: 'crisis', rule: 'recent_crisis' };

  const burst = within(events, nowTime, CONCERN_BURST_MS).filter((e) => e.level !== 'none');
  if (burst.length >= CONCERN_BURST_COUNT) return { level: 'crisis', rule: 'concern_burst' };

  const clustered = new Set<Category>();
  let contributing = 0;
  for (const e of within(events, nowTime, CLUSTER_MS)) {
    if (e.level === 'none') continue;
    let contributes = false;
    for (const c of e.categories) {
      if (CLUSTER_CATEGORIES.includes(c)) {
        clustered.add(c);
        contributes = true;
      }
    }
    if (contributes) contributing += 1;
  }
  // Across messages: one message naming two of them is one concern, not a build-up.
  if (clustered.size >= CLUSTER_DISTINCT && contributing >= 2) return { level: 'crisis', rule: 'concern_cluster' };

  const latest = within(events, nowTime, CONCERN_BURST_MS)[0];
  return latest && latest.level !== 'none' ? { level: latest.level, rule: 'latest' } : { level: 'none', rule: 'none' };
}

export function effectiveLevel(events: readonly ScreenEvent[], now: Date | string = new Date()): Level {
  return effectiveRisk(events, now).level;
}

/**
 * Delay until the next check-in: ESCALATED_CHECK_IN_MS if the risk was effectively a crisis at any
 * screened message within ESCALATION_RECENT_MS (judged with the events known at that time),
 * otherwise `normalDelayMs`. Never longer than the normal cadence.
 */
export function nextCheckInDelayMs(events: readonly ScreenEvent[], now: Date | string, normalDelayMs: number): number {
  const nowTime = toTime(now);
  const normal = Number.isFinite(normalDelayMs) && normalDelayMs > 0 ? normalDelayMs : ESCALATED_CHECK_IN_MS;
  if (Number.isNaN(nowTime) || !Array.isArray(events)) return normal;
  const recent = within(events, nowTime, ESCALATION_RECENT_MS);
  const escalated = recent.some((e) => e.level === 'crisis' || effectiveRisk(events, new Date(e.time)).level === 'crisis');
  return escalated ? Math.min(ESCALATED_CHECK_IN_MS, normal) : normal;
}
