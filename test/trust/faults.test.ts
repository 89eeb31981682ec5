/**
 * Faults of the database, on a real Cosmos-protocol server behind a fault-injecting proxy, with the
 * running bot over real HTTP:
 * - stopped mid-conversation: the person is told their answer was not saved (errors.storageDown),
 *   the crisis lines still go out, the alert is spooled and delivered once the database is back;
 * - slow: the crisis lines go out within the safety path's own deadlines, while ordinary turns
 *   merely take longer and lose nothing;
 * - throttled (429): crisis lines out, the person told, the alert delivered exactly once;
 * - writes failing while reads work: no answer is silently lost;
 * - the bot restarted mid-dialog on the same database: the dialog resumes where it was.
 */
import { randomUUID } from 'node:crypto';
import { LoopbackClient } from '../../bench/loadClient';
import { startPetitsPas, type RunningApp } from '../../bot/app';
import { hardeningOf } from '../../bot/hardening';
import { createLogger } from '../../bot/observability/logger';
import type { CosmosDocumentStore } from '../../adapters/storage/cosmosStore';
import type { DeliveryResult, EscalationMessage } from '../../core/ports/notifier';
import { RecordingNotifier } from '../support/escalations';
import { testConfig } from '../support/http';
import { hasCrisisLines, onboard, say, type Ids } from './support/activities';
import { cosmosStoreVia, FaultProxy, startPlainCosmos, type PlainCosmos } from './support/cosmosFaults';

const STORAGE_DOWN = "Je n'arrive pas à enregistrer pour le moment";
const CATEGORY_QUESTION = 'Par laquelle aimerais-tu commencer';
const HABITS_SHOWN = 'Prendre soin de mes habitudes de vie';

interface Rig {
  readonly proxy: FaultProxy;
  readonly store: CosmosDocumentStore;
  readonly notifier: RecordingNotifier;
  readonly app: RunningApp;
  readonly client: LoopbackClient;
  readonly lines: string[];
  close(): Promise<void>;
}

let cosmos: PlainCosmos;

beforeAll(async () => {
  cosmos = await startPlainCosmos();
});
afterAll(async () => {
  await cosmos?.close();
});

/** One bot on one database (through its own proxy); `timeouts` are the store's. */
async function rig(databaseId: string, timeouts?: { requestTimeoutMs: number; operationTimeoutMs: number }, dataDir?: string): Promise<Rig> {
  const proxy = new FaultProxy(cosmos.endpoint);
  await proxy.start();
  const store = cosmosStoreVia(proxy.endpoint, databaseId, timeouts);
  await store.init();
  const env = testConfig(dataDir ? { DATA_DIR: dataDir } : {});
  const notifier = new RecordingNotifier();
  const lines: string[] = [];
  const app = await startPetitsPas(env.config, { store, notifiers: { primary: notifier }, startScheduler: false, logger: createLogger('info', (line) => lines.push(line)) });
  hardeningOf(app.server)?.setRateLimit(false);
  const client = new LoopbackClient(app.url, { maxSockets: 8 });
  return {
    proxy,
    store,
    notifier,
    app,
    client,
    lines,
    close: async () => {
      client.close();
      await app.stop();
      await proxy.close();
      if (!dataDir) env.cleanup();
    },
  };
}

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
};

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const delivered = (notifier: RecordingNotifier, id: string) => notifier.messages.filter((m) => m.kind === 'alert' && m.escalation.id === id);

