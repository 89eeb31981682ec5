import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { correlatedTurnLogic, requestCorrelationId, withCorrelationId } from '../hardening/correlation';
import { errorKind, type Logger } from '../observability/logger';
import { checkClientActivity, checkConnectorActivity } from './activities';
import { ConversationStore, DEFAULT_LIMITS, type ConversationLimits, type LocalConversation } from './conversationStore';
import { TokenIssuer, type TokenClaims, type TokenProblem } from './tokens';

/**
 * A local Direct Line (v3) inside the bot, for the web chat page when no Azure is involved: the
 * part of the protocol Web Chat uses with `webSocket: false` (tokens, start a conversation, post
 * an activity, poll with a watermark), plus the two Bot Connector routes the bot calls to answer.
 * A user's activity gets its id, timestamp, channel and service URL here (the service URL is this
 * very server), then runs through the CloudAdapter in-process; the bot's replies and proactive
 * messages come back to /v3/conversations/… and wait in the conversation's queue for the poll.
 * Only for local mode: registerDirectLineRoutes registers nothing when app credentials are set.
 */
export interface DirectLineDeps {
  readonly adapter: Pick<CloudAdapter, 'processActivityDirect'>;
  readonly runTurn: (context: TurnContext) => Promise<void>;
  readonly logger: Logger;
  /** False when app credentials are configured (production): then no route is registered. */
  readonly enabled: boolean;
  readonly maxMessageChars: number;
  readonly limits?: Partial<ConversationLimits>;
  /** Token lifetime; Web Chat refreshes every 15 minutes. */
  readonly tokenLifetimeMs?: number;
  /**
   * A posted activity answers once its turn is done, or after this long (the turn goes on): Web
   * Chat shows "sending" until then, so a slow turn must not look like a network problem.
   */
  readonly turnWaitMs?: number;
  /** The next turn of a conversation waits for the previous one at most this long. */
  readonly turnOrderMaxMs?: number;
  readonly now?: () => number;
  /** Where the bot sends its replies; defaults to this server's own loopback address. */
  readonly serviceUrl?: () => string;
}

export interface DirectLineToken {
  readonly conversationId: string;
  readonly token: string;
  readonly expires_in: number;
  readonly userId: string;
}

/** What the web chat page's token route needs from the local Direct Line. */
export interface LocalDirectLine {
  issueToken(locale?: string): DirectLineToken;
  readonly conversationCount: number;
}

export const LOCAL_CHANNEL_ID = 'directline';
export const BOT_ACCOUNT = { id: 'petits-pas', name: 'Petits pas', role: 'bot' } as const;
const TOKEN_LIFETIME_MS = 30 * 60_000;

type ErrorCode = TokenProblem | 'TokenConversationMismatch' | 'BadArgument' | 'MessageTooLong' | 'ConversationNotFound' | 'Forbidden';

function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.header('Cache-Control', 'no-store');
  res.send(status, { error: { code, message } });
}

const TOKEN_MESSAGES: Record<TokenProblem, string> = {
  MissingToken: 'an Authorization: Bearer token is required',
  InvalidToken: 'the token is not valid (start a new conversation)',
  TokenExpired: 'the token has expired (start a new conversation)',
};

