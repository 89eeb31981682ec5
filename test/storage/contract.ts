/**
 * The one contract every DocumentStore passes (file store, Cosmos store), plus the contract of
 * the Bot Framework Storage adapter on top of it. Each store's test file calls
 * `describeDocumentStoreContract` with a factory giving a fresh, empty store.
 */
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import { BotFrameworkStorage } from '../../adapters/storage/botFrameworkStorage';

export interface StoreUnderTest {
  readonly store: DocumentStore;
  /** Removes whatever the store left behind (temp folder, database). */
  readonly cleanup: () => Promise<void>;
}

/** Keys that break naive encodings: separators, URL syntax, dot segments, case, unicode, length. */
export const ODD_KEYS: readonly string[] = [
  'a/b',
  '/leading/slash',
  'back\\slash',
  'what?x=1',
  'hash#tag',
  '..',
  '.',
  '../../escape',
  'Abc',
  'abc',
  'per%2Fcent',
  'tilde~',
  '~starts-with-tilde',
  ' spaced out ',
  'line\nbreak\ttab',
  'con',
  'NUL',
  'émile-ça-été',
  '日本語のキー',
  '😀🧠💬',
  'x'.repeat(300),
  'é'.repeat(300),
  '😀'.repeat(300),
  `${'y'.repeat(299)}/`,
  'msteams/conversations/19:abc@thread.v2;messageid=1',
];

type Counter = { n: number };

