import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { checkClientActivity, checkConnectorActivity } from '../../bot/directline/activities';
import { ConversationStore } from '../../bot/directline/conversationStore';
import { isLocalCaller } from '../../bot/directline/routes';
import { TokenIssuer } from '../../bot/directline/tokens';
import { createLogger } from '../../bot/observability/logger';
import { TypingMiddleware } from '../../bot/webchat/typingMiddleware';

describe('local Direct Line tokens', () => {
  it('binds a user and a conversation, and expires', () => {
    let now = 1_000_000;
    const issuer = new TokenIssuer(60_000, () => now);
    const { token, claims } = issuer.issue('dl_a', 'conv-1');
    expect(claims).toEqual({ userId: 'dl_a', conversationId: 'conv-1', expiresAt: 1_060_000 });
    expect(issuer.verify(`Bearer ${token}`)).toEqual({ ok: true, token, claims });
    now = 1_059_999;
    expect(issuer.verify(`bearer ${token}`).ok).toBe(true);
    now = 1_060_000;
    expect(issuer.verify(`Bearer ${token}`)).toEqual({ ok: false, problem: 'TokenExpired' });
  });

  it('refuses missing, malformed, tampered and foreign tokens', () => {
    const issuer = new TokenIssuer(60_000);
    const { token } = issuer.issue('dl_a', 'conv-1');
    expect(issuer.verify(undefined)).toEqual({ ok: false, problem: 'MissingToken' });
    expect(issuer.verify('  ')).toEqual({ ok: false, problem: 'MissingToken' });
    expect(issuer.verify(token)).toEqual({ ok: false, problem: 'InvalidToken' }); // no "Bearer"
    expect(issuer.verify('Bearer a.b')).toEqual({ ok: false, problem: 'InvalidToken' });
    const [header, payload, signature] = token.split('.');
    const longer = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tampered = Buffer.from(JSON.stringify({ ...longer, expMs: longer.expMs + 3_600_000 })).toString('base64url');
    expect(issuer.verify(`Bearer ${header}.${tampered}.${signature}`)).toEqual({ ok: false, problem: 'InvalidToken' });
    expect(new TokenIssuer(60_000).verify(`Bearer ${token}`)).toEqual({ ok: false, problem: 'InvalidToken' }); // another process
  });
});

describe('local Direct Line conversation store', () => {
  it('numbers activities with increasing watermarks and strictly increasing timestamps', () => {
    const store = new ConversationStore(undefined, () => 5000);
    const conversation = store.create('dl_a', 'fr-CA');
    const a = conversation.append({ type: 'message', text: 'a' });
    const b = conversation.append({ type: 'message', text: 'b' });
    expect(a.id).toBe(`${conversation.id}|0000001`);
    expect(Date.parse(b.timestamp)).toBeGreaterThan(Date.parse(a.timestamp));
    expect(conversation.since(undefined)).toEqual({ activities: [a, b], watermark: '2' });
    expect(conversation.since(1)).toEqual({ activities: [b], watermark: '2' });
    expect(conversation.since(2)).toEqual({ activities: [], watermark: '2' });
  });

  it('drops the oldest activities beyond the count and byte limits, never the newest', () => {
    const store = new ConversationStore({ maxConversations: 10, maxActivities: 3, maxBytes: 10_000, idleMs: 1000 });
    const conversation = store.create('dl_a', undefined);
    for (let i = 1; i <= 5; i += 1) conversation.append({ type: 'message', text: String(i) });
    expect(conversation.since(undefined).activities.map((a) => a.text)).toEqual(['3', '4', '5']);
    conversation.append({ type: 'message', text: 'x'.repeat(20_000) });
    expect(conversation.since(undefined).activities).toHaveLength(1); // one oversized activity stays until the next
    expect(conversation.size.activities).toBe(1);
  });

  it('drops the least recently used conversation at the cap, and idle ones on sweep', () => {
    let now = 0;
    const store = new ConversationStore({ maxConversations: 2, maxActivities: 10, maxBytes: 10_000, idleMs: 100 }, () => now);
    const a = store.create('dl_a', undefined);
    now = 10;
    const b = store.create('dl_b', undefined);
    now = 20;
    store.touch(a.id);
    const c = store.create('dl_c', undefined);
    expect([store.peek(a.id), store.peek(b.id), store.peek(c.id)].map(Boolean)).toEqual([true, false, true]);
    now = 121; // a was touched at 20, c created at 20
    expect(store.sweep()).toBe(2);
    expect(store.count).toBe(0);
  });
});

