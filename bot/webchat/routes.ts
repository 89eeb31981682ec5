import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Request, Response, Server } from 'restify';
import { normalizeLocale, type Locale } from '../../core/i18n/locale';
import type { LocalDirectLine } from '../directline/routes';
import { requestLogger } from '../hardening/correlation';
import { errorKind, type Logger } from '../observability/logger';
import { projectRoot } from '../projectRoot';
import { DIRECT_LINE_ENDPOINT, exchangeSecretForToken, TokenExchangeError } from './directLineTokenExchange';
import { COMMON_HEADERS, contentSecurityPolicy, loadPageAssets, newNonce, PAGE_HEADERS, renderPage, type PageLanguage, type WebChatMode } from './page';

const gzipAsync = promisify(gzip);

/**
 * The web chat page at `/`, its scripts (Web Chat itself is served from node_modules: no CDN at
 * run time) and the token route the page calls, `POST /api/directline/token`:
 * - production (a Direct Line secret is configured): the secret is exchanged server side for a
 *   token bound to a fresh `dl_` user id; the page talks to the Direct Line service;
 * - local mode (no app credentials): a token of the in-process Direct Line;
 * - otherwise the page explains that the web chat is not available.
 */
export interface WebChatDeps {
  readonly logger: Logger;
  readonly defaultLocale: Locale;
  readonly maxMessageChars: number;
  /** The in-process Direct Line (local mode only). */
  readonly localDirectLine?: LocalDirectLine;
  /** DIRECT_LINE_SECRET: when set, the page uses the real Direct Line service. */
  readonly directLineSecret?: string;
  /** DIRECT_LINE_ENDPOINT: the Direct Line service's origin (regional endpoints, tests). */
  readonly directLineEndpoint?: string;
  /** Defaults to the project's web/ folder and the installed botframework-webchat bundle. */
  readonly webDir?: string;
  readonly webChatBundlePath?: string;
}

interface StaticFile {
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
  readonly contentType: string;
}

export function registerWebChatRoutes(server: Server, deps: WebChatDeps): { mode: WebChatMode } {
  const root = projectRoot();
  const webDir = deps.webDir ?? join(root, 'web');
  const logger = deps.logger.child({ component: 'webchat' });
  const assets = loadPageAssets(webDir);
  const mode: WebChatMode = deps.directLineSecret ? 'directline' : deps.localDirectLine ? 'local' : 'off';
  const endpoint = (deps.directLineEndpoint ?? DIRECT_LINE_ENDPOINT).replace(/\/+$/, '');
  const pageLanguage = (raw: unknown): PageLanguage => {
    const locale = normalizeLocale(typeof raw === 'string' ? raw : undefined) ?? deps.defaultLocale;
    return locale === 'en-CA' ? 'en' : 'fr';
  };

  server.get('/', async (req: Request, res: Response) => {
    const nonce = newNonce();
    const html = renderPage(assets, {
      language: pageLanguage((req.query as { lang?: unknown } | undefined)?.lang),
      nonce,
      mode,
      maxMessageChars: deps.maxMessageChars,
    });
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(nonce, mode === 'directline' ? endpoint : undefined),
    });
    res.end(html);
  });

  // Static files, read once and kept in memory (Web Chat's bundle is about 4 MB, 1 MB gzipped).
  const files = new Map<string, Promise<StaticFile>>();
  const load = (path: string, contentType: string): Promise<StaticFile> => {
    let file = files.get(path);
    if (!file) {
      file = (async () => {
        const body = await readFile(path);
        return { body, gzipped: await gzipAsync(body), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, contentType };
      })();
      file.catch(() => files.delete(path));
      files.set(path, file);
    }
    return file;
  };
  const serveFile = (path: string, contentType: string) => async (req: Request, res: Response) => {
    let file: StaticFile;
    try {
      file = await load(path, contentType);
    } catch (error) {
      logger.error('webchat_file_missing', { file: path.slice(root.length), error: errorKind(error) });
      res.send(500, { error: 'internal_error', reason: 'a web chat file is missing (run npm ci)' });
      return;
    }
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'Cache-Control': 'no-cache', ETag: file.etag, Vary: 'Accept-Encoding' };
    if (req.header('if-none-match') === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzipOk = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
    res.writeHead(200, { ...headers, 'Content-Type': file.contentType, ...(gzipOk ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(gzipOk ? file.gzipped : file.body);
  };
  // The package's exports map hides dist/ from require.resolve: read it by path.
  server.get('/webchat/webchat.js', serveFile(deps.webChatBundlePath ?? join(root, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js'), 'text/javascript; charset=utf-8'));
  server.get('/webchat/app.js', serveFile(join(webDir, 'app.js'), 'text/javascript; charset=utf-8'));
  server.get('/webchat/app.css', serveFile(join(webDir, 'app.css'), 'text/css; charset=utf-8'));

  server.post('/api/directline/token', async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.header(name, value);
    if (!sameOrigin(req)) {
      res.send(403, { error: 'forbidden', reason: 'the token route serves this site only' });
      return;
    }
    const locale = normalizeLocale((req.body as { locale?: unknown } | undefined)?.locale as string | undefined) ?? deps.defaultLocale;
    if (mode === 'local' && deps.localDirectLine) {
      res.send(200, { ...deps.localDirectLine.issueToken(locale), domain: '/v3/directline' });
      return;
    }
    if (mode === 'directline' && deps.directLineSecret) {
      try {
        const token = await exchangeSecretForToken({ secret: deps.directLineSecret, endpoint });
        res.send(200, { ...token, domain: `${endpoint}/v3/directline` });
      } catch (error) {
        requestLogger(req, logger).error('directline_token_failed', { error: errorKind(error), kind: error instanceof TokenExchangeError ? error.kind : 'unknown', status: error instanceof TokenExchangeError ? error.status : undefined });
        res.send(502, { error: 'direct_line_unavailable', reason: 'the chat service could not be reached' });
      }
      return;
    }
    res.send(503, { error: 'web_chat_unavailable', reason: 'no Direct Line secret is configured and app credentials turn the local Direct Line off' });
  });

  logger.info('webchat_enabled', { mode });
  return { mode };
}

/** Browsers say where a request comes from: refuse other sites (they would spend our tokens). */
function sameOrigin(req: Request): boolean {
  if (req.header('sec-fetch-site') === 'cross-site') return false;
  const origin = req.header('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.header('host');
  } catch {
    return false;
  }
}
