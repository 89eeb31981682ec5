import type { DocumentStore } from '../../core/ports/documentStore';
import type { PersonDataService, PersonRef } from '../../core/ports/personData';
import { errorKind, type Logger } from '../observability/logger';

const COLLECTION = 'people';
const DOC_ID = 'activity';
const DAY_MS = 24 * 60 * 60 * 1000;

interface ActivityDoc {
  /** Top-level so the store's query can find people inactive since a date. */
  readonly lastActiveAt: string;
  readonly ref: PersonRef;
}

/**
 * Law 25 retention: the data of people inactive for RETENTION_DAYS is erased by the scheduler.
 * Activity is noted at most once a day per person (a write per turn would be waste), and the purge
 * uses the same erasure as "oublie-moi", so nothing is left behind in any store.
 */
export class Retention {
  private readonly noted = new Map<string, number>();

  constructor(
    private readonly store: DocumentStore,
    private readonly data: Pick<PersonDataService, 'erase'>,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  async noteActive(ref: PersonRef, now: Date): Promise<void> {
    const last = this.noted.get(ref.personKey);
    if (last !== undefined && now.getTime() - last < DAY_MS) return;
    await this.store.upsert<ActivityDoc>(COLLECTION, ref.personKey, DOC_ID, { lastActiveAt: now.toISOString(), ref });
    this.noted.set(ref.personKey, now.getTime());
    if (this.noted.size > 50_000) this.noted.delete(this.noted.keys().next().value as string);
  }

  /** Erases everyone inactive for longer than the retention period; returns how many people. */
  async purge(now: Date, limit = 200): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * DAY_MS).toISOString();
    const inactive = await this.store.query<ActivityDoc>(COLLECTION, { fieldAtMost: { field: 'lastActiveAt', value: cutoff }, limit });
    let erased = 0;
    for (const doc of inactive) {
      if (doc.id !== DOC_ID) continue;
      try {
        await this.data.erase(doc.body.ref);
        this.noted.delete(doc.body.ref.personKey);
        erased += 1;
      } catch (error) {
        this.logger.warn('retention_erase_failed', { error: errorKind(error) });
      }
    }
    if (erased) this.logger.info('retention_purged', { people: erased, retentionDays: this.retentionDays });
    return erased;
  }
}
