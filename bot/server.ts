import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { checkInboundActivity } from './activitySchema';
import { correlatedTurnLogic, installHardening, requestCorrelationId, requestLogger, type HardeningOptions } from './hardening';
import type { Logger } from './observability/logger';
import { errorKind } from './observability/logger';

export interface ServerDeps {
  readonly adapter: CloudAdapter;
  readonly runTurn: (context: TurnContext) => Promise<void>;
  readonly health: () => Promise<Record<string, unknown>>;
  /** The export behind a one-time link, or undefined when the link is unknown, used or expired. */
  readonly redeemExport?: (token: string) => Promise<Record<string, unknown> | undefined>;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  /** Security headers, rate limits, activity rules, correlation ids (bot/hardening); defaults when absent. */
  readonly hardening?: HardeningOptions;
}

/** HTTP routes. Every failure is answered with a status and a short JSON reason, never a crash. */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'petits-pas', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes ?? 256 * 1024, mapParams: false, rejectUnknown: true }));
  installHardening(server, { logger: deps.logger, ...deps.hardening });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const check = checkInboundActivity(req.body);
    if (!check.ok) {
      res.send(400, { error: 'bad_request', reason: check.reason });
      return;
    }
    try {
      await deps.adapter.process(req, res, correlatedTurnLogic(deps.runTurn, requestCorrelationId(req)));
    } catch (error) {
      requestLogger(req, deps.logger).error('message_route_failed', { error: errorKind(error) });
      if (!res.headersSent) res.send(500, { error: 'internal_error' });
    }
  });

  server.get('/api/export/:token', async (req: Request, res: Response) => {
    try {
      const data = deps.redeemExport ? await deps.redeemExport(String(req.params.token ?? '')) : undefined;
      if (!data) {
        res.send(404, { error: 'not_found', reason: 'this link is unknown, already used or expired' });
        return;
      }
      res.setHeader('content-disposition', 'attachment; filename="petits-pas-export.json"');
      res.setHeader('cache-control', 'no-store');
      res.send(200, data);
    } catch (error) {
      requestLogger(req, deps.logger).error('export_failed', { error: errorKind(error) });
      res.send(503, { error: 'unavailable', reason: 'the data cannot be read right now; ask for a new link in a few minutes' });
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', ...(await deps.health()) });
  });

  server.on('restifyError', (req: Request, res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
    // Body parser faults (bad JSON, too large) arrive here: answer in JSON, log the kind only.
    requestLogger(req, deps.logger).warn('http_error', { status: error.statusCode ?? 500, route: req.getPath?.(), error: errorKind(error) });
    callback();
  });
  return server;
}
