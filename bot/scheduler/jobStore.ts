/**
 * Jobs on the DocumentStore: collection `jobs`, partition = personKey, id = job id.
 *
 * Partitioned per person so that a person's jobs are listed, cancelled and erased (Law 25) inside
 * one partition; the due scan is the store's cross-partition query on top-level body fields, which
 * is why `status`, `dueAt`, `claimedUntil` and `finishedAt` sit at the top level of the body.
 *
 * Claims are compare-and-swap: `replace` with the ETag read by the query. With several instances on
 * one database, exactly one replace per version succeeds; the others get PreconditionFailed and
 * move on. A claim is a lease (`claimedUntil`): once it has expired the job is claimable again,
 * so work held by a crashed instance is not lost.
 */
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import { cancelJob, claimJob, isClaimable, isFinished, isJob, validateJob, type Job, type JobKind } from '../../core/schedule/job';

export const JOBS_COLLECTION = 'jobs' as const;

export type ScheduleResult = 'created' | 'replaced' | 'exists' | 'busy';
/** saved: our result is stored · cancelled/gone: cancelled or erased meanwhile (kept so) · lost: another instance holds it now. */
export type SettleResult = 'saved' | 'cancelled' | 'gone' | 'lost';

const CAS_ROUNDS = 5;

export class JobStore {
  constructor(private readonly store: DocumentStore) {}

  /**
   * Idempotent by (personKey, id): an existing job is left alone ('exists'). With `replace`, an
   * existing job that is not running is replaced (e.g. a new schedule, or resuming after a
   * cancel); a running one answers 'busy' (its handler computes its own next time).
   */
  async schedule(job: Job, options: { replace?: boolean } = {}): Promise<ScheduleResult> {
    validateJob(job);
    try {
      await this.store.create(JOBS_COLLECTION, job.personKey, job.id, job);
      return 'created';
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    if (!options.replace) return 'exists';
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const current = await this.store.get<Job>(JOBS_COLLECTION, job.personKey, job.id);
      try {
        if (!current) {
          await this.store.create(JOBS_COLLECTION, job.personKey, job.id, job);
          return 'created';
        }
        if (isJob(current.body) && current.body.status === 'running') return 'busy';
        await this.store.replace(JOBS_COLLECTION, job.personKey, job.id, job, current.etag);
        return 'replaced';
      } catch (error) {
        if (!(error instanceof PreconditionFailedError || error instanceof NotFoundError || error instanceof ConflictError)) throw error;
      }
    }
    return 'busy';
  }

  async get(personKey: string, id: string): Promise<StoredDocument<Job> | undefined> {
    const doc = await this.store.get<Job>(JOBS_COLLECTION, personKey, id);
    return doc && isJob(doc.body) ? doc : undefined;
  }

  async listForPerson(personKey: string): Promise<Job[]> {
    const docs = await this.store.listPartition<Job>(JOBS_COLLECTION, personKey);
    return docs.map((d) => d.body).filter(isJob);
  }

  /**
   * Cancels the person's unfinished jobs (of one kind, or all). A job running right now is marked
   * cancelled too: its result is then discarded, though a message it already sent stays sent.
   */
  async cancelForPerson(personKey: string, kind?: JobKind, now: Date = new Date()): Promise<number> {
    let cancelled = 0;
    for (const doc of await this.store.listPartition<Job>(JOBS_COLLECTION, personKey)) {
      if (!isJob(doc.body) || isFinished(doc.body) || (kind !== undefined && doc.body.kind !== kind)) continue;
      if (await this.update(doc, (job) => (isFinished(job) ? undefined : cancelJob(job, now)))) cancelled++;
    }
    return cancelled;
  }

  /** Erasure: every job of the person, whatever its state. */
  async deleteForPerson(personKey: string): Promise<number> {
    return this.store.deletePartition(JOBS_COLLECTION, personKey);
  }