describe('local Direct Line activity checks', () => {
  it('keeps only the fields a client may set', () => {
    const check = checkClientActivity(
      { type: 'message', text: 'allo', locale: 'fr-CA', from: { id: 'x' }, serviceUrl: 'http://evil', channelId: 'msteams', conversation: { id: 'other' }, channelData: { clientActivityID: 'c1' } },
      100,
    );
    expect(check).toEqual({ ok: true, activity: { type: 'message', text: 'allo', locale: 'fr-CA', channelData: { clientActivityID: 'c1' } } });
  });

  it.each([
    [null, 400],
    [[], 400],
    [{ text: 'no type' }, 400],
    [{ type: 'invoke' }, 400],
    [{ type: 'message', text: 3 }, 400],
    [{ type: 'message', attachments: [{}] }, 400],
    [{ type: 'message', text: 'x'.repeat(101) }, 413],
  ])('refuses %j with %i', (body, status) => {
    expect(checkClientActivity(body, 100)).toMatchObject({ ok: false, status });
  });

  it('takes the bot activities as they are, minus the service URL and ids', () => {
    expect(checkConnectorActivity({ type: 'message', text: 'hi', id: 'x', serviceUrl: 'http://me', suggestedActions: { actions: [] } })).toEqual({
      ok: true,
      activity: { type: 'message', text: 'hi', suggestedActions: { actions: [] } },
    });
    expect(checkConnectorActivity({ text: 'no type' }).ok).toBe(false);
  });
});

describe('connector routes take bot activities from this machine only', () => {
  const req = (remoteAddress: string, localAddress = '10.0.0.5') => ({ socket: { remoteAddress, localAddress } }) as never;
  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', true],
    ['10.0.0.6', false],
    ['192.168.1.20', false],
  ])('%s → %s', (address, expected) => {
    expect(isLocalCaller(req(address))).toBe(expected);
  });
});

describe('typing middleware', () => {
  const lines: string[] = [];
  const logger = createLogger('warn', (line) => lines.push(line));

  async function run(activity: Partial<Activity>, options = {}, adapter = new TestAdapter()): Promise<string[]> {
    adapter.use(new TypingMiddleware(logger, options));
    const sent: string[] = [];
    const context = new TurnContext(adapter, { type: ActivityTypes.Message, text: 'bonjour', channelId: 'directline', conversation: { id: 'c' } as never, from: { id: 'u' }, recipient: { id: 'b' }, serviceUrl: 'http://x', ...activity } as unknown as Activity);
    adapter.sendActivities = async (_context, activities) => {
      sent.push(...activities.map((a) => a.type as string));
      return activities.map(() => ({ id: 'r' }));
    };
    await (adapter as unknown as { runMiddleware(c: TurnContext, logic: (c: TurnContext) => Promise<void>): Promise<void> }).runMiddleware(context, async (turn) => {
      if (turn.responded) sent.push('responded-too-early');
      await turn.sendActivity('réponse');
    });
    // expectReplies keeps replies in the turn instead of sending them.
    return [...sent, ...context.bufferedReplyActivities.map((a) => `buffered:${a.type}`)];
  }

  it('sends one typing activity before the replies of a message turn, without marking the turn as answered', async () => {
    expect(await run({})).toEqual(['typing', 'message']);
  });

  it('stays quiet for expectReplies, for other activity types and for channels not listed', async () => {
    expect(await run({ deliveryMode: 'expectReplies' })).toEqual(['buffered:message']);
    expect(await run({ type: 'conversationUpdate' })).toEqual(['message']);
    expect(await run({ channelId: 'msteams' }, { channels: ['directline'] })).toEqual(['message']);
  });

  it('never fails the turn when the typing activity cannot be sent', async () => {
    const adapter = new TestAdapter();
    const middleware = new TypingMiddleware(logger);
    const context = new TurnContext(adapter, { type: ActivityTypes.Message, text: 'x', channelId: 'directline', conversation: { id: 'c' } as never, from: { id: 'u' }, recipient: { id: 'b' } } as unknown as Activity);
    adapter.sendActivities = async () => {
      throw new Error('channel down');
    };
    let reached = false;
    await middleware.onTurn(context, async () => {
      reached = true;
    });
    expect(reached).toBe(true);
    expect(lines.join('\n')).toMatch(/typing_failed/);
    expect(lines.join('\n')).not.toMatch(/channel down/);
  });

  it('does not hold the turn longer than maxWaitMs when the channel is slow', async () => {
    const adapter = new TestAdapter();
    const middleware = new TypingMiddleware(logger, { maxWaitMs: 50 });
    const context = new TurnContext(adapter, { type: ActivityTypes.Message, text: 'x', channelId: 'directline', conversation: { id: 'c' } as never, from: { id: 'u' }, recipient: { id: 'b' } } as unknown as Activity);
    let release: () => void = () => undefined;
    adapter.sendActivities = () => new Promise((resolve) => (release = () => resolve([])));
    const started = Date.now();
    await middleware.onTurn(context, async () => undefined);
    expect(Date.now() - started).toBeLessThan(500);
    release();
  });
});
