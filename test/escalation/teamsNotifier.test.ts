/**
 * Teams notifier: with a fake adapter built on botbuilder's TestAdapter (the SDK's own TurnContext
 * and send pipeline), and with the real CloudAdapter posting to a local Bot Connector look-alike on
 * 127.0.0.1 (no credentials: local mode), which is how its real error objects are produced.
 * Also: the console notifier and the handoff event helper.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TestAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import { ConsoleNotifier } from '../../adapters/notify/consoleNotifier';
import { escalationCardLabelsEnCA } from '../../adapters/notify/escalationCardLabels';
import { mapTeamsError, TeamsNotifier, type ProactiveAdapter, type ProactiveContext } from '../../adapters/notify/teamsNotifier';
import { buildHandoffInitiation } from '../../bot/escalation/handoff';
import { makeEscalation, SECRET_WORDS } from '../support/escalations';

const onCall: Partial<ConversationReference> = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  conversation: { id: '19:oncall@thread.tacv2', isGroup: true, conversationType: 'channel', name: 'on-call' },
  bot: { id: '28:bot-app-id', name: 'Petits pas' },
};
const backupChannel: Partial<ConversationReference> = { ...onCall, conversation: { ...onCall.conversation!, id: '19:backup@thread.tacv2' } };
const clinicianChannel: Partial<ConversationReference> = { ...onCall, conversation: { ...onCall.conversation!, id: '19:clin-2@thread.tacv2' } };

/** continueConversationAsync over a TestAdapter: real TurnContext, activities captured by the adapter. */
class FakeCloudAdapter implements ProactiveAdapter {
  readonly test = new TestAdapter();
  readonly calls: { botAppId: string; conversationId?: string }[] = [];
  fail?: unknown;

  async continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: ProactiveContext) => Promise<void>): Promise<void> {
    this.calls.push({ botAppId, conversationId: reference.conversation?.id });
    if (this.fail) throw this.fail;
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await logic(new TurnContext(this.test, activity as Activity));
  }

  sent(): Partial<Activity>[] {
    return this.test.activeQueue.splice(0);
  }
}

