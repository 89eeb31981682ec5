import { startPetitsPas, type RunningApp } from '../../bot/app';
import { sendMessage, testConfig, textsOf } from '../support/http';

describe('HTTP server (local mode, real HTTP)', () => {
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

  it('answers GET /healthz with 200 and JSON', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok', storage: 'file', mode: 'local' });
  });

  it('greets in French over HTTP with expectReplies, saying what it is and is not', async () => {
    const { status, replies } = await sendMessage(app.url, 'bonjour', { conversationId: 'greet-fr', userId: 'greet-fr' });
    expect(status).toBe(200);
    const texts = textsOf(replies).join('\n');
    expect(texts).toContain('Petits pas');
    expect(texts).toMatch(/pas une thérapie/);
    expect(texts).toMatch(/911/);
    expect(texts).toMatch(/1 866 APPELLE/);
    const question = replies.find((r) => r.suggestedActions);
    expect(question?.text).toBe("Tu préfères qu'on se parle en français ou en anglais ?");
    expect(question?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Français', 'English']);
  });

  it('greets in English when the channel says en-US', async () => {
    const { replies } = await sendMessage(app.url, 'hello', { conversationId: 'greet-en', userId: 'greet-en', locale: 'en-US' });
    expect(textsOf(replies).join('\n')).toMatch(/not therapy/);
  });

  it('answers malformed JSON with 400 and keeps serving', async () => {
    const bad = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", ' });
    expect(bad.status).toBe(400);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it.each([
    ['an array', '[1,2,3]'],
    ['a string', '"hello"'],
    ['an object without type', '{"text":"hi"}'],
    ['a wrong type for text', '{"type":"message","text":42,"channelId":"t","serviceUrl":"http://x","conversation":{"id":"c"},"from":{"id":"u"}}'],
    ['no conversation', '{"type":"message","text":"hi","channelId":"t","serviceUrl":"http://x","from":{"id":"u"}}'],
  ])('answers a non-activity body (%s) with 400 and a reason', async (_label, body) => {
    const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request' });
  });

  it('refuses an oversized body with 413', async () => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(400_000) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('HTTP server with app credentials', () => {
  it('answers 401 to a request without a valid Bot Framework token', async () => {
    const env = testConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002' });
    const app = await startPetitsPas(env.config);
    try {
      const noToken = await sendMessage(app.url, 'bonjour');
      expect(noToken.status).toBe(401);
      expect(noToken.replies).toEqual([]);
      const forged = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
        body: JSON.stringify({ type: 'message', text: 'x', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/x', conversation: { id: 'c' }, from: { id: 'u' } }),
      });
      expect(forged.status).toBe(401);
    } finally {
      await app.stop();
      env.cleanup();
    }
  });
});
