/**
 * The between-session summary a linked clinician receives: what the person chose in their plan,
 * the tiny steps they tried and how they went, their confidence over time (the motivation trend),
 * questionnaire scores with bands, caseness and reliable change, satisfaction, and the escalations
 * since the last summary. Pure: the bot gathers the inputs, this shapes them; the same object is
 * the Teams card's source and the webhook's payload (docs/webhook-summary.schema.json).
 *
 * Scores come in a small type of our own (ScoreInput), so this module does not depend on how the
 * questionnaires are stored or scored: the composition root maps them.
 * Sizes are bounded: at most 12 ratings, 12 points per questionnaire, 10 escalation items.
 */
import type { PlanCategoryId } from '../plan/categories';
import { activeActions, currentConfidence, journeySummary, meansByCategory, type MeanStatus, type Plan, type PlanMean, type ReviewTally, type SatisfactionLevel } from '../plan/plan';
import { weekOf } from '../plan/programme';

/** As the measures module says it ('none': the change is within measurement error). */
export type ReliableChange = 'improved' | 'deteriorated' | 'none';

/** A 0–10 answer with its date (the check-in motivation ruler, "does Petits pas help?"). */
export interface RatingInput {
  readonly at: string;
  readonly value: number;
}

/** One questionnaire result, as the measures module gives it (mapped by the composition root). */
export interface ScoreInput {
  /** 'PHQ-9', 'GAD-7', 'WSAS' (others are shown as they are). */
  readonly instrument: string;
  readonly score: number;
  /** Severity band id, e.g. 'minimal', 'mild', 'moderate', 'moderately_severe', 'severe'. */
  readonly band: string;
  /** ISO date of the answers. */
  readonly at: string;
  /** At or above the instrument's clinical cut-off. */
  readonly caseness?: boolean;
  /** Compared with the first (baseline) result, by the measures module's rule. */
  readonly reliableChange?: ReliableChange;
}

/** Maximum possible score of the instruments we know (scales of the chart, "14/27" in the card). */
export const INSTRUMENT_MAX: Readonly<Record<string, number>> = { 'PHQ-9': 27, 'GAD-7': 21, WSAS: 40, 'PHQ-2': 6, 'GAD-2': 6 };
const INSTRUMENT_ORDER = ['PHQ-9', 'GAD-7', 'WSAS', 'PHQ-2', 'GAD-2'];

/** One escalation, as far as a summary needs it (never the excerpt: the alert card carried it). */
export interface EscalationDigest {
  readonly id: string;
  readonly level: 'crisis' | 'concern';
  readonly categories: readonly string[];
  readonly createdAt: string;
  /** Delivery status: pending | delivered | acknowledged | failed. */
  readonly status: string;
  readonly acknowledgedAt?: string;
}

export type SummaryReason = 'on_demand' | 'scheduled';
export type Trend = 'rising' | 'falling' | 'steady' | 'insufficient';

export interface SummaryInput {
  readonly personId: string;
  readonly now: Date;
  /** When the previous summary was made (absent: the first one covers everything). */
  readonly since?: string;
  readonly reason: SummaryReason;
  /** The meeting a scheduled summary prepares. */
  readonly meetingAt?: string;
  readonly plan?: Plan;
  readonly scores: readonly ScoreInput[];
  /** The check-in motivation ruler (0–10); without it, the tiny steps' confidence stands in. */
  readonly motivation?: readonly RatingInput[];
  /** "How much does Petits pas help?" (0–10) from check-ins. */
  readonly helpfulness?: readonly RatingInput[];
  readonly escalations: readonly EscalationDigest[];
  /** The label of a mean in the reader's language (catalogue label, or the person's own words). */
  readonly meanLabel: (mean: PlanMean) => string;
}

export interface SummaryMean {
  readonly id: string;
  readonly label: string;
  readonly status: MeanStatus;
  /** Written by the person in their own words. */
  readonly own: boolean;
}

export interface SummaryStep {
  readonly actionId: string;
  readonly mean: string;
  readonly what?: string;
  readonly when?: string;
  readonly where?: string;
  readonly howOften?: string;
  /** Current confidence 0–10. */
  readonly confidence?: number;
  readonly since: string;
}

export interface MeasureSummary {
  readonly instrument: string;
  readonly maxScore?: number;
  readonly latest: { readonly score: number; readonly band: string; readonly at: string; readonly caseness?: boolean; readonly reliableChange?: ReliableChange };
  readonly previous?: { readonly score: number; readonly band: string; readonly at: string };
  /** latest − previous (negative = fewer symptoms). */
  readonly change?: number;
  /** Oldest first, at most 12. */
  readonly series: readonly { readonly at: string; readonly score: number }[];
}

