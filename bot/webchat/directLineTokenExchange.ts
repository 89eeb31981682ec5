import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Production mode: swaps the Direct Line secret (server side only) for a short-lived token bound
 * to a fresh user id, as Microsoft recommends for Web Chat: the id is generated here, prefixed
 * `dl_`, and embedded in the token so the page cannot pretend to be someone else. The secret
 * never leaves this process, and neither does the service's error text.
 */
export const DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com';

export interface TokenExchangeOptions {
  readonly secret: string;
  /** The Direct Line service's origin; tests point it at a local fake. */
  readonly endpoint?: string;
  readonly timeoutMs?: number;
  readonly fetchImpl?: typeof fetch;
}

export interface ExchangedToken {
  readonly token: string;
  readonly conversationId: string;
  readonly expires_in: number;
  readonly userId: string;
}

export class TokenExchangeError extends Error {
  constructor(readonly kind: 'unreachable' | 'refused' | 'bad_response', readonly status?: number) {
    super(`the Direct Line token exchange failed (${kind}${status ? ` ${status}` : ''})`);
    this.name = 'TokenExchangeError';
  }
}

const responseSchema = z.looseObject({
  token: z.string().min(1).max(8192),
  conversationId: z.string().min(1).max(1024),
  expires_in: z.number().int().positive().max(86_400).optional(),
});

export function newDirectLineUserId(): string {
  return `dl_${randomBytes(16).toString('hex')}`;
}

export async function exchangeSecretForToken(options: TokenExchangeOptions): Promise<ExchangedToken> {
  const endpoint = (options.endpoint ?? DIRECT_LINE_ENDPOINT).replace(/\/+$/, '');
  const userId = newDirectLineUserId();
  let response: globalThis.Response;
  try {
    response = await (options.fetchImpl ?? fetch)(`${endpoint}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      redirect: 'error',
    });
  } catch {
    throw new TokenExchangeError('unreachable');
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenExchangeError('refused', response.status);
  }
  const parsed = responseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new TokenExchangeError('bad_response', response.status);
  return { token: parsed.data.token, conversationId: parsed.data.conversationId, expires_in: parsed.data.expires_in ?? 1800, userId };
}
