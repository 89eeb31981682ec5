/**
 * Gathers what a between-session summary needs — the plan (DocumentPlanRepository), the scores
 * (through ScoreSource, mapped by the composition root from the measures module), the escalations
 * (the outbox partition of the person's pseudonym) and the time of the previous summary — shapes it
 * with core/clinicians/summary and draws the trend chart.
 *
 * Access is NOT checked here: callers resolve the person through ClinicianLinks first (on demand:
 * the linked clinician; scheduled: the person's own link).
 */
import { renderTrendChart, type ChartImage, type TrendChartInput } from '../../adapters/charts/trendChart';
import type { Texts } from '../../content/texts';
import { buildClinicianSummary, type ClinicianSummary, type EscalationDigest, type RatingInput, type ScoreInput, type SummaryReason } from '../../core/clinicians/summary';
import { pseudonymousPersonId, type DeliveryStatus, type Escalation } from '../../core/escalation/escalation';
import type { Locale } from '../../core/i18n/locale';
import type { DocumentStore } from '../../core/ports/documentStore';
import { catalogueText, type MeansCatalogue } from '../../core/plan/catalogue';
import type { PlanMean } from '../../core/plan/plan';
import { createLogger, errorKind, type Logger } from '../observability/logger';
import type { PlanRepository } from '../people/planRepository';

export const SUMMARY_MARK_ID = 'clinicianSummary';

/**
 * The port to what the measures module keeps (the composition root maps it onto these small types):
 * questionnaire results, and from check-ins the motivation ruler and "does Petits pas help?".
 */
export interface MeasuresSource {
  scoresFor(personKey: string): Promise<readonly ScoreInput[]>;
  motivationFor?(personKey: string): Promise<readonly RatingInput[]>;
  helpfulnessFor?(personKey: string): Promise<readonly RatingInput[]>;
}

/** In the person's partition: when the last summary was delivered ("escalations since the last summary"). */
export interface SummaryMark {
  readonly kind: 'clinicianSummaryMark';
  readonly schemaVersion: 1;
  readonly lastSummaryAt: string;
}

export interface PreparedSummary {
  readonly summary: ClinicianSummary;
  readonly chart?: ChartImage;
}

export interface ClinicianSummaryServiceOptions {
  readonly store: DocumentStore;
  readonly plans: Pick<PlanRepository, 'load'>;
  readonly catalogue: MeansCatalogue;
  readonly texts: Texts;
  readonly pseudonymSecret: string;
  /** Without it, the summary says no questionnaire was filled (and uses the tiny steps' confidence). */
  readonly measures?: MeasuresSource;
  /** Draws the chart; `null` turns charts off. Default: renderTrendChart with the shared worker. */
  readonly renderChart?: ((input: TrendChartInput) => Promise<ChartImage | undefined>) | null;
  readonly logger?: Logger;
  readonly clock?: () => Date;
}

export class ClinicianSummaryService {
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly renderChart: ((input: TrendChartInput) => Promise<ChartImage | undefined>) | null;

  constructor(private readonly options: ClinicianSummaryServiceOptions) {
    this.log = options.logger ?? createLogger('warn', (line) => process.stderr.write(`${line}\n`));
    this.clock = options.clock ?? (() => new Date());
    this.renderChart = options.renderChart === undefined ? (input) => renderTrendChart(input) : options.renderChart;
  }

  async prepare(
    personKey: string,
    request: { readonly reason: SummaryReason; readonly locale: Locale; readonly meetingAt?: string; readonly now?: Date },
  ): Promise<PreparedSummary> {
    const now = request.now ?? this.clock();
    const personId = pseudonymousPersonId(this.options.pseudonymSecret, personKey);
    const measures = this.options.measures;
    const none = Promise.resolve([] as const);
    const [stored, scores, motivation, helpfulness, escalations, mark] = await Promise.all([
      this.options.plans.load(personKey),
      measures ? measures.scoresFor(personKey) : none,
      measures?.motivationFor ? measures.motivationFor(personKey) : none,
      measures?.helpfulnessFor ? measures.helpfulnessFor(personKey) : none,
      this.escalationsOf(personId),
      this.options.store.get<SummaryMark>('people', personKey, SUMMARY_MARK_ID),
    ]);
    const summary = buildClinicianSummary({
      personId,
      now,
      since: mark?.body?.kind === 'clinicianSummaryMark' ? mark.body.lastSummaryAt : undefined,
      reason: request.reason,
      meetingAt: request.meetingAt,
      plan: stored?.plan,
      scores,
      motivation,
      helpfulness,
      escalations,
      meanLabel: (mean) => this.meanLabel(mean, request.locale),
    });
    const chart = await this.chartOf(summary, request.locale);
    return chart ? { summary, chart } : { summary };
  }

  /** Records that a summary reached the clinician: the next one starts from here. */
  async markDelivered(personKey: string, at: Date = this.clock()): Promise<void> {
    const mark: SummaryMark = { kind: 'clinicianSummaryMark', schemaVersion: 1, lastSummaryAt: at.toISOString() };
    await this.options.store.upsert('people', personKey, SUMMARY_MARK_ID, mark);
  }

  private meanLabel(mean: PlanMean, locale: Locale): string {
    if (mean.id.startsWith('own:')) return mean.text ?? mean.id.slice(4);
    return catalogueText(this.options.catalogue, locale, mean.id)?.label ?? mean.id;
  }

  private async escalationsOf(personId: string): Promise<EscalationDigest[]> {
    const docs = await this.options.store.listPartition<{ type?: string; status?: DeliveryStatus; escalation?: Escalation; delivery?: { acknowledgedAt?: string } }>('outbox', personId);
    const out: EscalationDigest[] = [];
    for (const doc of docs) {
      const e = doc.body?.escalation;
      if (doc.body?.type !== 'escalation' || !e || e.personId !== personId) continue;
      out.push({
        id: e.id,
        level: e.level,
        categories: [...e.categories],
        createdAt: e.createdAt,
        status: doc.body.status ?? 'pending',
        ...(doc.body.delivery?.acknowledgedAt ? { acknowledgedAt: doc.body.delivery.acknowledgedAt } : {}),
      });
    }
    return out;
  }

  private async chartOf(summary: ClinicianSummary, locale: Locale): Promise<ChartImage | undefined> {
    if (!this.renderChart) return undefined;
    const t = (key: string) => this.options.texts.t(locale, `clinician.summary.${key}`);
    const input: TrendChartInput = {
      locale,
      labels: { scoreAxis: t('scoreAxis'), confidenceAxis: t(`ratingAxis.${summary.motivation.source}`) },
      measures: summary.measures.map((m) => ({ label: m.instrument, maxScore: m.maxScore, points: m.series.map((p) => ({ at: p.at, value: p.score })) })),
      confidence: { label: t(`motivationSeries.${summary.motivation.source}`), points: summary.motivation.ratings },
    };
    try {
      return await this.renderChart(input);
    } catch (error) {
      this.log.warn('summary_chart_failed', { personId: summary.personId, error: errorKind(error) });
      return undefined;
    }
  }
}
