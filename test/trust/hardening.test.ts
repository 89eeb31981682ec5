/**
 * Hardening of the HTTP surface over real HTTP: security headers on every response, rate limits
 * per conversation and per address (429 + Retry-After) that never starve the crisis path,
 * activity rules beyond the schema (400), correlation ids; and the token buckets' own rules.
 */
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Server } from 'restify';
import { LoopbackClient } from '../../bench/loadClient';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { hardeningOf, MessageRateLimiter } from '../../bot/hardening';
import { TokenBuckets } from '../../bot/hardening/tokenBucket';
import { createLogger } from '../../bot/observability/logger';
import { createServer } from '../../bot/server';
import { testConfig } from '../support/http';
import { MemoryDocumentStore } from '../support/memoryStore';
import { hasCrisisLines, messageActivity, say } from './support/activities';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect([name, headers[name]]).toEqual([name, value]);
  expect(String(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
}

describe('token buckets', () => {
  it('allow a burst of `limit`, then refuse with the time to the next token, and refill', () => {
    const buckets = new TokenBuckets({ limit: 3, windowMs: 3_000 });
    for (let i = 0; i < 3; i++) expect(buckets.take('a', 0).ok).toBe(true);
    const refused = buckets.take('a', 0);
    expect(refused).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect(buckets.take('a', 999).ok).toBe(false);
    expect(buckets.take('a', 1_000 + 999).ok).toBe(true);
    expect(buckets.take('b', 0).ok).toBe(true);
  });

  it('stay within maxKeys under a flood of new keys, and never forget a busy bucket for it', () => {
    const buckets = new TokenBuckets({ limit: 2, windowMs: 60_000 }, 100);
    buckets.take('busy', 0);
    buckets.take('busy', 0);
    for (let i = 0; i < 20_000; i++) {
      buckets.take(`flood-${i}`, 1);
      if (i % 50 === 0) expect(buckets.take('busy', 1).ok).toBe(false); // stays most recently used
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.take('busy', 2).ok).toBe(false);
  });

  it('drop refilled buckets first when full (they are the same as no bucket)', () => {
    const buckets = new TokenBuckets({ limit: 1, windowMs: 1_000 }, 3);
    buckets.take('old-1', 0);
    buckets.take('old-2', 0);
    buckets.take('recent', 5_000); // old ones have refilled by now
    buckets.take('new', 5_000);
    expect(buckets.size).toBeLessThanOrEqual(3);
    expect(buckets.take('recent', 5_000).ok).toBe(false);
  });
});

describe('message rate limiter', () => {
  it('lets urgent messages through an empty bucket within a bounded reserve', () => {
    let now = 0;
    const limiter = new MessageRateLimiter(
      { perConversation: { limit: 2, windowMs: 10_000 }, perIp: null, urgentReserve: { perConversation: { limit: 3, windowMs: 60_000 }, perIp: { limit: 100, windowMs: 60_000 } } },
      () => now,
    );
    const check = (urgent: boolean) => limiter.check({ ip: 'a', conversationKey: 'c', chargeIpNow: true, urgent: () => urgent });
    expect(check(false).ok).toBe(true);
    expect(check(false).ok).toBe(true);
    expect(check(false)).toMatchObject({ ok: false, scope: 'conversation' });
    for (let i = 0; i < 3; i++) expect(check(true)).toEqual({ ok: true, urgentReserveUsed: true });
    expect(check(true)).toMatchObject({ ok: false, scope: 'conversation' }); // a flood of "crises" is still a flood
    now = 10_000;
    expect(check(false).ok).toBe(true);
  });

  it('treats a failing urgency check as urgent (the screen failing must not silence a crisis)', () => {
    const limiter = new MessageRateLimiter({ perConversation: { limit: 1, windowMs: 10_000 }, perIp: null }, () => 0);
    const urgent = () => {
      throw new Error('screen failed');
    };
    expect(limiter.check({ ip: 'a', conversationKey: 'c', chargeIpNow: true, urgent }).ok).toBe(true);
    expect(limiter.check({ ip: 'a', conversationKey: 'c', chargeIpNow: true, urgent })).toEqual({ ok: true, urgentReserveUsed: true });
  });

  it('counts requests with credentials against the address only once refused', () => {
    const limiter = new MessageRateLimiter({ perConversation: null, perIp: { limit: 2, windowMs: 10_000 } }, () => 0);
    const check = () => limiter.check({ ip: 'connector', conversationKey: 'c', chargeIpNow: false, urgent: () => false });
    for (let i = 0; i < 10; i++) expect(check().ok).toBe(true);
    limiter.chargeRefused('connector');
    limiter.chargeRefused('connector');
    expect(check()).toMatchObject({ ok: false, scope: 'ip' });
  });
});

describe('hardened /api/messages on the running bot (real HTTP)', () => {
  let app: RunningApp;
  let env: ReturnType<typeof testConfig>;
  let client: LoopbackClient;
  const lines: string[] = [];

  beforeAll(async () => {
    env = testConfig();
    app = await startPetitsPas(env.config, {
      store: new MemoryDocumentStore(),
      startScheduler: false,
      logger: createLogger('debug', (line) => lines.push(line)),
    });
    client = new LoopbackClient(app.url, { maxSockets: 10 });
  });
  afterAll(async () => {
    client.close();
    await app.stop();
    env.cleanup();
  });
  afterEach(() => hardeningOf(app.server)?.setRateLimit({}));

  it('puts the security headers on every response, errors included', async () => {
    const ids = { conversationId: 'headers-1', userId: 'headers-1' };
    const responses = await Promise.all([
      client.postJson('/api/messages', messageActivity('bonjour', ids)),
      client.request('POST', '/api/messages', '{"type": "message", '),
      client.postJson('/api/messages', { ...messageActivity('x', ids), type: 'conversationUpdate', membersAdded: [null] }),
      client.request('POST', '/api/messages', JSON.stringify({ ...messageActivity('x', ids), text: 'x'.repeat(300_000) })),
      client.request('GET', '/api/messages'),
      client.request('GET', '/nowhere'),
      client.request('GET', '/healthz'),
      client.request('GET', '/api/export/not-a-real-token-xxxxxxxxxxxx'),
      client.request('GET', '/'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 400, 400, 413, 405, 404, 200, 404, 200]);
    for (const response of responses) expectSecurityHeaders(response.headers);
    // API answers are never cached; the page keeps its own nonce-based policy.
    for (const response of responses.slice(0, 5)) expect(response.headers['cache-control']).toBe('no-store');
    expect(String(responses[8].headers['content-security-policy'])).toMatch(/script-src 'self'/);
    // Plain HTTP without a trusted proxy: no HSTS.
    expect(responses[0].headers['strict-transport-security']).toBeUndefined();
  });

  /** 40 messages at once in one conversation (a burst arrives within milliseconds, whatever the machine's load). */
  async function burst(ids: { conversationId: string; userId: string }, count = 40) {
    const wide = new LoopbackClient(app.url, { maxSockets: count });
    try {
      return await Promise.all(Array.from({ length: count }, () => say(wide, 'menu', ids)));
    } finally {
      wide.close();
    }
  }

  it('answers 429 with Retry-After past 30 messages in 10 s in one conversation; others are unaffected', async () => {
    const answers = await burst({ conversationId: 'flood-1', userId: 'flood-1' });
    const statuses = answers.map((a) => a.status);
    // 30 at once, plus what refills (3 per second) while the burst is being read.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const limited = answers.find((a) => a.status === 429)!;
    expect(Number(limited.result.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited.result.body)).toMatchObject({ error: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    expectSecurityHeaders(limited.result.headers);
    expect((await say(client, 'bonjour', { conversationId: 'flood-2', userId: 'flood-2' })).status).toBe(200);
  });

  it('never starves the crisis path: a crisis message in a throttled conversation gets the crisis lines', async () => {
    const ids = { conversationId: 'flood-crisis', userId: 'flood-crisis' };
    expect((await burst(ids)).some((a) => a.status === 429)).toBe(true);
    expect((await say(client, 'ok', ids)).status).toBe(429);
    const crisis = await say(client, 'je veux mourir', ids);
    expect(crisis.status).toBe(200);
    expect(hasCrisisLines(crisis.text)).toBe(true);
    const emergencyWord = await say(client, 'urgence', ids);
    expect(emergencyWord.status).toBe(200);
    expect(hasCrisisLines(emergencyWord.text)).toBe(true);
    await app.escalationsSettled();
  });

  it('limits per address: a flooding address is refused, another address is served', async () => {
    hardeningOf(app.server)!.setRateLimit({ perConversation: null, perIp: { limit: 5, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await say(client, 'menu', { conversationId: `ip-${i}`, userId: `ip-${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // Same machine, another loopback address (Linux routes all of 127/8 to lo).
    const other = await new Promise<number>((resolve, reject) => {
      const http = require('node:http') as typeof import('node:http');
      const body = JSON.stringify(messageActivity('menu', { conversationId: 'ip-other', userId: 'ip-other' }));
      const req = http.request({ host: '127.0.0.1', port: app.port, localAddress: '127.0.0.2', method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(other).toBe(200);
  });

  it('refuses activities the schema lets through but the handlers cannot take (400, never a turn error)', async () => {
    const ids = { conversationId: 'rules-1', userId: 'rules-1' };
    const base = messageActivity('bonjour', ids);
    const bad: Array<[string, Record<string, unknown>]> = [
      ['members holding null', { ...base, type: 'conversationUpdate', membersAdded: [null] }],
      ['members not a list', { ...base, type: 'conversationUpdate', membersAdded: 'everyone' }],
      ['a non-loopback serviceUrl without credentials', { ...base, serviceUrl: 'http://10.1.2.3/' }],
      ['a serviceUrl that is not http', { ...base, serviceUrl: 'file:///etc/passwd' }],
      ['an unknown delivery mode', { ...base, deliveryMode: 'carrier-pigeon' }],
      ['a locale with control characters', { ...base, locale: 'fr\u202eCA' }],
      ['an object as aadObjectId', { ...base, from: { id: 'u', aadObjectId: { x: 1 } } }],
      ['a deeply nested card value', { ...base, value: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) }],
      ['a type that is not a word', { ...base, type: 'message/../x' }],
      ['channelData as a string', { ...base, channelData: 'x' }],
    ];
    const turnErrorsBefore = lines.filter((l) => l.includes('"turn_failed"')).length;
    for (const [label, activity] of bad) {
      const response = await client.postJson('/api/messages', activity);
      expect([label, response.status]).toEqual([label, 400]);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'bad_request', reason: expect.stringMatching(/^invalid activity/) });
    }
    expect(lines.filter((l) => l.includes('"turn_failed"')).length).toBe(turnErrorsBefore);
    // A well-formed conversationUpdate still greets.
    const welcome = await client.postJson('/api/messages', { ...base, type: 'conversationUpdate', membersAdded: [{ id: 'rules-1' }], text: undefined });
    expect(welcome.status).toBe(200);
    expect(welcome.body).toContain('Petits pas');
  });

  it('gives every request a correlation id, in the X-Request-Id header and on each log line of its turn', async () => {
    const before = lines.length;
    const answer = await say(client, 'bonjour', { conversationId: 'corr-1', userId: 'corr-1' });
    const id = String(answer.result.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const turnLines = lines.slice(before).map((l) => JSON.parse(l) as { event: string; correlationId?: string });
    expect(turnLines.find((l) => l.event === 'screened')?.correlationId).toBe(id);
    const kept = await client.postJson('/api/messages', messageActivity('bonjour', { conversationId: 'corr-2', userId: 'corr-2' }), { 'x-request-id': 'proxy-id-1234' });
    expect(kept.headers['x-request-id']).toBe('proxy-id-1234');
    const refused = await client.postJson('/api/messages', messageActivity('bonjour', { conversationId: 'corr-3', userId: 'corr-3' }), { 'x-request-id': 'not ok <script>' });
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps each concurrent turn on its own id, background escalation lines included', async () => {
    const before = lines.length;
    const ids = ['turn-ids-crisis-1', 'turn-ids-crisis-2', 'turn-ids-calm-3'];
    const texts = ['je veux mourir ce soir', 'I am going to kill myself tonight', 'bonjour'];
    await Promise.all(
      ids.map((id, i) => client.postJson('/api/messages', messageActivity(texts[i] as string, { conversationId: id, userId: id }), { 'x-request-id': id })),
    );
    await app.escalationsSettled();
    const records = lines.slice(before).map((l) => JSON.parse(l) as { event: string; correlationId?: string });
    const screened = records.filter((r) => r.event === 'screened').map((r) => r.correlationId);
    expect(screened.sort()).toEqual([...ids].sort());
    const enqueued = records.filter((r) => r.event === 'escalation_enqueued' && r.correlationId !== undefined).map((r) => r.correlationId);
    expect(enqueued.sort()).toEqual(['turn-ids-crisis-1', 'turn-ids-crisis-2']);
  });
});

describe('hardening options on a bare server (real HTTP)', () => {
  async function bareServer(hardening: Parameters<typeof createServer>[0]['hardening']): Promise<{ server: Server; client: LoopbackClient; close(): Promise<void> }> {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const server = createServer({ adapter, runTurn: async (context) => void (await context.sendActivity('echo')), health: async () => ({}), logger: createLogger('silent'), hardening });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const client = new LoopbackClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return {
      server,
      client,
      close: async () => {
        client.close();
        server.server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('sends Strict-Transport-Security behind a trusted TLS proxy, not when the header is untrusted', async () => {
    const trusted = await bareServer({ trustProxy: true });
    const untrusted = await bareServer({});
    const always = await bareServer({ headers: { hsts: 'always' } });
    try {
      const viaProxy = await trusted.client.request('GET', '/healthz', undefined, { 'x-forwarded-proto': 'https' });
      expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000');
      expect((await trusted.client.request('GET', '/healthz', undefined, { 'x-forwarded-proto': 'http' })).headers['strict-transport-security']).toBeUndefined();
      expect((await untrusted.client.request('GET', '/healthz', undefined, { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBeUndefined();
      expect((await always.client.request('GET', '/healthz')).headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await Promise.all([trusted.close(), untrusted.close(), always.close()]);
    }
  });

  it('with a trusted proxy, limits per X-Forwarded-For address (the last hop), not per socket', async () => {
    const bare = await bareServer({ trustProxy: true, rateLimit: { perConversation: null, perIp: { limit: 2, windowMs: 60_000 } } });
    try {
      const send = (forwardedFor: string, n: number) =>
        bare.client.postJson('/api/messages', messageActivity('x', { conversationId: `xff-${n}`, userId: 'u' }), { 'x-forwarded-for': forwardedFor });
      expect((await send('203.0.113.9, 198.51.100.1:5555', 1)).status).toBe(200);
      expect((await send('1.1.1.1, 198.51.100.1:6666', 2)).status).toBe(200); // spoofed first entry changes nothing
      expect((await send('198.51.100.1', 3)).status).toBe(429);
      expect((await send('198.51.100.2', 4)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('hardening with app credentials (authenticated mode)', () => {
  it('counts forged tokens against the address, so a forger is cut off before the token check', async () => {
    const env = testConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002' });
    const app = await startPetitsPas(env.config, { store: new MemoryDocumentStore(), startScheduler: false });
    const client = new LoopbackClient(app.url);
    try {
      hardeningOf(app.server)!.setRateLimit({ perConversation: null, perIp: { limit: 3, windowMs: 60_000 } });
      const forged = { authorization: 'Bearer not.a.jwt' };
      const activity = { ...messageActivity('x', { conversationId: 'auth-1', userId: 'u' }), serviceUrl: 'https://smba.trafficmanager.net/x', deliveryMode: undefined };
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.postJson('/api/messages', activity, forged)).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      client.close();
      await app.stop();
      env.cleanup();
    }
  });
});
