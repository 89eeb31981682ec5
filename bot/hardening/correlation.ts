/**
 * Correlation ids for logs: every HTTP request (a turn on /api/messages, a Direct Line call…) gets
 * a short random id, sent back in `X-Request-Id`, and the log lines written for that request or
 * for the bot turn it runs carry it as `correlationId`.
 *
 * The id travels explicitly: on the request (`requestLogger`) and on the turn's context
 * (`turnLogger`); work a turn starts in the background takes the turn's logger along. Not
 * AsyncLocalStorage, which would carry it implicitly: on Node 20 it switches on a promise hook for
 * every promise of the process, which cost 10-15 % of a turn's CPU (two builds measured side by side).
 *
 * The id is random (not the activity id, which a channel may reuse and which we do not want to
 * spread into logs); a caller's own `X-Request-Id` is kept when it is a short token, so a proxy's
 * id links up. It is never derived from the message or the person.
 */
import { randomBytes } from 'node:crypto';
import { BotCallbackHandlerKey, type TurnContext } from 'botbuilder';
import type { Logger } from '../observability/logger';

const INBOUND_ID = /^[A-Za-z0-9._:-]{8,64}$/;
const requestIds = new WeakMap<object, string>();
/** Turn logic functions made for one request, and that request's id. */
const logicIds = new WeakMap<object, string>();

export function newCorrelationId(): string {
  return randomBytes(8).toString('hex');
}

/** The id to use for a request: the caller's X-Request-Id when it is a plain short token, else a new one. */
export function correlationIdFor(inbound: string | string[] | undefined): string {
  const value = Array.isArray(inbound) ? inbound[0] : inbound;
  return value && INBOUND_ID.test(value) ? value : newCorrelationId();
}

/** Remembers the request's id for as long as the request object lives. */
export function setRequestCorrelationId(request: object, correlationId: string): void {
  requestIds.set(request, correlationId);
}

export function requestCorrelationId(request: object): string | undefined {
  return requestIds.get(request);
}

/**
 * The turn logic to hand the adapter for a request with this id. The adapter keeps a turn's logic
 * in its turnState (BotCallbackHandlerKey) from the start, so the middleware that runs before the
 * logic (the safety screen first) finds the id there too.
 */
export function correlatedTurnLogic(logic: (context: TurnContext) => Promise<void>, correlationId: string | undefined): (context: TurnContext) => Promise<void> {
  if (!correlationId) return logic;
  const forThisRequest = (context: TurnContext) => logic(context);
  logicIds.set(forThisRequest, correlationId);
  return forThisRequest;
}

/** The id of the request that started this turn; none for proactive and scheduled turns. */
export function turnCorrelationId(context: TurnContext): string | undefined {
  const logic = context.turnState.get(BotCallbackHandlerKey) as object | undefined;
  return logic ? logicIds.get(logic) : undefined;
}

/** `logger`, adding the request's correlation id to every line when it has one. */
export function requestLogger(request: object, logger: Logger): Logger {
  return withCorrelationId(logger, requestCorrelationId(request));
}

/** `logger`, adding the turn's correlation id to every line when it has one. */
export function turnLogger(context: TurnContext, logger: Logger): Logger {
  return withCorrelationId(logger, turnCorrelationId(context));
}

export function withCorrelationId(logger: Logger, correlationId: string | undefined): Logger {
  return correlationId ? logger.child({ correlationId }) : logger;
}
