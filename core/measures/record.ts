/**
 * Everything Petits pas keeps about a person's measures: questionnaire results over time
 * (bounded), the questionnaire in progress (a draft), check-ins (motivation) and satisfaction.
 * One document per person; the rules here are pure, return the SAME record when nothing changed
 * (so callers skip the write), and keep every list bounded.
 */
import { INSTRUMENT_IDS, type InstrumentId } from './instruments';
import { appendBounded, isRating, MAX_CHECKINS, MAX_SATISFACTION, type CheckinEntry, type SatisfactionEntry } from './checkins';
import { normalizeDraft, type MeasureDraft } from './draft';
import { addResult, firstResult, latestResult, normalizeHistory, previousResult, resultCount, type InstrumentHistory, type MeasureResult } from './history';
import { bandOf, isCase, reliableChange, recoveryOf, trendOf, type Band, type Recovery, type ReliableChange, type Trend } from './scoring';
import { REVIEW_OUTCOMES, type ReviewOutcome } from '../plan/plan';

export interface MeasuresRecord {
  readonly version: 1;
  readonly history: Readonly<Partial<Record<InstrumentId, InstrumentHistory>>>;
  readonly draft?: MeasureDraft;
  /** Oldest first, at most MAX_CHECKINS. */
  readonly checkins: readonly CheckinEntry[];
  /** Check-ins folded away by the cap. */
  readonly earlierCheckins: number;
  /** Oldest first, at most MAX_SATISFACTION. */
  readonly satisfaction: readonly SatisfactionEntry[];
  readonly updatedAt: string;
}

export function emptyRecord(now: Date): MeasuresRecord {
  return { version: 1, history: {}, checkins: [], earlierCheckins: 0, satisfaction: [], updatedAt: now.toISOString() };
}

function touch(record: MeasuresRecord, now: Date): MeasuresRecord {
  return { ...record, updatedAt: now.toISOString() };
}

export function addMeasureResult(record: MeasuresRecord, result: MeasureResult, now: Date): MeasuresRecord {
  return touch({ ...record, history: { ...record.history, [result.instrument]: addResult(record.history[result.instrument], result) } }, now);
}

export function setDraft(record: MeasuresRecord, draft: MeasureDraft | undefined, now: Date): MeasuresRecord {
  if (!draft && !record.draft) return record;
  if (!draft) {
    const { draft: _gone, ...rest } = record;
    return touch(rest, now);
  }
  return touch({ ...record, draft }, now);
}

/** A finished questionnaire: its result is stored and its draft removed, in one write. */
export function completeMeasure(record: MeasuresRecord, result: MeasureResult, next: MeasureDraft | undefined, now: Date): MeasuresRecord {
  return setDraft(addMeasureResult(record, result, now), next, now);
}

export function addCheckin(record: MeasuresRecord, entry: CheckinEntry, now: Date): MeasuresRecord {
  const { list, dropped } = appendBounded(record.checkins, entry, MAX_CHECKINS);
  return touch({ ...record, checkins: list, earlierCheckins: record.earlierCheckins + dropped }, now);
}

/** Sets the motivation of the check-in started at `at` (added when missing). */
export function setCheckinMotivation(record: MeasuresRecord, at: string, motivation: number, now: Date): MeasuresRecord {
  if (!isRating(motivation)) throw new RangeError('motivation must be a whole number from 0 to 10');
  const index = record.checkins.findIndex((entry) => entry.at === at);
  if (index < 0) return addCheckin(record, { at, outcomes: [], motivation }, now);
  const checkins = [...record.checkins];
  checkins[index] = { ...checkins[index], motivation };
  return touch({ ...record, checkins }, now);
}

/** Adds one outcome to the check-in started at `at` (added when missing). */
export function addCheckinOutcome(record: MeasuresRecord, at: string, outcome: ReviewOutcome, now: Date): MeasuresRecord {
  const index = record.checkins.findIndex((entry) => entry.at === at);
  if (index < 0) return addCheckin(record, { at, outcomes: [outcome] }, now);
  const checkins = [...record.checkins];
  checkins[index] = { ...checkins[index], outcomes: [...checkins[index].outcomes, outcome] };
  return touch({ ...record, checkins }, now);
}

export function addSatisfaction(record: MeasuresRecord, entry: SatisfactionEntry, now: Date): MeasuresRecord {
  return touch({ ...record, satisfaction: appendBounded(record.satisfaction, entry, MAX_SATISFACTION).list }, now);
}

