/**
 * Where to reach a person between sessions: our own serialisable copy of the Bot Framework
 * ConversationReference (so storage and rules never hold SDK types, and a move to the Microsoft 365
 * Agents SDK changes only toDto/fromDto), stored in collection `people`, partition = personKey,
 * id `conversationReference` — so erasing the person's partition erases it too.
 *
 * Ids only: no display names (personal data the channel sends along), no message text.
 */
import type { ChannelAccount, ConversationAccount, ConversationReference } from 'botbuilder';
import { FALLBACK_LOCALE, normalizeLocale, type Locale } from '../../core/i18n/locale';
import { NotFoundError, PreconditionFailedError, type DocumentStore } from '../../core/ports/documentStore';
import { BoundedMap } from '../storage/boundedMap';

export const PEOPLE_COLLECTION = 'people' as const;
export const REFERENCE_ID = 'conversationReference';

export interface ConversationReferenceDto {
  readonly schemaVersion: 1;
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly conversation: {
    readonly id: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
    readonly isGroup?: boolean;
  };
  readonly user: { readonly id: string };
  readonly bot: { readonly id: string };
  /** The channel's locale, normalised to one we speak (Teams sends fr-CA, TestAdapter en-us). */
  readonly locale: Locale;
  readonly activityId?: string;
  readonly updatedAt: string;
  /** Set when the channel said the conversation is gone (403/404): proactive sends stop until the person writes again. */
  readonly dead?: { readonly at: string; readonly reason: string };
}

export function toDto(ref: Partial<ConversationReference>, now: Date = new Date(), fallbackLocale: Locale = FALLBACK_LOCALE): ConversationReferenceDto {
  const { channelId, serviceUrl, conversation, user, bot } = ref;
  if (!channelId || !serviceUrl || !conversation?.id || !user?.id || !bot?.id) {
    throw new TypeError('a conversation reference needs channelId, serviceUrl, conversation.id, user.id and bot.id');
  }
  return {
    schemaVersion: 1,
    channelId,
    serviceUrl,
    conversation: dropUndefined({
      id: conversation.id,
      tenantId: conversation.tenantId || undefined,
      conversationType: conversation.conversationType || undefined,
      isGroup: typeof conversation.isGroup === 'boolean' ? conversation.isGroup : undefined,
    }),
    user: { id: user.id },
    bot: { id: bot.id },
    locale: normalizeLocale(ref.locale) ?? fallbackLocale,
    ...(ref.activityId ? { activityId: ref.activityId } : {}),
    updatedAt: now.toISOString(),
  };
}

/** Back to the SDK's shape, for continueConversationAsync. Names are absent: we never stored them. */
export function fromDto(dto: ConversationReferenceDto): ConversationReference {
  return {
    channelId: dto.channelId,
    serviceUrl: dto.serviceUrl,
    conversation: { ...dto.conversation } as ConversationAccount,
    user: { id: dto.user.id } as ChannelAccount,
    bot: { id: dto.bot.id } as ChannelAccount,
    locale: dto.locale,
    ...(dto.activityId ? { activityId: dto.activityId } : {}),
  };
}

export function isReferenceDto(value: unknown): value is ConversationReferenceDto {
  const v = value as Partial<ConversationReferenceDto> | null;
  return !!v && typeof v === 'object' && v.schemaVersion === 1 && typeof v.channelId === 'string' && typeof v.serviceUrl === 'string' &&
    typeof v.conversation?.id === 'string' && typeof v.user?.id === 'string' && typeof v.bot?.id === 'string' && typeof v.updatedAt === 'string';
}

export interface ConversationReferenceStoreOptions {
  readonly store: DocumentStore;
  /** A turn re-checks the stored copy at most this often per person and instance. Default 10 min. */
  readonly cacheTtlMs?: number;
  /** Rewrites an unchanged reference once it is this old, so `updatedAt` says "seen lately". Default 24 h. */
  readonly touchAfterMs?: number;
  /** People remembered by the in-process cache. Default 10,000. */
  readonly cacheSize?: number;
}

interface CacheEntry {
  readonly fingerprint: string;
  readonly updatedAtMs: number;
  readonly checkedAtMs: number;
}

