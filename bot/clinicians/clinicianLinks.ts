/**
 * Links between people and clinicians, and the one-time codes that make them.
 *
 * Storage (DocumentStore):
 * - `state` / `linkcode/<HMAC digest of the code>` / `code`: LinkCodeRecord — no code in clear, no
 *   person key; single use by an ETag compare-and-swap on `usedAt`.
 * - `people` / <personKey> / `clinicianLink`: PersonLinkRecord — the truth about the link, in the
 *   person's own partition, so it is exported and erased with the rest of their data.
 * - `people` / `clinician/<clinicianId>` / <P-id>: ClinicianIndexRecord — a look-up hint from a
 *   pseudonym to the person's partition. It never grants access on its own: every read checks the
 *   person's link (same clinician, same pseudonym) and their consent to share, now.
 * - `people` / `clinician/<clinicianId>` / `personalReference`: where to reach the clinician in a
 *   personal chat (scheduled summaries, "a person used your code").
 *
 * Logs: event names, pseudonymous P-ids and outcomes only — never codes, person keys or names.
 */
import { randomInt } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { fromDto, isReferenceDto, toDto, type ConversationReferenceDto } from '../../adapters/proactive/conversationReference';
import { isPersonId, mayClinicianSee, type ClinicianIndexRecord, type PersonLinkRecord } from '../../core/clinicians/access';
import {
  DEFAULT_LINK_CODE_TTL_HOURS,
  formatLinkCode,
  generateLinkCode,
  isLinkCodeRecord,
  linkCodeDigest,
  linkCodeState,
  newLinkCodeRecord,
  normalizeLinkCode,
  useLinkCode,
  type LinkCodeRecord,
  type RandomIndex,
} from '../../core/clinicians/linkCode';
import { mayShare } from '../../core/consent/consent';
import { pseudonymousPersonId } from '../../core/escalation/escalation';
import type { PersonProfile } from '../../core/people/profile';
import { ConflictError, NotFoundError, PreconditionFailedError, type DocumentStore } from '../../core/ports/documentStore';
import { createLogger, errorKind, type Logger } from '../observability/logger';

export const LINK_DOC_ID = 'clinicianLink';
export const CLINICIAN_REFERENCE_ID = 'personalReference';
const CODE_DOC_ID = 'code';

export function clinicianPartition(clinicianId: string): string {
  return `clinician/${clinicianId}`;
}

function codePartition(digest: string): string {
  return `linkcode/${digest}`;
}

export type RedeemResult =
  | { readonly outcome: 'linked'; readonly personId: string; readonly clinicianId: string; readonly relinked: boolean }
  | { readonly outcome: 'invalid' | 'expired' | 'used' | 'noConsent' };

export interface RedeemInput {
  /** As typed by the person ("abcd-efgh" is fine). */
  readonly code: string;
  readonly personKey: string;
  /** mayShare(profile.consents, consentVersion), checked by the caller this turn. */
  readonly mayShare: boolean;
  /** The person's Bot Framework user-state key, kept so consent can be re-checked at read time. */
  readonly userStateKey?: string;
  readonly now?: Date;
}

export interface LinkedPerson {
  readonly personKey: string;
  readonly link: PersonLinkRecord;
}

export interface ClinicianLinksOptions {
  readonly store: DocumentStore;
  /** config.pseudonymSecret: pseudonyms and code digests. */
  readonly pseudonymSecret: string;
  /** CLINICIAN_LINK_CODE_HOURS. Default 72. */
  readonly codeTtlHours?: number;
  /** Re-checks, at every read, that the person still consents to share (see profileShareConsent). */
  readonly shareConsent: (link: PersonLinkRecord) => Promise<boolean>;
  /** Told after a person linked themselves (e.g. to tell the clinician). Failures are logged, not thrown. */
  readonly onLinked?: (event: { readonly clinicianId: string; readonly personId: string; readonly at: string }) => unknown;
  readonly random?: RandomIndex;
  readonly logger?: Logger;
  readonly clock?: () => Date;
}

export class ClinicianLinks {
  private readonly store: DocumentStore;
  private readonly secret: string;
  private readonly ttlHours: number;
  private readonly random: RandomIndex;
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(private readonly options: ClinicianLinksOptions) {
    if (!options.pseudonymSecret) throw new TypeError('ClinicianLinks: a pseudonym secret is required');
    this.store = options.store;
    this.secret = options.pseudonymSecret;
    this.ttlHours = options.codeTtlHours ?? DEFAULT_LINK_CODE_TTL_HOURS;
    this.random = options.random ?? ((max) => randomInt(max));
    this.log = options.logger ?? createLogger('warn', (line) => process.stderr.write(`${line}\n`));
    this.clock = options.clock ?? (() => new Date());
  }

