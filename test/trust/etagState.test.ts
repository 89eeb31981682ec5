/**
 * The optimistic-concurrency drop-in (bot/hardening/etagState.ts) in detail: conditional writes,
 * the three-way merge of user state, held replies released at once by a crisis, erasure never
 * undone, and the behaviour outside a runner. The multi-instance races are in multiInstance.test.ts.
 */
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import {
  CREATE_ONLY_ETAG,
  EtagConversationState,
  EtagUserState,
  mergeThreeWay,
  OptimisticStorage,
  OptimisticTurns,
  StateConflictError,
} from '../../bot/hardening/etagState';
import { createLogger } from '../../bot/observability/logger';
import { PreconditionFailedError } from '../../core/ports/documentStore';
import { MemoryDocumentStore } from '../support/memoryStore';

function turn(text = 'hi', conversationId = 'c1', userId = 'u1'): { adapter: TestAdapter; context: TurnContext } {
  const adapter = new TestAdapter();
  const activity = { type: 'message', text, channelId: 'test', conversation: { id: conversationId }, from: { id: userId }, recipient: { id: 'bot' }, serviceUrl: 'http://127.0.0.1:9' } as Activity;
  return { adapter, context: new TurnContext(adapter, activity) };
}

const sentTexts = (adapter: TestAdapter): string[] => adapter.activeQueue.map((a) => String(a.text ?? a.name ?? a.type));

describe('three-way merge', () => {
  it('keeps our changes and theirs, field by field, at any depth', () => {
    const base = { profile: { locale: 'fr-CA', consents: { store: { granted: true }, share: { granted: false } } }, other: 1 };
    const ours = { profile: { locale: 'fr-CA', timeZone: 'America/Halifax', consents: { store: { granted: true }, share: { granted: true } } }, other: 1 };
    const theirs = { profile: { locale: 'en-CA', consents: { store: { granted: true }, share: { granted: false } } }, other: 2 };
    expect(mergeThreeWay(base, ours, theirs)).toEqual({ profile: { locale: 'en-CA', timeZone: 'America/Halifax', consents: { store: { granted: true }, share: { granted: true } } }, other: 2 });
  });

  it('lets our removal and their removal stick, and ours win where both changed the same value', () => {
    expect(mergeThreeWay({ a: 1, b: 2, c: 3 }, { a: 1, c: 30 }, { a: 10, b: 2, c: 31 })).toEqual({ a: 10, c: 30 });
    expect(mergeThreeWay({ list: [1] }, { list: [1, 2] }, { list: [1, 3] })).toEqual({ list: [1, 2] });
  });
});

describe('OptimisticStorage', () => {
  it('creates, replaces with the eTag it was given, refuses stale writes, and hands back the new eTag', async () => {
    const storage = new OptimisticStorage(new MemoryDocumentStore());
    const item: Record<string, unknown> = { n: 1, eTag: CREATE_ONLY_ETAG };
    await storage.write({ k: item });
    const first = item.eTag as string;
    expect(first).not.toBe(CREATE_ONLY_ETAG);
    await expect(storage.write({ k: { n: 2, eTag: CREATE_ONLY_ETAG } })).rejects.toBeInstanceOf(PreconditionFailedError);
    item.n = 2;
    await storage.write({ k: item });
    expect(item.eTag).not.toBe(first);
    await expect(storage.write({ k: { n: 3, eTag: first } })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await storage.read(['k'])).k).toMatchObject({ n: 2, eTag: item.eTag });
    await storage.delete(['k']);
    await expect(storage.write({ k: { n: 4, eTag: item.eTag } })).rejects.toBeInstanceOf(PreconditionFailedError); // erased: not resurrected
    await storage.write({ k: { n: 5, eTag: '*' } });
    expect((await storage.read(['k'])).k).toMatchObject({ n: 5 });
  });

  it('is required by the Etag states (they need the new eTag back)', () => {
    expect(() => new EtagConversationState({ read: async () => ({}), write: async () => undefined, delete: async () => undefined })).toThrow(TypeError);
  });
});