export interface ClinicianSummary {
  readonly personId: string;
  readonly generatedAt: string;
  readonly reason: SummaryReason;
  readonly meetingAt?: string;
  readonly period: { readonly from?: string; readonly to: string };
  readonly programme?: {
    readonly startedAt: string;
    readonly week: number;
    readonly totalWeeks: number;
    readonly finalReviewAt?: string;
    readonly orientation?: string;
  };
  readonly plan: {
    readonly means: readonly { readonly category: PlanCategoryId; readonly means: readonly SummaryMean[] }[];
    readonly activeSteps: readonly SummaryStep[];
  };
  readonly tinySteps: {
    /** Reviews of tiny steps made in the period. */
    readonly inPeriod: ReviewTally;
    readonly goodMovesInPeriod: number;
    readonly allTime: { readonly stepsTried: number } & ReviewTally;
  };
  readonly motivation: {
    /** 'checkin': the motivation ruler; 'confidence': the tiny steps' confidence (when no ruler answer exists). */
    readonly source: 'checkin' | 'confidence';
    readonly trend: Trend;
    readonly latest?: number;
    /** Ratings 0–10, oldest first, at most 12. */
    readonly ratings: readonly { readonly at: string; readonly value: number }[];
  };
  readonly measures: readonly MeasureSummary[];
  readonly satisfaction: {
    /** The programme's satisfaction question (plan). */
    readonly programme?: { readonly value: SatisfactionLevel; readonly at: string };
    /** "How much does Petits pas help?", 0–10, latest answer and the one before. */
    readonly helpfulness?: { readonly value: number; readonly at: string; readonly previous?: number };
  };
  readonly escalations: {
    readonly total: number;
    readonly crisis: number;
    readonly concern: number;
    readonly unacknowledged: number;
    /** Newest first, at most 10. */
    readonly items: readonly EscalationDigest[];
  };
}

export const MAX_SUMMARY_RATINGS = 12;
export const MAX_SERIES_POINTS = 12;
export const MAX_ESCALATION_ITEMS = 10;