  personIdOf(personKey: string): string {
    return pseudonymousPersonId(this.secret, personKey);
  }

  /** A new one-time code for this clinician: `ABCD-EFGH` and when it expires. Only its digest is stored. */
  async issueCode(clinicianId: string, now: Date = this.clock()): Promise<{ readonly code: string; readonly expiresAt: string }> {
    checkId(clinicianId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = generateLinkCode(this.random);
      const record = newLinkCodeRecord(clinicianId, now, this.ttlHours);
      try {
        await this.store.create<LinkCodeRecord>('state', codePartition(linkCodeDigest(this.secret, code)), CODE_DOC_ID, record);
      } catch (error) {
        if (error instanceof ConflictError) continue; // a live code has these 8 characters already
        throw error;
      }
      this.log.info('clinician_code_issued', { expiresAt: record.expiresAt });
      return { code: formatLinkCode(code), expiresAt: record.expiresAt };
    }
    throw new Error('could not allocate a link code');
  }

  /**
   * A person redeems a code: 'linked' (also when they were linked to someone else: the new link
   * replaces it), 'invalid' (unknown or malformed), 'expired', 'used', or 'noConsent' (nothing is
   * read or changed without the consent to share). The code is claimed first (compare-and-swap),
   * so two people racing for one code cannot both be linked.
   */
  async redeem(input: RedeemInput): Promise<RedeemResult> {
    const now = input.now ?? this.clock();
    const code = normalizeLinkCode(input.code);
    if (!code) return { outcome: 'invalid' };
    if (!input.mayShare) return { outcome: 'noConsent' };
    checkId(input.personKey);
    const partition = codePartition(linkCodeDigest(this.secret, code));
    const personId = this.personIdOf(input.personKey);
    for (let round = 0; round < 6; round++) {
      const doc = await this.store.get<LinkCodeRecord>('state', partition, CODE_DOC_ID);
      if (!doc || !isLinkCodeRecord(doc.body)) return this.refused('invalid');
      const state = linkCodeState(doc.body, now);
      if (state !== 'valid') return this.refused(state);
      let claimed;
      try {
        claimed = await this.store.replace<LinkCodeRecord>('state', partition, CODE_DOC_ID, useLinkCode(doc.body, personId, now), doc.etag);
      } catch (error) {
        if (error instanceof PreconditionFailedError) continue; // someone else touched it: read again
        if (error instanceof NotFoundError) return this.refused('invalid');
        throw error;
      }
      const clinicianId = doc.body.clinicianId;
      let relinked: boolean;
      try {
        relinked = await this.writeLink(input.personKey, personId, clinicianId, now, input.userStateKey);
      } catch (error) {
        // Give the code back so the person can try again once the store answers.
        await this.store.replace('state', partition, CODE_DOC_ID, doc.body, claimed.etag).catch(() => undefined);
        throw error;
      }
      this.log.info('clinician_linked', { personId, relinked });
      if (this.options.onLinked) {
        void Promise.resolve()
          .then(() => this.options.onLinked?.({ clinicianId, personId, at: now.toISOString() }))
          .catch((error: unknown) => this.log.warn('clinician_link_notice_failed', { personId, error: errorKind(error) }));
      }
      return { outcome: 'linked', personId, clinicianId, relinked };
    }
    return this.refused('used');
  }

  /** The person's current link, if any. */
  async linkOf(personKey: string): Promise<PersonLinkRecord | undefined> {
    const doc = await this.store.get<PersonLinkRecord>('people', checkId(personKey), LINK_DOC_ID);
    return doc && doc.body?.kind === 'clinicianLink' ? doc.body : undefined;
  }

