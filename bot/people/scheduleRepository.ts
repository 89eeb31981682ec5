/**
 * Where a person's between-sessions settings are kept (check-in days and time, time zone, quiet
 * hours, pause, questionnaire cadence, language of reminders): one document in collection
 * `people`, partition = the person's key, id `schedule`. Changes are read-change-write with an
 * ETag, retried on a concurrent write (the person in the chat and a clinician may both change it).
 */
import type { DocumentStore } from '../../core/ports/documentStore';
import { defaultSettings, normalizeSettings, type BetweenSettings } from '../../core/measures/settings';
import { checkKey, MEASURES_COLLECTION, updateDocument } from './measuresRepository';

export const SCHEDULE_DOCUMENT_ID = 'schedule';

export interface ScheduleRepository {
  load(personKey: string): Promise<BetweenSettings | undefined>;
  /** Applies a pure change to the stored settings (the defaults when there are none); returns what is stored now. */
  update(personKey: string, change: (settings: BetweenSettings) => BetweenSettings): Promise<BetweenSettings | undefined>;
  delete(personKey: string): Promise<boolean>;
}

export class DocumentScheduleRepository implements ScheduleRepository {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly defaultTimeZone: string | undefined;

  constructor(
    private readonly store: DocumentStore,
    options: { readonly clock?: () => Date; readonly maxAttempts?: number; readonly defaultTimeZone?: string } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.defaultTimeZone = options.defaultTimeZone;
  }

  async load(personKey: string): Promise<BetweenSettings | undefined> {
    const found = await this.store.get<unknown>(MEASURES_COLLECTION, checkKey(personKey), SCHEDULE_DOCUMENT_ID);
    return found ? normalizeSettings(found.body, this.clock()) : undefined;
  }

  async update(personKey: string, change: (settings: BetweenSettings) => BetweenSettings): Promise<BetweenSettings | undefined> {
    const stored = await updateDocument<BetweenSettings>({
      store: this.store,
      partition: checkKey(personKey),
      id: SCHEDULE_DOCUMENT_ID,
      read: (raw) => normalizeSettings(raw, this.clock()),
      empty: () => defaultSettings(this.clock(), { timeZone: this.defaultTimeZone }),
      change,
      maxAttempts: this.maxAttempts,
    });
    return stored?.value;
  }

  async delete(personKey: string): Promise<boolean> {
    return this.store.delete(MEASURES_COLLECTION, checkKey(personKey), SCHEDULE_DOCUMENT_ID);
  }
}
