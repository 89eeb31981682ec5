/**
 * Sends messages to a person outside a turn (check-in reminders, measures, crisis follow-ups)
 * through the stored conversation reference and the adapter's continueConversationAsync.
 *
 * - No reference → 'no_reference'; a reference marked dead → 'dead', without calling the channel.
 * - The channel answers 403 (Teams: BotNotInConversationRoster — the app was removed or the
 *   person blocked it) or 404 (conversation gone): the reference is marked dead and 'dead' is
 *   returned; retrying cannot help until the person writes again (which revives the reference).
 * - Any other failure throws ProactiveSendError (`retryable` false only for 400/413, a message the
 *   channel refuses as such); the scheduler's retry and backoff handle the rest.
 *
 * Timing (time zone, quiet hours, pause) is the scheduler's business: this only delivers.
 */
import type { Activity, ConversationReference, ResourceResponse } from 'botbuilder';
import type { Locale } from '../../core/i18n/locale';
import type { Logger } from '../../bot/observability/logger';
import { fromDto, type ConversationReferenceStore } from './conversationReference';

/** What a proactive turn needs of its TurnContext. */
export interface ProactiveSendContext {
  sendActivities(activities: Partial<Activity>[]): Promise<ResourceResponse[]>;
}

/** The part of CloudAdapter this uses (its first overload); fakes and other adapters can serve. */
export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: ProactiveSendContext) => Promise<void>,
  ): Promise<void>;
}

export type ProactiveResult = 'sent' | 'no_reference' | 'dead';

/** Status and code only: a channel's error message can echo what was sent. */
export class ProactiveSendError extends Error {
  constructor(
    readonly retryable: boolean,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(`proactive send failed (${[status ?? 'no status', code].filter(Boolean).join(' ')})`);
    this.name = 'ProactiveSendError';
  }
}

export interface ProactiveMessengerOptions {
  readonly adapter: ProactiveAdapter;
  /** The real app id (Teams refuses proactive sends under another identity); '' in local mode. */
  readonly botAppId: string;
  readonly references: ConversationReferenceStore;
  readonly logger?: Logger;
  readonly clock?: () => Date;
}

const DEAD_STATUS = new Set([403, 404]);
const DEAD_CODES = new Set(['BotNotInConversationRoster', 'ConversationNotFound', 'ConversationBlockedByUser', 'BotDisabledByAdmin']);
const REFUSED_STATUS = new Set([400, 413]);

export class ProactiveMessenger {
  constructor(private readonly options: ProactiveMessengerOptions) {}

  /** `build` gets the reference's locale; a caller with the person's saved language may ignore it. */
  async send(personKey: string, build: (locale: Locale) => Partial<Activity>[]): Promise<ProactiveResult> {
    const { adapter, botAppId, references, logger } = this.options;
    const dto = await references.get(personKey);
    if (!dto) return 'no_reference';
    if (dto.dead) return 'dead';
    const activities = build(dto.locale);
    if (activities.length === 0) throw new TypeError('nothing to send');
    try {
      await adapter.continueConversationAsync(botAppId, fromDto(dto), async (context) => {
        await context.sendActivities(activities);
      });
    } catch (error) {
      const { status, code } = errorFacts(error);
      if ((status !== undefined && DEAD_STATUS.has(status)) || (code !== undefined && DEAD_CODES.has(code))) {
        const reason = code ?? `http_${status}`;
        await references.markDead(personKey, reason, { conversationId: dto.conversation.id, now: this.options.clock?.() });
        logger?.warn('proactive_reference_dead', { channel: dto.channelId, status, code });
        return 'dead';
      }
      logger?.warn('proactive_send_failed', { channel: dto.channelId, status, code });
      throw new ProactiveSendError(!(status !== undefined && REFUSED_STATUS.has(status)), status, code);
    }
    logger?.debug('proactive_sent', { channel: dto.channelId, activities: activities.length });
    return 'sent';
  }
}

/** RestError-like: statusCode (botframework-connector), status or response.status; code if it is a plain word. */
function errorFacts(error: unknown): { status?: number; code?: string } {
  const e = (error ?? {}) as { statusCode?: unknown; status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = [e.statusCode, e.status, e.response?.status].find((s): s is number => typeof s === 'number');
  const code = typeof e.code === 'string' && /^[A-Za-z_]{2,64}$/.test(e.code) ? e.code : undefined;
  return { status, code };
}
