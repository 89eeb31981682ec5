/**
 * A DocumentStore decorator that makes a race deterministic: once armed, the next `parties` reads
 * of matching documents wait for one another, so every racing turn has loaded the same version
 * before any of them writes. Everything else passes straight through to the inner store.
 */
import type { CollectionName, DocumentQuery, DocumentStore, StoredDocument } from '../../../core/ports/documentStore';

export class ReadBarrier {
  private armed?: { match: (collection: CollectionName, id: string) => boolean; parties: number; arrived: number; open: Promise<void>; release: () => void };

  /** The next `parties` reads matching `match` wait for each other (at most `timeoutMs`). */
  arm(match: (collection: CollectionName, id: string) => boolean, parties: number, timeoutMs = 5_000): void {
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => release(), timeoutMs);
    timer.unref();
    this.armed = { match, parties, arrived: 0, open, release };
  }

  async pass(collection: CollectionName, id: string): Promise<void> {
    const armed = this.armed;
    if (!armed || !armed.match(collection, id)) return;
    armed.arrived += 1;
    if (armed.arrived >= armed.parties) {
      this.armed = undefined;
      armed.release();
    }
    await armed.open;
  }
}

export class BarrierStore implements DocumentStore {
  constructor(
    private readonly inner: DocumentStore,
    private readonly barrier: ReadBarrier,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  async get<T>(collection: CollectionName, partitionKey: string, id: string): Promise<StoredDocument<T> | undefined> {
    await this.barrier.pass(collection, id);
    return this.inner.get<T>(collection, partitionKey, id);
  }
  create<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    return this.inner.create(collection, partitionKey, id, body);
  }
  replace<T>(collection: CollectionName, partitionKey: string, id: string, body: T, etag: string): Promise<StoredDocument<T>> {
    return this.inner.replace(collection, partitionKey, id, body, etag);
  }
  upsert<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    return this.inner.upsert(collection, partitionKey, id, body);
  }
  delete(collection: CollectionName, partitionKey: string, id: string, etag?: string): Promise<boolean> {
    return this.inner.delete(collection, partitionKey, id, etag);
  }
  listPartition<T>(collection: CollectionName, partitionKey: string): Promise<StoredDocument<T>[]> {
    return this.inner.listPartition(collection, partitionKey);
  }
  deletePartition(collection: CollectionName, partitionKey: string): Promise<number> {
    return this.inner.deletePartition(collection, partitionKey);
  }
  query<T>(collection: CollectionName, query: DocumentQuery): Promise<StoredDocument<T>[]> {
    return this.inner.query(collection, query);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
