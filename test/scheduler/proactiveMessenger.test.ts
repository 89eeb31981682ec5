/**
 * Proactive messages: with a fake adapter built on botbuilder's TestAdapter (which does not
 * implement continueConversationAsync itself), and with the real CloudAdapter in local mode (no
 * credentials, bot app id '') posting to a local stand-in for the channel service that answers
 * 201, 403 BotNotInConversationRoster, 404 or 429 per conversation.
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
import { ConversationReferenceStore } from '../../adapters/proactive/conversationReference';
import { ProactiveMessenger, ProactiveSendError, type ProactiveAdapter, type ProactiveSendContext } from '../../adapters/proactive/proactiveMessenger';
import { silentLogger } from '../../bot/observability/logger';
import { Scheduler } from '../../bot/scheduler/scheduler';
import { DEFAULT_CHECKIN_SCHEDULE, nextOccurrence } from '../../core/schedule/recurrence';
import { MemoryDocumentStore } from '../support/memoryStore';
import { captureLogger, makeJob, T0, teamsReference } from './helpers';

const reminder = (locale: string): Partial<Activity>[] => [{ type: 'message', text: locale === 'fr-CA' ? 'Petit rappel : ton pas de la semaine ?' : 'Quick reminder: your step this week?' }];

/** continueConversationAsync over a TestAdapter: the SDK's TurnContext, activities captured by the adapter. */
class FakeAdapter implements ProactiveAdapter {
  readonly test = new TestAdapter();
  readonly calls: { botAppId: string; reference: Partial<ConversationReference> }[] = [];
  fail?: unknown;

  async continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: ProactiveSendContext) => Promise<void>): Promise<void> {
    this.calls.push({ botAppId, reference });
    if (this.fail) throw this.fail;
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await logic(new TurnContext(this.test, activity as Activity));
  }

  sent(): Partial<Activity>[] {
    return this.test.activeQueue.splice(0);
  }
}

const restError = (statusCode: number, code: string) =>
  Object.assign(new Error('The bot is not part of the conversation roster « Marie »'), { name: 'RestError', statusCode, code });

test('botbuilder 4.23 TestAdapter does not implement continueConversationAsync (hence the fake below)', async () => {
  await expect(new TestAdapter().continueConversationAsync('', teamsReference, async () => undefined)).rejects.toThrow('NotImplemented');
});

describe('ProactiveMessenger with a fake adapter', () => {
  const setup = () => {
    const store = new MemoryDocumentStore();
    const references = new ConversationReferenceStore({ store });
    const adapter = new FakeAdapter();
    const { logger, lines } = captureLogger();
    const messenger = new ProactiveMessenger({ adapter, botAppId: 'bot-app-id', references, logger, clock: () => T0 });
    return { references, adapter, messenger, lines };
  };

  test('sends in the reference’s locale, under the real app id, to the stored conversation', async () => {
    const { references, adapter, messenger } = setup();
    await references.refresh('p1', { ...teamsReference, locale: 'en-us' }, T0);
    expect(await messenger.send('p1', reminder)).toBe('sent');
    expect(adapter.calls).toHaveLength(1);
    expect(adapter.calls[0].botAppId).toBe('bot-app-id');
    expect(adapter.calls[0].reference.conversation).toMatchObject({ id: 'a:1personal-chat', tenantId: 'tenant-qc' });
    const [activity] = adapter.sent();
    expect(activity).toMatchObject({ type: 'message', text: 'Quick reminder: your step this week?', conversation: { id: 'a:1personal-chat' }, recipient: { id: '29:1abc-user' } });
  });

  test('no reference, or a dead one: nothing is attempted', async () => {
    const { references, adapter, messenger } = setup();
    expect(await messenger.send('nobody', reminder)).toBe('no_reference');
    await references.refresh('p1', teamsReference, T0);
    await references.markDead('p1', 'http_404');
    expect(await messenger.send('p1', reminder)).toBe('dead');
    expect(adapter.calls).toHaveLength(0);
  });

  test.each([
    [403, 'BotNotInConversationRoster'],
    [404, 'ConversationNotFound'],
    [400, 'ConversationBlockedByUser'],
  ])('%i %s marks the reference dead, not retried', async (status, code) => {
    const { references, adapter, messenger, lines } = setup();
    await references.refresh('p1', teamsReference, T0);
    adapter.fail = restError(status, code);
    expect(await messenger.send('p1', reminder)).toBe('dead');
    expect((await references.get('p1'))?.dead).toEqual({ at: T0.toISOString(), reason: code });
    expect(await messenger.send('p1', reminder)).toBe('dead');
    expect(adapter.calls).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/Marie|roster|rappel/);
  });

  test('other failures throw a ProactiveSendError without the channel’s message; 400/413 are not retryable', async () => {
    const { references, adapter, messenger } = setup();
    await references.refresh('p1', teamsReference, T0);
    for (const [failure, retryable] of [
      [restError(429, 'Throttled'), true],
      [restError(502, 'ServiceError'), true],
      [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
      [restError(400, 'BadArgument'), false],
      [restError(413, 'MessageSizeTooBig'), false],
    ] as const) {
      adapter.fail = failure;
      const error = await messenger.send('p1', reminder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProactiveSendError);
      expect((error as ProactiveSendError).retryable).toBe(retryable);
      expect((error as Error).message).not.toMatch(/Marie|roster/);
    }
    expect((await references.get('p1'))?.dead).toBeUndefined();
  });

  test('refuses to send nothing', async () => {
    const { references, messenger } = setup();
    await references.refresh('p1', teamsReference, T0);
    await expect(messenger.send('p1', () => [])).rejects.toThrow(TypeError);
  });
});

