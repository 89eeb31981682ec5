/**
 * Posts the escalation card proactively into a Teams channel (or any conversation the bot has a
 * reference for) through the adapter's `continueConversationAsync`. The adapter interface is
 * declared minimally here so CloudAdapter, TestAdapter or a fake can serve.
 */
import type { Activity, ConversationReference, ResourceResponse } from 'botbuilder';
import type { Escalation } from '../../core/escalation/escalation';
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';
import { ADAPTIVE_CARD_CONTENT_TYPE, buildEscalationCard } from './escalationCard';
import { escalationCardLabelsFrCA, type EscalationCardLabels } from './escalationCardLabels';

export interface ProactiveContext {
  sendActivity(activity: Partial<Activity>): Promise<ResourceResponse | undefined>;
}

export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: ProactiveContext) => Promise<void>,
  ): Promise<void>;
}

type MaybePromise<T> = T | Promise<T>;

export interface TeamsNotifierOptions {
  readonly adapter: ProactiveAdapter;
  /** The real app id: Teams refuses proactive sends made under another identity. */
  readonly botAppId: string;
  /** The on-call channel: primary for on-call targets, and for clinicians without a channel of their own. */
  readonly primary: Partial<ConversationReference>;
  /** The backup channel (fallback and reminders); the primary channel when absent. */
  readonly backup?: Partial<ConversationReference>;
  /** The linked clinician's own conversation, when known (e.g. a clinician-team channel). */
  readonly clinicianReference?: (clinicianId: string) => MaybePromise<Partial<ConversationReference> | undefined>;
  /** Labels in the clinician's locale (fr-CA by default). */
  readonly labels?: EscalationCardLabels | ((escalation: Escalation, destination: EscalationMessage['destination']) => EscalationCardLabels);
  readonly name?: string;
}

/** Conversation gone or bot removed: a retry cannot help, the outbox moves to the backup channel. */
const PERMANENT_STATUS = new Set([400, 403, 404, 413]);
const PERMANENT_CODES = new Set(['BotNotInConversationRoster', 'ConversationNotFound', 'BotDisabledByAdmin', 'ConversationBlockedByUser']);

export class TeamsNotifier implements EscalationNotifier {
  readonly name: string;

  constructor(private readonly options: TeamsNotifierOptions) {
    this.name = options.name ?? 'teams';
  }

  async deliver(message: EscalationMessage): Promise<DeliveryResult> {
    const { escalation, destination } = message;
    let reference: Partial<ConversationReference> | undefined;
    try {
      reference = await this.referenceFor(escalation, destination);
    } catch (error) {
      return { delivered: false, retryable: true, reason: `reference lookup ${errorName(error)}` };
    }
    if (!reference?.conversation?.id || !reference.serviceUrl) {
      return { delivered: false, retryable: false, reason: 'no conversation reference' };
    }
    const labels = typeof this.options.labels === 'function' ? this.options.labels(escalation, destination) : (this.options.labels ?? escalationCardLabelsFrCA);
    const card = buildEscalationCard(escalation, { kind: message.kind, destination, sequence: message.sequence, labels });
    // The notification preview shows only the title: the excerpt stays inside the channel card.
    const summary = labels.title[message.kind] + (destination === 'backup' ? labels.backupSuffix : '');
    let sentId: string | undefined;
    try {
      await this.options.adapter.continueConversationAsync(this.options.botAppId, reference, async (context) => {
        const response = await context.sendActivity({
          type: 'message',
          summary,
          attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
        });
        sentId = response?.id;
      });
    } catch (error) {
      return mapTeamsError(error);
    }
    return sentId ? { delivered: true, channelMessageId: sentId } : { delivered: true };
  }

  private async referenceFor(escalation: Escalation, destination: EscalationMessage['destination']): Promise<Partial<ConversationReference> | undefined> {
    if (destination === 'backup') return this.options.backup ?? this.options.primary;
    if (escalation.target.kind === 'clinician' && this.options.clinicianReference) {
      const own = await this.options.clinicianReference(escalation.target.clinicianId);
      if (own) return own;
    }
    return this.options.primary;
  }
}

/** Maps a connector error (RestError-like: statusCode/code) to a delivery result without its message text. */
export function mapTeamsError(error: unknown): DeliveryResult {
  const e = (error ?? {}) as { statusCode?: unknown; status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = [e.statusCode, e.status, e.response?.status].find((s): s is number => typeof s === 'number');
  const code = typeof e.code === 'string' && /^[A-Za-z]{2,64}$/.test(e.code) ? e.code : undefined;
  const reason = ['teams', status !== undefined ? String(status) : errorName(error), code].filter(Boolean).join(' ');
  const permanent = (status !== undefined && PERMANENT_STATUS.has(status)) || (code !== undefined && PERMANENT_CODES.has(code));
  return { delivered: false, retryable: !permanent, reason };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name || 'Error' : typeof error;
}
