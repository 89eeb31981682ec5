import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The web chat page: a small template filled per request (language, CSP nonce, page config). */
export type PageLanguage = 'fr' | 'en';
export type PageTexts = Record<PageLanguage, Record<string, string>>;
export type WebChatMode = 'local' | 'directline' | 'off';

export interface PageAssets {
  readonly template: string;
  readonly texts: PageTexts;
}

export function loadPageAssets(webDir: string): PageAssets {
  let template: string;
  let texts: PageTexts;
  try {
    template = readFileSync(join(webDir, 'index.html'), 'utf8');
    texts = JSON.parse(readFileSync(join(webDir, 'texts.json'), 'utf8')) as PageTexts;
  } catch (error) {
    throw new Error(`the web chat page files cannot be read from ${webDir} (index.html, texts.json): ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const language of ['fr', 'en'] as const) {
    if (!texts[language] || typeof texts[language] !== 'object') throw new Error(`web/texts.json has no "${language}" texts`);
  }
  const missing = Object.keys(texts.fr).filter((key) => typeof texts.en[key] !== 'string');
  if (missing.length > 0) throw new Error(`web/texts.json: the English texts lack ${missing.join(', ')}`);
  return { template, texts };
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

/** JSON inside a <script type="application/json">: nothing in it may close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export interface PageOptions {
  readonly language: PageLanguage;
  readonly nonce: string;
  readonly mode: WebChatMode;
  readonly maxMessageChars: number;
}

export function renderPage(assets: PageAssets, options: PageOptions): string {
  const texts = assets.texts[options.language];
  const values: Record<string, string> = {
    ...texts,
    htmlLang: options.language === 'en' ? 'en-CA' : 'fr-CA',
    frPressed: String(options.language === 'fr'),
    enPressed: String(options.language === 'en'),
  };
  const config = { lang: options.language, mode: options.mode, maxMessageChars: options.maxMessageChars, nonce: options.nonce, texts: assets.texts };
  // Texts first, then the config: placeholders inside the config's texts ({{max}}) stay as they are.
  return assets.template
    .replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? escapeHtml(values[key]) : whole))
    .replace('{{{config}}}', () => scriptJson(config));
}

/**
 * The hash of an empty <style> element. Web Chat passes our nonce to its own style sheet, but
 * not to the one of its transcript scroller (react-scroll-to-bottom), which starts empty and is
 * then filled through the CSSOM (insertRule), which CSP does not restrict. Allowing exactly an
 * empty element lets no inline style text through, and avoids 'unsafe-inline'.
 */
export const EMPTY_STYLE_HASH = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** The page's Content-Security-Policy: our own origin, plus the Direct Line service in production. */
export function contentSecurityPolicy(nonce: string, directLineOrigin?: string): string {
  const connect = ["'self'"];
  if (directLineOrigin) {
    const url = new URL(directLineOrigin);
    connect.push(url.origin, `${url.protocol === 'http:' ? 'ws:' : 'wss:'}//${url.host}`);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE_HASH}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every web chat response carries. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON_HEADERS,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cache-Control': 'no-store',
};
