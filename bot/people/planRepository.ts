/**
 * Where a person's self-management plan is kept: one document in collection `people`, partition =
 * the person's key (given by the caller), id `plan`.
 *
 * Every change goes through `update(personKey, change)`: read the plan with its ETag, apply the
 * change function (a pure rule from core/plan), write conditionally on that ETag. When someone
 * else wrote in between (another device, another instance), the write fails with
 * PreconditionFailed (or Conflict when both created the plan): the plan is read again and the SAME
 * change is applied again to what is stored now, then written again. So two concurrent changes are
 * both kept; none is silently lost. After `maxAttempts` the error is thrown (the dialog says so).
 *
 * Documents stay bounded: core/plan caps histories (compactPlan) and every write goes through it.
 */
import { ConflictError, NotFoundError, PreconditionFailedError, StorageError, type DocumentStore } from '../../core/ports/documentStore';
import { compactPlan, emptyPlan, type Plan } from '../../core/plan/plan';
import { normalizePlan } from '../../core/plan/normalize';
import { DEFAULT_TOTAL_WEEKS } from '../../core/plan/programme';

export const PLAN_COLLECTION = 'people' as const;
export const PLAN_DOCUMENT_ID = 'plan';

/** A plan as stored, with the ETag it was read with. */
export interface StoredPlan {
  readonly plan: Plan;
  readonly etag: string;
}

/** A change to a plan: a pure function; return the same object when nothing changes (no write). */
export type PlanChange = (plan: Plan) => Plan;

/** What the plan dialogs (and later the clinician summary and "my data") depend on. */
export interface PlanRepository {
  /** The person's plan, or undefined when they have none yet. */
  load(personKey: string): Promise<StoredPlan | undefined>;
  /**
   * Applies `change` to the stored plan (an empty plan when there is none) and saves it. On a
   * concurrent write, re-reads and re-applies `change` (it may run more than once: keep it pure).
   * Returns what is stored now. When `change` returns the plan unchanged, nothing is written and
   * nothing is created. `now` dates a new plan (the programme starts then); default: the clock.
   */
  update(personKey: string, change: PlanChange, options?: { readonly now?: Date }): Promise<StoredPlan | undefined>;
  /** Erases the plan. Returns false when there was none. */
  delete(personKey: string): Promise<boolean>;
}

export interface DocumentPlanRepositoryOptions {
  /** Write attempts before giving up under constant contention. Default 8. */
  readonly maxAttempts?: number;
  readonly clock?: () => Date;
  /** Programme length for a new plan (8–10 weeks). Default 8. */
  readonly totalWeeks?: number;
}

export class PlanConflictError extends StorageError {}

export class DocumentPlanRepository implements PlanRepository {
  private readonly maxAttempts: number;
  private readonly clock: () => Date;
  private readonly totalWeeks: number;

  constructor(
    private readonly store: DocumentStore,
    options: DocumentPlanRepositoryOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.clock = options.clock ?? (() => new Date());
    this.totalWeeks = options.totalWeeks ?? DEFAULT_TOTAL_WEEKS;
  }

  async load(personKey: string): Promise<StoredPlan | undefined> {
    const found = await this.store.get<unknown>(PLAN_COLLECTION, checkKey(personKey), PLAN_DOCUMENT_ID);
    return found ? { plan: normalizePlan(found.body, this.clock()), etag: found.etag } : undefined;
  }

  async update(personKey: string, change: PlanChange, options: { readonly now?: Date } = {}): Promise<StoredPlan | undefined> {
    const partition = checkKey(personKey);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const stored = await this.load(partition);
      const current = stored?.plan ?? emptyPlan(options.now ?? this.clock(), this.totalWeeks);
      const changed = change(current);
      if (changed === current) return stored;
      const next = compactPlan(changed);
      try {
        const written = stored
          ? await this.store.replace<Plan>(PLAN_COLLECTION, partition, PLAN_DOCUMENT_ID, next, stored.etag)
          : await this.store.create<Plan>(PLAN_COLLECTION, partition, PLAN_DOCUMENT_ID, next);
        return { plan: next, etag: written.etag };
      } catch (error) {
        // Someone else wrote, created or erased in between: read again and re-apply the change.
        if (!(error instanceof PreconditionFailedError || error instanceof ConflictError || error instanceof NotFoundError)) throw error;
        lastError = error;
      }
      if (attempt < this.maxAttempts) await pause(attempt);
    }
    throw new PlanConflictError(`plan still contended after ${this.maxAttempts} attempts`, { cause: lastError });
  }

  async delete(personKey: string): Promise<boolean> {
    return this.store.delete(PLAN_COLLECTION, checkKey(personKey), PLAN_DOCUMENT_ID);
  }
}

/** A short, growing, jittered pause so two writers stop colliding in lockstep. */
function pause(attempt: number): Promise<void> {
  const ms = Math.min(50, 2 ** attempt) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkKey(personKey: string): string {
  if (typeof personKey !== 'string' || personKey === '') throw new TypeError('personKey must be a non-empty string');
  return personKey;
}
