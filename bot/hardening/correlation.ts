/**
 * Correlation ids for logs: every HTTP request (a turn on /api/messages, a Direct Line call…)
 * runs inside an AsyncLocalStorage scope holding a short random id, and a logger wrapped with
 * `correlatedLogger` adds it as `correlationId` to every line written inside that scope —
 * including background work the turn started (escalation enqueue, reference refresh), which
 * inherits the scope. No component needs a logger per turn.
 *
 * The id is random (not the activity id, which a channel may reuse and which we do not want to
 * spread into logs); a caller's own `X-Request-Id` is kept when it is a short token, so a proxy's
 * id links up. The response carries it back in `X-Request-Id` for support requests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { LogFields, Logger } from '../observability/logger';

interface CorrelationScope {
  readonly correlationId: string;
}

const scope = new AsyncLocalStorage<CorrelationScope>();
const INBOUND_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export function newCorrelationId(): string {
  return randomBytes(8).toString('hex');
}

/** The id to use for a request: the caller's X-Request-Id when it is a plain short token, else a new one. */
export function correlationIdFor(inbound: string | string[] | undefined): string {
  const value = Array.isArray(inbound) ? inbound[0] : inbound;
  return value && INBOUND_ID.test(value) ? value : newCorrelationId();
}

export function runWithCorrelation<T>(correlationId: string, work: () => T): T {
  return scope.run({ correlationId }, work);
}

export function currentCorrelationId(): string | undefined {
  return scope.getStore()?.correlationId;
}

/** A logger that adds the current correlation id (when there is one) to every line. */
export function correlatedLogger(logger: Logger): Logger {
  const withId = (fields: LogFields | undefined): LogFields | undefined => {
    const correlationId = scope.getStore()?.correlationId;
    return correlationId ? { correlationId, ...fields } : fields;
  };
  return {
    debug: (event, fields) => logger.debug(event, withId(fields)),
    info: (event, fields) => logger.info(event, withId(fields)),
    warn: (event, fields) => logger.warn(event, withId(fields)),
    error: (event, fields) => logger.error(event, withId(fields)),
    child: (fields) => correlatedLogger(logger.child(fields)),
  };
}
