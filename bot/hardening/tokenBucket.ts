/**
 * Token buckets in a bounded in-memory map.
 *
 * A bucket holds up to `limit` tokens and refills continuously at `limit` per `windowMs`; a
 * request takes one token or is refused with the time until the next token. A bucket that has
 * refilled completely is equivalent to no bucket at all, so the map drops such buckets first when
 * it is full, then the least recently used ones: memory stays bounded (`maxKeys`) whatever the
 * number of distinct conversations or addresses, and an active sender (recently used, not full)
 * is the last to be forgotten — churning the map with new keys does not reset a busy bucket.
 */

export interface BucketLimit {
  /** Tokens per window (also the burst size). */
  readonly limit: number;
  readonly windowMs: number;
}

export type TakeResult = { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly retryAfterMs: number };

const EVICTION_SCAN = 32;

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly maxKeys: number;

  constructor(
    readonly limit: BucketLimit,
    maxKeys = 10_000,
  ) {
    if (!(limit.limit > 0) || !(limit.windowMs > 0)) throw new RangeError('a bucket needs a positive limit and window');
    this.ratePerMs = limit.limit / limit.windowMs;
    this.maxKeys = Math.max(1, maxKeys);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token from `key`'s bucket, if it has one. */
  take(key: string, now: number): TakeResult {
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.ratePerMs) };
  }

  /** Whether `key` has a token, without taking it (nor creating a bucket). */
  probe(key: string, now: number): TakeResult {
    const bucket = this.buckets.get(key);
    if (!bucket) return { ok: true, remaining: this.limit.limit };
    const tokens = Math.min(this.limit.limit, bucket.tokens + Math.max(0, now - bucket.at) * this.ratePerMs);
    return tokens >= 1 ? { ok: true, remaining: Math.floor(tokens) } : { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.ratePerMs) };
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.limit.limit, bucket.tokens + Math.max(0, now - bucket.at) * this.ratePerMs);
      bucket.at = now;
      // Most recently used last: Map keeps insertion order.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket = { tokens: this.limit.limit, at: now };
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict(now, key);
    return bucket;
  }

  /**
   * Never evicts `keep`, the bucket being created (it would escape its limit). Looks at a few of
   * the oldest buckets only, so a full map costs O(1) per new key even under a flood of new keys.
   */
  private evict(now: number, keep: string): void {
    let scanned = 0;
    // First refilled buckets among the oldest (forgetting them changes nothing)…
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys || scanned++ >= EVICTION_SCAN) break;
      if (key !== keep && bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.limit.limit) this.buckets.delete(key);
    }
    // …else the least recently used.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      if (key !== keep) this.buckets.delete(key);
    }
  }
}
