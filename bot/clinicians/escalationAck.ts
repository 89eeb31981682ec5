/**
 * The "Acknowledge" button of the escalation card (Action.Execute, invoke `adaptiveCard/action`,
 * verb escalation.ack; or its Action.Submit fallback, a message whose value carries the verb).
 *
 * 1. The clicker must be a clinician of the configured team (tenant, AAD identity, membership):
 *    otherwise a refusal and nothing changes.
 * 2. EscalationOutbox.acknowledge records who and when (first click wins, compare-and-swap).
 * 3. The card is replaced in place by its acknowledged variant. A forged action (unknown id, wrong
 *    shape) gets "not found"; a replayed one (already acknowledged) gets the acknowledged card as it
 *    was, with the first acknowledgement's author and time, and no second record.
 *
 * Also: posting a follow-up into the card's thread in the channel.
 */
import type { Activity, AdaptiveCardInvokeResponse, ConversationReference, TurnContext } from 'botbuilder';
import { turnLogger } from '../hardening/correlation';
import {
  adaptiveCardInvokeResponse,
  buildAcknowledgedEscalationCard,
  type AckActionData,
  type AdaptiveCard,
} from '../../adapters/notify/escalationCard';
import { escalationCardLabelsFor } from '../../adapters/notify/escalationCardLabels';
import type { ProactiveAdapter } from '../../adapters/notify/teamsNotifier';
import type { Texts } from '../../content/texts';
import type { ClinicianTeam } from '../../core/clinicians/access';
import { resolveLocale, type Locale } from '../../core/i18n/locale';
import type { AcknowledgeResult } from '../escalation/outbox';
import { errorKind, type Logger } from '../observability/logger';
import { identifyClinician, type TeamMembership } from './identity';

export const INVOKE_MESSAGE_TYPE = 'application/vnd.microsoft.activity.message';

export interface AckDeps {
  readonly team: ClinicianTeam | undefined;
  readonly membership: TeamMembership;
  readonly outbox: { acknowledge(escalationId: string, personId: string | undefined, by: string, now?: Date): Promise<AcknowledgeResult> };
  readonly texts: Texts;
  readonly defaultLocale: Locale;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export type AckOutcome =
  | { readonly outcome: 'acknowledged' | 'already'; readonly card: AdaptiveCard; readonly escalationId: string }
  | { readonly outcome: 'refused' | 'not_found' | 'unavailable'; readonly message: string };

/** Verifies the clicker, records the acknowledgement, and gives the card (or the refusal) to show. */
export async function acknowledgeFromCard(context: TurnContext, data: AckActionData | undefined, deps: AckDeps): Promise<AckOutcome> {
  const locale = resolveLocale(undefined, context.activity.locale, deps.defaultLocale);
  const say = (key: string) => deps.texts.t(locale, `clinician.team.ack.${key}`);
  const log = turnLogger(context, deps.logger);
  let identity;
  try {
    identity = await identifyClinician(context, deps.team, deps.membership);
  } catch (error) {
    log.warn('escalation_ack_identity_failed', { error: errorKind(error) });
    return { outcome: 'unavailable', message: deps.texts.t(locale, 'clinician.team.unavailable') };
  }
  if (!identity.ok) {
    log.warn('escalation_ack_refused', { reason: identity.reason, escalationId: data?.escalationId });
    if (identity.reason === 'unavailable') return { outcome: 'unavailable', message: deps.texts.t(locale, 'clinician.team.unavailable') };
    return { outcome: 'refused', message: say('refused') };
  }
  if (!data) {
    log.warn('escalation_ack_malformed');
    return { outcome: 'not_found', message: say('notFound') };
  }
  const clinician = identity.clinician;
  let result: AcknowledgeResult;
  try {
    result = await deps.outbox.acknowledge(data.escalationId, data.personId, clinician.name || clinician.id, (deps.clock ?? (() => new Date()))());
  } catch (error) {
    log.warn('escalation_ack_failed', { escalationId: data.escalationId, error: errorKind(error) });
    return { outcome: 'unavailable', message: say('storeDown') };
  }
  if (result.outcome === 'not_found') {
    log.warn('escalation_ack_not_found', { escalationId: data.escalationId });
    return { outcome: 'not_found', message: say('notFound') };
  }
  log.info('escalation_ack', { escalationId: data.escalationId, outcome: result.outcome });
  const card = buildAcknowledgedEscalationCard(
    result.escalation,
    { by: result.acknowledgedBy, at: result.acknowledgedAt },
    { labels: escalationCardLabelsFor(result.escalation.locale) },
  );
  return { outcome: result.outcome, card, escalationId: data.escalationId };
}

/** The invoke response: the updated card in place, or a short message Teams shows to the clicker. */
export function ackInvokeResponse(outcome: AckOutcome): AdaptiveCardInvokeResponse {
  if ('card' in outcome) return adaptiveCardInvokeResponse(outcome.card);
  return { statusCode: 200, type: INVOKE_MESSAGE_TYPE, value: outcome.message as unknown as Record<string, unknown> };
}

/**
 * The Action.Submit fallback (hosts without Universal Actions): the clicked card is replaced when
 * the channel allows updates (Teams does, by the message's replyToId), and a short reply confirms.
 */
export async function answerAckSubmit(context: TurnContext, outcome: AckOutcome, deps: Pick<AckDeps, 'texts' | 'defaultLocale' | 'logger'>): Promise<void> {
  if (!('card' in outcome)) {
    await context.sendActivity(outcome.message);
    return;
  }
  const replyToId = context.activity.replyToId;
  const log = turnLogger(context, deps.logger);
  if (replyToId) {
    try {
      await context.updateActivity({
        type: 'message',
        id: replyToId,
        conversation: context.activity.conversation,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: outcome.card }],
      } as Partial<Activity>);
    } catch (error) {
      log.warn('escalation_card_update_failed', { escalationId: outcome.escalationId, error: errorKind(error) });
    }
  }
  const locale = resolveLocale(undefined, context.activity.locale, deps.defaultLocale);
  await context.sendActivity(deps.texts.t(locale, 'clinician.team.ack.done'));
}