/** Adds a comment to the latest satisfaction answer. */
export function commentSatisfaction(record: MeasuresRecord, comment: string, now: Date): MeasuresRecord {
  const last = record.satisfaction[record.satisfaction.length - 1];
  if (!last) return record;
  return touch({ ...record, satisfaction: [...record.satisfaction.slice(0, -1), { ...last, comment }] }, now);
}

export function totalCheckins(record: MeasuresRecord): number {
  return record.checkins.length + record.earlierCheckins;
}

/** When the questionnaires in `instruments` were ALL last answered (the oldest of their latest dates); undefined if one never was. */
export function lastCompletedAll(record: MeasuresRecord, instruments: readonly InstrumentId[]): string | undefined {
  let oldest: string | undefined;
  for (const id of instruments) {
    const latest = latestResult(record.history[id]);
    if (!latest) return undefined;
    if (oldest === undefined || latest.at < oldest) oldest = latest.at;
  }
  return oldest;
}

/** A stored record checked part by part: whatever is unusable is dropped, never trusted. */
export function normalizeRecord(raw: unknown, now: Date): MeasuresRecord {
  const base = emptyRecord(now);
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Partial<Record<keyof MeasuresRecord, unknown>>;
  const history: Partial<Record<InstrumentId, InstrumentHistory>> = {};
  const rawHistory = r.history && typeof r.history === 'object' ? (r.history as Record<string, unknown>) : {};
  for (const id of INSTRUMENT_IDS) {
    const h = normalizeHistory(id, rawHistory[id]);
    if (h) history[id] = h;
  }
  const draft = normalizeDraft(r.draft);
  const checkins = (Array.isArray(r.checkins) ? r.checkins : []).flatMap((entry): CheckinEntry[] => {
    const c = entry as Partial<Record<keyof CheckinEntry, unknown>> | null;
    if (!c || typeof c.at !== 'string') return [];
    const outcomes = Array.isArray(c.outcomes) ? c.outcomes.filter((o): o is ReviewOutcome => (REVIEW_OUTCOMES as readonly unknown[]).includes(o)) : [];
    return [isRating(c.motivation) ? { at: c.at, outcomes, motivation: c.motivation } : { at: c.at, outcomes }];
  });
  const satisfaction = (Array.isArray(r.satisfaction) ? r.satisfaction : []).flatMap((entry): SatisfactionEntry[] => {
    const s = entry as Partial<Record<keyof SatisfactionEntry, unknown>> | null;
    if (!s || typeof s.at !== 'string' || !isRating(s.value)) return [];
    return [typeof s.comment === 'string' && s.comment ? { at: s.at, value: s.value, comment: s.comment } : { at: s.at, value: s.value }];
  });
  const earlierCheckins = typeof r.earlierCheckins === 'number' && Number.isInteger(r.earlierCheckins) && r.earlierCheckins > 0 ? r.earlierCheckins : 0;
  return {
    version: 1,
    history,
    ...(draft ? { draft } : {}),
    checkins: checkins.slice(-MAX_CHECKINS),
    earlierCheckins,
    satisfaction: satisfaction.slice(-MAX_SATISFACTION),
    updatedAt: typeof r.updatedAt === 'string' ? r.updatedAt : base.updatedAt,
  };
}

// ── For the clinician summary ───────────────────────────────────────────────────────────────────

export interface InstrumentSummary {
  readonly instrument: InstrumentId;
  readonly count: number;
  readonly latest: MeasureResult;
  readonly band: Band;
  readonly isCase?: boolean;
  /** Against the previous result. */
  readonly trend?: Trend;
  /** Against the first result kept (the baseline). */
  readonly sinceFirst?: { readonly reliable?: ReliableChange; readonly recovery: Recovery; readonly first: MeasureResult };
}

/** Latest score, band, caseness, change since last time and since the first result, per questionnaire answered. */
export function measuresSummary(record: MeasuresRecord): InstrumentSummary[] {
  return INSTRUMENT_IDS.flatMap((id): InstrumentSummary[] => {
    const history = record.history[id];
    const latest = latestResult(history);
    if (!latest) return [];
    const previous = previousResult(history);
    const first = firstResult(history);
    const caseness = isCase(id, latest.score);
    const reliable = first && first !== latest ? reliableChange(id, first.score, latest.score) : undefined;
    return [
      {
        instrument: id,
        count: resultCount(history),
        latest,
        band: bandOf(id, latest.score),
        ...(caseness === undefined ? {} : { isCase: caseness }),
        ...(previous ? { trend: trendOf(id, previous, latest) } : {}),
        ...(first && first !== latest ? { sinceFirst: { ...(reliable === undefined ? {} : { reliable }), recovery: recoveryOf(id, first.score, latest.score), first } } : {}),
      },
    ];
  });
}

