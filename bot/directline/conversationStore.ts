import { randomBytes } from 'node:crypto';

/**
 * The local Direct Line's memory: conversations and their activity queues, all bounded.
 * - at most `maxConversations` (the least recently used one is dropped to make room);
 * - per conversation at most `maxActivities` activities and `maxBytes` of them (oldest dropped);
 * - a conversation nobody has touched for `idleMs` is dropped by `sweep()`.
 * Watermarks are per conversation and only ever increase, so a client that polls with the last
 * watermark it saw gets each activity once, even after old ones were dropped.
 */
export interface ConversationLimits {
  readonly maxConversations: number;
  readonly maxActivities: number;
  readonly maxBytes: number;
  readonly idleMs: number;
}

export const DEFAULT_LIMITS: ConversationLimits = {
  maxConversations: 500,
  maxActivities: 200,
  maxBytes: 1_000_000,
  idleMs: 30 * 60_000,
};

export type StoredActivity = Record<string, unknown> & { id: string; timestamp: string };

interface QueuedActivity {
  readonly watermark: number;
  readonly bytes: number;
  readonly activity: StoredActivity;
}

export class LocalConversation {
  started = false;
  lastSeenAt: number;
  /** Turns of one conversation run one after the other, in the order they arrived. */
  turns: Promise<void> = Promise.resolve();
  private readonly queue: QueuedActivity[] = [];
  private lastWatermark = 0;
  private bytes = 0;
  private lastTimestamp = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
    public locale: string | undefined,
    private readonly limits: ConversationLimits,
    private readonly now: () => number,
  ) {
    this.lastSeenAt = now();
  }

  /** Stores an activity with a fresh id, a strictly increasing timestamp and the next watermark. */
  append(activity: Record<string, unknown>): StoredActivity {
    const watermark = this.lastWatermark + 1;
    this.lastWatermark = watermark;
    const at = Math.max(this.now(), this.lastTimestamp + 1);
    this.lastTimestamp = at;
    const stored: StoredActivity = { ...activity, id: `${this.id}|${String(watermark).padStart(7, '0')}`, timestamp: new Date(at).toISOString() };
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    this.queue.push({ watermark, bytes, activity: stored });
    this.bytes += bytes;
    while (this.queue.length > 1 && (this.queue.length > this.limits.maxActivities || this.bytes > this.limits.maxBytes)) {
      const dropped = this.queue.shift() as QueuedActivity;
      this.bytes -= dropped.bytes;
    }
    return stored;
  }

  /** Activities after `watermark` (all kept ones when undefined) and the watermark to poll with next. */
  since(watermark: number | undefined): { activities: StoredActivity[]; watermark: string } {
    const after = watermark ?? 0;
    return { activities: this.queue.filter((item) => item.watermark > after).map((item) => item.activity), watermark: String(this.lastWatermark) };
  }

  get size(): { activities: number; bytes: number } {
    return { activities: this.queue.length, bytes: this.bytes };
  }
}

export class ConversationStore {
  private readonly conversations = new Map<string, LocalConversation>();

  constructor(
    readonly limits: ConversationLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: string, locale: string | undefined): LocalConversation {
    while (this.conversations.size >= this.limits.maxConversations) {
      const oldest = this.conversations.keys().next().value as string;
      this.conversations.delete(oldest);
    }
    const conversation = new LocalConversation(randomBytes(18).toString('base64url'), userId, locale, this.limits, this.now);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The conversation, marked as just used (which keeps it from the idle sweep and the cap). */
  touch(id: string): LocalConversation | undefined {
    const conversation = this.conversations.get(id);
    if (!conversation) return undefined;
    conversation.lastSeenAt = this.now();
    this.conversations.delete(id);
    this.conversations.set(id, conversation);
    return conversation;
  }

  /** Without marking it used: the bot posting a proactive message does not keep a conversation alive. */
  peek(id: string): LocalConversation | undefined {
    return this.conversations.get(id);
  }

  /** Drops conversations idle for longer than the limit; returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.limits.idleMs;
    let dropped = 0;
    // Map order is least recently used first: stop at the first one still in use.
    for (const [id, conversation] of this.conversations) {
      if (conversation.lastSeenAt > cutoff) break;
      this.conversations.delete(id);
      dropped += 1;
    }
    return dropped;
  }

  get count(): number {
    return this.conversations.size;
  }
}
