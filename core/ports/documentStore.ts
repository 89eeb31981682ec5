/**
 * The storage port. Everything durable (bot state, people's data, the escalation outbox, due jobs)
 * goes through it, so the file store and the Cosmos store are interchangeable and pass one
 * contract test suite (test/storage/contract.ts).
 *
 * Documents live in a few named collections and are grouped by partition key (one person, one
 * conversation, one job bucket): a person's data can be exported or erased partition by partition.
 * Every write is optimistic: `replace` and `delete` take the ETag read earlier and fail with
 * `PreconditionFailedError` when someone else wrote in between, never silently overwriting.
 *
 * Ids and partition keys are non-empty strings of any characters ('/', '?', '#', '..', unicode, a few
 * hundred characters): each store encodes them for its medium and gives them back unchanged.
 * Bodies are JSON values: they come back as JSON would give them (no undefined, no Date objects).
 * Listing and query results come in no particular order.
 */

export const COLLECTIONS = ['state', 'people', 'outbox', 'jobs'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export interface StoredDocument<T> {
  readonly id: string;
  readonly partitionKey: string;
  /** Opaque version tag; never parse it (Cosmos and the file store make them differently). */
  readonly etag: string;
  readonly body: T;
}

/** A query over one collection, across partitions; kept small on purpose so both stores can serve it. */
export interface DocumentQuery {
  /** Only documents whose body has this top-level field ≤ the given value (ISO dates compare as strings). */
  readonly fieldAtMost?: { readonly field: string; readonly value: string | number };
  /** Only documents whose body has this top-level field equal to the given value. */
  readonly fieldEquals?: { readonly field: string; readonly value: string | number | boolean | null };
  readonly limit?: number;
}

export interface DocumentStore {
  /** Creates the database, containers or folders when missing. Idempotent. */
  init(): Promise<void>;
  get<T>(collection: CollectionName, partitionKey: string, id: string): Promise<StoredDocument<T> | undefined>;
  /** Fails with `ConflictError` when the document already exists. */
  create<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>>;
  /** Fails with `PreconditionFailedError` when `etag` is stale, `NotFoundError` when the document is gone. */
  replace<T>(collection: CollectionName, partitionKey: string, id: string, body: T, etag: string): Promise<StoredDocument<T>>;
  /** Unconditional write, for data with a single writer. */
  upsert<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>>;
  /** With `etag`, fails with `PreconditionFailedError` when stale. Returns false when there was nothing to delete. */
  delete(collection: CollectionName, partitionKey: string, id: string, etag?: string): Promise<boolean>;
  listPartition<T>(collection: CollectionName, partitionKey: string): Promise<StoredDocument<T>[]>;
  /** Deletes every document of the partition; returns how many were deleted. */
  deletePartition(collection: CollectionName, partitionKey: string): Promise<number>;
  query<T>(collection: CollectionName, query: DocumentQuery): Promise<StoredDocument<T>[]>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
export class ConflictError extends StorageError {}
export class PreconditionFailedError extends StorageError {}
export class NotFoundError extends StorageError {}
/** The store could not be reached or answered with a fault; the caller may retry later. */
export class StorageUnavailableError extends StorageError {}