describe('ProactiveMessenger with the real CloudAdapter over HTTP', () => {
  let server: http.Server;
  let serviceUrl: string;
  const posts: { conversationId: string; body: Record<string, unknown> }[] = [];
  /** The channel's answer per conversation id. */
  const answers: Record<string, { status: number; code?: string }> = {
    'a:ok': { status: 201 },
    'a:removed': { status: 403, code: 'BotNotInConversationRoster' },
    'a:gone': { status: 404, code: 'ConversationNotFound' },
    'a:busy': { status: 429, code: 'Throttled' },
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const conversationId = decodeURIComponent(/^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
        posts.push({ conversationId, body: JSON.parse(raw) as Record<string, unknown> });
        const answer = answers[conversationId] ?? { status: 404, code: 'ConversationNotFound' };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.status < 300 ? { id: `msg-${posts.length}` } : { error: { code: answer.code, message: 'The bot is not part of the conversation roster.' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const setup = async () => {
    const references = new ConversationReferenceStore({ store: new MemoryDocumentStore() });
    for (const id of Object.keys(answers)) {
      await references.refresh(`person-${id}`, { ...teamsReference, serviceUrl, conversation: { ...teamsReference.conversation, id } }, T0);
    }
    const adapter: ProactiveAdapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    return { references, messenger: new ProactiveMessenger({ adapter, botAppId: '', references }) };
  };

  test('201 → sent; 403 roster and 404 → dead; 429 → retryable error', async () => {
    posts.length = 0;
    const { references, messenger } = await setup();
    expect(await messenger.send('person-a:ok', reminder)).toBe('sent');
    expect(posts[0].conversationId).toBe('a:ok');
    expect(posts[0].body).toMatchObject({ type: 'message', text: 'Petit rappel : ton pas de la semaine ?', conversation: { id: 'a:ok', tenantId: 'tenant-qc' }, recipient: { id: '29:1abc-user' } });
    expect(await messenger.send('person-a:removed', reminder)).toBe('dead');
    expect((await references.get('person-a:removed'))?.dead?.reason).toBe('BotNotInConversationRoster');
    expect(await messenger.send('person-a:gone', reminder)).toBe('dead');
    expect((await references.get('person-a:gone'))?.dead?.reason).toBe('ConversationNotFound');
    const error = await messenger.send('person-a:busy', reminder).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProactiveSendError', retryable: true, status: 429 });
    expect(posts).toHaveLength(4);
  });

  test('end to end: due check-ins through the scheduler, the messenger and the channel', async () => {
    posts.length = 0;
    const store = new MemoryDocumentStore();
    const { references, messenger } = await setup();
    const scheduler = new Scheduler({ store, instanceId: 'i1', logger: silentLogger });
    scheduler.register('checkin', async (job, now) => {
      const result = await messenger.send(job.personKey, reminder);
      // Delivered: next check-in. Dead or no reference: stop; a new turn will schedule again.
      return result === 'sent' ? { reschedule: nextOccurrence(DEFAULT_CHECKIN_SCHEDULE, now) } : 'done';
    });
    for (const [n, id] of Object.keys(answers).entries()) await scheduler.jobs.schedule(makeJob(n, { id: 'checkin', personKey: `person-${id}` }));
    const summary = await scheduler.runOnce(T0);
    expect(summary).toMatchObject({ claimed: 4, rescheduled: 1, done: 2, retried: 1, failed: 0 });
    expect((await scheduler.jobs.get('person-a:busy', 'checkin'))?.body).toMatchObject({ status: 'pending', lastError: 'handler_threw:ProactiveSendError' });
    expect(posts.map((p) => p.conversationId).sort()).toEqual(['a:busy', 'a:gone', 'a:ok', 'a:removed']);
    expect((await references.get('person-a:ok'))?.dead).toBeUndefined();
  });
});
