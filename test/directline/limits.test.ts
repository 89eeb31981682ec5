import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { registerDirectLineRoutes, type DirectLineDeps } from '../../bot/directline/routes';
import { silentLogger } from '../../bot/observability/logger';
import { TypingMiddleware } from '../../bot/webchat/typingMiddleware';
import { botMessages, call, DirectLineClient } from './client';

/** A bare server with the local Direct Line, a real CloudAdapter and an echo bot: limits and clock under test control. */
async function startEchoServer(options: Partial<DirectLineDeps> & { typing?: boolean } = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, rejectUnknown: true }));
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  if (options.typing) adapter.use(new TypingMiddleware(silentLogger));
  const runTurn = async (context: TurnContext) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  };
  registerDirectLineRoutes(server, { adapter, runTurn, logger: silentLogger, enabled: true, maxMessageChars: 100, ...options });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.server.closeAllConnections();
      await closed;
    },
  };
}

describe('local Direct Line limits (real HTTP, real CloudAdapter, echo bot)', () => {
  it('refuses an expired token with 403 TokenExpired, also for a refresh', async () => {
    let now = Date.now();
    const echo = await startEchoServer({ now: () => now, tokenLifetimeMs: 60_000 });
    try {
      const client = await DirectLineClient.open(echo.url);
      expect((await client.poll()).status).toBe(200);
      now += 61_000;
      expect(await client.poll()).toMatchObject({ status: 403, body: { error: { code: 'TokenExpired' } } });
      expect(await client.say('hello')).toMatchObject({ status: 403, body: { error: { code: 'TokenExpired' } } });
      expect(await call(`${echo.url}/v3/directline/tokens/refresh`, { method: 'POST', token: client.info.token })).toMatchObject({ status: 403 });
    } finally {
      await echo.close();
    }
  });

  it('keeps at most maxConversations: the least recently used one ends, its token with it', async () => {
    const echo = await startEchoServer({ limits: { maxConversations: 2 } });
    try {
      const first = await DirectLineClient.open(echo.url);
      const second = await DirectLineClient.open(echo.url);
      expect((await first.poll()).status).toBe(200); // first is now the most recently used
      const third = await DirectLineClient.open(echo.url);
      expect(await second.poll()).toMatchObject({ status: 403, body: { error: { code: 'TokenExpired' } } });
      expect((await first.poll()).status).toBe(200);
      expect((await third.poll()).status).toBe(200);
    } finally {
      await echo.close();
    }
  });

  it('keeps at most maxActivities per conversation, oldest dropped, watermarks still increasing', async () => {
    const echo = await startEchoServer({ limits: { maxActivities: 4 } });
    try {
      const client = await DirectLineClient.open(echo.url);
      for (const word of ['one', 'two', 'three', 'four']) expect((await client.say(word)).status).toBe(200);
      const all = await client.poll(undefined, '');
      expect(all.body.activities).toHaveLength(4);
      expect(all.body.watermark).toBe('9'); // conversationUpdate + 4 messages + 4 echoes
      expect(all.body.activities.map((a: { text?: string }) => a.text)).toEqual(['three', 'echo: three', 'four', 'echo: four']);
    } finally {
      await echo.close();
    }
  });

  it('keeps a conversation within maxBytes', async () => {
    const echo = await startEchoServer({ limits: { maxBytes: 3000 }, maxMessageChars: 1000 });
    try {
      const client = await DirectLineClient.open(echo.url);
      for (let i = 0; i < 6; i += 1) await client.say(`${i}`.repeat(900));
      const { body } = await client.poll(undefined, '');
      const bytes = body.activities.reduce((sum: number, a: unknown) => sum + Buffer.byteLength(JSON.stringify(a)), 0);
      expect(bytes).toBeLessThanOrEqual(3000);
      expect(body.activities.at(-1).text).toBe(`echo: ${'5'.repeat(900)}`);
    } finally {
      await echo.close();
    }
  });

  it('drops a conversation nobody touched for idleMs', async () => {
    let now = Date.now();
    const echo = await startEchoServer({ now: () => now, limits: { idleMs: 100 } });
    try {
      const client = await DirectLineClient.open(echo.url);
      now += 1000;
      await new Promise((resolve) => setTimeout(resolve, 250)); // the sweep runs every idleMs
      expect(await client.poll()).toMatchObject({ status: 403, body: { error: { code: 'TokenExpired' } } });
    } finally {
      await echo.close();
    }
  });

  it('answers a posted activity after a slow turn has waited turnWaitMs, and keeps the order of turns', async () => {
    const server = await startEchoServer({
      turnWaitMs: 100,
      runTurn: async (context) => {
        if (context.activity.type !== 'message') return;
        if (context.activity.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 400));
        await context.sendActivity(`echo: ${context.activity.text}`);
      },
    });
    try {
      const client = await DirectLineClient.open(server.url);
      const started = Date.now();
      expect((await client.say('slow')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(350);
      await client.say('fast');
      const replies = await client.waitFor((activities) => botMessages(activities).length >= 2);
      expect(botMessages(replies).map((a) => a.text)).toEqual(['echo: slow', 'echo: fast']);
    } finally {
      await server.close();
    }
  });

  it('with the typing middleware, a typing activity comes before the reply', async () => {
    const echo = await startEchoServer({ typing: true });
    try {
      const client = await DirectLineClient.open(echo.url);
      const posted = await client.say('hello');
      const fresh = await client.waitFor((activities) => botMessages(activities).length >= 1);
      const fromBot = fresh.filter((a) => a.from.role === 'bot').map((a) => a.type);
      expect(fromBot).toEqual(['typing', 'message']);
      expect(fresh.find((a) => a.type === 'typing')?.replyToId).toBe(posted.body.id);
    } finally {
      await echo.close();
    }
  });

  it('registers nothing when disabled (app credentials configured)', async () => {
    const server = restify.createServer();
    const result = registerDirectLineRoutes(server, {
      adapter: new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
      runTurn: async () => undefined,
      logger: silentLogger,
      enabled: false,
      maxMessageChars: 100,
    });
    expect(result).toBeUndefined();
    const routes = (server as unknown as { router: { getRoutes(): Record<string, unknown> } }).router.getRoutes();
    expect(Object.keys(routes)).toEqual([]);
  });
});