  /**
   * Claimable jobs (due pending ones, and running ones whose lease has expired), oldest first, as
   * read: not claimed yet. Two queries because the store filters on one equality at a time.
   */
  async findDue(now: Date, limit: number): Promise<StoredDocument<Job>[]> {
    const value = now.toISOString();
    const [due, expired] = await Promise.all([
      this.store.query<Job>(JOBS_COLLECTION, { fieldAtMost: { field: 'dueAt', value }, fieldEquals: { field: 'status', value: 'pending' }, limit }),
      this.store.query<Job>(JOBS_COLLECTION, { fieldAtMost: { field: 'claimedUntil', value }, fieldEquals: { field: 'status', value: 'running' }, limit }),
    ]);
    return [...due, ...expired]
      .filter((d) => isJob(d.body) && isClaimable(d.body, now))
      .sort((a, b) => (a.body.dueAt < b.body.dueAt ? -1 : a.body.dueAt > b.body.dueAt ? 1 : 0))
      .slice(0, limit);
  }

  /** Claims one job read earlier; undefined when another instance was first (or it changed, or is gone). */
  async claim(doc: StoredDocument<Job>, instanceId: string, now: Date, leaseMs: number): Promise<StoredDocument<Job> | undefined> {
    if (!isJob(doc.body) || !isClaimable(doc.body, now)) return undefined;
    try {
      return await this.store.replace(JOBS_COLLECTION, doc.partitionKey, doc.id, claimJob(doc.body, instanceId, now, leaseMs), doc.etag);
    } catch (error) {
      if (error instanceof PreconditionFailedError || error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** findDue + claim each, in order. The scheduler claims one by one as workers free up instead, so leases start when work does. */
  async claimDue(now: Date, instanceId: string, leaseMs: number, limit = 50): Promise<StoredDocument<Job>[]> {
    const claimed: StoredDocument<Job>[] = [];
    for (const doc of await this.findDue(now, limit)) {
      const mine = await this.claim(doc, instanceId, now, leaseMs);
      if (mine) claimed.push(mine);
    }
    return claimed;
  }

  /**
   * Writes the outcome of a claimed job. When the document changed meanwhile: a cancel or an
   * erasure wins; another instance's claim (our lease expired) means we lost it; anything else
   * (still ours) is retried on the fresh version.
   */
  async settle(claimed: StoredDocument<Job>, instanceId: string, next: Job): Promise<SettleResult> {
    validateJob(next);
    let current: StoredDocument<Job> | undefined = claimed;
    for (let round = 0; round < CAS_ROUNDS; round++) {
      if (!current || !isJob(current.body)) return 'gone';
      if (current.body.status === 'cancelled') return 'cancelled';
      if (current.body.status !== 'running' || current.body.claimedBy !== instanceId) return 'lost';
      try {
        await this.store.replace(JOBS_COLLECTION, claimed.partitionKey, claimed.id, next, current.etag);
        return 'saved';
      } catch (error) {
        if (error instanceof NotFoundError) return 'gone';
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
      current = await this.store.get<Job>(JOBS_COLLECTION, claimed.partitionKey, claimed.id);
    }
    return 'lost';
  }

  /** Retention: deletes finished jobs (done, failed, cancelled) that finished at or before `before`. */
  async purgeFinished(before: Date, limit = 200): Promise<number> {
    const docs = await this.store.query<Job>(JOBS_COLLECTION, { fieldAtMost: { field: 'finishedAt', value: before.toISOString() }, limit });
    let deleted = 0;
    for (const doc of docs) {
      if (!isJob(doc.body) || !isFinished(doc.body)) continue;
      try {
        if (await this.store.delete(JOBS_COLLECTION, doc.partitionKey, doc.id, doc.etag)) deleted++;
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error; // rescheduled meanwhile: keep it
      }
    }
    return deleted;
  }

  /** CAS update with re-reads; `change` returning undefined means "nothing to do". */
  private async update(doc: StoredDocument<Job>, change: (job: Job) => Job | undefined): Promise<boolean> {
    let current: StoredDocument<Job> | undefined = doc;
    for (let round = 0; round < CAS_ROUNDS && current; round++) {
      if (!isJob(current.body)) return false;
      const next = change(current.body);
      if (!next) return false;
      try {
        await this.store.replace(JOBS_COLLECTION, current.partitionKey, current.id, next, current.etag);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
      current = await this.store.get<Job>(JOBS_COLLECTION, doc.partitionKey, doc.id);
    }
    return false;
  }
}
