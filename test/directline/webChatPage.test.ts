import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import restify from 'restify';
import { silentLogger } from '../../bot/observability/logger';
import { contentSecurityPolicy, EMPTY_STYLE_HASH, loadPageAssets, renderPage } from '../../bot/webchat/page';
import { registerWebChatRoutes, type WebChatDeps } from '../../bot/webchat/routes';
import { PROJECT_ROOT } from '../support/dist';
import { call } from './client';

const WEB_DIR = join(PROJECT_ROOT, 'web');

async function startPage(deps: Partial<WebChatDeps> = {}) {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ mapParams: false, rejectUnknown: true }));
  const local = { issueToken: (locale?: string) => ({ conversationId: 'c1', token: `t-${locale}`, expires_in: 1800, userId: 'dl_x' }), conversationCount: 0 };
  registerWebChatRoutes(server, { logger: silentLogger, defaultLocale: 'fr-CA', maxMessageChars: 4000, localDirectLine: local, ...deps });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.server.closeAllConnections();
      await closed;
    },
  };
}

describe('web chat page routes (real HTTP, local mode)', () => {
  let page: Awaited<ReturnType<typeof startPage>>;
  beforeAll(async () => {
    page = await startPage();
  });
  afterAll(() => page.close());

  it('serves the page in French by default, with its security headers and a fresh nonce each time', async () => {
    const first = await fetch(`${page.url}/`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self';");
    const html = await first.text();
    expect(html).toContain('<html lang="fr-CA">');
    expect(html).toContain("Petits pas n&#39;est pas un service d&#39;urgence.");
    expect(html).toContain('href="tel:911"');
    expect(html).toContain('1&nbsp;866&nbsp;APPELLE (277-3553)');
    expect(html).toContain('src="/webchat/webchat.js"');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i); // nothing from a CDN
    expect(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '')).not.toMatch(/\{\{\w+\}\}/); // every placeholder filled
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const config = JSON.parse(/<script type="application\/json" id="pp-config">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}');
    expect(config).toMatchObject({ lang: 'fr', mode: 'local', maxMessageChars: 4000, nonce });
    const second = await fetch(`${page.url}/`);
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('serves the page in English with ?lang=en', async () => {
    const html = await (await fetch(`${page.url}/?lang=en`)).text();
    expect(html).toContain('<html lang="en-CA">');
    expect(html).toContain('Petits pas is not an emergency service.');
    expect(html).toMatch(/data-lang="en" lang="en" aria-pressed="true"/);
  });

  it('serves Web Chat from node_modules and our script and styles, gzipped, with ETags', async () => {
    const bundle = await fetch(`${page.url}/webchat/webchat.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff');
    const body = Buffer.from(await bundle.arrayBuffer());
    expect(body.equals(readFileSync(join(PROJECT_ROOT, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js')))).toBe(true);

    const etag = bundle.headers.get('etag') as string;
    const again = await fetch(`${page.url}/webchat/webchat.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const { request } = await import('node:http');
    const gzipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(`${page.url}/webchat/app.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gzipped.encoding).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(readFileSync(join(WEB_DIR, 'app.js'), 'utf8'));

    const css = await fetch(`${page.url}/webchat/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('gives the page a local token for the asked locale, pointing at the in-process Direct Line', async () => {
    const response = await call(`${page.url}/api/directline/token`, { method: 'POST', body: { locale: 'en' } });
    expect(response).toMatchObject({ status: 200, body: { token: 't-en-CA', domain: '/v3/directline', userId: 'dl_x' } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const fallback = await call(`${page.url}/api/directline/token`, { method: 'POST', body: { locale: 'de-DE' } });
    expect(fallback.body.token).toBe('t-fr-CA');
  });
});

describe('web chat page assets', () => {
  it('says clearly when Web Chat is not installed', async () => {
    const page = await startPage({ webChatBundlePath: join(tmpdir(), 'no-such-webchat.js') });
    try {
      const response = await call(`${page.url}/webchat/webchat.js`);
      expect(response).toMatchObject({ status: 500, body: { reason: expect.stringMatching(/npm ci/) } });
    } finally {
      await page.close();
    }
  });

  it('answers 503 on the token route when there is neither a local Direct Line nor a secret', async () => {
    const page = await startPage({ localDirectLine: undefined });
    try {
      expect(await call(`${page.url}/api/directline/token`, { method: 'POST', body: {} })).toMatchObject({ status: 503, body: { error: 'web_chat_unavailable' } });
    } finally {
      await page.close();
    }
  });

  it('keeps the French and English page texts in step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'petits-pas-web-'));
    try {
      cpSync(WEB_DIR, dir, { recursive: true });
      const texts = JSON.parse(readFileSync(join(dir, 'texts.json'), 'utf8'));
      expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.fr).sort());
      delete texts.en.restart;
      writeFileSync(join(dir, 'texts.json'), JSON.stringify(texts));
      expect(() => loadPageAssets(dir)).toThrow(/restart/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders texts escaped and keeps the config from closing its script element', () => {
    const assets = { template: '<p>{{tagline}}</p><script type="application/json">{{{config}}}</script>{{unknown}}', texts: { fr: { tagline: '<b>"x"</b> & {{max}}' }, en: { tagline: 'y' } } };
    const html = renderPage(assets, { language: 'fr', nonce: 'n', mode: 'local', maxMessageChars: 10 });
    expect(html).toContain('<p>&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; {{max}}</p>');
    expect(html).not.toContain('</b>');
    expect(html).toContain('{{unknown}}');
    expect(html).toContain('\\u003cb\\u003e');
  });

  it('builds a CSP without unsafe-inline, adding only the Direct Line service in production', () => {
    const local = contentSecurityPolicy('abc');
    expect(local).toContain(`style-src 'self' 'nonce-abc' '${EMPTY_STYLE_HASH}'`);
    expect(local).not.toMatch(/unsafe|\*/);
    expect(contentSecurityPolicy('abc', 'https://directline.botframework.com')).toContain(
      "connect-src 'self' https://directline.botframework.com wss://directline.botframework.com",
    );
  });
});
