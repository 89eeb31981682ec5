/**
 * A person's rights over their data (Quebec's Law 25): see it, take it away, erase it. The keys
 * name every place the person's data lives; the service behind this port knows the stores.
 */
export interface PersonRef {
  /** Partition of the person's documents (plan, safety plan, measures, references). */
  readonly personKey: string;
  /** Bot Framework state keys of this person and of the current conversation. */
  readonly userStateKey: string;
  readonly conversationStateKey: string;
  /** Conversation key of the safety context. */
  readonly conversationKey: string;
}

export interface DataSummary {
  /** Kinds of data held, with how many items of each (e.g. { plan: 1, safetyPlan: 1 }). */
  readonly kinds: Readonly<Record<string, number>>;
  readonly consents: Readonly<Record<string, { granted: boolean; at: string }>>;
  readonly locale?: string;
  readonly timeZone?: string;
  readonly startedAt?: string;
}

export interface ErasureReport {
  /** Documents deleted, by kind. */
  readonly deleted: Readonly<Record<string, number>>;
}

export interface PersonDataService {
  summary(ref: PersonRef): Promise<DataSummary>;
  /** Everything held about the person, as one JSON-serialisable object. */
  exportAll(ref: PersonRef): Promise<Record<string, unknown>>;
  /** A one-time download link for the export, valid for a short while. */
  createExportLink(ref: PersonRef): Promise<string>;
  erase(ref: PersonRef): Promise<ErasureReport>;
}
