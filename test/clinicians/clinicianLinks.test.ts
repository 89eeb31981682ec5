/**
 * Links and one-time codes on the in-memory store: hashed storage, expiry, single use (also under
 * a race), consent, the access rule, unlinking from both sides, erasure, the code purge.
 */
import { ClinicianLinks, clinicianPartition, LINK_DOC_ID } from '../../bot/clinicians/clinicianLinks';
import { DocumentPersonDataService } from '../../bot/people/personDataService';
import { pseudonymousPersonId } from '../../core/escalation/escalation';
import { TEST_SECRET } from '../support/escalations';
import { MemoryDocumentStore } from '../support/memoryStore';
import { CLIN_A, CLIN_B, createWorld, linkPerson, type World } from './helpers';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.cleanup());

async function allDocs(store: MemoryDocumentStore): Promise<string> {
  const docs = [
    ...(await store.query('state', {})),
    ...(await store.query('people', {})),
  ];
  return JSON.stringify(docs);
}

describe('link codes in the store', () => {
  it('keeps only a keyed digest of the code, for 72 hours', async () => {
    const { code, expiresAt } = await world.links.issueCode(CLIN_A.aad);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(expiresAt).toBe('2025-03-06T15:00:00.000Z');
    const stored = await allDocs(world.store);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.replace('-', ''));
    const [doc] = await world.store.query<{ kind: string; clinicianId: string }>('state', {});
    expect(doc.partitionKey).toMatch(/^linkcode\/[0-9a-f]{64}$/);
    expect(doc.body).toEqual({ kind: 'linkCode', schemaVersion: 1, clinicianId: CLIN_A.aad, createdAt: world.now.toISOString(), expiresAt });
    expect(world.lines.join('\n')).not.toContain(code.replace('-', ''));
  });

  it('links a consenting person once; a second use is refused and changes nothing', async () => {
    const alex = await world.person(1);
    const sam = await world.person(2);
    const { code } = await world.links.issueCode(CLIN_A.aad);
    const first = await world.links.redeem({ code: code.toLowerCase(), personKey: alex.personKey, userStateKey: alex.userStateKey, mayShare: true });
    const alexId = pseudonymousPersonId(TEST_SECRET, alex.personKey);
    expect(first).toEqual({ outcome: 'linked', personId: alexId, clinicianId: CLIN_A.aad, relinked: false });
    expect(await world.links.linkOf(alex.personKey)).toMatchObject({ clinicianId: CLIN_A.aad, personId: alexId, userStateKey: alex.userStateKey });
    expect(world.linkedEvents).toEqual([{ clinicianId: CLIN_A.aad, personId: alexId }]);

    const before = await allDocs(world.store);
    expect(await world.links.redeem({ code, personKey: sam.personKey, mayShare: true })).toEqual({ outcome: 'used' });
    expect(await world.links.redeem({ code, personKey: alex.personKey, mayShare: true })).toEqual({ outcome: 'used' });
    expect(await allDocs(world.store)).toBe(before);
    expect(await world.links.linkOf(sam.personKey)).toBeUndefined();
  });

  it('refuses an expired code, an unknown one, a malformed one, and any code without consent to share', async () => {
    const alex = await world.person(1);
    const { code } = await world.links.issueCode(CLIN_A.aad);
    expect(await world.links.redeem({ code, personKey: alex.personKey, mayShare: false })).toEqual({ outcome: 'noConsent' });
    expect(await world.links.redeem({ code: 'ZZZZ-ZZZZ', personKey: alex.personKey, mayShare: true })).toEqual({ outcome: 'invalid' });
    expect(await world.links.redeem({ code: 'hello', personKey: alex.personKey, mayShare: true })).toEqual({ outcome: 'invalid' });
    const expiredAt = new Date(world.now.getTime() + 72 * 3_600_000);
    expect(await world.links.redeem({ code, personKey: alex.personKey, mayShare: true, now: expiredAt })).toEqual({ outcome: 'expired' });
    expect(await world.links.linkOf(alex.personKey)).toBeUndefined();
    // Still usable just before expiry (the refusals above changed nothing).
    const justBefore = new Date(expiredAt.getTime() - 1);
    expect(await world.links.redeem({ code, personKey: alex.personKey, mayShare: true, now: justBefore })).toMatchObject({ outcome: 'linked' });
  });

  it('lets only one of two people racing for one code be linked', async () => {
    world.store.yieldEveryCall = true;
    const people = await Promise.all([1, 2, 3, 4].map((n) => world.person(n)));
    const { code } = await world.links.issueCode(CLIN_A.aad);
    const results = await Promise.all(people.map((p) => world.links.redeem({ code, personKey: p.personKey, userStateKey: p.userStateKey, mayShare: true })));
    expect(results.filter((r) => r.outcome === 'linked')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'used')).toHaveLength(3);
    expect(await world.links.linkedPeople(CLIN_A.aad)).toHaveLength(1);
  });

  it('gives the code back when the link cannot be written', async () => {
    const alex = await world.person(1);
    const { code } = await world.links.issueCode(CLIN_A.aad);
    const upsert = world.store.upsert.bind(world.store);
    world.store.upsert = async () => {
      throw new Error('store down');
    };
    await expect(world.links.redeem({ code, personKey: alex.personKey, mayShare: true })).rejects.toThrow('store down');
    world.store.upsert = upsert;
    expect(await world.links.redeem({ code, personKey: alex.personKey, userStateKey: alex.userStateKey, mayShare: true })).toMatchObject({ outcome: 'linked' });
  });

  it('purges codes a week after they expired', async () => {
    await world.links.issueCode(CLIN_A.aad);
    expect(await world.links.purgeExpiredCodes(new Date('2025-03-10T00:00:00.000Z'))).toBe(0);
    expect(await world.links.purgeExpiredCodes(new Date('2025-03-14T00:00:00.000Z'))).toBe(1);
    expect(world.store.count('state')).toBe(0);
  });

  it('purges from a tick hook at most once an hour', async () => {
    const hook = world.links.purgeHook();
    await world.links.issueCode(CLIN_A.aad);
    await hook(new Date('2025-03-14T00:00:00.000Z'));
    expect(world.store.count('state')).toBe(0);
    await world.links.issueCode(CLIN_A.aad);
    await hook(new Date('2025-03-14T00:30:00.000Z')); // too soon: skipped
    expect(world.store.count('state')).toBe(1);
    await hook(new Date('2025-03-14T01:00:00.000Z'));
    expect(world.store.count('state')).toBe(0);
  });
});

