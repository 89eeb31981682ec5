/**
 * The summary as an Adaptive Card 1.5 for the linked clinician's personal chat, with the trend chart
 * as a data: URI image. Labels come from content (clinician.summary.*, in the clinician's locale).
 *
 * The person's own words (means they wrote, tiny steps) go into RichTextBlock/TextRun, which hosts
 * render literally: a TextBlock would read markdown, so "[x](https://…)" could become a link.
 * Teams refuses messages above ~28 KB: the card is kept under MAX_CARD_BYTES by dropping the image
 * first, then shortening the lists of means.
 */
import type { Activity } from 'botbuilder';
import type { Texts } from '../../content/texts';
import type { ChartImage } from '../../adapters/charts/trendChart';
import { ADAPTIVE_CARD_CONTENT_TYPE, categoryWords, type AdaptiveCard } from '../../adapters/notify/escalationCard';
import { escalationCardLabelsFor } from '../../adapters/notify/escalationCardLabels';
import type { ClinicianSummary, MeasureSummary, SummaryStep } from '../../core/clinicians/summary';
import type { Locale } from '../../core/i18n/locale';

/** Bytes of the card's JSON (UTF-8): the rest of the message must fit in Teams' ~28 KB too. */
export const MAX_CARD_BYTES = 24_000;
const MEANS_PER_CATEGORY = 8;

export interface SummaryCardOptions {
  readonly texts: Texts;
  /** The clinician's locale. */
  readonly locale: Locale;
  /** Dates are printed in this zone. Default America/Toronto. */
  readonly timeZone?: string;
  readonly chart?: ChartImage;
}

export function buildSummaryCard(summary: ClinicianSummary, options: SummaryCardOptions): AdaptiveCard {
  const withChart = cardOf(summary, options, MEANS_PER_CATEGORY, true);
  if (sizeOf(withChart) <= MAX_CARD_BYTES) return withChart;
  for (const perCategory of [MEANS_PER_CATEGORY, 4, 2, 0]) {
    const card = cardOf(summary, options, perCategory, false);
    if (sizeOf(card) <= MAX_CARD_BYTES) return card;
  }
  return cardOf(summary, options, 0, false);
}

/** The message carrying the card; its notification preview is the title only. */
export function summaryActivity(summary: ClinicianSummary, options: SummaryCardOptions): Partial<Activity> {
  return {
    type: 'message',
    summary: titleOf(summary, options),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: buildSummaryCard(summary, options) }],
  };
}

function titleOf(summary: ClinicianSummary, options: SummaryCardOptions): string {
  const t = (key: string, vars?: Record<string, string | number>) => options.texts.t(options.locale, `clinician.summary.${key}`, vars);
  return summary.reason === 'scheduled' && summary.meetingAt ? t('titleScheduled', { date: formatDate(summary.meetingAt, options) }) : t('title');
}

