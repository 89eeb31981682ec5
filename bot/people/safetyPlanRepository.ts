/**
 * Where a person's safety plan is kept: one document in collection `people`, partition = the
 * person's key (given by the caller), id `safetyPlan`.
 *
 * Writes are optimistic. `save` replaces the document with the ETag the caller read; when someone
 * else wrote in between (another device, another instance), it re-reads the stored plan, merges
 * (core/safetyPlan mergeSafetyPlans: both sides' additions stay, either side's removals stick) and
 * tries again. A concurrent creation is a union. No item anyone added is ever silently dropped.
 */
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import { mergeSafetyPlans, normalizeSafetyPlan, type SafetyPlan } from '../../core/safetyPlan/safetyPlan';
import type { SafetyPlanRepository, StoredSafetyPlan } from '../../core/ports/safetyPlanRepository';

export type { SafetyPlanRepository, StoredSafetyPlan } from '../../core/ports/safetyPlanRepository';

export const SAFETY_PLAN_COLLECTION = 'people' as const;
export const SAFETY_PLAN_DOCUMENT_ID = 'safetyPlan';

export interface DocumentSafetyPlanRepositoryOptions {
  /** Write attempts before giving up under constant contention. Default 5. */
  readonly maxAttempts?: number;
  readonly clock?: () => Date;
}

export class SafetyPlanConflictError extends StorageError {}

export class DocumentSafetyPlanRepository implements SafetyPlanRepository {
  private readonly maxAttempts: number;
  private readonly clock: () => Date;

  constructor(
    private readonly store: DocumentStore,
    options: DocumentSafetyPlanRepositoryOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.clock = options.clock ?? (() => new Date());
  }

  async load(personKey: string): Promise<StoredSafetyPlan | undefined> {
    const found = await this.store.get<unknown>(SAFETY_PLAN_COLLECTION, checkKey(personKey), SAFETY_PLAN_DOCUMENT_ID);
    return found ? fromDocument(found) : undefined;
  }

  async save(personKey: string, plan: SafetyPlan, base?: StoredSafetyPlan): Promise<StoredSafetyPlan> {
    const partition = checkKey(personKey);
    let next = plan;
    // What the store holds as far as we know: undefined means "we believe there is no document".
    let expected: StoredSafetyPlan | undefined = base;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const written = expected
          ? await this.store.replace<SafetyPlan>(SAFETY_PLAN_COLLECTION, partition, SAFETY_PLAN_DOCUMENT_ID, next, expected.etag)
          : await this.store.create<SafetyPlan>(SAFETY_PLAN_COLLECTION, partition, SAFETY_PLAN_DOCUMENT_ID, next);
        return { plan: next, etag: written.etag };
      } catch (error) {
        if (!(error instanceof PreconditionFailedError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
      }
      // Someone else wrote (or erased) in between: start again from what is stored now.
      // An erased plan counts as "they removed everything": only what we added since `base` remains.
      const current = await this.load(partition);
      next = mergeSafetyPlans(base?.plan, plan, current?.plan, this.clock());
      expected = current;
    }
    throw new SafetyPlanConflictError(`safety plan still contended after ${this.maxAttempts} attempts`);
  }

  async delete(personKey: string): Promise<boolean> {
    return this.store.delete(SAFETY_PLAN_COLLECTION, checkKey(personKey), SAFETY_PLAN_DOCUMENT_ID);
  }
}

function fromDocument(document: StoredDocument<unknown>): StoredSafetyPlan {
  return { plan: normalizeSafetyPlan(document.body), etag: document.etag };
}

function checkKey(personKey: string): string {
  if (typeof personKey !== 'string' || personKey === '') throw new TypeError('personKey must be a non-empty string');
  return personKey;
}
