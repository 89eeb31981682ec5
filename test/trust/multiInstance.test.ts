/**
 * Several instances behind one database (a real Cosmos-protocol server), over real HTTP:
 * - three Petits pas instances (each its own DATA_DIR for the spool, one shared counting notifier):
 *   every escalation is delivered exactly once, also when a channel retries the same crisis
 *   activity on all instances at once;
 * - concurrent turns of one person on two instances never lose an answer with the optimistic
 *   concurrency drop-in (bot/hardening/etagState.ts), where the SDK's default (eTag '*') does —
 *   shown on a small bot on the same HTTP stack, races made deterministic by a read barrier;
 * - the same race on Petits pas itself, expected to lose an answer until bot/app.ts wires the
 *   drop-in (test.failing: flip it to test() in the same change).
 */
import { randomUUID } from 'node:crypto';
import { LoopbackClient, runBounded } from '../../bench/loadClient';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { hardeningOf } from '../../bot/hardening';
import type { CosmosDocumentStore } from '../../adapters/storage/cosmosStore';
import type { DocumentStore } from '../../core/ports/documentStore';
import { RecordingNotifier } from '../support/escalations';
import { testConfig } from '../support/http';
import { messageActivity, repliesOf, say, textOf, type Ids } from './support/activities';
import { BarrierStore, ReadBarrier } from './support/barrierStore';
import { cosmosStoreVia, startPlainCosmos, type PlainCosmos } from './support/cosmosFaults';
import { startNotesInstance, type NotesInstance } from './support/notesBot';

let cosmos: PlainCosmos;
beforeAll(async () => {
  cosmos = await startPlainCosmos();
});
afterAll(async () => {
  await cosmos?.close();
});

interface Instance {
  readonly app: RunningApp;
  readonly client: LoopbackClient;
  readonly store: CosmosDocumentStore;
  close(): Promise<void>;
}

async function startInstances(count: number, databaseId: string, notifier: RecordingNotifier, barrier?: ReadBarrier): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const store = cosmosStoreVia(cosmos.endpoint, databaseId, { requestTimeoutMs: 5_000, operationTimeoutMs: 10_000 });
    await store.init();
    const env = testConfig(); // its own DATA_DIR, hence its own spool
    const app = await startPetitsPas(env.config, { store: barrier ? (new BarrierStore(store, barrier) as DocumentStore) : store, notifiers: { primary: notifier }, startScheduler: false });
    hardeningOf(app.server)?.setRateLimit(false);
    const client = new LoopbackClient(app.url, { maxSockets: 8 });
    instances.push({
      app,
      client,
      store,
      close: async () => {
        client.close();
        await app.stop();
        env.cleanup();
      },
    });
  }
  return instances;
}

describe('three Petits pas instances, one database', () => {
  let instances: Instance[];
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    instances = await startInstances(3, `multi-${randomUUID()}`, notifier);
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((i) => i.close()));
  });
  const settled = () => Promise.all(instances.map((i) => i.app.escalationsSettled()));

  it('delivers every escalation exactly once, whichever instance took the message', async () => {
    const before = notifier.messages.length;
    await runBounded(12, 6, async (n) => {
      const ids = { conversationId: `multi-crisis-${n}`, userId: `multi-person-${n}` };
      const instance = instances[n % 3];
      const answer = await say(instance.client, n % 2 ? 'je veux mourir' : 'I want to kill myself', ids, { locale: n % 2 ? 'fr-CA' : 'en-CA' });
      expect(answer.status).toBe(200);
    });
    await settled();
    const alerts = notifier.messages.slice(before).filter((m) => m.kind === 'alert');
    const perId = new Map<string, number>();
    for (const alert of alerts) perId.set(alert.escalation.id, (perId.get(alert.escalation.id) ?? 0) + 1);
    expect(perId.size).toBe(12);
    expect([...perId.values()].every((count) => count === 1)).toBe(true);
  });

  it('alerts once when a channel retries the same crisis activity on every instance at once', async () => {
    const before = notifier.messages.length;
    const activity = messageActivity("j'ai une corde, je vais en finir ce soir", { conversationId: 'multi-retry', userId: 'multi-retry' });
    const answers = await Promise.all(instances.map((i) => i.client.postJson('/api/messages', activity)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(textOf(repliesOf(answer))).toContain('911'); // each copy still shows the crisis lines
    }
    await settled();
    const alerts = notifier.messages.slice(before).filter((m) => m.kind === 'alert');
    expect(alerts).toHaveLength(1);
  });
});