function cardOf(summary: ClinicianSummary, options: SummaryCardOptions, meansPerCategory: number, includeChart: boolean): AdaptiveCard {
  const t = (key: string, vars?: Record<string, string | number>) => options.texts.t(options.locale, `clinician.summary.${key}`, vars);
  const heading = (key: string) => ({ type: 'TextBlock', text: t(key), weight: 'Bolder', wrap: true, spacing: 'Medium' });
  const subtle = (text: string) => ({ type: 'TextBlock', text, isSubtle: true, wrap: true, spacing: 'Small' });
  const date = (iso: string) => formatDate(iso, options);

  const facts: { title: string; value: string }[] = [{ title: t('person'), value: summary.personId }];
  if (summary.programme) facts.push({ title: t('programme'), value: t('programmeValue', { week: summary.programme.week, total: summary.programme.totalWeeks }) });
  const { programme: satisfied, helpfulness } = summary.satisfaction;
  facts.push({ title: t('satisfaction'), value: satisfied ? `${t(`satisfactionLevels.${satisfied.value}`)} (${date(satisfied.at)})` : t('noSatisfaction') });
  if (helpfulness) facts.push({ title: t('helpfulness'), value: t('helpfulnessValue', { value: helpfulness.value, date: date(helpfulness.at) }) });
  if (summary.programme?.orientation) facts.push({ title: t('orientation'), value: t(`orientations.${summary.programme.orientation}`) });

  const body: Record<string, unknown>[] = [
    {
      type: 'Container',
      style: 'accent',
      bleed: true,
      items: [
        { type: 'TextBlock', text: titleOf(summary, options), weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'TextBlock', text: summary.period.from ? t('periodSince', { date: date(summary.period.from) }) : t('periodAll'), isSubtle: true, spacing: 'None', wrap: true },
      ],
    },
    { type: 'FactSet', facts },
    heading('measures'),
    summary.measures.length ? { type: 'FactSet', facts: summary.measures.map((m) => ({ title: m.instrument, value: measureText(m, t, date) })) } : subtle(t('noMeasures')),
  ];
  if (includeChart && options.chart) {
    body.push({ type: 'Image', url: options.chart.dataUri, altText: t('chartAlt'), size: 'Stretch', spacing: 'Small' });
  }

  const motivation = summary.motivation;
  body.push(
    heading(`motivation.${motivation.source}`),
    subtle(motivation.latest !== undefined ? t('motivationValue', { value: motivation.latest, trend: t(`trends.${motivation.trend}`) }) : t('noMotivation')),
    heading('steps'),
    { type: 'TextBlock', text: t('stepsValue', { ...summary.tinySteps.inPeriod }), wrap: true, spacing: 'Small' },
    subtle(t('stepsAllTime', { tried: summary.tinySteps.allTime.stepsTried, goodMoves: summary.tinySteps.goodMovesInPeriod })),
    heading('activeSteps'),
    summary.plan.activeSteps.length
      ? { type: 'Container', spacing: 'Small', items: summary.plan.activeSteps.map((step) => stepBlock(step, t, options.locale)) }
      : subtle(t('noActiveSteps')),
    heading('means'),
  );
  if (!summary.plan.means.length) body.push(subtle(t('noMeans')));
  for (const group of summary.plan.means) {
    const shown = group.means.slice(0, meansPerCategory);
    const more = group.means.length - shown.length;
    const runs = shown.map((m, i) => ({ type: 'TextRun', text: `${i ? ' · ' : ''}${m.label} (${t(`meanStatus.${m.status}`)})` }));
    if (more > 0) runs.push({ type: 'TextRun', text: `${shown.length ? ' · ' : ''}${t('moreMeans', { count: more })}` });
    body.push(
      { type: 'TextBlock', text: t(`categories.${group.category}`), weight: 'Bolder', size: 'Small', wrap: true, spacing: 'Small' },
      { type: 'RichTextBlock', spacing: 'None', inlines: runs },
    );
  }

  const labels = escalationCardLabelsFor(options.locale);
  body.push(heading('escalations'));
  if (!summary.escalations.items.length) body.push(subtle(t('noEscalations')));
  for (const e of summary.escalations.items) {
    body.push({
      type: 'TextBlock',
      wrap: true,
      spacing: 'Small',
      color: e.level === 'crisis' ? 'Attention' : 'Warning',
      text: t('escalationLine', {
        date: formatDateTime(e.createdAt, options),
        level: t(`levels.${e.level}`),
        categories: categoryWords(e.categories, labels).join(', ') || '—',
        status: t(`escalationStatus.${['acknowledged', 'delivered', 'pending', 'failed'].includes(e.status) ? e.status : 'pending'}`),
      }),
    });
  }
  body.push({ type: 'TextBlock', text: t('footer'), size: 'Small', isSubtle: true, wrap: true, spacing: 'Medium' });

  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
  };
}

function sizeOf(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function measureText(m: MeasureSummary, t: (key: string, vars?: Record<string, string | number>) => string, date: (iso: string) => string): string {
  const band = m.latest.band ? bandWord(m.latest.band, t) : '—';
  const parts = [
    m.maxScore !== undefined
      ? t('measureValue', { score: m.latest.score, max: m.maxScore, band, date: date(m.latest.at) })
      : t('measureValueNoMax', { score: m.latest.score, band, date: date(m.latest.at) }),
  ];
  if (m.latest.caseness !== undefined) parts.push(t(m.latest.caseness ? 'caseness' : 'notCaseness'));
  if (m.latest.reliableChange) parts.push(t(`reliable.${m.latest.reliableChange}`));
  if (m.change !== undefined && m.previous) parts.push(t('change', { change: m.change > 0 ? `+${m.change}` : String(m.change).replace('-', '−'), date: date(m.previous.at) }));
  return parts.join(' · ');
}

const KNOWN_BANDS = new Set(['minimal', 'none', 'mild', 'moderate', 'moderately_severe', 'severe', 'subclinical', 'significant', 'negative', 'positive']);

function bandWord(band: string, t: (key: string) => string): string {
  const key = band.toLowerCase().replace(/[\s-]+/g, '_');
  return KNOWN_BANDS.has(key) ? t(`bands.${key}`) : band;
}

function stepBlock(step: SummaryStep, t: (key: string, vars?: Record<string, string | number>) => string, locale: Locale): Record<string, unknown> {
  const details = [step.what, step.when, step.where, step.howOften].filter((s): s is string => Boolean(s));
  const inlines: Record<string, unknown>[] = [{ type: 'TextRun', text: `• ${step.mean}`, weight: 'Bolder' }];
  if (details.length) inlines.push({ type: 'TextRun', text: `${locale === 'fr-CA' ? ' : ' : ': '}${details.join(' — ')}` });
  if (step.confidence !== undefined) inlines.push({ type: 'TextRun', text: ` (${t('confidenceShort', { value: step.confidence })})`, isSubtle: true });
  return { type: 'RichTextBlock', spacing: 'Small', inlines };
}

function formatDate(iso: string, options: SummaryCardOptions): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeZone: options.timeZone ?? 'America/Toronto' }).format(d);
}

function formatDateTime(iso: string, options: SummaryCardOptions): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: options.timeZone ?? 'America/Toronto' }).format(d);
}
