/**
 * A Map that forgets its oldest entries beyond `limit` (0 keeps nothing): the in-process caches
 * (file store texts, conversation references, safety contexts) stay bounded however many people
 * write. A `set` moves the key to the newest end; a `get` does not.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.limit <= 0) return;
    this.map.delete(key); // re-inserted last: the Map's order is the eviction order
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
