import { TurnContext, type Activity } from 'botbuilder';
import {
  ConversationReferenceStore,
  fromDto,
  PEOPLE_COLLECTION,
  REFERENCE_ID,
  toDto,
  type ConversationReferenceDto,
} from '../../adapters/proactive/conversationReference';
import { MemoryDocumentStore } from '../support/memoryStore';
import { minutes, T0, teamsReference } from './helpers';

describe('ConversationReference DTO', () => {
  test('keeps ids, tenant, type and locale; drops names and other personal fields', () => {
    const dto = toDto(teamsReference, T0);
    expect(dto).toEqual({
      schemaVersion: 1,
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      conversation: { id: 'a:1personal-chat', tenantId: 'tenant-qc', conversationType: 'personal', isGroup: false },
      user: { id: '29:1abc-user' },
      bot: { id: '28:bot-app-id' },
      locale: 'fr-CA',
      activityId: 'f:1234',
      updatedAt: T0.toISOString(),
    });
    expect(JSON.stringify(dto)).not.toMatch(/Marie|Tremblay|aadObjectId|Petits pas/);
  });

  test('round trip through JSON, as stored', () => {
    const dto = toDto(teamsReference, T0);
    const back = fromDto(JSON.parse(JSON.stringify(dto)) as ConversationReferenceDto);
    expect(back).toEqual({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      conversation: { id: 'a:1personal-chat', tenantId: 'tenant-qc', conversationType: 'personal', isGroup: false },
      user: { id: '29:1abc-user' },
      bot: { id: '28:bot-app-id' },
      locale: 'fr-CA',
      activityId: 'f:1234',
    });
    expect(toDto(back, T0)).toEqual(dto);
  });

  test('from a real incoming activity, and back onto an outgoing one with the SDK', () => {
    const incoming = {
      type: 'message',
      id: 'act-7',
      channelId: 'test',
      serviceUrl: 'http://127.0.0.1:3978/',
      from: { id: 'user-1', name: 'Jean' },
      recipient: { id: 'bot-1', name: 'bot' },
      conversation: { id: 'conv-1' },
      locale: 'en-us',
    } as Activity;
    const dto = toDto(TurnContext.getConversationReference(incoming), T0);
    expect(dto).toMatchObject({ channelId: 'test', conversation: { id: 'conv-1' }, user: { id: 'user-1' }, bot: { id: 'bot-1' }, locale: 'en-CA', activityId: 'act-7' });
    const outgoing = TurnContext.applyConversationReference({ type: 'message', text: 'Bonjour' }, fromDto(dto));
    expect(outgoing).toMatchObject({ channelId: 'test', serviceUrl: 'http://127.0.0.1:3978/', conversation: { id: 'conv-1' }, recipient: { id: 'user-1' }, from: { id: 'bot-1' } });
  });

  test('locale is normalised to one we speak, else the fallback; incomplete references are refused', () => {
    expect(toDto({ ...teamsReference, locale: 'EN_us' }, T0).locale).toBe('en-CA');
    expect(toDto({ ...teamsReference, locale: 'fr' }, T0).locale).toBe('fr-CA');
    expect(toDto({ ...teamsReference, locale: 'de-DE' }, T0).locale).toBe('fr-CA');
    expect(toDto({ ...teamsReference, locale: undefined }, T0, 'en-CA').locale).toBe('en-CA');
    expect(() => toDto({ ...teamsReference, serviceUrl: '' }, T0)).toThrow(TypeError);
    expect(() => toDto({ ...teamsReference, user: undefined }, T0)).toThrow(/user.id/);
  });
});

describe('ConversationReferenceStore', () => {
  const setup = (options: { cacheSize?: number } = {}) => {
    const store = new MemoryDocumentStore();
    return { store, refs: new ConversationReferenceStore({ store, ...options }) };
  };
  const writes = (store: MemoryDocumentStore) => (store.calls.upsert ?? 0) + (store.calls.replace ?? 0);

  test('refresh on every turn writes only when something changed', async () => {
    const { store, refs } = setup();
    expect(await refs.refresh('p1', teamsReference, T0)).toBe('written');
    const calls = () => ({ ...store.calls });
    const before = calls();
    // Same reference, new activity id: no I/O at all (cached).
    expect(await refs.refresh('p1', { ...teamsReference, activityId: 'f:9999' }, minutes(1))).toBe('unchanged');
    expect(calls()).toEqual(before);
    // A new serviceUrl (Teams moves regions) is written.
    expect(await refs.refresh('p1', { ...teamsReference, serviceUrl: 'https://smba.trafficmanager.net/ca/' }, minutes(2))).toBe('written');
    expect((await refs.get('p1'))?.serviceUrl).toBe('https://smba.trafficmanager.net/ca/');
    // Past the cache TTL: one read, still no write.
    const w = writes(store);
    expect(await refs.refresh('p1', { ...teamsReference, serviceUrl: 'https://smba.trafficmanager.net/ca/' }, minutes(30))).toBe('unchanged');
    expect(writes(store)).toBe(w);
    // Once a day it is rewritten, so updatedAt says "seen lately".
    expect(await refs.refresh('p1', { ...teamsReference, serviceUrl: 'https://smba.trafficmanager.net/ca/' }, minutes(60 * 25))).toBe('written');
    expect((await refs.get('p1'))?.updatedAt).toBe(minutes(60 * 25).toISOString());
  });

  test('markDead stops sends; the person writing again revives the reference', async () => {
    const { refs } = setup();
    await refs.refresh('p1', teamsReference, T0);
    expect(await refs.markDead('p1', 'BotNotInConversationRoster', { conversationId: 'another-conversation', now: T0 })).toBe(false);
    expect(await refs.markDead('p1', 'BotNotInConversationRoster', { conversationId: 'a:1personal-chat', now: minutes(1) })).toBe(true);
    expect((await refs.get('p1'))?.dead).toEqual({ at: minutes(1).toISOString(), reason: 'BotNotInConversationRoster' });
    expect(await refs.markDead('p1', 'again')).toBe(true); // already dead: kept as it was
    expect((await refs.get('p1'))?.dead?.reason).toBe('BotNotInConversationRoster');
    expect(await refs.refresh('p1', teamsReference, minutes(2))).toBe('written');
    expect((await refs.get('p1'))?.dead).toBeUndefined();
    expect(await refs.markDead('nobody', 'x')).toBe(false);
  });

  test('delete, and erasure of the person’s partition, remove it', async () => {
    const { store, refs } = setup();
    await refs.refresh('p1', teamsReference, T0);
    await refs.refresh('p2', teamsReference, T0);
    expect(await refs.delete('p1')).toBe(true);
    expect(await refs.get('p1')).toBeUndefined();
    expect(await store.deletePartition(PEOPLE_COLLECTION, 'p2')).toBe(1);
    expect(await refs.get('p2')).toBeUndefined();
    // Not answered from a stale cache after a delete: the next turn writes it back.
    expect(await refs.refresh('p1', teamsReference, minutes(1))).toBe('written');
  });

  test('the cache is bounded; a foreign body under the id is ignored', async () => {
    const { store, refs } = setup({ cacheSize: 2 });
    for (const p of ['a', 'b', 'c']) await refs.refresh(p, teamsReference, T0);
    const reads = store.calls.get ?? 0;
    await refs.refresh('a', teamsReference, minutes(1)); // evicted: read again
    expect(store.calls.get).toBe(reads + 1);
    await store.upsert(PEOPLE_COLLECTION, 'z', REFERENCE_ID, { something: 'else' });
    expect(await refs.get('z')).toBeUndefined();
  });
});
