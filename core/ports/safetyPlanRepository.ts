import type { SafetyPlan } from '../safetyPlan/safetyPlan';

/** A plan as read from storage, with the ETag to hand back to `save`. */
export interface StoredSafetyPlan {
  readonly plan: SafetyPlan;
  readonly etag: string;
}

/** What the safety-plan dialog (and the crisis flow) depend on. */
export interface SafetyPlanRepository {
  /** The person's plan, or undefined when they have none yet. */
  load(personKey: string): Promise<StoredSafetyPlan | undefined>;
  /**
   * Writes `plan`. `base` is what the caller read (undefined when there was nothing): the write is
   * conditional on it, and a concurrent change is merged rather than overwritten. Returns what is
   * stored now (possibly with the other writer's items) and its new ETag.
   */
  save(personKey: string, plan: SafetyPlan, base?: StoredSafetyPlan): Promise<StoredSafetyPlan>;
  /** Erases the plan. Returns false when there was none. */
  delete(personKey: string): Promise<boolean>;
}
