/**
 * The reference for the latency target: a bare echo bot on the same stack as Petits pas — restify
 * 11, CloudAdapter (no credentials, expectReplies), the same durable file store (fsync on, as in
 * production) through BotFrameworkStorage, and a ConversationState read and written every turn.
 * Nothing else: no safety screen, no dialogs, no hardening, no logs.
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import restify, { type Request, type Response, type Server } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type TurnContext } from 'botbuilder';
import { BotFrameworkStorage } from '../adapters/storage/botFrameworkStorage';
import { FileDocumentStore } from '../adapters/storage/fileStore';

export interface EchoBot {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

export async function startEchoBot(dataDir: string): Promise<EchoBot> {
  const store = new FileDocumentStore(resolve(dataDir, 'store'));
  await store.init();
  const conversationState = new ConversationState(new BotFrameworkStorage(store));
  const turns = conversationState.createProperty<number>('turns');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = async (context: TurnContext): Promise<void> => {
    if (context.activity.type === 'message') {
      const count = (await turns.get(context, 0)) + 1;
      await turns.set(context, count);
      await context.sendActivity(`echo ${count}: ${context.activity.text ?? ''}`);
    }
    await conversationState.saveChanges(context);
  };
  const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, bot);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    stop: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.server.closeAllConnections();
      await closed;
    },
  };
}