describe('optimistic concurrency for turn state (bot/hardening/etagState) on two instances', () => {
  const notes = (text: string) => /^notes: (.*)$/.exec(text)?.[1]?.split(', ') ?? [];

  async function pair(mode: 'plain' | 'etag'): Promise<{ a: NotesInstance; b: NotesInstance; ca: LoopbackClient; cb: LoopbackClient; barrier: ReadBarrier; close(): Promise<void> }> {
    const databaseId = `etag-${mode}-${randomUUID()}`;
    const barrier = new ReadBarrier();
    const storeA = cosmosStoreVia(cosmos.endpoint, databaseId, { requestTimeoutMs: 5_000, operationTimeoutMs: 10_000 });
    await storeA.init();
    const storeB = cosmosStoreVia(cosmos.endpoint, databaseId, { requestTimeoutMs: 5_000, operationTimeoutMs: 10_000 });
    const a = await startNotesInstance(new BarrierStore(storeA, barrier), mode);
    const b = await startNotesInstance(new BarrierStore(storeB, barrier), mode);
    const ca = new LoopbackClient(a.url);
    const cb = new LoopbackClient(b.url);
    return {
      a,
      b,
      ca,
      cb,
      barrier,
      close: async () => {
        ca.close();
        cb.close();
        await Promise.all([a.close(), b.close(), storeA.close(), storeB.close()]);
      },
    };
  }

  const conversationStateRead = (id: string) => (collection: string, docId: string) => collection === 'state' && docId.includes(`/conversations/${id}`);
  const userStateRead = (collection: string, docId: string) => collection === 'state' && docId.includes('/users/');

  it('control: with the SDK default (eTag "*"), two concurrent answers on two instances lose one', async () => {
    const p = await pair('plain');
    try {
      const ids: Ids = { conversationId: 'notes-plain', userId: 'notes-plain' };
      await say(p.ca, 'start', ids);
      p.barrier.arm(conversationStateRead('notes-plain'), 2);
      await Promise.all([say(p.ca, 'A', ids), say(p.cb, 'B', ids)]);
      const after = notes((await say(p.ca, 'show', ids)).text);
      expect(after.filter((n) => n === 'A' || n === 'B')).toHaveLength(1); // one answer silently lost
    } finally {
      await p.close();
    }
  });

  it('keeps both answers: the conflicting turn is re-run on fresh state and only its second replies go out', async () => {
    const p = await pair('etag');
    try {
      const ids: Ids = { conversationId: 'notes-etag', userId: 'notes-etag' };
      await say(p.ca, 'start', ids);
      p.barrier.arm(conversationStateRead('notes-etag'), 2);
      const [ra, rb] = await Promise.all([say(p.ca, 'A', ids), say(p.cb, 'B', ids)]);
      const replies = [notes(ra.text), notes(rb.text)].sort((x, y) => x.length - y.length);
      // One turn committed first ("A" or "B" alone); the other saw it and answered with both.
      expect(replies[0]).toHaveLength(1);
      expect(replies[1]).toEqual([...replies[0], replies[0][0] === 'A' ? 'B' : 'A']);
      expect(notes((await say(p.ca, 'show', ids)).text).slice(0, 2).sort()).toEqual(['A', 'B']);
      expect((p.a.turns?.counts.retried ?? 0) + (p.b.turns?.counts.retried ?? 0)).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('merges concurrent profile answers field by field (user state), where the default loses one', async () => {
    for (const mode of ['plain', 'etag'] as const) {
      const p = await pair(mode);
      try {
        const one: Ids = { conversationId: `profile-${mode}-1`, userId: `profile-${mode}` };
        const two: Ids = { conversationId: `profile-${mode}-2`, userId: `profile-${mode}` };
        await say(p.ca, 'set locale fr-CA', one);
        p.barrier.arm(userStateRead, 2);
        await Promise.all([say(p.ca, 'set timeZone America/Halifax', one), say(p.cb, 'set locale en-CA', two)]);
        const profile = JSON.parse((await say(p.ca, 'profile', one)).text.replace(/^profile: /, '')) as Record<string, string>;
        if (mode === 'plain') expect(profile.timeZone === 'America/Halifax' && profile.locale === 'en-CA').toBe(false);
        else expect(profile).toEqual({ locale: 'en-CA', timeZone: 'America/Halifax' });
      } finally {
        await p.close();
      }
    }
  });

  it('under a free-for-all of 16 concurrent answers on two instances, every answer is kept or its sender told', async () => {
    const p = await pair('etag');
    try {
      const ids: Ids = { conversationId: 'notes-storm', userId: 'notes-storm' };
      await say(p.ca, 'start', ids);
      const told: string[] = [];
      await runBounded(16, 16, async (n) => {
        const answer = await say(n % 2 ? p.ca : p.cb, `n${n}`, ids);
        if (answer.text.startsWith('error:')) told.push(`n${n}`);
      });
      const kept = notes((await say(p.ca, 'show', ids)).text).filter((n) => n !== 'show');
      const all = Array.from({ length: 16 }, (_, n) => `n${n}`);
      expect([...kept, ...told].sort()).toEqual(all.sort());
      expect(kept.length).toBeGreaterThan(8);
    } finally {
      await p.close();
    }
  }, 60_000);
});

describe('Petits pas itself: concurrent profile answers on two instances', () => {
  // bot/app.ts wires bot/hardening/etagState: without it the profile was saved with eTag '*' and one
  // of the two answers was lost.
  test('keeps both the time zone answered in one conversation and the language changed in another', async () => {
    const notifier = new RecordingNotifier();
    const barrier = new ReadBarrier();
    const [a, b] = await startInstances(2, `multi-profile-${randomUUID()}`, notifier, barrier);
    try {
      const one: Ids = { conversationId: 'pp-profile-1', userId: 'pp-profile' };
      const two: Ids = { conversationId: 'pp-profile-2', userId: 'pp-profile' };
      for (const text of ['bonjour', 'Français', "J'accepte", 'Oui, je partage']) await say(a.client, text, one);
      barrier.arm((collection, id) => collection === 'state' && id.startsWith('test/users/pp-profile'), 2);
      const [tz, lang] = await Promise.all([say(a.client, 'Oui, heure du Québec', one), say(b.client, 'langue', two)]);
      expect(tz.status).toBe(200);
      expect(lang.status).toBe(200);
      const key = 'test/users/pp-profile/';
      const stored = await a.store.get<{ profile?: { timeZone?: string; locale?: string } }>('state', key, key);
      expect(stored?.body.profile).toMatchObject({ timeZone: 'America/Toronto', locale: 'en-CA' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);
});