  /**
   * The person behind a pseudonym, only if they are linked to THIS clinician and still consent to
   * share; undefined in every other case (unknown, someone else's, consent withdrawn), alike.
   */
  async resolve(clinicianId: string, personId: string): Promise<LinkedPerson | undefined> {
    if (!isPersonId(personId) || !clinicianId) return undefined;
    const index = await this.store.get<ClinicianIndexRecord>('people', clinicianPartition(clinicianId), personId);
    if (!index || index.body?.kind !== 'clinicianIndex' || typeof index.body.personKey !== 'string') return undefined;
    const personKey = index.body.personKey;
    if (this.personIdOf(personKey) !== personId) return undefined;
    const link = await this.linkOf(personKey);
    if (!link || link.clinicianId !== clinicianId || link.personId !== personId) {
      // A stale hint (the person unlinked, relinked elsewhere, or was erased): tidy it, best effort.
      await this.store.delete('people', clinicianPartition(clinicianId), personId, index.etag).catch(() => undefined);
      return undefined;
    }
    const consent = await this.options.shareConsent(link).catch(() => false);
    return mayClinicianSee(clinicianId, personId, link, consent) ? { personKey, link } : undefined;
  }

  /** The people this clinician may see now (pseudonyms and link dates), oldest link first. */
  async linkedPeople(clinicianId: string): Promise<{ readonly personId: string; readonly linkedAt: string }[]> {
    const docs = await this.store.listPartition<ClinicianIndexRecord>('people', clinicianPartition(checkId(clinicianId)));
    const ids = docs.filter((d) => d.body?.kind === 'clinicianIndex' && isPersonId(d.id)).map((d) => d.id);
    const resolved = await Promise.all(ids.map(async (id) => ({ id, found: await this.resolve(clinicianId, id).catch(() => undefined) })));
    return resolved
      .filter((r) => r.found)
      .map((r) => ({ personId: r.id, linkedAt: r.found!.link.linkedAt }))
      .sort((a, b) => a.linkedAt.localeCompare(b.linkedAt));
  }

  /** The clinician ends a link. False when there was no link of theirs under that pseudonym. */
  async unlinkByClinician(clinicianId: string, personId: string): Promise<boolean> {
    if (!isPersonId(personId) || !clinicianId) return false;
    const index = await this.store.get<ClinicianIndexRecord>('people', clinicianPartition(clinicianId), personId);
    if (!index || index.body?.kind !== 'clinicianIndex') return false;
    const personKey = index.body.personKey;
    const link = typeof personKey === 'string' ? await this.store.get<PersonLinkRecord>('people', personKey, LINK_DOC_ID) : undefined;
    const theirs = Boolean(link && link.body?.clinicianId === clinicianId && link.body.personId === personId);
    if (theirs && link) await this.store.delete('people', personKey, LINK_DOC_ID, link.etag).catch(ignorePrecondition);
    await this.store.delete('people', clinicianPartition(clinicianId), personId).catch(() => undefined);
    if (theirs) this.log.info('clinician_unlinked', { personId, by: 'clinician' });
    return theirs;
  }

  /** The person ends their link. False when they had none. */
  async unlinkPerson(personKey: string): Promise<boolean> {
    const doc = await this.store.get<PersonLinkRecord>('people', checkId(personKey), LINK_DOC_ID);
    if (!doc || doc.body?.kind !== 'clinicianLink') return false;
    await this.store.delete('people', personKey, LINK_DOC_ID);
    await this.store.delete('people', clinicianPartition(doc.body.clinicianId), doc.body.personId).catch(() => undefined);
    this.log.info('clinician_unlinked', { personId: doc.body.personId, by: 'person' });
    return true;
  }

  /**
   * For DocumentPersonDataService's `erasers`: the person's own partition (with the link) is
   * erased by the service; this removes the index entries that point to it.
   */
  eraser(): (ref: { readonly personKey: string }) => Promise<Record<string, number>> {
    return async (ref): Promise<Record<string, number>> => {
      const docs = await this.store.query<ClinicianIndexRecord>('people', { fieldEquals: { field: 'personKey', value: ref.personKey }, limit: 50 });
      let count = 0;
      for (const doc of docs) {
        if (doc.body?.kind !== 'clinicianIndex' || doc.body.personKey !== ref.personKey) continue;
        if (await this.store.delete('people', doc.partitionKey, doc.id).catch(() => false)) count++;
      }
      const erased: Record<string, number> = {};
      if (count) erased.clinicianLinks = count;
      return erased;
    };
  }

  /** Keeps where to reach the clinician privately (personal chats only: never a channel). */
  async rememberClinicianReference(clinicianId: string, reference: Partial<ConversationReference>, now: Date = this.clock()): Promise<void> {
    if (reference.conversation?.conversationType !== 'personal') return;
    const current = await this.clinicianReferenceDto(clinicianId);
    const dto = toDto(reference, now);
    if (current && current.conversation.id === dto.conversation.id && current.serviceUrl === dto.serviceUrl && Date.parse(current.updatedAt) > now.getTime() - 24 * 3_600_000) return;
    await this.store.upsert('people', clinicianPartition(checkId(clinicianId)), CLINICIAN_REFERENCE_ID, dto);
  }

