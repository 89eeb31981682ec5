import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens of the local Direct Line. JWT-shaped (header.payload.signature, HMAC-SHA256 with a key
 * drawn at start-up) because Web Chat reads the user id from a Direct Line token's `user` claim,
 * as it does with the real service. Each token is bound to one user id and one conversation, and
 * expires; a restart of the process invalidates every token (the conversations are gone too).
 */
export interface TokenClaims {
  readonly userId: string;
  readonly conversationId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenProblem = 'MissingToken' | 'InvalidToken' | 'TokenExpired';
export type TokenCheck = { ok: true; claims: TokenClaims; token: string } | { ok: false; problem: TokenProblem };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export class TokenIssuer {
  private readonly key = randomBytes(32);

  constructor(
    readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(userId: string, conversationId: string): { token: string; claims: TokenClaims } {
    const expiresAt = this.now() + this.lifetimeMs;
    const payload = base64url(
      JSON.stringify({
        user: userId,
        conv: conversationId,
        iat: Math.floor(this.now() / 1000),
        exp: Math.floor(expiresAt / 1000),
        expMs: expiresAt,
        jti: randomBytes(16).toString('base64url'),
      }),
    );
    const signed = `${HEADER}.${payload}`;
    return { token: `${signed}.${this.sign(signed)}`, claims: { userId, conversationId, expiresAt } };
  }

  /** Reads an `Authorization: Bearer …` header value (or a bare token). */
  verify(authorization: string | undefined): TokenCheck {
    if (!authorization || !authorization.trim()) return { ok: false, problem: 'MissingToken' };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return { ok: false, problem: 'InvalidToken' };
    const parts = match[1].split('.');
    if (parts.length !== 3 || parts[0] !== HEADER || parts[2].length > 64) return { ok: false, problem: 'InvalidToken' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'InvalidToken' };
    let payload: { user?: unknown; conv?: unknown; expMs?: unknown };
    try {
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof payload;
    } catch {
      return { ok: false, problem: 'InvalidToken' };
    }
    if (typeof payload.user !== 'string' || typeof payload.conv !== 'string' || typeof payload.expMs !== 'number') {
      return { ok: false, problem: 'InvalidToken' };
    }
    if (this.now() >= payload.expMs) return { ok: false, problem: 'TokenExpired' };
    return { ok: true, token: match[1], claims: { userId: payload.user, conversationId: payload.conv, expiresAt: payload.expMs } };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
