/**
 * The escalation card's "Acknowledge" (Action.Execute invoke and its Submit fallback) through a
 * TeamsActivityHandler and TestAdapter: verified clicker, recorded once, card replaced in place;
 * forged, replayed, concurrent and unauthorised clicks; follow-ups in the card's thread.
 */
import { ActivityTypes, TestAdapter, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { buildEscalationCard, ESCALATION_ACK_VERB } from '../../adapters/notify/escalationCard';
import type { ProactiveAdapter, ProactiveContext } from '../../adapters/notify/teamsNotifier';
import { followUpTargetOf, INVOKE_MESSAGE_TYPE, postThreadFollowUp, threadReference } from '../../bot/clinicians/escalationAck';
import { OUTBOX_COLLECTION, type OutboxRecord } from '../../bot/escalation/outbox';
import type { Escalation } from '../../core/escalation/escalation';
import { makeEscalation, SECRET_WORDS } from '../support/escalations';
import { CLIN_A, CLIN_B, createWorld, elementsOf, OTHER_TENANT, OUTSIDER, teamsActivity, type Person, type World } from './helpers';

let world: World;
let escalation: Escalation;

beforeEach(async () => {
  world = await createWorld();
  escalation = makeEscalation(1);
  await world.outbox.enqueue(escalation, new Date('2025-03-01T14:00:00.000Z'));
  world.now = new Date('2025-03-01T14:07:00.000Z');
});
afterEach(() => world.cleanup());

function executeValue(data: unknown, verb: string = ESCALATION_ACK_VERB, type = 'Action.Execute') {
  return { action: { type, verb, data } };
}

function ackData(e: Escalation = escalation): unknown {
  const card = buildEscalationCard(e);
  return (card.actions![0] as { data: unknown }).data;
}

async function click(options: { from?: Person; value?: unknown; tenantId?: string } = {}): Promise<{ status?: number; body: { statusCode: number; type: string; value: unknown } }> {
  const replies = await world.send(
    teamsActivity({
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      conversationType: 'channel',
      from: options.from ?? CLIN_A,
      tenantId: options.tenantId,
      value: options.value ?? executeValue(ackData()),
      replyToId: 'card-message-1',
    }),
  );
  const response = replies.find((a) => a.type === 'invokeResponse');
  if (!response) throw new Error('no invoke response');
  return response.value as { status?: number; body: { statusCode: number; type: string; value: unknown } };
}

async function record(): Promise<OutboxRecord> {
  return (await world.store.get<OutboxRecord>(OUTBOX_COLLECTION, escalation.personId, escalation.id))!.body;
}

function bannerOf(card: unknown): string {
  return (elementsOf(card).find((e) => e.type === 'TextRun') as { text: string }).text;
}

describe('acknowledging from the card', () => {
  it('records who and when, and replaces the card in place', async () => {
    const response = await click();
    expect(response.status).toBe(200);
    expect(response.body.statusCode).toBe(200);
    expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(bannerOf(response.body.value)).toMatch(/^Réception accusée par Dre Alice Tremblay, 1 mars 2025,? 0?9 h 07$/);
    expect((response.body.value as { actions: unknown[] }).actions).toEqual([]);
    const stored = await record();
    expect(stored.status).toBe('acknowledged');
    expect(stored.delivery).toMatchObject({ acknowledgedBy: CLIN_A.name, acknowledgedAt: '2025-03-01T14:07:00.000Z' });
    expect(stored.dueAt).toBeUndefined(); // no more reminders
    const logs = world.lines.join('\n');
    expect(logs).toContain('"event":"escalation_ack"');
    expect(logs).not.toContain(CLIN_A.name);
    expect(logs).not.toContain(SECRET_WORDS);
  });

  it('answers a replay with the card as first acknowledged, recording nothing more', async () => {
    await click();
    const before = await world.store.get<OutboxRecord>(OUTBOX_COLLECTION, escalation.personId, escalation.id);
    world.now = new Date('2025-03-01T15:00:00.000Z');
    const replay = await click({ from: CLIN_B });
    expect(bannerOf(replay.body.value)).toMatch(/^Réception accusée par Dre Alice Tremblay, 1 mars 2025,? 0?9 h 07$/);
    const after = await world.store.get<OutboxRecord>(OUTBOX_COLLECTION, escalation.personId, escalation.id);
    expect(after?.etag).toBe(before?.etag);
  });

  it('keeps one acknowledgement when two clinicians click at the same moment', async () => {
    world.store.yieldEveryCall = true;
    const [a, b] = await Promise.all([click({ from: CLIN_A }), click({ from: CLIN_B })]);
    const banners = [bannerOf(a.body.value), bannerOf(b.body.value)];
    expect(banners[0]).toBe(banners[1]);
    expect((await record()).delivery.acknowledgedBy).toBe(banners[0].includes(CLIN_A.name) ? CLIN_A.name : CLIN_B.name);
  });

  it('refuses clickers outside the team or the tenant, changing nothing', async () => {
    const before = await world.store.get<OutboxRecord>(OUTBOX_COLLECTION, escalation.personId, escalation.id);
    for (const attempt of [{ from: OUTSIDER }, { from: CLIN_A, tenantId: OTHER_TENANT }]) {
      const response = await click(attempt);
      expect(response.body).toEqual({ statusCode: 200, type: INVOKE_MESSAGE_TYPE, value: "Seuls les membres de l'équipe clinique peuvent accuser réception de cette alerte." });
    }
    world.membership.unavailable = true;
    expect((await click()).body.value).toMatch(/Je ne peux pas vérifier votre accès/);
    const after = await world.store.get<OutboxRecord>(OUTBOX_COLLECTION, escalation.personId, escalation.id);
    expect(after?.etag).toBe(before?.etag);
    expect(after?.body.status).toBe('delivered');
  });

  it('refuses forged actions: unknown escalation, wrong person, wrong shape', async () => {
    const forged = [
      executeValue({ escalationId: 'E-0123456789abcdef01234567', personId: escalation.personId }),
      executeValue({ escalationId: escalation.id, personId: 'P-000000000000' }),
      executeValue({ escalationId: '../../etc/passwd' }),
      executeValue('not even an object'),
    ];
    for (const value of forged) {
      const response = await click({ value });
      expect(response.body).toEqual({ statusCode: 200, type: INVOKE_MESSAGE_TYPE, value: 'Cette alerte est introuvable.' });
    }
    expect((await record()).status).toBe('delivered');
    // Not our verb: the bot answers as if there were no handler; an Action.Submit as invoke is refused by the SDK.
    expect((await click({ value: executeValue(ackData(), 'something.else') })).status).toBe(501);
    expect((await click({ value: executeValue(ackData(), ESCALATION_ACK_VERB, 'Action.Submit') })).status).toBe(400);
    expect((await record()).status).toBe('delivered');
  });

  it('finds the record without the person id (cross-partition look-up)', async () => {
    const response = await click({ value: executeValue({ escalationId: escalation.id }) });
    expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect((await record()).status).toBe('acknowledged');
  });

  it('says so when the store cannot record it', async () => {
    world.store.unavailable = true;
    const response = await click();
    expect(response.body).toMatchObject({ type: INVOKE_MESSAGE_TYPE, value: expect.stringMatching(/^Impossible d'enregistrer/) });
  });
});

describe('the Submit fallback (hosts without Universal Actions)', () => {
  it('acknowledges, updates the clicked card and confirms', async () => {
    const updates: Partial<Activity>[] = [];
    const original = world.adapter.updateActivity.bind(world.adapter);
    world.adapter.updateActivity = async (context: TurnContext, activity: Partial<Activity>) => {
      updates.push(activity);
      return original(context, activity);
    };
    const fallback = (buildEscalationCard(escalation).actions![0] as { fallback: { data: unknown } }).fallback.data;
    const replies = await world.send(teamsActivity({ conversationType: 'channel', value: fallback, replyToId: 'card-message-1' }));
    expect(replies.map((r) => r.text)).toEqual(['Réception accusée.']);
    expect(updates).toHaveLength(1);
    expect(updates[0].id).toBe('card-message-1');
    expect(bannerOf(updates[0].attachments![0].content)).toMatch(/^Réception accusée par Dre Alice Tremblay/);
    expect((await record()).status).toBe('acknowledged');
  });

  it('refuses a forged or unauthorised Submit with words, and never runs the person’s flow', async () => {
    const replies = await world.send(teamsActivity({ from: OUTSIDER, value: { verb: ESCALATION_ACK_VERB, escalationId: escalation.id } }));
    expect(replies.map((r) => r.text)).toEqual(["Seuls les membres de l'équipe clinique peuvent accuser réception de cette alerte."]);
    const forged = await world.send(teamsActivity({ value: { verb: ESCALATION_ACK_VERB, escalationId: 42 } }));
    expect(forged.map((r) => r.text)).toEqual(['Cette alerte est introuvable.']);
    expect((await record()).status).toBe('delivered');
  });
});

describe('follow-ups in the card’s thread', () => {
  class FakeProactive implements ProactiveAdapter {
    readonly test = new TestAdapter();
    readonly calls: Partial<ConversationReference>[] = [];

    async continueConversationAsync(_botAppId: string, reference: Partial<ConversationReference>, logic: (context: ProactiveContext) => Promise<void>): Promise<void> {
      this.calls.push(reference);
      const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
      await logic(new TurnContext(this.test, activity as Activity));
    }
  }

  const onCall: Partial<ConversationReference> = {
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    conversation: { id: '19:oncall@thread.tacv2', isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: '28:bot', name: 'Petits pas' },
  };
  const backup: Partial<ConversationReference> = { ...onCall, conversation: { ...onCall.conversation!, id: '19:backup@thread.tacv2' } };

  it('posts a reply into the thread of the delivered card', async () => {
    const stored = await record();
    const target = followUpTargetOf(stored, { primary: onCall, backup });
    expect(target).toEqual({ channel: onCall, messageId: 'msg' }); // RecordingNotifier's channelMessageId
    const adapter = new FakeProactive();
    const id = await postThreadFollowUp(adapter, 'app-id', target!.channel, target!.messageId, { type: 'message', text: 'Suivi : appel fait.' });
    expect(id).toBeDefined();
    expect(adapter.calls[0].conversation?.id).toBe('19:oncall@thread.tacv2;messageid=msg');
    const [sent] = adapter.test.activeQueue;
    expect(sent).toMatchObject({ text: 'Suivi : appel fait.', replyToId: 'msg', conversation: { id: '19:oncall@thread.tacv2;messageid=msg' } });
  });

  it('uses the backup channel for a backup delivery, and nothing for an undelivered alert', () => {
    const delivered = { delivery: { deliveredVia: 'backup' as const, channelMessageId: 'm2' } };
    expect(followUpTargetOf(delivered, { primary: onCall, backup })).toEqual({ channel: backup, messageId: 'm2' });
    expect(followUpTargetOf({ delivery: {} }, { primary: onCall })).toBeUndefined();
    expect(threadReference({ ...onCall, conversation: { ...onCall.conversation!, id: '19:oncall@thread.tacv2;messageid=old' } }, 'new').conversation?.id).toBe('19:oncall@thread.tacv2;messageid=new');
    expect(() => threadReference(onCall, 'bad;id')).toThrow(TypeError);
  });
});
