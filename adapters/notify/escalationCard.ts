/**
 * The clinician's escalation card: a plain Adaptive Card 1.5 JSON object (no card package), with an
 * Action.Execute (Universal Actions) "acknowledge" that the bot answers by replacing the card with
 * its acknowledged variant.
 *
 * The person's own words (excerpt, tiny steps) go into RichTextBlock/TextRun, which hosts render as
 * literal text: a TextBlock would interpret markdown, so a message such as "[ici](https://…)" could
 * become a clickable link in the clinician's channel.
 */
import type { Escalation } from '../../core/escalation/escalation';
import type { EscalationMessage } from '../../core/ports/notifier';
import { escalationCardLabelsFrCA, type EscalationCardLabels } from './escalationCardLabels';

export const ESCALATION_ACK_VERB = 'escalation.ack';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type AdaptiveCard = {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly body: readonly Record<string, unknown>[];
  readonly actions?: readonly Record<string, unknown>[];
  readonly msteams?: Record<string, unknown>;
  readonly [key: string]: unknown;
};

export interface EscalationCardOptions {
  readonly kind?: EscalationMessage['kind'];
  readonly destination?: EscalationMessage['destination'];
  readonly sequence?: number;
  readonly labels?: EscalationCardLabels;
}

export interface AckActionData {
  readonly escalationId: string;
  /** Lets the bot find the outbox record without a cross-partition query. */
  readonly personId?: string;
}

export function buildEscalationCard(escalation: Escalation, options: EscalationCardOptions = {}): AdaptiveCard {
  const labels = options.labels ?? escalationCardLabelsFrCA;
  const ackData: AckActionData = { escalationId: escalation.id, personId: escalation.personId };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: cardBody(escalation, labels, options),
    actions: [
      {
        type: 'Action.Execute',
        title: labels.acknowledge,
        verb: ESCALATION_ACK_VERB,
        data: ackData,
        style: 'positive',
        // Hosts without Universal Actions (older clients, some web chats) still get a working button.
        fallback: { type: 'Action.Submit', title: labels.acknowledge, data: { verb: ESCALATION_ACK_VERB, ...ackData } },
      },
    ],
  };
}

/** The same card once acknowledged: who and when on top, no action left. */
export function buildAcknowledgedEscalationCard(
  escalation: Escalation,
  ack: { readonly by: string; readonly at: Date | string },
  options: EscalationCardOptions = {},
): AdaptiveCard {
  const labels = options.labels ?? escalationCardLabelsFrCA;
  const text = labels.acknowledgedBy.replace('{by}', ack.by || '—').replace('{time}', formatDateTime(ack.at, labels));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      {
        type: 'Container',
        style: 'good',
        bleed: true,
        items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, weight: 'bolder' }] }],
      },
      ...cardBody(escalation, labels, options),
    ],
    actions: [],
  };
}

/** Reads the data of an `escalation.ack` Action.Execute (or its Action.Submit fallback); undefined otherwise. */
export function parseAckAction(value: unknown): AckActionData | undefined {
  const v = value as { action?: { verb?: unknown; data?: unknown }; verb?: unknown; escalationId?: unknown; personId?: unknown } | undefined;
  if (!v || typeof v !== 'object') return undefined;
  const verb = v.action ? v.action.verb : v.verb;
  const data = (v.action ? v.action.data : v) as { escalationId?: unknown; personId?: unknown } | undefined;
  if (verb !== ESCALATION_ACK_VERB || !data || typeof data.escalationId !== 'string' || !/^E-[0-9a-f]{8,64}$/.test(data.escalationId)) return undefined;
  const personId = typeof data.personId === 'string' && /^P-[0-9A-F]{6,32}$/.test(data.personId) ? data.personId : undefined;
  return personId ? { escalationId: data.escalationId, personId } : { escalationId: data.escalationId };
}