export function describeDocumentStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name}: DocumentStore contract`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      await store.init();
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    test('init is idempotent', async () => {
      await store.init();
      await store.upsert('people', 'p', 'x', { ok: true });
      await store.init();
      expect((await store.get('people', 'p', 'x'))?.body).toEqual({ ok: true });
    });

    test('get of a missing document is undefined', async () => {
      expect(await store.get('people', 'nobody', 'nothing')).toBeUndefined();
      await store.create('people', 'somebody', 'doc', { a: 1 });
      expect(await store.get('people', 'somebody', 'other')).toBeUndefined();
      expect(await store.get('people', 'other', 'doc')).toBeUndefined();
      expect(await store.get('state', 'somebody', 'doc')).toBeUndefined();
    });

    test('create then get returns the same document', async () => {
      const created = await store.create('people', 'p1', 'profile', { name: 'Léa', age: 31 });
      expect(created).toEqual({ id: 'profile', partitionKey: 'p1', etag: expect.any(String), body: { name: 'Léa', age: 31 } });
      expect(created.etag.length).toBeGreaterThan(0);
      expect(await store.get('people', 'p1', 'profile')).toEqual(created);
    });

    test('create of an existing document fails with ConflictError and changes nothing', async () => {
      const first = await store.create('people', 'p1', 'profile', { v: 1 });
      await expect(store.create('people', 'p1', 'profile', { v: 2 })).rejects.toBeInstanceOf(ConflictError);
      expect(await store.get('people', 'p1', 'profile')).toEqual(first);
    });

    test('the same id in another partition or collection is another document', async () => {
      await store.create('people', 'p1', 'doc', { where: 'people/p1' });
      await store.create('people', 'p2', 'doc', { where: 'people/p2' });
      await store.create('jobs', 'p1', 'doc', { where: 'jobs/p1' });
      expect((await store.get('people', 'p1', 'doc'))?.body).toEqual({ where: 'people/p1' });
      expect((await store.get('people', 'p2', 'doc'))?.body).toEqual({ where: 'people/p2' });
      expect((await store.get('jobs', 'p1', 'doc'))?.body).toEqual({ where: 'jobs/p1' });
    });

    test('replace with the current etag succeeds and changes the etag', async () => {
      const v1 = await store.create('people', 'p1', 'doc', { v: 1 });
      const v2 = await store.replace('people', 'p1', 'doc', { v: 2 }, v1.etag);
      expect(v2.body).toEqual({ v: 2 });
      expect(v2.etag).not.toBe(v1.etag);
      expect(await store.get('people', 'p1', 'doc')).toEqual(v2);
      const v3 = await store.replace('people', 'p1', 'doc', { v: 3 }, v2.etag);
      expect(v3.etag).not.toBe(v2.etag);
    });

    test('replace with a stale etag fails with PreconditionFailedError and keeps the stored body', async () => {
      const v1 = await store.create('people', 'p1', 'doc', { v: 1 });
      const v2 = await store.replace('people', 'p1', 'doc', { v: 2 }, v1.etag);
      await expect(store.replace('people', 'p1', 'doc', { v: 'lost update' }, v1.etag)).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
      await expect(store.replace('people', 'p1', 'doc', { v: 'made up' }, 'not-an-etag')).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
      expect(await store.get('people', 'p1', 'doc')).toEqual(v2);
    });

    test('replace of a missing document fails with NotFoundError and creates nothing', async () => {
      const other = await store.create('people', 'p1', 'other', { v: 1 });
      await expect(store.replace('people', 'p1', 'missing', { v: 1 }, other.etag)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.replace('people', 'p9', 'missing', { v: 1 }, other.etag)).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.get('people', 'p1', 'missing')).toBeUndefined();
    });

    test('upsert creates, then overwrites without an etag', async () => {
      const a = await store.upsert('outbox', 'o', 'msg', { try: 1 });
      expect(await store.get('outbox', 'o', 'msg')).toEqual(a);
      const b = await store.upsert('outbox', 'o', 'msg', { try: 2 });
      expect(b.etag).not.toBe(a.etag);
      expect(await store.get('outbox', 'o', 'msg')).toEqual(b);
      // An etag read before the upsert is now stale.
      await expect(store.replace('outbox', 'o', 'msg', { try: 3 }, a.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
    });

    test('delete without etag removes the document; deleting nothing returns false', async () => {
      await store.create('jobs', 'bucket', 'job', { due: 'x' });
      expect(await store.delete('jobs', 'bucket', 'job')).toBe(true);
      expect(await store.get('jobs', 'bucket', 'job')).toBeUndefined();
      expect(await store.delete('jobs', 'bucket', 'job')).toBe(false);
      expect(await store.delete('jobs', 'never', 'was')).toBe(false);
      // Deleted documents can be created again.
      await store.create('jobs', 'bucket', 'job', { due: 'y' });
      expect((await store.get('jobs', 'bucket', 'job'))?.body).toEqual({ due: 'y' });
    });

    test('delete with an etag is conditional', async () => {
      const v1 = await store.create('jobs', 'bucket', 'job', { v: 1 });
      const v2 = await store.replace('jobs', 'bucket', 'job', { v: 2 }, v1.etag);
      await expect(store.delete('jobs', 'bucket', 'job', v1.etag)).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await store.get('jobs', 'bucket', 'job')).toEqual(v2);
      expect(await store.delete('jobs', 'bucket', 'job', v2.etag)).toBe(true);
      expect(await store.get('jobs', 'bucket', 'job')).toBeUndefined();
      expect(await store.delete('jobs', 'bucket', 'job', v2.etag)).toBe(false);
    });

    test('listPartition returns exactly the documents of that partition and collection', async () => {
      await store.create('people', 'alice', 'profile', { n: 'alice' });
      await store.create('people', 'alice', 'journal-1', { n: 'a1' });
      await store.create('people', 'alice', 'journal-2', { n: 'a2' });
      await store.create('people', 'bob', 'profile', { n: 'bob' });
      await store.create('state', 'alice', 'profile', { n: 'state-alice' });
      const alice = await store.listPartition<{ n: string }>('people', 'alice');
      expect(byId(alice).map((d) => [d.id, d.partitionKey, d.body.n])).toEqual([
        ['journal-1', 'alice', 'a1'],
        ['journal-2', 'alice', 'a2'],
        ['profile', 'alice', 'alice'],
      ]);
      for (const doc of alice) expect(await store.get('people', 'alice', doc.id)).toEqual(doc);
      expect((await store.listPartition('people', 'bob')).map((d) => d.id)).toEqual(['profile']);
      expect(await store.listPartition('people', 'carol')).toEqual([]);
    });

    test('deletePartition removes only that partition and counts what it removed', async () => {
      await store.create('people', 'alice', 'a', { x: 1 });
      await store.create('people', 'alice', 'b', { x: 2 });
      await store.create('people', 'alice', 'c', { x: 3 });
      await store.create('people', 'bob', 'a', { x: 4 });
      await store.create('state', 'alice', 'a', { x: 5 });
      expect(await store.deletePartition('people', 'alice')).toBe(3);
      expect(await store.listPartition('people', 'alice')).toEqual([]);
      expect(await store.get('people', 'alice', 'a')).toBeUndefined();
      expect((await store.get('people', 'bob', 'a'))?.body).toEqual({ x: 4 });
      expect((await store.get('state', 'alice', 'a'))?.body).toEqual({ x: 5 });
      expect(await store.deletePartition('people', 'alice')).toBe(0);
      expect(await store.deletePartition('people', 'nobody')).toBe(0);
      // The partition can be used again afterwards.
      await store.create('people', 'alice', 'a', { x: 6 });
      expect((await store.listPartition('people', 'alice')).map((d) => d.body)).toEqual([{ x: 6 }]);
    });

    test('query fieldAtMost compares within a type, across partitions, skipping missing fields', async () => {
      await store.create('jobs', 'b1', 'j1', { dueAt: '2025-01-01T08:00:00.000Z' });
      await store.create('jobs', 'b2', 'j2', { dueAt: '2025-01-02T08:00:00.000Z' });
      await store.create('jobs', 'b3', 'j3', { dueAt: '2025-01-03T08:00:00.000Z' });
      await store.create('jobs', 'b1', 'j4', { other: true });
      await store.create('jobs', 'b2', 'j5', { dueAt: 5 });
      await store.create('people', 'b1', 'p1', { dueAt: '2000-01-01T00:00:00.000Z' });
      const due = await store.query('jobs', { fieldAtMost: { field: 'dueAt', value: '2025-01-02T08:00:00.000Z' } });
      expect(ids(due)).toEqual(['j1', 'j2']);
      expect(byId(due)[1]).toEqual(await store.get('jobs', 'b2', 'j2'));
      expect(ids(await store.query('jobs', { fieldAtMost: { field: 'dueAt', value: 10 } }))).toEqual(['j5']);
      expect(ids(await store.query('jobs', { fieldAtMost: { field: 'dueAt', value: 4 } }))).toEqual([]);
      expect(ids(await store.query('jobs', { fieldAtMost: { field: 'dueAt', value: '2024-12-31' } }))).toEqual([]);
    });

    test('query fieldEquals matches strings, numbers, booleans and null exactly', async () => {
      await store.create('outbox', 'c1', 'm1', { status: 'pending', attempts: 0, urgent: true, sentAt: null });
      await store.create('outbox', 'c2', 'm2', { status: 'pending', attempts: 2, urgent: false, sentAt: null });
      await store.create('outbox', 'c2', 'm3', { status: 'sent', attempts: 1, urgent: true, sentAt: '2025-01-01' });
      await store.create('outbox', 'c3', 'm4', { status: 'PENDING' });
      expect(ids(await store.query('outbox', { fieldEquals: { field: 'status', value: 'pending' } }))).toEqual(['m1', 'm2']);
      expect(ids(await store.query('outbox', { fieldEquals: { field: 'attempts', value: 2 } }))).toEqual(['m2']);
      expect(ids(await store.query('outbox', { fieldEquals: { field: 'urgent', value: true } }))).toEqual(['m1', 'm3']);
      expect(ids(await store.query('outbox', { fieldEquals: { field: 'sentAt', value: null } }))).toEqual(['m1', 'm2']);
      expect(ids(await store.query('outbox', { fieldEquals: { field: 'attempts', value: '2' } }))).toEqual([]);
      expect(ids(await store.query('outbox', {}))).toEqual(['m1', 'm2', 'm3', 'm4']);
    });

    test('query combines clauses and honours limit', async () => {
      for (let i = 0; i < 8; i += 1) {
        await store.create('jobs', `bucket-${i % 3}`, `job-${i}`, { kind: i % 2 === 0 ? 'even' : 'odd', dueAt: `2025-01-0${i + 1}` });
      }
      const evenDue = await store.query('jobs', {
        fieldEquals: { field: 'kind', value: 'even' },
        fieldAtMost: { field: 'dueAt', value: '2025-01-05' },
      });
      expect(ids(evenDue)).toEqual(['job-0', 'job-2', 'job-4']);
      const limited = await store.query('jobs', { fieldEquals: { field: 'kind', value: 'even' }, limit: 2 });
      expect(limited).toHaveLength(2);
      for (const doc of limited) expect(['job-0', 'job-2', 'job-4', 'job-6']).toContain(doc.id);
      expect(await store.query('jobs', { limit: 100 })).toHaveLength(8);
      expect(await store.query('jobs', { limit: 0 })).toEqual([]);
    });

    test('query refuses field names that are not plain identifiers', async () => {
      for (const field of ['a.b', 'x"] OR 1=1 --', '1abc', '', 'a b', 'c.body', "x'"]) {
        await expect(store.query('jobs', { fieldEquals: { field, value: 1 } })).rejects.toBeInstanceOf(TypeError);
        await expect(store.query('jobs', { fieldAtMost: { field, value: 1 } })).rejects.toBeInstanceOf(TypeError);
      }
      await expect(store.query('jobs', { limit: -1 })).rejects.toBeInstanceOf(TypeError);
      await expect(store.query('jobs', { limit: 1.5 })).rejects.toBeInstanceOf(TypeError);
    });

    test('a SQL keyword is a valid field name', async () => {
      await store.create('jobs', 'b', 'j', { value: 3, select: 'x' });
      expect(ids(await store.query('jobs', { fieldAtMost: { field: 'value', value: 3 } }))).toEqual(['j']);
      expect(ids(await store.query('jobs', { fieldEquals: { field: 'select', value: 'x' } }))).toEqual(['j']);
    });

    test('empty keys and unknown collections are rejected', async () => {
      await expect(store.get('people', '', 'x')).rejects.toBeInstanceOf(TypeError);
      await expect(store.create('people', 'p', '', {})).rejects.toBeInstanceOf(TypeError);
      await expect(store.get('nope' as never, 'p', 'x')).rejects.toBeInstanceOf(TypeError);
      await expect(store.upsert('people', 'p', 'x', undefined)).rejects.toBeInstanceOf(TypeError);
    });

    test('odd ids and partition keys round-trip through every operation', async () => {
      for (const key of ODD_KEYS) {
        const created = await store.create('people', key, key, { key });
        expect(created.id).toBe(key);
        expect(created.partitionKey).toBe(key);
        expect(await store.get('people', key, key)).toEqual(created);
        const replaced = await store.replace('people', key, key, { key, v: 2 }, created.etag);
        expect(await store.listPartition('people', key)).toEqual([replaced]);
      }
      // Keys are case-sensitive and distinct even when an encoding could merge them.
      expect((await store.get('people', 'Abc', 'Abc'))?.body).toEqual({ key: 'Abc', v: 2 });
      expect((await store.get('people', 'abc', 'abc'))?.body).toEqual({ key: 'abc', v: 2 });
      expect(await store.get('people', 'Abc', 'abc')).toBeUndefined();
      // Many odd ids within one partition.
      for (const key of ODD_KEYS) await store.create('state', 'one-partition', key, { key });
      const listed = await store.listPartition<{ key: string }>('state', 'one-partition');
      expect(listed.map((d) => d.id).sort()).toEqual([...ODD_KEYS].sort());
      for (const doc of listed) expect(doc.body.key).toBe(doc.id);
      const queried = await store.query<{ key: string }>('people', { fieldEquals: { field: 'v', value: 2 } });
      expect(queried.map((d) => [d.id, d.partitionKey]).sort()).toEqual(ODD_KEYS.map((k) => [k, k]).sort());
      for (const key of ODD_KEYS) expect(await store.delete('people', key, key)).toBe(true);
      expect(await store.deletePartition('state', 'one-partition')).toBe(ODD_KEYS.length);
      expect(await store.query('people', {})).toEqual([]);
      expect(await store.listPartition('state', 'one-partition')).toEqual([]);
    });

    test('bodies round-trip exactly: nesting, arrays, unicode, numbers, null, non-object bodies', async () => {
      const body = {
        text: 'Bonjour, ça va? 🌱 — “citation” \u2028 \\ "quotes" \n new line',
        nested: { deeper: { deepest: [1, 'two', { three: 3 }, [4, [5]], null, true, false] } },
        numbers: [0, -1, 1.5, -2.25e-7, Number.MAX_SAFE_INTEGER, 1e21],
        empty: { object: {}, array: [], string: '' },
        'dotted.key': 1,
        $dollar: 2,
        _underscore: 3,
        id: 'not the document id',
        pk: 'not the partition key',
        etag: 'not the etag',
        日本: '語',
      };
      await store.create('people', 'p', 'rich', body);
      expect((await store.get('people', 'p', 'rich'))?.body).toEqual(body);
      expect((await store.listPartition('people', 'p'))[0]?.body).toEqual(body);
      for (const [id, value] of [
        ['array', [1, { a: 2 }]],
        ['string', 'just a string'],
        ['number', 42],
        ['null', null],
        ['boolean', false],
      ] as const) {
        await store.create('people', 'scalars', id, value);
        expect((await store.get('people', 'scalars', id))?.body).toEqual(value);
      }
    });

    test('concurrent replace with the same etag: exactly one wins', async () => {
      const v1 = await store.create<Counter>('state', 'race', 'doc', { n: 0 });
      const attempts = Array.from({ length: 10 }, (_, i) => store.replace<Counter>('state', 'race', 'doc', { n: i + 1 }, v1.etag));
      const outcomes = await Promise.allSettled(attempts);
      const winners = outcomes.filter((o): o is PromiseFulfilledResult<StoredDocument<Counter>> => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const loser of losers) expect(loser.reason).toBeInstanceOf(PreconditionFailedError);
      expect(await store.get('state', 'race', 'doc')).toEqual(winners[0].value);
    });

    test('concurrent create of the same id: exactly one wins', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.create('state', 'race', 'new', { by: i })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
    });

    test('concurrent increments with a retry loop lose no increment', async () => {
      await store.create<Counter>('state', 'counter', 'doc', { n: 0 });
      const workers = 5;
      const perWorker = 8;
      let retries = 0;
      const increment = async (): Promise<void> => {
        for (;;) {
          const current = await store.get<Counter>('state', 'counter', 'doc');
          if (!current) throw new Error('counter vanished');
          try {
            await store.replace<Counter>('state', 'counter', 'doc', { n: current.body.n + 1 }, current.etag);
            return;
          } catch (error) {
            if (!(error instanceof PreconditionFailedError)) throw error;
            retries += 1;
          }
        }
      };
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let i = 0; i < perWorker; i += 1) await increment();
        }),
      );
      expect((await store.get<Counter>('state', 'counter', 'doc'))?.body.n).toBe(workers * perWorker);
      expect(retries).toBeGreaterThanOrEqual(0);
    });
  });

  describe(`${name}: Bot Framework Storage adapter`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    let storage: BotFrameworkStorage;
    const convKey = 'msteams/conversations/19:abc@thread.v2';
    const userKey = 'msteams/users/29:1xyz';

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      await store.init();
      storage = new BotFrameworkStorage(store);
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    test('read of unknown keys returns nothing for them', async () => {
      expect(await storage.read([convKey, userKey])).toEqual({});
      expect(await storage.read([])).toEqual({});
    });

    test('write then read returns the items with an eTag, stored in the state collection', async () => {
      await storage.write({ [convKey]: { dialogStack: [{ id: 'root' }], turns: 1 }, [userKey]: { locale: 'fr-CA' } });
      const items = await storage.read([convKey, userKey, 'msteams/users/other']);
      expect(Object.keys(items).sort()).toEqual([convKey, userKey].sort());
      expect(items[convKey]).toEqual({ dialogStack: [{ id: 'root' }], turns: 1, eTag: expect.any(String) });
      expect(items[userKey]).toEqual({ locale: 'fr-CA', eTag: expect.any(String) });
      // The eTag is metadata, not saved inside the state; the key is its own partition.
      const raw = await store.get('state', convKey, convKey);
      expect(raw?.body).toEqual({ dialogStack: [{ id: 'root' }], turns: 1 });
      expect(raw?.etag).toBe(items[convKey].eTag);
    });

    test('write with the current eTag succeeds; a stale eTag fails and keeps the stored item', async () => {
      await storage.write({ [convKey]: { turns: 1 } });
      const first = (await storage.read([convKey]))[convKey];
      await storage.write({ [convKey]: { ...first, turns: 2 } });
      const second = (await storage.read([convKey]))[convKey];
      expect(second.turns).toBe(2);
      expect(second.eTag).not.toBe(first.eTag);
      await expect(storage.write({ [convKey]: { ...first, turns: 99 } })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect((await storage.read([convKey]))[convKey]).toEqual(second);
    });

    test("eTag '*' or no eTag writes unconditionally", async () => {
      await storage.write({ [convKey]: { turns: 1 } });
      await storage.write({ [convKey]: { turns: 2, eTag: '*' } });
      expect((await storage.read([convKey]))[convKey].turns).toBe(2);
      await storage.write({ [convKey]: { turns: 3 } });
      expect((await storage.read([convKey]))[convKey].turns).toBe(3);
      await storage.write({ 'msteams/conversations/new': { turns: 1, eTag: '*' } });
      expect((await storage.read(['msteams/conversations/new']))['msteams/conversations/new'].turns).toBe(1);
    });

    test('a write with an eTag does not resurrect an item deleted meanwhile', async () => {
      await storage.write({ [userKey]: { locale: 'fr-CA' } });
      const read = (await storage.read([userKey]))[userKey];
      await storage.delete([userKey]);
      await expect(storage.write({ [userKey]: { ...read, locale: 'en-CA' } })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await storage.read([userKey])).toEqual({});
    });

    test('delete removes items and ignores missing ones', async () => {
      await storage.write({ [convKey]: { a: 1 }, [userKey]: { b: 2 } });
      await storage.delete([convKey, 'msteams/conversations/never']);
      const items = await storage.read([convKey, userKey]);
      expect(Object.keys(items)).toEqual([userKey]);
      expect(await store.get('state', convKey, convKey)).toBeUndefined();
    });

    test('two turns writing from the same read: exactly one wins', async () => {
      await storage.write({ [convKey]: { turns: 1 } });
      const read = (await storage.read([convKey]))[convKey];
      const outcomes = await Promise.allSettled([
        storage.write({ [convKey]: { ...read, turns: 2, by: 'a' } }),
        storage.write({ [convKey]: { ...read, turns: 2, by: 'b' } }),
        storage.write({ [convKey]: { ...read, turns: 2, by: 'c' } }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PreconditionFailedError);
    });
  });
}

function byId<T>(docs: StoredDocument<T>[]): StoredDocument<T>[] {
  return [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function ids(docs: StoredDocument<unknown>[]): string[] {
  return docs.map((d) => d.id).sort();
}