describe('who sees whom', () => {
  it('resolves a pseudonym only for the linked clinician, while the person consents', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toMatchObject({ personKey: alex.personKey });
    expect(await world.links.resolve(CLIN_B.aad, alexId)).toBeUndefined();
    expect(await world.links.resolve(CLIN_A.aad, 'P-000000000000')).toBeUndefined();
    expect(await world.links.resolve(CLIN_A.aad, 'not-an-id')).toBeUndefined();
    await world.setShare(alex.userStateKey, false);
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toBeUndefined();
    expect(await world.links.linkedPeople(CLIN_A.aad)).toEqual([]);
    await world.setShare(alex.userStateKey, true);
    expect(await world.links.linkedPeople(CLIN_A.aad)).toEqual([{ personId: alexId, linkedAt: world.now.toISOString() }]);
  });

  it('never trusts the index alone: a forged or stale entry grants nothing', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    // Someone writes an index entry for B pointing at Alex: Alex's own link still names A.
    await world.store.upsert('people', clinicianPartition(CLIN_B.aad), alexId, { kind: 'clinicianIndex', schemaVersion: 1, personId: alexId, personKey: alex.personKey, clinicianId: CLIN_B.aad, linkedAt: world.now.toISOString() });
    expect(await world.links.resolve(CLIN_B.aad, alexId)).toBeUndefined();
    expect(await world.store.get('people', clinicianPartition(CLIN_B.aad), alexId)).toBeUndefined(); // tidied
    // A link without a user-state key cannot have its consent checked: refused.
    const doc = await world.store.get<Record<string, unknown>>('people', alex.personKey, LINK_DOC_ID);
    const { userStateKey: _dropped, ...withoutKey } = doc!.body;
    await world.store.upsert('people', alex.personKey, LINK_DOC_ID, withoutKey);
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toBeUndefined();
  });

  it('moves a person who redeems another clinician’s code', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const { code } = await world.links.issueCode(CLIN_B.aad);
    expect(await world.links.redeem({ code, personKey: alex.personKey, userStateKey: alex.userStateKey, mayShare: true })).toMatchObject({ outcome: 'linked', relinked: true });
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toBeUndefined();
    expect(await world.links.resolve(CLIN_B.aad, alexId)).toBeDefined();
    expect(await world.links.linkedPeople(CLIN_A.aad)).toEqual([]);
  });

  it('unlinks from either side', async () => {
    const alex = await world.person(1);
    const sam = await world.person(2);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const samId = await linkPerson(world, CLIN_A, sam);
    expect(await world.links.unlinkByClinician(CLIN_B.aad, alexId)).toBe(false); // not theirs
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toBeDefined();
    expect(await world.links.unlinkByClinician(CLIN_A.aad, alexId)).toBe(true);
    expect(await world.links.linkOf(alex.personKey)).toBeUndefined();
    expect(await world.links.unlinkByClinician(CLIN_A.aad, alexId)).toBe(false);
    expect(await world.links.unlinkPerson(sam.personKey)).toBe(true);
    expect(await world.links.unlinkPerson(sam.personKey)).toBe(false);
    expect(await world.links.resolve(CLIN_A.aad, samId)).toBeUndefined();
    expect(await world.store.listPartition('people', clinicianPartition(CLIN_A.aad))).toEqual([]);
  });

  it('is erased with the person’s data (link in their partition, index by the eraser)', async () => {
    const alex = await world.person(1);
    const alexId = await linkPerson(world, CLIN_A, alex);
    const service = new DocumentPersonDataService(world.store, { pseudonymSecret: TEST_SECRET, publicBaseUrl: () => 'http://127.0.0.1', erasers: [world.links.eraser()] });
    const ref = { personKey: alex.personKey, userStateKey: alex.userStateKey, conversationStateKey: 'webchat/conversations/c1/', conversationKey: 'webchat/c1' };
    const exported = await service.exportAll(ref);
    expect((exported.documents as Record<string, unknown>)[LINK_DOC_ID]).toMatchObject({ clinicianId: CLIN_A.aad, personId: alexId });
    const report = await service.erase(ref);
    expect(report.deleted).toMatchObject({ clinicianLink: 1, clinicianLinks: 1 });
    expect(await world.store.listPartition('people', clinicianPartition(CLIN_A.aad))).toEqual([]);
    expect(await world.links.resolve(CLIN_A.aad, alexId)).toBeUndefined();
  });
});

describe('the clinician’s private reference', () => {
  it('is kept for personal chats only', async () => {
    const reference = {
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      conversation: { id: 'a:personal', conversationType: 'personal', isGroup: false, name: '' },
      user: { id: CLIN_A.id, name: CLIN_A.name },
      bot: { id: '28:bot', name: 'bot' },
      locale: 'en-US',
    };
    await world.links.rememberClinicianReference(CLIN_A.aad, { ...reference, conversation: { ...reference.conversation, conversationType: 'channel' } });
    expect(await world.links.clinicianReference(CLIN_A.aad)).toBeUndefined();
    await world.links.rememberClinicianReference(CLIN_A.aad, reference);
    expect(await world.links.clinicianReference(CLIN_A.aad)).toMatchObject({ conversation: { id: 'a:personal' }, locale: 'en-CA' });
    expect(JSON.stringify(await world.store.listPartition('people', clinicianPartition(CLIN_A.aad)))).not.toContain(CLIN_A.name);
  });

  it('needs a secret', () => {
    expect(() => new ClinicianLinks({ store: world.store, pseudonymSecret: '', shareConsent: async () => true })).toThrow(TypeError);
  });
});