  async clinicianReference(clinicianId: string): Promise<ConversationReference | undefined> {
    const dto = await this.clinicianReferenceDto(clinicianId);
    return dto ? fromDto(dto) : undefined;
  }

  /** Deletes codes expired for more than `graceMs` (default 7 days: "expired" stays answerable meanwhile). */
  async purgeExpiredCodes(now: Date = this.clock(), graceMs = 7 * 24 * 3_600_000, limit = 200): Promise<number> {
    const before = new Date(now.getTime() - graceMs).toISOString();
    const docs = await this.store.query<LinkCodeRecord>('state', { fieldAtMost: { field: 'expiresAt', value: before }, limit });
    let count = 0;
    for (const doc of docs) {
      if (!isLinkCodeRecord(doc.body) || !doc.partitionKey.startsWith('linkcode/')) continue;
      if (await this.store.delete('state', doc.partitionKey, doc.id, doc.etag).catch(() => false)) count++;
    }
    return count;
  }

  /**
   * A scheduler tick hook (scheduler.onTick(links.purgeHook(), 'link-code-purge')) that purges at
   * most once per `everyMs` (default 1 h) per instance; failures are logged and retried next time.
   */
  purgeHook(everyMs = 3_600_000): (now: Date) => Promise<void> {
    let last = 0;
    return async (now) => {
      if (now.getTime() - last < everyMs) return;
      last = now.getTime();
      try {
        const purged = await this.purgeExpiredCodes(now);
        if (purged) this.log.info('clinician_codes_purged', { count: purged });
      } catch (error) {
        last = 0;
        this.log.warn('clinician_codes_purge_failed', { error: errorKind(error) });
      }
    };
  }

  private async clinicianReferenceDto(clinicianId: string): Promise<ConversationReferenceDto | undefined> {
    const doc = await this.store.get<ConversationReferenceDto>('people', clinicianPartition(checkId(clinicianId)), CLINICIAN_REFERENCE_ID);
    return doc && isReferenceDto(doc.body) && !doc.body.dead ? doc.body : undefined;
  }

  /** Writes the person's link and the clinician's index entry; removes a previous clinician's entry. */
  private async writeLink(personKey: string, personId: string, clinicianId: string, now: Date, userStateKey?: string): Promise<boolean> {
    const previous = await this.linkOf(personKey);
    const at = now.toISOString();
    const link: PersonLinkRecord = { kind: 'clinicianLink', schemaVersion: 1, personId, clinicianId, linkedAt: at, ...(userStateKey ? { userStateKey } : {}) };
    const index: ClinicianIndexRecord = { kind: 'clinicianIndex', schemaVersion: 1, personId, personKey, clinicianId, linkedAt: at };
    // The index first: a link without its index only hides the person (safe); never the reverse.
    await this.store.upsert('people', clinicianPartition(clinicianId), personId, index);
    await this.store.upsert('people', personKey, LINK_DOC_ID, link);
    if (previous && previous.clinicianId !== clinicianId) {
      await this.store.delete('people', clinicianPartition(previous.clinicianId), personId).catch(() => undefined);
    }
    return Boolean(previous && previous.clinicianId !== clinicianId);
  }

  private refused(outcome: 'invalid' | 'expired' | 'used'): RedeemResult {
    this.log.info('clinician_code_refused', { outcome });
    return { outcome };
  }
}

/**
 * The consent check ClinicianLinks needs, from the person's saved profile (Bot Framework user state
 * in the `state` collection, as DocumentPersonDataService reads it). A link without a user-state key
 * cannot be checked and is refused.
 */
export function profileShareConsent(store: DocumentStore, consentVersion: string): (link: PersonLinkRecord) => Promise<boolean> {
  return async (link) => {
    if (!link.userStateKey) return false;
    const doc = await store.get<{ profile?: PersonProfile }>('state', link.userStateKey, link.userStateKey);
    return mayShare(doc?.body?.profile?.consents, consentVersion);
  };
}

function checkId(value: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError('a non-empty key is required');
  return value;
}

function ignorePrecondition(error: unknown): void {
  if (error instanceof PreconditionFailedError || error instanceof NotFoundError) return;
  throw error;
}
