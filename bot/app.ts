import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import { BotFrameworkStorage } from '../adapters/storage/botFrameworkStorage';
import type { Server } from 'restify';
import { loadContent } from '../content/loader';
import { createTexts } from '../content/texts';
import { formatProblem } from '../content/yamlFile';
import { StorageUnavailableError, type DocumentStore } from '../core/ports/documentStore';
import { MainDialog } from '../dialogs/mainDialog';
import { turnLocale } from '../dialogs/turnLocale';
import { createAdapter } from './adapter';
import type { Config } from './config';
import { createLogger, type Logger } from './observability/logger';
import { PetitsPasBot } from './petitsPasBot';
import { projectRoot } from './projectRoot';
import { createServer } from './server';
import { createDocumentStore } from './storageFactory';
import { initWithRetry } from './storeInit';

export interface StartOptions {
  readonly logger?: Logger;
  /** Defaults to the project's content/ folder. */
  readonly contentDir?: string;
  /** Tests may inject a failing or slow store; otherwise the configured one. */
  readonly store?: DocumentStore;
}

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'StartupError';
  }
}

/** The one composition root: config → content → storage → adapter → bot → server. */
export async function startPetitsPas(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const contentDir = options.contentDir ?? resolve(projectRoot(), 'content');
  const loaded = loadContent(contentDir, projectRoot());
  if (!loaded.content) throw new StartupError(['the content files have problems (run npm run content:check):', ...loaded.problems.map(formatProblem)]);
  const texts = createTexts(loaded.content, (key) => logger.warn('missing_text', { key }));

  const store = options.store ?? createDocumentStore(config);
  // Start-up never waits on the database: the crisis path must work while it is down.
  const storeReady = initWithRetry(store, logger);
  const storage = new BotFrameworkStorage(store);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const bot = new PetitsPasBot({ conversationState, userState, mainDialog: new MainDialog(texts), texts, defaultLocale: config.defaultLocale });

  const adapter = createAdapter(config, logger, async (context: TurnContext, error: unknown) => {
    const key = error instanceof StorageUnavailableError ? 'errors.storageDown' : 'errors.generic';
    await context.sendActivity(texts.t(turnLocale(context), key));
  });

  const startedAt = Date.now();
  const server = createServer({
    adapter,
    runTurn: (context) => bot.run(context),
    logger,
    health: async () => ({ storage: config.storage.provider, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), mode: config.credentials ? 'authenticated' : 'local' }),
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  if (!config.credentials) logger.warn('local_mode', { note: 'no MicrosoftAppId: /api/messages accepts unauthenticated requests (local development only)' });
  logger.info('started', { port, storage: config.storage.provider });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    stop: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      // Keep-alive sockets would hold close() open forever; nothing is in flight once we stop.
      server.server.closeAllConnections();
      await closed;
      storeReady.cancel();
      await store.close();
    },
  };
}