// ---------------------------------------------------------------------------------------------
// Follow-ups in the card's thread

/** The channel conversation of a message: Teams threads are `<channel id>;messageid=<root message id>`. */
export function threadReference(channel: Partial<ConversationReference>, messageId: string): Partial<ConversationReference> {
  if (!channel.conversation?.id) throw new TypeError('threadReference: the channel reference has no conversation id');
  if (!messageId || /[;\s]/.test(messageId)) throw new TypeError('threadReference: a message id is required');
  const base = channel.conversation.id.split(';messageid=')[0];
  return { ...channel, conversation: { ...channel.conversation, id: `${base};messageid=${messageId}` }, activityId: messageId };
}

/**
 * Posts `activity` as a reply in the thread of the card `messageId` (the card's activity id, e.g.
 * the outbox's delivery.channelMessageId, or an invoke's replyToId). Returns the new activity id.
 */
export async function postThreadFollowUp(
  adapter: ProactiveAdapter,
  botAppId: string,
  channel: Partial<ConversationReference>,
  messageId: string,
  activity: Partial<Activity>,
): Promise<string | undefined> {
  let sentId: string | undefined;
  await adapter.continueConversationAsync(botAppId, threadReference(channel, messageId), async (context) => {
    const response = await context.sendActivity({ ...activity, replyToId: messageId });
    sentId = response?.id;
  });
  return sentId;
}

/**
 * The follow-up target of an outbox record: the channel its alert was delivered to (primary or
 * backup) and the card's message id; undefined when it was not delivered to a Teams channel.
 */
export function followUpTargetOf(
  record: { readonly delivery: { readonly deliveredVia?: 'primary' | 'backup'; readonly channelMessageId?: string } },
  channels: { readonly primary: Partial<ConversationReference>; readonly backup?: Partial<ConversationReference> },
): { readonly channel: Partial<ConversationReference>; readonly messageId: string } | undefined {
  const { deliveredVia, channelMessageId } = record.delivery;
  if (!deliveredVia || !channelMessageId) return undefined;
  const channel = deliveredVia === 'backup' ? (channels.backup ?? channels.primary) : channels.primary;
  return channel.conversation?.id ? { channel, messageId: channelMessageId } : undefined;
}
