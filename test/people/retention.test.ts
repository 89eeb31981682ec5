import { DocumentPersonDataService } from '../../bot/people/personDataService';
import { Retention } from '../../bot/people/retention';
import { silentLogger } from '../../bot/observability/logger';
import type { PersonRef } from '../../core/ports/personData';
import { MemoryDocumentStore } from '../support/memoryStore';

const refOf = (n: number): PersonRef => ({
  personKey: `test/person-${n}`,
  userStateKey: `test/users/person-${n}/`,
  conversationStateKey: `test/conversations/c-${n}/`,
  conversationKey: `test/c-${n}`,
});

describe('retention (RETENTION_DAYS)', () => {
  it('erases every store of people inactive longer than the retention period, and only them', async () => {
    const store = new MemoryDocumentStore();
    const data = new DocumentPersonDataService(store, { pseudonymSecret: 's', publicBaseUrl: () => 'http://127.0.0.1' });
    const retention = new Retention(store, data, 365, silentLogger);
    const old = refOf(1);
    const recent = refOf(2);
    for (const ref of [old, recent]) {
      await store.upsert('people', ref.personKey, 'plan', { means: ['walk'] });
      await store.upsert('state', ref.userStateKey, ref.userStateKey, { profile: { locale: 'fr-CA' } });
    }
    await retention.noteActive(old, new Date('2025-01-01T12:00:00Z'));
    await retention.noteActive(recent, new Date('2026-11-01T12:00:00Z'));

    expect(await retention.purge(new Date('2026-11-23T00:00:00Z'))).toBe(1);
    expect(await store.listPartition('people', old.personKey)).toEqual([]);
    expect(await store.get('state', old.userStateKey, old.userStateKey)).toBeUndefined();
    expect((await store.listPartition('people', recent.personKey)).map((d) => d.id).sort()).toEqual(['activity', 'plan']);
    expect(await store.get('state', recent.userStateKey, recent.userStateKey)).toBeDefined();
  });

  it('notes activity at most once a day per person', async () => {
    const store = new MemoryDocumentStore();
    const retention = new Retention(store, { erase: async () => ({ deleted: {} }) }, 365, silentLogger);
    const ref = refOf(3);
    await retention.noteActive(ref, new Date('2026-11-23T08:00:00Z'));
    const first = await store.get('people', ref.personKey, 'activity');
    await retention.noteActive(ref, new Date('2026-11-23T20:00:00Z'));
    expect((await store.get('people', ref.personKey, 'activity'))?.etag).toBe(first?.etag);
    await retention.noteActive(ref, new Date('2026-11-24T09:00:00Z'));
    expect((await store.get<{ lastActiveAt: string }>('people', ref.personKey, 'activity'))?.body.lastActiveAt).toBe('2026-11-24T09:00:00.000Z');
  });
});