/** The invoke response that replaces the card in place (Universal Actions `adaptiveCard/action`). */
export function adaptiveCardInvokeResponse(card: AdaptiveCard): { statusCode: 200; type: string; value: AdaptiveCard } {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card };
}

/** Plain category words for a card or a notification line; unknown ids are shown as they are. */
export function categoryWords(categories: readonly string[], labels: EscalationCardLabels): string[] {
  return categories.map((c) => labels.categoryNames[categoryKey(c)] ?? c);
}

function categoryKey(category: string): string {
  return category.toLowerCase().replace(/[\s_\-/]+/g, '');
}

function cardBody(escalation: Escalation, labels: EscalationCardLabels, options: EscalationCardOptions): Record<string, unknown>[] {
  const kind = options.kind ?? 'alert';
  const title = labels.title[kind] + (options.destination === 'backup' ? labels.backupSuffix : '');
  const header: Record<string, unknown>[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (kind === 'reminder' && options.sequence) {
    header.push({ type: 'TextBlock', text: labels.reminderNumber.replace('{n}', String(options.sequence)), isSubtle: true, spacing: 'None', wrap: true });
  }
  const facts = [
    { title: labels.level, value: labels.levels[escalation.level] ?? escalation.level },
    { title: labels.categories, value: categoryWords(escalation.categories, labels).join(', ') || '—' },
    { title: labels.saidSafe, value: safeText(escalation.saidSafe, labels) },
    { title: labels.time, value: formatDateTime(escalation.createdAt, labels) },
    { title: labels.person, value: escalation.personId },
    { title: labels.target, value: escalation.target.kind === 'clinician' ? labels.targets.clinician : labels.targets.oncall },
    { title: labels.reference, value: escalation.id },
  ];
  const scores = escalation.latestScores ?? [];
  const steps = escalation.plan?.steps ?? [];
  return [
    { type: 'Container', style: escalation.level === 'crisis' ? 'attention' : 'warning', bleed: true, items: header },
    { type: 'FactSet', facts },
    { type: 'TextBlock', text: labels.excerpt, weight: 'Bolder', wrap: true, spacing: 'Medium' },
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: escalation.excerpt ? `« ${escalation.excerpt} »` : '—', italic: true }] },
    { type: 'TextBlock', text: labels.scores, weight: 'Bolder', wrap: true, spacing: 'Medium' },
    scores.length > 0
      ? {
          type: 'FactSet',
          facts: scores.map((s) => ({
            title: s.instrument,
            value: `${s.score} — ${labels.bands[s.band] ?? labels.bands[categoryKey(s.band)] ?? s.band} (${formatDate(s.at, labels)})`,
          })),
        }
      : { type: 'TextBlock', text: labels.noScores, isSubtle: true, wrap: true },
    { type: 'TextBlock', text: labels.plan, weight: 'Bolder', wrap: true, spacing: 'Medium' },
    steps.length > 0
      ? { type: 'Container', items: steps.map((step) => ({ type: 'RichTextBlock', spacing: 'Small', inlines: [{ type: 'TextRun', text: `• ${step}` }] })) }
      : { type: 'TextBlock', text: labels.noPlan, isSubtle: true, wrap: true },
    { type: 'TextBlock', text: labels.footer, size: 'Small', isSubtle: true, wrap: true, spacing: 'Medium' },
  ];
}

function safeText(saidSafe: boolean | null | undefined, labels: EscalationCardLabels): string {
  if (saidSafe === true) return labels.safe.yes;
  if (saidSafe === false) return labels.safe.no;
  if (saidSafe === null) return labels.safe.noAnswer;
  return labels.safe.notAsked;
}

function formatDateTime(at: Date | string, labels: EscalationCardLabels): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(labels.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: labels.timeZone }).format(date);
}

function formatDate(at: string, labels: EscalationCardLabels): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(labels.locale, { dateStyle: 'medium', timeZone: labels.timeZone }).format(date);
}