describe('Etag states and the turn runner', () => {
  it('re-runs a turn whose conversation state changed underneath, sending only the second run\'s replies', async () => {
    const store = new MemoryDocumentStore();
    const storage = new OptimisticStorage(store);
    const conversationState = new EtagConversationState(storage);
    const userState = new EtagUserState(storage);
    const counter = conversationState.createProperty<number>('counter');
    const turns = new OptimisticTurns({ states: [conversationState, userState] });

    // Someone else's turn, committed while ours is running.
    const other = turn();
    let interfere = true;
    const bot = async (context: TurnContext) => {
      const n = await counter.get(context, 0);
      if (interfere) {
        interfere = false;
        await counter.set(other.context, (await counter.get(other.context, 0)) + 1);
        await conversationState.saveChanges(other.context);
      }
      await counter.set(context, n + 1);
      await context.sendActivity(`counter ${n + 1}`);
      await conversationState.saveChanges(context);
    };
    const ours = turn();
    await turns.run(ours.context, bot);
    expect(sentTexts(ours.adapter)).toEqual(['counter 2']);
    expect(turns.counts.retried).toBe(1);
    const stored = await storage.read(['test/conversations/c1/']);
    expect(stored['test/conversations/c1/']).toMatchObject({ counter: 2 });
  });

  it('sends held replies at once when the turn raises a crisis (handoff event), before its state is saved', async () => {
    const store = new MemoryDocumentStore();
    const storage = new OptimisticStorage(store);
    const conversationState = new EtagConversationState(storage);
    const turns = new OptimisticTurns({ states: [conversationState] });
    const { adapter, context } = turn();
    let sentBeforeSave: string[] = [];
    await turns.run(context, async (c) => {
      await conversationState.createProperty<string>('x').set(c, 'y');
      await c.sendActivity('menu reply');
      await c.sendActivities([{ type: 'message', text: 'crisis lines' }]);
      await c.sendActivity({ type: 'event', name: 'handoff.initiate' });
      sentBeforeSave = sentTexts(adapter);
      store.pause(); // a hung database
      const saving = conversationState.saveChanges(c);
      await new Promise((resolve) => setTimeout(resolve, 20));
      store.resume();
      await saving;
    });
    expect(sentBeforeSave).toEqual(['menu reply', 'crisis lines', 'handoff.initiate']);
  });

  it('releases what it held before an ordinary failure, so the error reply comes after what the turn said', async () => {
    const storage = new OptimisticStorage(new MemoryDocumentStore());
    const conversationState = new EtagConversationState(storage);
    const turns = new OptimisticTurns({ states: [conversationState] });
    const { adapter, context } = turn();
    await expect(
      turns.run(context, async (c) => {
        await c.sendActivity('before');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(sentTexts(adapter)).toEqual(['before']);
  });

  it('merges user state changed by another conversation, and never writes back state erased meanwhile', async () => {
    const store = new MemoryDocumentStore();
    const storage = new OptimisticStorage(store);
    const userState = new EtagUserState(storage);
    const profile = userState.createProperty<Record<string, string>>('profile');
    const turns = new OptimisticTurns({ states: [userState] });
    const key = 'test/users/u1/';
    await storage.write({ [key]: { profile: { locale: 'fr-CA' }, eTag: '*' } });

    const { context } = turn('a', 'c1');
    await turns.run(context, async (c) => {
      const p = await profile.get(c, {});
      p.timeZone = 'America/Halifax';
      await profile.set(c, p);
      // Meanwhile, in another conversation of the same person:
      const elsewhere = turn('b', 'c2');
      const q = await profile.get(elsewhere.context, {});
      q.locale = 'en-CA';
      await profile.set(elsewhere.context, q);
      await userState.saveChanges(elsewhere.context);
      await userState.saveChanges(c);
    });
    expect((await storage.read([key]))[key]).toMatchObject({ profile: { locale: 'en-CA', timeZone: 'America/Halifax' } });

    const lines: string[] = [];
    const watched = new EtagUserState(storage, { logger: createLogger('debug', (line) => lines.push(line)) });
    const watchedProfile = watched.createProperty<Record<string, string>>('profile');
    const late = turn('c', 'c1');
    const p = await watchedProfile.get(late.context, {});
    p.timeZone = 'America/Vancouver';
    await storage.delete([key]); // "oublie-moi" in another conversation
    await watched.saveChanges(late.context);
    expect(await storage.read([key])).toEqual({});
    expect(lines.join('\n')).toContain('state_dropped_after_erasure');
  });

  it('outside a runner, keeps the old behaviour on a conflict (last writer wins) and says so in the logs', async () => {
    const storage = new OptimisticStorage(new MemoryDocumentStore());
    const lines: string[] = [];
    const conversationState = new EtagConversationState(storage, { logger: createLogger('debug', (line) => lines.push(line)) });
    const x = conversationState.createProperty<number>('x');
    const one = turn();
    const two = turn();
    await x.get(one.context, 0);
    await x.get(two.context, 0);
    await x.set(two.context, 2);
    await conversationState.saveChanges(two.context);
    await x.set(one.context, 1);
    await conversationState.saveChanges(one.context);
    expect((await storage.read(['test/conversations/c1/']))['test/conversations/c1/']).toMatchObject({ x: 1 });
    expect(lines.join('\n')).toContain('state_conflict_overwritten');
  });

  it('gives up after the allowed re-runs with a StateConflictError and no stale replies', async () => {
    const storage = new OptimisticStorage(new MemoryDocumentStore());
    const conversationState = new EtagConversationState(storage);
    const x = conversationState.createProperty<number>('x');
    const turns = new OptimisticTurns({ states: [conversationState], maxRetries: 1 });
    const { adapter, context } = turn();
    await expect(
      turns.run(context, async (c) => {
        const n = await x.get(c, 0);
        const rival = turn();
        await x.set(rival.context, (await x.get(rival.context, 0)) + 100);
        await conversationState.saveChanges(rival.context);
        await x.set(c, n + 1);
        await c.sendActivity(`stale ${n + 1}`);
        await conversationState.saveChanges(c);
      }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(sentTexts(adapter)).toEqual([]);
    await context.sendActivity('error reply');
    expect(sentTexts(adapter)).toEqual(['error reply']);
  });
});