/** Resolves when `promise` settles or after `ms` (then calling `onLate`), whichever comes first. */
function settleWithin(promise: Promise<void>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((done) => {
    timer = setTimeout(() => {
      onLate();
      done();
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function isLocalCaller(req: Request): boolean {
  const strip = (address: string | undefined) => (address ?? '').replace(/^::ffff:/, '');
  const remote = strip(req.socket?.remoteAddress);
  return remote === '::1' || remote.startsWith('127.') || (remote !== '' && remote === strip(req.socket?.localAddress));
}

function ownServiceUrl(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address || typeof address !== 'object') throw new Error('the server is not listening');
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export function registerDirectLineRoutes(server: Server, deps: DirectLineDeps): LocalDirectLine | undefined {
  if (!deps.enabled) return undefined;
  const now = deps.now ?? Date.now;
  const store = new ConversationStore({ ...DEFAULT_LIMITS, ...deps.limits }, now);
  const tokens = new TokenIssuer(deps.tokenLifetimeMs ?? TOKEN_LIFETIME_MS, now);
  const turnWaitMs = deps.turnWaitMs ?? 1000;
  const turnOrderMaxMs = Math.max(turnWaitMs, deps.turnOrderMaxMs ?? 60_000);
  const serviceUrl = deps.serviceUrl ?? (() => ownServiceUrl(server));
  const logger = deps.logger.child({ component: 'directline' });

  const sweeper = setInterval(() => {
    const dropped = store.sweep();
    if (dropped > 0) logger.info('directline_idle_dropped', { dropped, conversations: store.count });
  }, Math.min(store.limits.idleMs, 60_000));
  sweeper.unref();
  server.server.once('close', () => clearInterval(sweeper));

  const tokenResponse = (claims: TokenClaims, token: string): DirectLineToken => ({
    conversationId: claims.conversationId,
    token,
    expires_in: Math.max(0, Math.round((claims.expiresAt - now()) / 1000)),
    userId: claims.userId,
  });

  const issueToken = (locale?: string): DirectLineToken => {
    const conversation = store.create(`dl_${randomBytes(12).toString('hex')}`, locale);
    const { token, claims } = tokens.issue(conversation.userId, conversation.id);
    return tokenResponse(claims, token);
  };

  /** The token's claims and its (live) conversation, or an answer already sent. */
  const authorize = (req: Request, res: Response, conversationId?: string): { claims: TokenClaims; conversation: LocalConversation; token: string } | undefined => {
    const check = tokens.verify(req.header('authorization'));
    if (!check.ok) {
      logger.debug('directline_token_refused', { problem: check.problem });
      sendError(res, check.problem === 'MissingToken' ? 401 : 403, check.problem, TOKEN_MESSAGES[check.problem]);
      return undefined;
    }
    if (conversationId !== undefined && conversationId !== check.claims.conversationId) {
      sendError(res, 403, 'TokenConversationMismatch', 'the token belongs to another conversation');
      return undefined;
    }
    const conversation = store.touch(check.claims.conversationId);
    if (!conversation) {
      // Dropped for idleness or to make room: the token is of no use any more.
      sendError(res, 403, 'TokenExpired', 'the conversation has ended (start a new conversation)');
      return undefined;
    }
    return { claims: check.claims, conversation, token: check.token };
  };

  const addressOf = (conversation: LocalConversation) => ({
    channelId: LOCAL_CHANNEL_ID,
    conversation: { id: conversation.id },
    from: { id: conversation.userId, role: 'user' },
    recipient: { ...BOT_ACCOUNT },
  });

  /**
   * Runs one turn after the conversation's previous ones (a turn stuck for longer than
   * turnOrderMaxMs stops holding up the next). Resolves when the turn is done, or after turnWaitMs
   * so that the client's POST gets its answer while a slow turn goes on.
   */
  const runTurn = (conversation: LocalConversation, activity: Record<string, unknown>, correlationId?: string): Promise<void> => {
    const forBot = { ...activity, serviceUrl: serviceUrl() } as unknown as Activity;
    const log = withCorrelationId(logger, correlationId);
    const turn = conversation.turns
      .then(() => deps.adapter.processActivityDirect('', forBot, correlatedTurnLogic(deps.runTurn, correlationId)))
      .catch((error: unknown) => log.error('directline_turn_failed', { error: errorKind(error), activityType: String(activity.type) }));
    conversation.turns = settleWithin(turn, turnOrderMaxMs, () => log.warn('directline_turn_stuck', { waitedMs: turnOrderMaxMs }));
    return settleWithin(turn, turnWaitMs, () => log.info('directline_turn_slow', { waitedMs: turnWaitMs }));
  };

  const start = (conversation: LocalConversation, locale: unknown, correlationId?: string): void => {
    if (conversation.started) return;
    conversation.started = true;
    if (typeof locale === 'string' && locale.length > 0 && locale.length <= 64) conversation.locale = locale;
    const update = conversation.append({
      type: 'conversationUpdate',
      ...addressOf(conversation),
      membersAdded: [{ ...BOT_ACCOUNT }, { id: conversation.userId, role: 'user' }],
      ...(conversation.locale ? { locale: conversation.locale } : {}),
    });
    logger.info('directline_conversation_started', { conversations: store.count });
    void runTurn(conversation, update, correlationId);
  };

  // --- Direct Line v3, the client side (Web Chat) ----------------------------------------------

  server.post('/v3/directline/tokens/generate', async (req: Request, res: Response) => {
    const locale = (req.body as { locale?: unknown } | undefined)?.locale;
    res.header('Cache-Control', 'no-store');
    res.send(200, issueToken(typeof locale === 'string' && locale.length <= 64 ? locale : undefined));
  });

  server.post('/v3/directline/tokens/refresh', async (req: Request, res: Response) => {
    const authorized = authorize(req, res);
    if (!authorized) return;
    const { token, claims } = tokens.issue(authorized.claims.userId, authorized.conversation.id);
    res.header('Cache-Control', 'no-store');
    res.send(200, tokenResponse(claims, token));
  });

  server.post('/v3/directline/conversations', async (req: Request, res: Response) => {
    const authorized = authorize(req, res);
    if (!authorized) return;
    const created = !authorized.conversation.started;
    start(authorized.conversation, (req.body as { locale?: unknown } | undefined)?.locale, requestCorrelationId(req));
    res.header('Cache-Control', 'no-store');
    res.send(created ? 201 : 200, tokenResponse(authorized.claims, authorized.token));
  });

  server.get('/v3/directline/conversations/:conversationId', async (req: Request, res: Response) => {
    const authorized = authorize(req, res, req.params.conversationId);
    if (!authorized) return;
    res.header('Cache-Control', 'no-store');
    res.send(200, tokenResponse(authorized.claims, authorized.token));
  });

  server.get('/v3/directline/conversations/:conversationId/activities', async (req: Request, res: Response) => {
    const authorized = authorize(req, res, req.params.conversationId);
    if (!authorized) return;
    const raw = (req.query as { watermark?: unknown } | undefined)?.watermark;
    let watermark: number | undefined;
    if (raw !== undefined && raw !== '') {
      if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return sendError(res, 400, 'BadArgument', 'the watermark must be a number');
      watermark = Number(raw);
    }
    res.header('Cache-Control', 'no-store');
    res.send(200, authorized.conversation.since(watermark));
  });

  server.post('/v3/directline/conversations/:conversationId/activities', async (req: Request, res: Response) => {
    const authorized = authorize(req, res, req.params.conversationId);
    if (!authorized) return;
    const check = checkClientActivity(req.body, deps.maxMessageChars);
    if (!check.ok) return sendError(res, check.status, check.code, check.message);
    const { conversation } = authorized;
    start(conversation, check.activity.locale, requestCorrelationId(req));
    const stored = conversation.append({ ...check.activity, ...addressOf(conversation) });
    await runTurn(conversation, stored, requestCorrelationId(req));
    res.header('Cache-Control', 'no-store');
    res.send(200, { id: stored.id });
  });

  // --- Bot Connector API, the bot side (replies, proactive messages, typing) --------------------

  const fromBot = async (req: Request, res: Response) => {
    if (!isLocalCaller(req)) return sendError(res, 403, 'Forbidden', 'the local Direct Line takes bot activities from this machine only');
    const conversation = store.peek(req.params.conversationId);
    if (!conversation) return sendError(res, 404, 'ConversationNotFound', 'no such conversation (it may have ended)');
    const check = checkConnectorActivity(req.body);
    if (!check.ok) return sendError(res, 400, 'BadArgument', check.message);
    const from = { ...BOT_ACCOUNT, ...(check.activity.from as object | undefined), role: 'bot' };
    const stored = conversation.append({ ...check.activity, channelId: LOCAL_CHANNEL_ID, conversation: { id: conversation.id }, from });
    res.send(200, { id: stored.id });
  };
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);

  logger.info('directline_local_enabled', { maxConversations: store.limits.maxConversations, maxActivities: store.limits.maxActivities });
  return {
    issueToken,
    get conversationCount() {
      return store.count;
    },
  };
}
