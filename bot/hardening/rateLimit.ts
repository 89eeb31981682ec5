/**
 * Rate limits for POST /api/messages: per conversation and per client address, token buckets in
 * bounded memory (see tokenBucket.ts). Over a limit the request is answered 429 with Retry-After.
 *
 * The crisis path is never starved by the limiter: an urgent message (the risk screen says crisis
 * or concern, or the word "urgence") that meets an empty bucket draws on a separate, smaller
 * reserve instead (default 10 per minute per conversation, 60 per minute per address). A person
 * typing never comes near 30 messages in 10 s; the reserve exists for people who share an address
 * (a clinic, a shelter, a mobile carrier's NAT) while someone else floods it, and for a person
 * who keeps writing in distress after a burst of messages. It is bounded so that a flood of
 * crisis-looking messages cannot bypass the limiter (nor flood the clinicians with alerts).
 *
 * Which requests count against the address: requests without an Authorization header always
 * (local mode; garbage in authenticated mode), requests with one only when they are refused with
 * 401/403. Behind Azure Bot Service every authentic request comes from the connector's few
 * addresses: counting them would throttle everybody at once, while forged tokens still are.
 */
import { TokenBuckets, type BucketLimit } from './tokenBucket';

export interface RateLimitOptions {
  /** Per conversation (channel + conversation id); null turns it off. Default 30 per 10 s. */
  readonly perConversation?: BucketLimit | null;
  /** Per client address; null turns it off. Default 120 per 10 s. */
  readonly perIp?: BucketLimit | null;
  /** Extra tokens for urgent messages over a limit; null: urgent messages get no special treatment. */
  readonly urgentReserve?: { readonly perConversation: BucketLimit; readonly perIp: BucketLimit } | null;
  /** Most buckets kept per map. Default 10,000. */
  readonly maxKeys?: number;
}

export const DEFAULT_RATE_LIMITS = {
  perConversation: { limit: 30, windowMs: 10_000 },
  perIp: { limit: 120, windowMs: 10_000 },
  urgentReserve: { perConversation: { limit: 10, windowMs: 60_000 }, perIp: { limit: 60, windowMs: 60_000 } },
  maxKeys: 10_000,
} as const satisfies Required<RateLimitOptions>;

export type RateScope = 'conversation' | 'ip';

export type RateDecision =
  | { readonly ok: true; readonly urgentReserveUsed: boolean }
  | { readonly ok: false; readonly scope: RateScope; readonly retryAfterMs: number };

export interface RateCheck {
  readonly ip: string;
  /** Absent when the body names no conversation (it will be refused with 400 anyway). */
  readonly conversationKey?: string;
  /** Whether the IP bucket is charged now (true) or only if the request is refused later (false). */
  readonly chargeIpNow: boolean;
  /** Evaluated only when a bucket is empty. */
  readonly urgent: () => boolean;
}

interface Maps {
  conversation?: TokenBuckets;
  ip?: TokenBuckets;
  urgentConversation?: TokenBuckets;
  urgentIp?: TokenBuckets;
}

export class MessageRateLimiter {
  private maps: Maps = {};
  private settings: Required<RateLimitOptions> = { ...DEFAULT_RATE_LIMITS };
  /** Counters since start, for logs and tests. */
  readonly counts = { allowed: 0, limitedConversation: 0, limitedIp: 0, urgentReserveUsed: 0 };

  constructor(
    options: RateLimitOptions = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.update(options);
  }

  get options(): Required<RateLimitOptions> {
    return this.settings;
  }

  /** Replaces the limits (buckets start afresh). Fields left out keep their defaults. */
  update(options: RateLimitOptions): void {
    this.settings = {
      perConversation: options.perConversation === undefined ? DEFAULT_RATE_LIMITS.perConversation : options.perConversation,
      perIp: options.perIp === undefined ? DEFAULT_RATE_LIMITS.perIp : options.perIp,
      urgentReserve: options.urgentReserve === undefined ? DEFAULT_RATE_LIMITS.urgentReserve : options.urgentReserve,
      maxKeys: options.maxKeys ?? DEFAULT_RATE_LIMITS.maxKeys,
    };
    const { perConversation, perIp, urgentReserve, maxKeys } = this.settings;
    this.maps = {
      conversation: perConversation ? new TokenBuckets(perConversation, maxKeys) : undefined,
      ip: perIp ? new TokenBuckets(perIp, maxKeys) : undefined,
      urgentConversation: urgentReserve ? new TokenBuckets(urgentReserve.perConversation, maxKeys) : undefined,
      urgentIp: urgentReserve ? new TokenBuckets(urgentReserve.perIp, maxKeys) : undefined,
    };
  }

  check(request: RateCheck): RateDecision {
    const now = this.clock();
    let urgent: boolean | undefined;
    const isUrgent = () => (urgent ??= safeUrgent(request.urgent));
    let reserveUsed = false;

    const { ip, conversation, urgentIp, urgentConversation } = this.maps;
    if (ip) {
      const taken = request.chargeIpNow ? ip.take(request.ip, now) : ip.probe(request.ip, now);
      if (!taken.ok) {
        if (!(urgentIp && isUrgent() && urgentIp.take(request.ip, now).ok)) {
          this.counts.limitedIp += 1;
          return { ok: false, scope: 'ip', retryAfterMs: taken.retryAfterMs };
        }
        reserveUsed = true;
      }
    }
    if (conversation && request.conversationKey !== undefined) {
      const taken = conversation.take(request.conversationKey, now);
      if (!taken.ok) {
        if (!(urgentConversation && isUrgent() && urgentConversation.take(request.conversationKey, now).ok)) {
          this.counts.limitedConversation += 1;
          return { ok: false, scope: 'conversation', retryAfterMs: taken.retryAfterMs };
        }
        reserveUsed = true;
      }
    }
    this.counts.allowed += 1;
    if (reserveUsed) this.counts.urgentReserveUsed += 1;
    return { ok: true, urgentReserveUsed: reserveUsed };
  }

  /** A request that was not charged up front was refused (401/403): it counts against its address now. */
  chargeRefused(ip: string): void {
    this.maps.ip?.take(ip, this.clock());
  }

  /** Buckets currently held (memory bound checks). */
  get bucketCount(): number {
    const { conversation, ip, urgentConversation, urgentIp } = this.maps;
    return (conversation?.size ?? 0) + (ip?.size ?? 0) + (urgentConversation?.size ?? 0) + (urgentIp?.size ?? 0);
  }
}

/** The urgency check is the safety screen: if it ever threw, treat the message as urgent. */
function safeUrgent(urgent: () => boolean): boolean {
  try {
    return urgent();
  } catch {
    return true;
  }
}
