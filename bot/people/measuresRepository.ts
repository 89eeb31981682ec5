/**
 * Where a person's measures are kept (questionnaire results, the questionnaire in progress,
 * check-ins, satisfaction): one document in collection `people`, partition = the person's key,
 * id `measures` — so erasing the person's partition erases it too.
 *
 * Every change goes through `update(personKey, change)`: read with the ETag, apply the pure change
 * (core/measures), write conditionally; on a concurrent write, read again and re-apply the SAME
 * change (as bot/people/planRepository does). Documents stay bounded: core/measures caps every list.
 */
import { ConflictError, NotFoundError, PreconditionFailedError, StorageError, type DocumentStore } from '../../core/ports/documentStore';
import { emptyRecord, normalizeRecord, type MeasuresRecord } from '../../core/measures/record';

export const MEASURES_COLLECTION = 'people' as const;
export const MEASURES_DOCUMENT_ID = 'measures';

export interface Stored<T> {
  readonly value: T;
  readonly etag: string;
}

export class DocumentConflictError extends StorageError {}

/**
 * Read-change-write with an ETag, retried on a concurrent write. `change` must be pure (it may run
 * more than once) and return the same object when nothing changes (then nothing is written).
 */
export async function updateDocument<T>(options: {
  readonly store: DocumentStore;
  readonly partition: string;
  readonly id: string;
  readonly read: (raw: unknown) => T;
  readonly empty: () => T;
  readonly change: (current: T) => T;
  readonly maxAttempts: number;
}): Promise<Stored<T> | undefined> {
  const { store, partition, id } = options;
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const found = await store.get<unknown>(MEASURES_COLLECTION, partition, id);
    const current = found ? options.read(found.body) : options.empty();
    const next = options.change(current);
    if (next === current) return found ? { value: current, etag: found.etag } : undefined;
    try {
      const written = found
        ? await store.replace<T>(MEASURES_COLLECTION, partition, id, next, found.etag)
        : await store.create<T>(MEASURES_COLLECTION, partition, id, next);
      return { value: next, etag: written.etag };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      lastError = error;
    }
    if (attempt < options.maxAttempts) await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * Math.random()));
  }
  throw new DocumentConflictError(`${id} still contended after ${options.maxAttempts} attempts`, { cause: lastError });
}

export function checkKey(personKey: string): string {
  if (typeof personKey !== 'string' || personKey === '') throw new TypeError('personKey must be a non-empty string');
  return personKey;
}

export interface MeasuresRepository {
  load(personKey: string): Promise<MeasuresRecord | undefined>;
  /** Applies a pure change to the stored record (an empty one when there is none); returns what is stored now. */
  update(personKey: string, change: (record: MeasuresRecord) => MeasuresRecord): Promise<MeasuresRecord | undefined>;
  delete(personKey: string): Promise<boolean>;
}

export class DocumentMeasuresRepository implements MeasuresRepository {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: DocumentStore,
    options: { readonly clock?: () => Date; readonly maxAttempts?: number } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  }

  async load(personKey: string): Promise<MeasuresRecord | undefined> {
    const found = await this.store.get<unknown>(MEASURES_COLLECTION, checkKey(personKey), MEASURES_DOCUMENT_ID);
    return found ? normalizeRecord(found.body, this.clock()) : undefined;
  }

  async update(personKey: string, change: (record: MeasuresRecord) => MeasuresRecord): Promise<MeasuresRecord | undefined> {
    const stored = await updateDocument<MeasuresRecord>({
      store: this.store,
      partition: checkKey(personKey),
      id: MEASURES_DOCUMENT_ID,
      read: (raw) => normalizeRecord(raw, this.clock()),
      empty: () => emptyRecord(this.clock()),
      change,
      maxAttempts: this.maxAttempts,
    });
    return stored?.value;
  }

  async delete(personKey: string): Promise<boolean> {
    return this.store.delete(MEASURES_COLLECTION, checkKey(personKey), MEASURES_DOCUMENT_ID);
  }
}