describe('the database stops mid-conversation', () => {
  it('tells the person, still sends the crisis lines, and delivers the alert once the database is back', async () => {
    const r = await rig(`faults-stop-${randomUUID()}`);
    try {
      const ids: Ids = { conversationId: 'stop-1', userId: 'stop-1' };
      await onboard(r.client, ids);
      expect((await say(r.client, "Ce qui m'aide", ids)).text).toContain(CATEGORY_QUESTION);

      // The notification channel fails too while the database is down: the alert must wait, not vanish.
      let channelUp = false;
      const reachedHuman: string[] = [];
      r.notifier.behaviour = (message: EscalationMessage): DeliveryResult => {
        if (!channelUp) return { delivered: false, retryable: true, reason: 'channel_down' };
        if (message.kind === 'alert') reachedHuman.push(message.escalation.id);
        return { delivered: true, channelMessageId: 'm' };
      };
      await r.proxy.stop();

      const answer = await say(r.client, 'Habitudes de vie', ids);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(STORAGE_DOWN);

      const crisis = await timed(() => say(r.client, 'je veux mourir', ids));
      expect(crisis.value.status).toBe(200);
      expect(hasCrisisLines(crisis.value.text)).toBe(true);
      expect(crisis.ms).toBeLessThan(4_000);
      const handoff = crisis.value.replies.find((a) => a.type === 'event' && a.name === 'handoff.initiate') as { value?: { escalationId?: string } } | undefined;
      await r.app.escalationsSettled();
      const escalationId = r.notifier.messages[0]?.escalation.id;
      expect(escalationId).toBeDefined();
      expect(handoff).toBeDefined();
      expect(r.lines.some((l) => l.includes('"outcome":"spooled"'))).toBe(true);

      // Back up: the same answer, sent again, lands at the same step (nothing half-saved), and the
      // spooled alert reaches a human on the next outbox pass (every 15 s), exactly once.
      await r.proxy.start();
      channelUp = true;
      const again = await say(r.client, 'Habitudes de vie', ids);
      expect(again.text).toContain(HABITS_SHOWN);
      expect(reachedHuman).toEqual([]);
      await waitFor(() => reachedHuman.includes(escalationId as string), 40_000, 'the spooled alert to be delivered');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reachedHuman).toEqual([escalationId]); // once
      expect(delivered(r.notifier, escalationId as string).length).toBeGreaterThanOrEqual(2); // failed attempt(s) while down, then the delivery
      const stored = await r.store.query<{ escalationId: string; status: string }>('outbox', { fieldEquals: { field: 'escalationId', value: escalationId as string } });
      expect(stored.map((d) => d.body.status)).toEqual(['delivered']);
    } finally {
      await r.close();
    }
  }, 90_000);
});

describe('the database is slow', () => {
  it('sends the crisis lines within the safety deadlines while ordinary turns just take longer, losing nothing', async () => {
    const r = await rig(`faults-slow-${randomUUID()}`, { requestTimeoutMs: 3_000, operationTimeoutMs: 6_000 });
    try {
      const ids: Ids = { conversationId: 'slow-1', userId: 'slow-1' };
      await onboard(r.client, ids);
      await say(r.client, "Ce qui m'aide", ids);
      r.proxy.mode = { kind: 'slow', delayMs: 1_000 };

      const crisis = await timed(() => say(r.client, 'je veux mourir', ids));
      expect(hasCrisisLines(crisis.value.text)).toBe(true);
      // Two bounded waits of 800 ms (safety context read and write), never the database's 1 s+ per call.
      expect(crisis.ms).toBeLessThan(3_000);
      await r.app.escalationsSettled();
      expect(r.notifier.count({ kind: 'alert' })).toBe(1);

      const slowTurn = await timed(() => say(r.client, 'Oui, je suis en sécurité', ids));
      expect(slowTurn.value.status).toBe(200);
      const resumed = await timed(() => say(r.client, 'Reprendre', ids));
      expect(resumed.value.text).toContain(CATEGORY_QUESTION);
      const answered = await timed(() => say(r.client, 'Habitudes de vie', ids));
      expect(answered.value.text).toContain(HABITS_SHOWN);
      expect(answered.ms).toBeGreaterThan(1_000);
      r.proxy.mode = { kind: 'pass' };
      // The slow answers were saved: the dialog goes on from there.
      expect((await say(r.client, 'Mon idée à moi', ids)).text).toContain("Écris en quelques mots une chose qui t'aide");
    } finally {
      await r.close();
    }
  }, 90_000);
});