export function buildClinicianSummary(input: SummaryInput): ClinicianSummary {
  const now = input.now;
  const to = now.toISOString();
  const since = validIso(input.since);
  const inPeriod = (at: string | undefined) => typeof at === 'string' && (!since || at > since) && at <= to;
  const plan = input.plan;

  const means = plan
    ? meansByCategory(plan).map(({ category, means: list }) => ({
        category,
        means: list.map((mean) => ({ id: mean.id, label: input.meanLabel(mean), status: mean.status, own: mean.id.startsWith('own:') })),
      }))
    : [];
  const meanById = new Map((plan?.means ?? []).map((m) => [m.id, m]));
  const activeSteps: SummaryStep[] = plan
    ? activeActions(plan).map((action) => {
        const mean = meanById.get(action.meanId);
        return dropUndefined({
          actionId: action.id,
          mean: mean ? input.meanLabel(mean) : action.meanId,
          what: action.step.what,
          when: action.step.when,
          where: action.step.where,
          howOften: action.step.howOften,
          confidence: currentConfidence(action),
          since: action.createdAt,
        });
      })
    : [];

  const tally = { worked: 0, partly: 0, didnt: 0 };
  for (const action of plan?.actions ?? []) for (const review of action.reviews) if (inPeriod(review.at)) tally[review.outcome]++;
  const goodMovesInPeriod = (plan?.prides ?? []).filter((p) => p.kind === 'goodMove' && inPeriod(p.at)).length;
  const journey = plan ? journeySummary(plan) : undefined;

  const ruler = cleanRatings(input.motivation ?? []);
  const source: 'checkin' | 'confidence' = ruler.length ? 'checkin' : 'confidence';
  const ratings = (ruler.length ? ruler : cleanRatings((plan?.actions ?? []).flatMap((action) => action.confidence))).slice(-MAX_SUMMARY_RATINGS);

  const satisfactionEntries = plan?.programme.satisfaction ?? [];
  const satisfaction = satisfactionEntries.length ? satisfactionEntries[satisfactionEntries.length - 1] : undefined;
  const helpfulness = cleanRatings(input.helpfulness ?? []);
  const helpful = helpfulness.length ? helpfulness[helpfulness.length - 1] : undefined;

  const escalations = input.escalations.filter((e) => inPeriod(e.createdAt)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return dropUndefined({
    personId: input.personId,
    generatedAt: to,
    reason: input.reason,
    meetingAt: validIso(input.meetingAt),
    period: dropUndefined({ from: since, to }),
    programme: plan
      ? dropUndefined({
          startedAt: plan.programme.startedAt,
          week: Math.min(weekOf(plan.programme.startedAt, now), plan.programme.totalWeeks + 52),
          totalWeeks: plan.programme.totalWeeks,
          finalReviewAt: plan.programme.finalReviewAt,
          orientation: plan.programme.orientation,
        })
      : undefined,
    plan: { means, activeSteps },
    tinySteps: {
      inPeriod: tally,
      goodMovesInPeriod,
      allTime: { stepsTried: journey?.stepsTried ?? 0, ...(journey?.reviews ?? { worked: 0, partly: 0, didnt: 0 }) },
    },
    motivation: dropUndefined({ source, trend: trendOf(ratings.map((r) => r.value)), latest: ratings.length ? ratings[ratings.length - 1].value : undefined, ratings }),
    measures: summarizeMeasures(input.scores),
    satisfaction: dropUndefined({
      programme: satisfaction ? { value: satisfaction.value, at: satisfaction.at } : undefined,
      helpfulness: helpful
        ? dropUndefined({ value: helpful.value, at: helpful.at, previous: helpfulness.length > 1 ? helpfulness[helpfulness.length - 2].value : undefined })
        : undefined,
    }),
    escalations: {
      total: escalations.length,
      crisis: escalations.filter((e) => e.level === 'crisis').length,
      concern: escalations.filter((e) => e.level === 'concern').length,
      unacknowledged: escalations.filter((e) => e.status !== 'acknowledged').length,
      items: escalations.slice(0, MAX_ESCALATION_ITEMS).map((e) => dropUndefined({ ...e, categories: [...e.categories] })),
    },
  });
}

/**
 * Rising / falling when the mean of the last (up to) three ratings differs by at least one point
 * from the mean of the (up to) three before them; steady otherwise; insufficient below two ratings.
 */
export function trendOf(values: readonly number[]): Trend {
  if (values.length < 2) return 'insufficient';
  const recentCount = Math.min(3, Math.ceil(values.length / 2));
  const recent = values.slice(-recentCount);
  const before = values.slice(0, -recentCount).slice(-3);
  const diff = mean(recent) - mean(before);
  if (diff >= 1) return 'rising';
  if (diff <= -1) return 'falling';
  return 'steady';
}

export function summarizeMeasures(scores: readonly ScoreInput[]): MeasureSummary[] {
  const byInstrument = new Map<string, ScoreInput[]>();
  for (const s of scores) {
    if (!s || typeof s.instrument !== 'string' || !s.instrument.trim() || !Number.isFinite(s.score) || !validIso(s.at)) continue;
    const list = byInstrument.get(s.instrument) ?? [];
    list.push({ ...s, at: validIso(s.at) as string });
    byInstrument.set(s.instrument, list);
  }
  const rank = (name: string) => {
    const i = INSTRUMENT_ORDER.indexOf(name);
    return i === -1 ? INSTRUMENT_ORDER.length : i;
  };
  return [...byInstrument.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([instrument, list]) => {
      const sorted = [...list].sort((a, b) => a.at.localeCompare(b.at));
      const last = sorted[sorted.length - 1];
      const prev = sorted.length > 1 ? sorted[sorted.length - 2] : undefined;
      return dropUndefined({
        instrument,
        maxScore: INSTRUMENT_MAX[instrument],
        latest: dropUndefined({ score: last.score, band: String(last.band ?? ''), at: last.at, caseness: last.caseness, reliableChange: last.reliableChange }),
        previous: prev ? { score: prev.score, band: String(prev.band ?? ''), at: prev.at } : undefined,
        change: prev ? last.score - prev.score : undefined,
        series: sorted.slice(-MAX_SERIES_POINTS).map((s) => ({ at: s.at, score: s.score })),
      });
    });
}

/** 0–10 ratings with valid dates, oldest first. */
function cleanRatings(list: readonly RatingInput[]): { at: string; value: number }[] {
  return list
    .filter((r) => r && typeof r.value === 'number' && Number.isFinite(r.value) && r.value >= 0 && r.value <= 10 && validIso(r.at))
    .map((r) => ({ at: validIso(r.at) as string, value: r.value }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function validIso(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
