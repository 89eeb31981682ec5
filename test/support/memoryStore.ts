/**
 * An in-memory DocumentStore for tests of the layers above storage. It honours the port's rules
 * (create → ConflictError, replace/delete with a stale ETag → PreconditionFailedError, missing →
 * NotFoundError, query on own top-level fields with same-type comparison) and adds test controls:
 * - `unavailable`: every call fails with StorageUnavailableError;
 * - `pause()` / `resume()`: calls wait (a slow or hung store) and complete later, when resumed;
 * - `yieldEveryCall`: each call awaits a macrotask first, so concurrent callers interleave.
 * Bodies are deep-copied in and out, as a real store serialises them.
 */
import { randomUUID } from 'node:crypto';
import {
  COLLECTIONS,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageUnavailableError,
  type CollectionName,
  type DocumentQuery,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';

interface Entry {
  etag: string;
  json: string;
}

export class MemoryDocumentStore implements DocumentStore {
  unavailable = false;
  yieldEveryCall = true;
  readonly calls: Record<string, number> = {};
  private readonly data = new Map<string, Entry>();
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  pause(): void {
    if (this.gate) return;
    this.gate = new Promise<void>((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    const open = this.openGate;
    this.gate = undefined;
    this.openGate = undefined;
    open?.();
  }

  /** Number of documents in a collection (all partitions). */
  count(collection: CollectionName): number {
    return [...this.data.keys()].filter((k) => k.startsWith(`${collection}\u0000`)).length;
  }

  async init(): Promise<void> {
    await this.enter('init');
  }

  async get<T>(collection: CollectionName, partitionKey: string, id: string): Promise<StoredDocument<T> | undefined> {
    await this.enter('get');
    const entry = this.data.get(key(collection, partitionKey, id));
    return entry ? doc<T>(partitionKey, id, entry) : undefined;
  }

  async create<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    await this.enter('create');
    const k = key(collection, partitionKey, id);
    if (this.data.has(k)) throw new ConflictError('Document already exists');
    return this.write<T>(k, partitionKey, id, body);
  }

  async replace<T>(collection: CollectionName, partitionKey: string, id: string, body: T, etag: string): Promise<StoredDocument<T>> {
    await this.enter('replace');
    const k = key(collection, partitionKey, id);
    const entry = this.data.get(k);
    if (!entry) throw new NotFoundError('Document not found');
    if (entry.etag !== etag) throw new PreconditionFailedError('Document changed since it was read');
    return this.write<T>(k, partitionKey, id, body);
  }

  async upsert<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    await this.enter('upsert');
    return this.write<T>(key(collection, partitionKey, id), partitionKey, id, body);
  }

  async delete(collection: CollectionName, partitionKey: string, id: string, etag?: string): Promise<boolean> {
    await this.enter('delete');
    const k = key(collection, partitionKey, id);
    const entry = this.data.get(k);
    if (!entry) return false;
    if (etag !== undefined && entry.etag !== etag) throw new PreconditionFailedError('Document changed since it was read');
    return this.data.delete(k);
  }

  async listPartition<T>(collection: CollectionName, partitionKey: string): Promise<StoredDocument<T>[]> {
    await this.enter('listPartition');
    const prefix = `${collection}\u0000${partitionKey}\u0000`;
    return [...this.data.entries()].filter(([k]) => k.startsWith(prefix)).map(([k, e]) => doc<T>(partitionKey, k.slice(prefix.length), e));
  }

  async deletePartition(collection: CollectionName, partitionKey: string): Promise<number> {
    await this.enter('deletePartition');
    const prefix = `${collection}\u0000${partitionKey}\u0000`;
    let n = 0;
    for (const k of [...this.data.keys()]) if (k.startsWith(prefix) && this.data.delete(k)) n++;
    return n;
  }

  async query<T>(collection: CollectionName, query: DocumentQuery): Promise<StoredDocument<T>[]> {
    await this.enter('query');
    const out: StoredDocument<T>[] = [];
    for (const [k, entry] of this.data.entries()) {
      const [c, partitionKey, id] = k.split('\u0000');
      if (c !== collection) continue;
      const found = doc<T>(partitionKey, id, entry);
      if (!matches(found.body, query)) continue;
      out.push(found);
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  async close(): Promise<void> {
    this.resume();
  }

  private async enter(op: string): Promise<void> {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    if (this.yieldEveryCall) await new Promise((resolve) => setImmediate(resolve));
    while (this.gate) await this.gate;
    if (this.unavailable) throw new StorageUnavailableError(`store unavailable (${op})`);
  }

  private write<T>(k: string, partitionKey: string, id: string, body: T): StoredDocument<T> {
    if (body === undefined) throw new TypeError('body must be a JSON value');
    const entry = { etag: randomUUID(), json: JSON.stringify(body) };
    this.data.set(k, entry);
    return doc<T>(partitionKey, id, entry);
  }
}

function key(collection: CollectionName, partitionKey: string, id: string): string {
  if (!(COLLECTIONS as readonly string[]).includes(collection)) throw new TypeError(`Unknown collection "${collection}"`);
  if (!partitionKey || !id) throw new TypeError('partitionKey and id must be non-empty strings');
  return `${collection}\u0000${partitionKey}\u0000${id}`;
}

function doc<T>(partitionKey: string, id: string, entry: Entry): StoredDocument<T> {
  return { id, partitionKey, etag: entry.etag, body: JSON.parse(entry.json) as T };
}

/** Cosmos semantics: a missing field matches nothing; `<=` compares values of the same type only. */
function matches(body: unknown, query: DocumentQuery): boolean {
  const field = (name: string): unknown =>
    body !== null && typeof body === 'object' && !Array.isArray(body) && Object.prototype.hasOwnProperty.call(body, name)
      ? (body as Record<string, unknown>)[name]
      : undefined;
  if (query.fieldAtMost) {
    const actual = field(query.fieldAtMost.field);
    if (actual === undefined || typeof actual !== typeof query.fieldAtMost.value) return false;
    if (!((actual as string | number) <= query.fieldAtMost.value)) return false;
  }
  if (query.fieldEquals) {
    const actual = field(query.fieldEquals.field);
    if (actual === undefined || actual !== query.fieldEquals.value) return false;
  }
  return true;
}