export class ConversationReferenceStore {
  private readonly store: DocumentStore;
  private readonly cacheTtlMs: number;
  private readonly touchAfterMs: number;
  private readonly cache: BoundedMap<string, CacheEntry>;

  constructor(options: ConversationReferenceStoreOptions) {
    this.store = options.store;
    this.cacheTtlMs = options.cacheTtlMs ?? 10 * 60_000;
    this.touchAfterMs = options.touchAfterMs ?? 24 * 60 * 60_000;
    this.cache = new BoundedMap(Math.max(1, options.cacheSize ?? 10_000));
  }

  /**
   * Called on every turn. Cheap: no I/O when this instance checked the same reference lately, one
   * read when nothing changed, a write only when something did (serviceUrl, tenant, conversation,
   * locale…), when it was marked dead (the person writing proves it alive), or once a day.
   * A new activityId alone is not a change: proactive messages start a new thread anyway.
   */
  async refresh(personKey: string, ref: Partial<ConversationReference>, now: Date = new Date()): Promise<'written' | 'unchanged'> {
    const dto = toDto(ref, now);
    const fingerprint = fingerprintOf(dto);
    const nowMs = now.getTime();
    const cached = this.cache.get(personKey);
    if (cached && cached.fingerprint === fingerprint && nowMs - cached.checkedAtMs < this.cacheTtlMs && nowMs - cached.updatedAtMs < this.touchAfterMs) {
      return 'unchanged';
    }
    const current = await this.store.get<ConversationReferenceDto>(PEOPLE_COLLECTION, personKey, REFERENCE_ID);
    const stored = current && isReferenceDto(current.body) ? current.body : undefined;
    if (stored && !stored.dead && fingerprintOf(stored) === fingerprint && nowMs - Date.parse(stored.updatedAt) < this.touchAfterMs) {
      this.cache.set(personKey, { fingerprint, updatedAtMs: Date.parse(stored.updatedAt), checkedAtMs: nowMs });
      return 'unchanged';
    }
    // Unconditional: every writer here writes what a live turn just showed; the newest wins.
    await this.store.upsert(PEOPLE_COLLECTION, personKey, REFERENCE_ID, dto);
    this.cache.set(personKey, { fingerprint, updatedAtMs: nowMs, checkedAtMs: nowMs });
    return 'written';
  }

  async get(personKey: string): Promise<ConversationReferenceDto | undefined> {
    const doc = await this.store.get<ConversationReferenceDto>(PEOPLE_COLLECTION, personKey, REFERENCE_ID);
    return doc && isReferenceDto(doc.body) ? doc.body : undefined;
  }

  /**
   * Marks the reference dead (compare-and-swap). With `conversationId`, only if the stored
   * reference still names that conversation: a turn may have refreshed it since the failed send.
   */
  async markDead(personKey: string, reason: string, options: { conversationId?: string; now?: Date } = {}): Promise<boolean> {
    const at = (options.now ?? new Date()).toISOString();
    const code = reason.replace(/[^A-Za-z0-9_:.-]/g, '').slice(0, 60) || 'unknown';
    this.cache.delete(personKey);
    for (let round = 0; round < 5; round++) {
      const doc = await this.store.get<ConversationReferenceDto>(PEOPLE_COLLECTION, personKey, REFERENCE_ID);
      if (!doc || !isReferenceDto(doc.body)) return false;
      if (options.conversationId !== undefined && doc.body.conversation.id !== options.conversationId) return false;
      if (doc.body.dead) return true;
      try {
        await this.store.replace(PEOPLE_COLLECTION, personKey, REFERENCE_ID, { ...doc.body, dead: { at, reason: code } }, doc.etag);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
    return false;
  }

  async delete(personKey: string): Promise<boolean> {
    this.cache.delete(personKey);
    return this.store.delete(PEOPLE_COLLECTION, personKey, REFERENCE_ID);
  }
}

/** What makes two references different for sending: everything but the time, the last activity and the dead mark. */
function fingerprintOf(dto: ConversationReferenceDto): string {
  const { channelId, serviceUrl, conversation, user, bot, locale } = dto;
  return JSON.stringify([channelId, serviceUrl, conversation.id, conversation.tenantId ?? null, conversation.conversationType ?? null, conversation.isGroup ?? null, user.id, bot.id, locale]);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
