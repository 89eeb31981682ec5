/**
 * Hardening of the HTTP surface, installed on the restify server by bot/server.ts:
 * - `pre` (before routing, every response): security headers;
 * - `use` (after the body parser, every route): the request's correlation id for logs;
 * - `use` on POST /api/messages only: rate limits (per address, per conversation; urgent
 *   messages are never starved, see rateLimit.ts) and activity rules beyond the zod schema
 *   (activityRules.ts), answered 429 / 400 in JSON before the SDK sees the request.
 * The body size limit (413) stays with the body parser in bot/server.ts.
 */
import type { Request, Response, Server } from 'restify';
import { silentLogger, type Logger } from '../observability/logger';
import { checkActivityRules } from './activityRules';
import { correlationIdFor, requestLogger, setRequestCorrelationId } from './correlation';
import { MessageRateLimiter, type RateLimitOptions, type RateScope } from './rateLimit';
import { clientAddress, securityHeaders, type SecurityHeaderOptions } from './securityHeaders';
import { defaultUrgency, type UrgencyCheck } from './urgency';

export { correlatedTurnLogic, requestCorrelationId, requestLogger } from './correlation';
export { DEFAULT_RATE_LIMITS, MessageRateLimiter, type RateLimitOptions } from './rateLimit';
export { urgencyFromScreen, type UrgencyCheck } from './urgency';

export interface HardeningOptions {
  readonly logger?: Logger;
  /** false turns rate limiting off; fields left out take DEFAULT_RATE_LIMITS. */
  readonly rateLimit?: RateLimitOptions | false;
  readonly headers?: Omit<SecurityHeaderOptions, 'trustProxy'>;
  /** Believe X-Forwarded-For / X-Forwarded-Proto (behind App Service, Front Door…). Default false. */
  readonly trustProxy?: boolean;
  /** Messages the limiter must let through (crisis, concern, "urgence"). Default: the project's lexicon. */
  readonly isUrgent?: UrgencyCheck;
  /** The route the guard protects. Default /api/messages. */
  readonly messagesPath?: string;
}

export interface Hardening {
  /** Undefined when rate limiting is off. */
  readonly limiter?: MessageRateLimiter;
  /** Turns rate limiting on with these limits, or off (tests, benchmarks, operations). */
  setRateLimit(options: RateLimitOptions | false): void;
}

const installed = new WeakMap<Server, Hardening>();

/** The hardening installed on this server, if any (tests and benchmarks adjust limits through it). */
export function hardeningOf(server: Server): Hardening | undefined {
  return installed.get(server);
}

export function installHardening(server: Server, options: HardeningOptions = {}): Hardening {
  const logger = (options.logger ?? silentLogger).child({ component: 'hardening' });
  const trustProxy = options.trustProxy ?? false;
  let warned = false;
  const isUrgent: UrgencyCheck =
    options.isUrgent ??
    ((text) => {
      if (!warned) {
        warned = true;
        // Compiles the lexicon a second time (~1 s, once): pass the app's own screen as isUrgent.
        logger.warn('rate_limit_default_urgency', { note: 'no isUrgent given: loading the project lexicon for the rate limiter' });
      }
      return defaultUrgency(text);
    });
  const messagesPath = options.messagesPath ?? '/api/messages';
  let limiter: MessageRateLimiter | undefined = options.rateLimit === false ? undefined : new MessageRateLimiter(options.rateLimit ?? {});
  const refusals = new RefusalLog(logger);

  server.pre(securityHeaders({ ...options.headers, trustProxy }));

  server.use((req: Request, res: Response, next: () => void) => {
    const correlationId = correlationIdFor(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', correlationId);
    setRequestCorrelationId(req, correlationId);
    next();
  });

  server.use((req: Request, res: Response, next: (error?: false) => void) => {
    if (req.method !== 'POST' || req.getPath() !== messagesPath) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const hasCredentials = typeof req.headers.authorization === 'string' && req.headers.authorization.trim() !== '';
    const current = limiter;
    if (current) {
      const ip = clientAddress(req, trustProxy);
      const decision = current.check({
        ip,
        conversationKey: conversationKeyOfBody(body),
        chargeIpNow: !hasCredentials,
        urgent: () => typeof body?.text === 'string' && isUrgent(body.text),
      });
      if (!decision.ok) {
        refusals.note(decision.scope);
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        res.setHeader('Retry-After', String(seconds));
        res.send(429, { error: 'rate_limited', reason: `too many messages for this ${decision.scope === 'ip' ? 'address' : 'conversation'}; try again in ${seconds} s`, retryAfterSeconds: seconds });
        return next(false);
      }
      if (decision.urgentReserveUsed) requestLogger(req, logger).warn('rate_limit_urgent_passed', {});
      if (hasCredentials) {
        // Authentic channel traffic is not counted against its (shared) address; forged tokens are.
        res.once('finish', () => {
          if (res.statusCode === 401 || res.statusCode === 403) current.chargeRefused(ip);
        });
      }
    }
    const rules = checkActivityRules(body, { hasCredentials });
    if (!rules.ok) {
      res.send(400, { error: 'bad_request', reason: rules.reason });
      return next(false);
    }
    return next();
  });

  const hardening: Hardening = {
    get limiter() {
      return limiter;
    },
    setRateLimit(next) {
      if (next === false) limiter = undefined;
      else if (limiter) limiter.update(next);
      else limiter = new MessageRateLimiter(next);
    },
  };
  installed.set(server, hardening);
  return hardening;
}

/** Same key as bot/turnKeys conversationKeyOf, from the raw body (the SDK has not parsed it yet). */
function conversationKeyOfBody(body: Record<string, unknown> | undefined): string | undefined {
  const conversation = body?.conversation as { id?: unknown } | undefined;
  if (typeof conversation?.id !== 'string' || conversation.id === '') return undefined;
  return `${typeof body?.channelId === 'string' ? body.channelId : 'unknown'}/${conversation.id}`;
}

/** Refusals are logged as counts at most every 10 s: a flood must not become a flood of log lines. No addresses, no ids. */
class RefusalLog {
  private pending: Record<RateScope, number> = { conversation: 0, ip: 0 };
  private lastAt = 0;

  constructor(private readonly logger: Logger) {}

  note(scope: RateScope): void {
    this.pending[scope] += 1;
    const now = Date.now();
    if (now - this.lastAt < 10_000) return;
    this.lastAt = now;
    this.logger.warn('rate_limited', { conversation: this.pending.conversation, ip: this.pending.ip });
    this.pending = { conversation: 0, ip: 0 };
  }
}
