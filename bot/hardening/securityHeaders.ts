import type { Request, Response } from 'restify';

/**
 * Headers on every response, set before routing so that errors (404, 405, 413 from the body
 * parser, 429 from the limiter) carry them too. A route may still replace one (the web chat page
 * sends its own, stricter Content-Security-Policy with a nonce).
 *
 * - X-Content-Type-Options: nosniff — a JSON answer is never run as a script or styled as CSS.
 * - Referrer-Policy: no-referrer — export links carry a one-time token in the path.
 * - X-Frame-Options: DENY and CSP frame-ancestors 'none' — nothing here may be framed (clickjacking).
 * - Content-Security-Policy default-src 'none' — API answers load nothing.
 * - Cross-Origin-Resource-Policy: same-origin — other sites cannot embed our answers.
 * - Cache-Control: no-store on /api/ — expectReplies bodies hold the conversation; no proxy or
 *   browser cache may keep them (a route may set its own).
 * - Strict-Transport-Security — only on HTTPS: the socket is TLS, or a trusted proxy says
 *   X-Forwarded-Proto: https (App Service, Front Door), or `hsts: 'always'` (PUBLIC_BASE_URL https).
 */
export interface SecurityHeaderOptions {
  /** 'auto' (default): on HTTPS requests only; 'always'; 'off'. */
  readonly hsts?: 'auto' | 'always' | 'off';
  /** Believe X-Forwarded-Proto (and X-Forwarded-For for addresses). Default false. */
  readonly trustProxy?: boolean;
  /** Default one year. */
  readonly hstsMaxAgeSeconds?: number;
}

export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function securityHeaders(options: SecurityHeaderOptions = {}): (req: Request, res: Response, next: () => void) => void {
  const hsts = options.hsts ?? 'auto';
  const hstsValue = `max-age=${options.hstsMaxAgeSeconds ?? 31_536_000}`;
  return (req, res, next) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    if ((req.url ?? '').startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    if (hsts === 'always' || (hsts === 'auto' && isHttps(req, options.trustProxy ?? false))) res.setHeader('Strict-Transport-Security', hstsValue);
    next();
  };
}

export function isHttps(req: Request, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
  if (!trustProxy) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/**
 * The client's address: the socket's, or with a trusted proxy the last X-Forwarded-For entry
 * (the one our own proxy appended; earlier entries are whatever the client claimed).
 */
export function clientAddress(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
    const last = list.at(-1);
    if (last) return withoutPort(last).slice(0, 64);
  }
  return req.socket?.remoteAddress ?? 'unknown';
}

/** "1.2.3.4:5678" → "1.2.3.4", "[2001:db8::1]:443" → "2001:db8::1"; a bare IPv6 address stays. */
function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  return (address.match(/:/g) ?? []).length === 1 ? address.replace(/:\d+$/, '') : address;
}