describe('the database throttles (429)', () => {
  it('still sends the crisis lines, tells the person, and alerts exactly once', async () => {
    const r = await rig(`faults-429-${randomUUID()}`);
    try {
      const ids: Ids = { conversationId: 'throttle-1', userId: 'throttle-1' };
      await onboard(r.client, ids);
      await say(r.client, "Ce qui m'aide", ids);
      r.proxy.mode = { kind: 'throttle', retryAfterMs: 100 };

      const answer = await say(r.client, 'Habitudes de vie', ids);
      expect(answer.text).toContain(STORAGE_DOWN);
      const crisis = await timed(() => say(r.client, "j'ai une corde, je veux en finir", ids));
      expect(hasCrisisLines(crisis.value.text)).toBe(true);
      expect(crisis.ms).toBeLessThan(4_000);
      await r.app.escalationsSettled();
      expect(r.proxy.counts.throttled).toBeGreaterThan(0);
      expect(r.notifier.count({ kind: 'alert' })).toBe(1);

      r.proxy.mode = { kind: 'pass' };
      expect((await say(r.client, 'Oui, je suis en sécurité', ids)).status).toBe(200);
      expect((await say(r.client, 'Reprendre', ids)).text).toContain(CATEGORY_QUESTION);
      expect((await say(r.client, 'Habitudes de vie', ids)).text).toContain(HABITS_SHOWN);
      await r.app.escalationsSettled();
      expect(r.notifier.count({ kind: 'alert' })).toBe(1);
    } finally {
      await r.close();
    }
  }, 90_000);
});

describe('writes fail while reads work', () => {
  it('never loses an answer silently: the person is told, and the answer sent again is taken at the same step', async () => {
    const r = await rig(`faults-writes-${randomUUID()}`);
    try {
      const ids: Ids = { conversationId: 'writes-1', userId: 'writes-1' };
      await onboard(r.client, ids);
      await say(r.client, 'Mon plan de sécurité', ids);
      expect((await say(r.client, 'On le fait', ids)).text).toContain('Étape 1 sur 6');
      r.proxy.mode = { kind: 'failWrites' };

      const answer = await say(r.client, "je m'isole", ids);
      expect(answer.status).toBe(200);
      // The turn's state write failed: the person is told to send it again (the dialog's own
      // "I keep it for your next message" cannot hold, as its pending item lived in that state).
      expect(answer.text).toContain(`${STORAGE_DOWN}. Rien de ce que tu m'as dit n'est perdu`);
      expect(r.proxy.counts.failedWrites).toBeGreaterThan(0);

      r.proxy.mode = { kind: 'pass' };
      const again = await say(r.client, "je m'isole", ids);
      expect(again.text).toMatch(/je m'isole/);
      const view = await say(r.client, 'menu', ids);
      expect(view.status).toBe(200);
      const plan = await say(r.client, 'Mon plan de sécurité', ids);
      expect(plan.text).toContain("je m'isole");
    } finally {
      await r.close();
    }
  }, 90_000);
});

describe('the bot restarts mid-dialog', () => {
  it('picks the dialog up where it was, on a new process-worth of objects and the same database', async () => {
    const databaseId = `faults-restart-${randomUUID()}`;
    const first = await rig(databaseId);
    const ids: Ids = { conversationId: 'restart-1', userId: 'restart-1' };
    try {
      await onboard(first.client, ids);
      await say(first.client, 'Mon plan de sécurité', ids);
      expect((await say(first.client, 'On le fait', ids)).text).toContain('Étape 1 sur 6');
    } finally {
      await first.close();
    }
    const second = await rig(databaseId);
    try {
      const resumed = await say(second.client, "je m'isole", ids);
      expect(resumed.text).toContain("C'est noté : « je m'isole »");
      expect((await say(second.client, "C'est tout pour cette étape", ids)).text).toContain('Étape 2 sur 6');
    } finally {
      await second.close();
    }
  }, 60_000);
});
