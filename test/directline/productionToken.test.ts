import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { silentLogger } from '../../bot/observability/logger';
import { exchangeSecretForToken, TokenExchangeError } from '../../bot/webchat/directLineTokenExchange';
import { registerWebChatRoutes } from '../../bot/webchat/routes';
import { call } from './client';

const SECRET = 'dl-secret-that-must-never-leave-the-server';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  body: unknown;
}

/** A fake Direct Line service: records what it was asked, answers what the test chose. */
async function fakeDirectLine(answer: (seen: Seen) => { status: number; body: string }): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: HttpServer = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const record: Seen = { method: req.method, url: req.url, authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined };
      seen.push(record);
      const { status, body } = answer(record);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const ok = () => ({ status: 200, body: JSON.stringify({ conversationId: 'conv-123', token: 'real.dl.token', expires_in: 3600 }) });

describe('production Direct Line token exchange (against a local fake service)', () => {
  it('sends the secret as a bearer and a fresh dl_ user id, and returns only the token', async () => {
    const fake = await fakeDirectLine(ok);
    try {
      const token = await exchangeSecretForToken({ secret: SECRET, endpoint: fake.url });
      expect(fake.seen).toHaveLength(1);
      expect(fake.seen[0]).toMatchObject({ method: 'POST', url: '/v3/directline/tokens/generate', authorization: `Bearer ${SECRET}` });
      const userId = (fake.seen[0].body as { user: { id: string } }).user.id;
      expect(userId).toMatch(/^dl_[0-9a-f]{32}$/);
      expect(token).toEqual({ token: 'real.dl.token', conversationId: 'conv-123', expires_in: 3600, userId });
      const second = await exchangeSecretForToken({ secret: SECRET, endpoint: fake.url });
      expect(second.userId).not.toBe(userId);
    } finally {
      await fake.close();
    }
  });

  it.each([
    ['a refusal', () => ({ status: 403, body: JSON.stringify({ error: { code: 'BadArgument', message: `secret ${SECRET} invalid` } }) }), 'refused'],
    ['a server error', () => ({ status: 500, body: 'oops' }), 'refused'],
    ['a body without token', () => ({ status: 200, body: JSON.stringify({ conversationId: 'c' }) }), 'bad_response'],
    ['a body that is not JSON', () => ({ status: 200, body: '<html>' }), 'bad_response'],
  ])('fails with a typed error on %s', async (_label, answer, kind) => {
    const fake = await fakeDirectLine(answer);
    try {
      const failure = await exchangeSecretForToken({ secret: SECRET, endpoint: fake.url }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TokenExchangeError);
      expect((failure as TokenExchangeError).kind).toBe(kind);
      expect((failure as Error).message).not.toContain(SECRET);
    } finally {
      await fake.close();
    }
  });

  it('fails as unreachable when nothing listens', async () => {
    const fake = await fakeDirectLine(ok);
    await fake.close();
    await expect(exchangeSecretForToken({ secret: SECRET, endpoint: fake.url, timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'unreachable' });
  });
});

describe('POST /api/directline/token in production mode (real HTTP)', () => {
  async function startPage(endpoint: string) {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser());
    server.use(restify.plugins.bodyParser({ mapParams: false, rejectUnknown: true }));
    const { mode } = registerWebChatRoutes(server, { logger: silentLogger, defaultLocale: 'fr-CA', maxMessageChars: 4000, directLineSecret: SECRET, directLineEndpoint: endpoint });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    return {
      mode,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.server.closeAllConnections();
        await closed;
      },
    };
  }

  it('hands the page a token and the service domain, never the secret; the page may talk to that service', async () => {
    const fake = await fakeDirectLine(ok);
    const page = await startPage(fake.url);
    try {
      expect(page.mode).toBe('directline');
      const response = await call(`${page.url}/api/directline/token`, { method: 'POST', body: { locale: 'en-CA' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toMatchObject({ token: 'real.dl.token', conversationId: 'conv-123', domain: `${fake.url}/v3/directline` });
      expect(response.body.userId).toMatch(/^dl_/);
      expect(JSON.stringify(response.body)).not.toContain(SECRET);

      const html = await fetch(`${page.url}/`);
      const csp = html.headers.get('content-security-policy') ?? '';
      expect(csp).toContain(`connect-src 'self' ${fake.url} ws://${new URL(fake.url).host}`);
      expect(await html.text()).not.toContain(SECRET);
    } finally {
      await page.close();
      await fake.close();
    }
  });

  it('answers 502 with a plain reason when the service refuses, without its words or the secret', async () => {
    const fake = await fakeDirectLine(() => ({ status: 403, body: JSON.stringify({ error: { message: `bad secret ${SECRET}` } }) }));
    const page = await startPage(fake.url);
    try {
      const response = await call(`${page.url}/api/directline/token`, { method: 'POST', body: {} });
      expect(response).toMatchObject({ status: 502, body: { error: 'direct_line_unavailable' } });
      expect(JSON.stringify(response.body)).not.toContain(SECRET);
    } finally {
      await page.close();
      await fake.close();
    }
  });

  it('refuses token requests from another site', async () => {
    const fake = await fakeDirectLine(ok);
    const page = await startPage(fake.url);
    try {
      const crossSite = await call(`${page.url}/api/directline/token`, { method: 'POST', body: {}, headers: { origin: 'https://evil.example' } });
      expect(crossSite.status).toBe(403);
      const fetchSite = await call(`${page.url}/api/directline/token`, { method: 'POST', body: {}, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(fetchSite.status).toBe(403);
      expect(fake.seen).toHaveLength(0);
    } finally {
      await page.close();
      await fake.close();
    }
  });
});
