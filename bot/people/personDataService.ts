import { randomBytes } from 'node:crypto';
import { pseudonymousPersonId } from '../../core/escalation/escalation';
import { PreconditionFailedError, type DocumentStore } from '../../core/ports/documentStore';
import type { DataSummary, ErasureReport, PersonDataService, PersonRef } from '../../core/ports/personData';
import type { PersonProfile } from '../../core/people/profile';

export interface PersonDataServiceOptions {
  readonly pseudonymSecret: string;
  /** Base URL people reach the bot at, for download links (e.g. http://localhost:3978). */
  readonly publicBaseUrl: () => string;
  readonly linkTtlMs?: number;
  /** Other holders of the person's data (scheduled jobs, caches): each erases its part. */
  readonly erasers?: ReadonlyArray<(ref: PersonRef) => Promise<Record<string, number>>>;
  readonly now?: () => Date;
}

interface ExportLink {
  readonly ref: PersonRef;
  readonly expiresAt: string;
}

const LINK_PARTITION = (token: string) => `export/${token}`;
const LINK_ID = 'link';

/**
 * Every place a person's data lives, in one service: the profile (Bot Framework user state), the
 * person's documents (plan, safety plan, measures, conversation reference), the current
 * conversation's state and safety context, and the escalations about them (by pseudonymous id).
 */
export class DocumentPersonDataService implements PersonDataService {
  private readonly now: () => Date;

  constructor(
    private readonly store: DocumentStore,
    private readonly options: PersonDataServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async summary(ref: PersonRef): Promise<DataSummary> {
    const profile = await this.profile(ref);
    const documents = await this.store.listPartition('people', ref.personKey);
    const escalations = await this.store.listPartition('outbox', this.personId(ref));
    const kinds: Record<string, number> = {};
    if (profile) kinds.profile = 1;
    for (const doc of documents) kinds[doc.id] = (kinds[doc.id] ?? 0) + 1;
    if (escalations.length) kinds.escalations = escalations.length;
    const consents = Object.fromEntries(Object.entries(profile?.consents ?? {}).map(([purpose, c]) => [purpose, { granted: Boolean(c?.granted), at: c?.at ?? '' }]));
    return { kinds, consents, locale: profile?.locale, timeZone: profile?.timeZone, startedAt: profile?.programmeStartedAt };
  }

  async exportAll(ref: PersonRef): Promise<Record<string, unknown>> {
    const [profile, documents, escalations, conversation, safety] = await Promise.all([
      this.profile(ref),
      this.store.listPartition('people', ref.personKey),
      this.store.listPartition('outbox', this.personId(ref)),
      this.store.get('state', ref.conversationStateKey, ref.conversationStateKey),
      this.store.listPartition('state', `safety/${ref.conversationKey}`),
    ]);
    return {
      format: 'petits-pas-export/1',
      exportedAt: this.now().toISOString(),
      pseudonymousId: this.personId(ref),
      profile: profile ?? null,
      documents: Object.fromEntries(documents.map((doc) => [doc.id, doc.body])),
      escalations: escalations.map((doc) => doc.body),
      conversation: conversation?.body ?? null,
      safety: safety.map((doc) => doc.body),
    };
  }

  async createExportLink(ref: PersonRef): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const link: ExportLink = { ref, expiresAt: new Date(this.now().getTime() + (this.options.linkTtlMs ?? 15 * 60_000)).toISOString() };
    await this.store.create('state', LINK_PARTITION(token), LINK_ID, link);
    return `${this.options.publicBaseUrl().replace(/\/$/, '')}/api/export/${token}`;
  }

  /** The export behind a link, once: the link is deleted (compare-and-swap) before anything is read. */
  async redeemExportLink(token: string): Promise<Record<string, unknown> | undefined> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
    const doc = await this.store.get<ExportLink>('state', LINK_PARTITION(token), LINK_ID);
    if (!doc) return undefined;
    try {
      await this.store.delete('state', LINK_PARTITION(token), LINK_ID, doc.etag);
    } catch (error) {
      if (error instanceof PreconditionFailedError) return undefined;
      throw error;
    }
    if (new Date(doc.body.expiresAt).getTime() < this.now().getTime()) return undefined;
    return this.exportAll(doc.body.ref);
  }

  async erase(ref: PersonRef): Promise<ErasureReport> {
    const deleted: Record<string, number> = {};
    const add = (kind: string, count: number) => {
      if (count > 0) deleted[kind] = (deleted[kind] ?? 0) + count;
    };
    for (const doc of await this.store.listPartition('people', ref.personKey)) add(doc.id, 1);
    await this.store.deletePartition('people', ref.personKey);
    add('profile', (await this.store.delete('state', ref.userStateKey, ref.userStateKey)) ? 1 : 0);
    add('conversation', (await this.store.delete('state', ref.conversationStateKey, ref.conversationStateKey)) ? 1 : 0);
    add('safety', await this.store.deletePartition('state', `safety/${ref.conversationKey}`));
    add('escalations', await this.store.deletePartition('outbox', this.personId(ref)));
    for (const eraser of this.options.erasers ?? []) {
      for (const [kind, count] of Object.entries(await eraser(ref))) add(kind, count);
    }
    return { deleted };
  }

  private personId(ref: PersonRef): string {
    return pseudonymousPersonId(this.options.pseudonymSecret, ref.personKey);
  }

  private async profile(ref: PersonRef): Promise<PersonProfile | undefined> {
    const doc = await this.store.get<{ profile?: PersonProfile }>('state', ref.userStateKey, ref.userStateKey);
    return doc?.body.profile;
  }
}
