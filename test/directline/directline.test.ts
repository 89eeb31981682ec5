import { startPetitsPas, type RunningApp } from '../../bot/app';
import { testConfig } from '../support/http';
import { botMessages, call, DirectLineClient, textOf } from './client';

describe('local Direct Line inside the bot (real HTTP, real bot)', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    env = testConfig();
    app = await startPetitsPas(env.config);
  });
  afterAll(async () => {
    await app.stop();
    env.cleanup();
  });

  it('issues a token bound to a dl_ user and a conversation, and starts that conversation', async () => {
    const generated = await call(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', body: {} });
    expect(generated.status).toBe(200);
    expect(generated.headers.get('cache-control')).toBe('no-store');
    const { token, conversationId, expires_in, userId } = generated.body;
    expect(userId).toMatch(/^dl_[0-9a-f]{24}$/);
    expect(expires_in).toBeGreaterThan(25 * 60);
    expect(expires_in).toBeLessThanOrEqual(30 * 60);
    // JWT-shaped, so that Web Chat reads the user id from it as it does with the real service.
    const payload = JSON.parse(Buffer.from(String(token).split('.')[1], 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ user: userId, conv: conversationId });

    const started = await call(`${app.url}/v3/directline/conversations`, { method: 'POST', token, body: { locale: 'fr-CA' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ conversationId, token });
    const again = await call(`${app.url}/v3/directline/conversations`, { method: 'POST', token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.conversationId).toBe(conversationId);
  });

  it('greets in French when the conversation starts, then answers a message with buttons', async () => {
    const client = await DirectLineClient.open(app.url, 'fr-CA');
    const greeting = await client.waitFor((activities) => /Petits pas/.test(textOf(activities)) && /911/.test(textOf(activities)));
    expect(greeting[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'directline' });
    expect(textOf(greeting)).toMatch(/pas une thérapie/);

    const posted = await client.say('bonjour');
    expect(posted.status).toBe(200);
    const id = posted.body.id as string;
    expect(id).toMatch(new RegExp(`^${client.info.conversationId}\\|\\d{7}$`));
    // A quick turn is over when the POST answers (a slow one answers after a second and goes on).
    const fresh = await client.waitFor((activities) => botMessages(activities).some((a) => a.suggestedActions));
    const echo = fresh.find((a) => a.id === id);
    expect(echo).toMatchObject({ type: 'message', text: 'bonjour', channelId: 'directline', from: { id: client.info.userId, role: 'user' } });
    expect(echo?.serviceUrl).toBeUndefined();
    const menu = botMessages(fresh).find((a) => a.suggestedActions);
    expect(menu?.replyToId).toBe(id);
    expect(menu?.from).toMatchObject({ role: 'bot' });
    expect(menu?.suggestedActions?.actions.length).toBeGreaterThan(0);
    // Strictly increasing timestamps keep Web Chat's order.
    const times = client.all.map((a) => Date.parse(a.timestamp));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(times).size).toBe(times.length);
  });

  it('polls with a watermark: each activity once, and nothing new when nothing happened', async () => {
    const client = await DirectLineClient.open(app.url);
    await client.waitFor((activities) => botMessages(activities).length >= 3);
    const first = await client.poll(undefined, '');
    expect(first.body.activities.length).toBeGreaterThanOrEqual(4);
    const mark = first.body.watermark as string;
    expect(await client.poll(undefined, mark)).toMatchObject({ status: 200, body: { activities: [], watermark: mark } });
    await client.say('menu');
    const after = await client.poll(undefined, mark);
    expect(after.body.activities.length).toBeGreaterThanOrEqual(2);
    expect(Number(after.body.watermark)).toBeGreaterThan(Number(mark));
    expect(after.body.activities.map((a: { id: string }) => a.id)).not.toContain(first.body.activities[0].id);
  });

  it('speaks English when the conversation is started in English', async () => {
    const client = await DirectLineClient.open(app.url, 'en-CA');
    const greeting = await client.waitFor((activities) => /not therapy/.test(textOf(activities)));
    expect(textOf(greeting)).toMatch(/911/);
  });

  it('shows the crisis lines after a crisis message', async () => {
    const client = await DirectLineClient.open(app.url);
    await client.waitFor((activities) => botMessages(activities).length >= 3);
    await client.say('je veux mourir');
    const replies = await client.waitFor((activities) => /535353/.test(textOf(activities)));
    const text = textOf(replies);
    expect(text).toMatch(/911/);
    expect(text).toMatch(/1 866 APPELLE/);
    await app.escalationsSettled();
  });

  it('refuses a missing, broken, forged or foreign token with 401/403 and a JSON error', async () => {
    const a = await DirectLineClient.open(app.url);
    const b = await DirectLineClient.open(app.url);
    const missing = await call(`${a.url}/activities`);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'MissingToken' } } });
    expect(await a.poll('not-a-token')).toMatchObject({ status: 403, body: { error: { code: 'InvalidToken' } } });
    const [header, payload, signature] = a.info.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, user: 'dl_someone' })).toString('base64url')}.${signature}`;
    expect(await a.poll(forged)).toMatchObject({ status: 403, body: { error: { code: 'InvalidToken' } } });
    expect(await a.poll(b.info.token)).toMatchObject({ status: 403, body: { error: { code: 'TokenConversationMismatch' } } });
    expect(await a.post({ type: 'message', text: 'salut' }, b.info.token)).toMatchObject({ status: 403 });
    expect(await call(`${app.url}/v3/directline/tokens/refresh`, { method: 'POST', token: 'x.y.z' })).toMatchObject({ status: 403 });
  });

  it('refreshes a token: the new one works for the same user and conversation', async () => {
    const client = await DirectLineClient.open(app.url);
    const refreshed = await call(`${app.url}/v3/directline/tokens/refresh`, { method: 'POST', token: client.info.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId: client.info.conversationId, userId: client.info.userId });
    expect(refreshed.body.token).not.toBe(client.info.token);
    expect((await client.poll(refreshed.body.token)).status).toBe(200);
  });

  it('takes the sender from the token, never from the client, and refuses what it does not carry', async () => {
    const client = await DirectLineClient.open(app.url);
    const posted = await client.post({ type: 'message', text: 'allo', from: { id: 'dl_impostor', role: 'bot' } });
    expect(posted.status).toBe(200);
    const echo = (await client.waitFor((activities) => activities.some((a) => a.id === posted.body.id))).find((a) => a.id === posted.body.id);
    expect(echo?.from).toEqual({ id: client.info.userId, role: 'user' });

    expect(await client.post({ type: 'conversationUpdate' })).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
    expect(await client.post({ type: 'message', text: 'x', attachments: [{ contentType: 'image/png', contentUrl: 'http://x' }] })).toMatchObject({ status: 400 });
    expect((await client.poll(undefined, 'abc')).status).toBe(400);
  });

  it('refuses a message longer than MAX_MESSAGE_CHARS with 413, and the conversation goes on', async () => {
    const client = await DirectLineClient.open(app.url);
    await client.waitFor((activities) => botMessages(activities).length >= 3);
    const tooLong = await client.say('a'.repeat(env.config.maxMessageChars + 1));
    expect(tooLong).toMatchObject({ status: 413, body: { error: { code: 'MessageTooLong' } } });
    const long = await client.say(`${'Je me sens fatigué et je cherche des idées. '.repeat(80)}`.slice(0, env.config.maxMessageChars));
    expect(long.status).toBe(200);
    const replies = await client.waitFor((activities) => botMessages(activities).some((a) => a.replyToId === long.body.id));
    expect(botMessages(replies).length).toBeGreaterThan(0);
    const next = await client.say('menu');
    await client.waitFor((activities) => botMessages(activities).some((a) => a.replyToId === next.body.id));
  });

  it('takes proactive messages through the Bot Connector route, as check-ins will', async () => {
    const client = await DirectLineClient.open(app.url);
    await client.waitFor((activities) => botMessages(activities).length >= 3);
    const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = await import('botbuilder');
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const reference = {
      channelId: 'directline',
      serviceUrl: app.url,
      conversation: { id: client.info.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      user: { id: client.info.userId, name: '' },
      bot: { id: 'petits-pas', name: 'Petits pas' },
    };
    await adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('Petit rappel : votre pas de la semaine.');
    });
    const fresh = await client.waitFor((activities) => /Petit rappel/.test(textOf(activities)));
    expect(botMessages(fresh)[0].from.role).toBe('bot');
  });

  it('answers 404 to the bot for a conversation it does not know', async () => {
    const response = await call(`${app.url}/v3/conversations/nope/activities`, { method: 'POST', body: { type: 'message', text: 'x' } });
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'ConversationNotFound' } } });
  });
});

describe('local Direct Line with app credentials configured', () => {
  it('is off: no Direct Line route, and the token route says the web chat is unavailable', async () => {
    const env = testConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002' });
    const app = await startPetitsPas(env.config);
    try {
      expect((await call(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', body: {} })).status).toBe(404);
      expect((await call(`${app.url}/v3/directline/conversations`, { method: 'POST', token: 'x', body: {} })).status).toBe(404);
      expect((await call(`${app.url}/v3/conversations/c/activities`, { method: 'POST', body: { type: 'message' } })).status).toBe(404);
      expect(await call(`${app.url}/api/directline/token`, { method: 'POST', body: {} })).toMatchObject({ status: 503, body: { error: 'web_chat_unavailable' } });
      expect((await call(`${app.url}/`)).status).toBe(200);
    } finally {
      await app.stop();
      env.cleanup();
    }
  });
});