describe('TeamsNotifier with a fake adapter', () => {
  it('posts the card to the on-call channel with the real app id and returns the activity id', async () => {
    const adapter = new FakeCloudAdapter();
    const notifier = new TeamsNotifier({ adapter, botAppId: 'bot-app-id', primary: onCall, backup: backupChannel });
    const escalation = makeEscalation(1);
    const result = await notifier.deliver({ kind: 'alert', escalation, destination: 'primary' });
    expect(result.delivered).toBe(true);
    expect(adapter.calls).toEqual([{ botAppId: 'bot-app-id', conversationId: '19:oncall@thread.tacv2' }]);
    const [activity] = adapter.sent();
    expect(result).toEqual({ delivered: true, channelMessageId: activity.id });
    expect(activity.conversation?.id).toBe('19:oncall@thread.tacv2');
    expect(activity.attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = activity.attachments?.[0].content as { actions: { verb: string; data: { escalationId: string } }[] };
    expect(card.actions[0]).toMatchObject({ verb: 'escalation.ack', data: { escalationId: escalation.id } });
    // The notification preview carries no words of the person.
    expect(activity.summary).toBe('Alerte : personne possiblement en danger');
    expect(activity.text).toBeUndefined();
    expect(JSON.stringify({ ...activity, attachments: undefined })).not.toContain(SECRET_WORDS);
  });

  it('routes to the clinician’s channel when known, to the backup channel for backup messages', async () => {
    const adapter = new FakeCloudAdapter();
    const notifier = new TeamsNotifier({
      adapter,
      botAppId: 'bot-app-id',
      primary: onCall,
      backup: backupChannel,
      clinicianReference: async (id) => (id === 'clin-2' ? clinicianChannel : undefined),
      labels: () => escalationCardLabelsEnCA,
    });
    await notifier.deliver({ kind: 'alert', escalation: makeEscalation(2), destination: 'primary' }); // clinician clin-2
    await notifier.deliver({ kind: 'alert', escalation: makeEscalation(4), destination: 'primary' }); // clin-4: no channel → on-call
    await notifier.deliver({ kind: 'reminder', escalation: makeEscalation(2), destination: 'backup', sequence: 1 });
    expect(adapter.calls.map((c) => c.conversationId)).toEqual(['19:clin-2@thread.tacv2', '19:oncall@thread.tacv2', '19:backup@thread.tacv2']);
    expect(adapter.sent()[2].summary).toBe('Reminder: alert not acknowledged (backup channel)');
  });

  it('maps 403/404 to not retryable and other failures to retryable', async () => {
    const adapter = new FakeCloudAdapter();
    const notifier = new TeamsNotifier({ adapter, botAppId: 'bot-app-id', primary: onCall });
    const message = { kind: 'alert' as const, escalation: makeEscalation(1), destination: 'primary' as const };
    adapter.fail = Object.assign(new Error('The bot is not part of the conversation roster.'), { name: 'RestError', statusCode: 403, code: 'BotNotInConversationRoster' });
    expect(await notifier.deliver(message)).toEqual({ delivered: false, retryable: false, reason: 'teams 403 BotNotInConversationRoster' });
    adapter.fail = Object.assign(new Error('gone'), { statusCode: 404, code: 'ConversationNotFound' });
    expect(await notifier.deliver(message)).toMatchObject({ delivered: false, retryable: false });
    adapter.fail = Object.assign(new Error('busy'), { statusCode: 429 });
    expect(await notifier.deliver(message)).toEqual({ delivered: false, retryable: true, reason: 'teams 429' });
    adapter.fail = Object.assign(new Error('oops'), { statusCode: 502 });
    expect(await notifier.deliver(message)).toMatchObject({ delivered: false, retryable: true });
    adapter.fail = new TypeError('fetch failed');
    expect(await notifier.deliver(message)).toEqual({ delivered: false, retryable: true, reason: 'teams TypeError' });
  });

  it('does not put error messages (which may echo content) into the reason', () => {
    const result = mapTeamsError(Object.assign(new Error(`failed: ${SECRET_WORDS}`), { statusCode: 400, code: 'has spaces and words' }));
    expect(result).toEqual({ delivered: false, retryable: false, reason: 'teams 400' });
  });

  it('says so when there is no usable reference (not retryable, so the outbox moves on)', async () => {
    const notifier = new TeamsNotifier({ adapter: new FakeCloudAdapter(), botAppId: 'x', primary: { channelId: 'msteams' } });
    expect(await notifier.deliver({ kind: 'alert', escalation: makeEscalation(1), destination: 'primary' })).toEqual({
      delivered: false,
      retryable: false,
      reason: 'no conversation reference',
    });
  });
});

describe('TeamsNotifier with the real CloudAdapter and a local connector', () => {
  let server: http.Server;
  let serviceUrl: string;
  let status = 201;
  const posts: { url?: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        posts.push({ url: req.url, body: JSON.parse(raw) });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          status < 300
            ? JSON.stringify({ id: '1741000000000' })
            : JSON.stringify({ error: { code: status === 403 ? 'BotNotInConversationRoster' : 'ServiceError', message: 'The bot is not part of the conversation roster.' } }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // The 500 case takes a few seconds: the connector client retries 5xx itself before giving up.
  it('delivers, then maps a 403 BotNotInConversationRoster to not retryable and a 500 to retryable', async () => {
    const adapter: ProactiveAdapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const notifier = new TeamsNotifier({ adapter, botAppId: '', primary: { ...onCall, serviceUrl } });
    const message = { kind: 'alert' as const, escalation: makeEscalation(1), destination: 'primary' as const };
    status = 201;
    expect(await notifier.deliver(message)).toEqual({ delivered: true, channelMessageId: '1741000000000' });
    expect(posts[0].url).toMatch(/^\/v3\/conversations\/19%3Aoncall%40thread\.tacv2\/activities/);
    expect((posts[0].body.attachments as { contentType: string }[])[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    status = 403;
    expect(await notifier.deliver(message)).toEqual({ delivered: false, retryable: false, reason: 'teams 403 BotNotInConversationRoster' });
    status = 500;
    expect(await notifier.deliver(message)).toMatchObject({ delivered: false, retryable: true });
  });
});

describe('ConsoleNotifier', () => {
  it('writes one line with ids, level and categories — never the excerpt', async () => {
    const lines: string[] = [];
    const notifier = new ConsoleNotifier((line) => lines.push(line));
    const escalation = makeEscalation(1);
    expect(await notifier.deliver({ kind: 'alert', escalation, destination: 'primary' })).toEqual({ delivered: true });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd().includes('\n')).toBe(false);
    expect(lines[0]).toContain(escalation.id);
    expect(lines[0]).toContain(escalation.personId);
    expect(lines[0]).toContain('level=crisis');
    expect(lines[0]).toContain('categories=suicidal_ideation,plan_means');
    expect(lines[0]).not.toContain('mourir');
    expect(lines[0]).not.toContain('Marcher');
  });

  it('writes to stderr by default', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await new ConsoleNotifier().deliver({ kind: 'reminder', escalation: makeEscalation(3), destination: 'backup', sequence: 2 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toMatch(/^\[petits-pas\] ESCALATION reminder#2 level=crisis/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('handoff initiation event', () => {
  it('uses EventFactory.createHandoffInitiation with ids, level and categories only', async () => {
    const adapter = new TestAdapter();
    const context = new TurnContext(adapter, {
      type: 'message',
      id: 'act-1',
      text: SECRET_WORDS,
      channelId: 'test',
      serviceUrl: 'https://example.org',
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      conversation: { id: 'conv-1', isGroup: false, name: 'c', conversationType: 'personal' },
    } as Activity);
    const escalation = makeEscalation(1);
    const event = buildHandoffInitiation(context, escalation);
    expect(event).toMatchObject({ type: 'event', name: 'handoff.initiate', replyToId: 'act-1' });
    expect(event.value).toEqual({ escalationId: escalation.id, level: 'crisis', categories: ['suicidal_ideation', 'plan_means'] });
    expect(event.attachments).toEqual([]);
    expect(JSON.stringify(event.value)).not.toContain('mourir');
    const withTranscript = buildHandoffInitiation(context, escalation, { activities: [] });
    expect(withTranscript.attachments).toEqual([{ content: { activities: [] }, contentType: 'application/json', name: 'Transcript' }]);
  });
});
