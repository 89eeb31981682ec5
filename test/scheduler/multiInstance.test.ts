/**
 * Several instances, one database: three Schedulers, each with its own store client (as separate
 * processes would have), run their ticks at the same time, round after round. Every job must be
 * delivered exactly once — on the file store (three FileDocumentStore objects on one folder, kept
 * apart by the lock files only) and on a real Cosmos-protocol server.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosDocumentStore } from '../../adapters/storage/cosmosStore';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { silentLogger } from '../../bot/observability/logger';
import { Scheduler, type RunSummary } from '../../bot/scheduler/scheduler';
import type { DocumentStore } from '../../core/ports/documentStore';
import { startCosmosServer, TEST_KEY, type TestCosmosServer } from '../storage/helpers/cosmosServer';
import { makeJob, minutes, T0, tick } from './helpers';

const N = 60;
const INSTANCES = 3;
const LEASE = 5 * 60_000;

/** A small seeded generator, so each instance shuffles differently but reproducibly. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

interface World {
  stores: DocumentStore[];
  cleanup(): Promise<void>;
}

function exactlyOnceSuite(name: string, makeWorld: () => Promise<World>): void {
  describe(name, () => {
    let world: World;
    beforeEach(async () => {
      world = await makeWorld();
    });
    afterEach(async () => {
      await Promise.all(world.stores.map((s) => s.close()));
      await world.cleanup();
    });

    test(`${INSTANCES} instances running concurrently deliver each of ${N} jobs exactly once`, async () => {
      const deliveries = new Map<string, number>();
      const handlerCalls = new Map<string, number>();
      const claimedBy = new Map<string, number>();
      const schedulers = world.stores.map((store, i) => {
        const s = new Scheduler({ store, instanceId: `instance-${i}`, logger: silentLogger, concurrency: 4, random: seeded(i + 1), leaseMs: LEASE });
        const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
        const deliver = async (jobId: string) => {
          await tick(); // interleave with the other instances
          count(deliveries, jobId);
        };
        s.register('measure', async (job) => {
          count(handlerCalls, job.id);
          await deliver(job.id);
          return 'done';
        });
        // Recurring: runs now, then not before next week (outside this test's rounds).
        s.register('checkin', async (job, now) => {
          count(handlerCalls, job.id);
          await deliver(job.id);
          return { reschedule: minutes(7 * 24 * 60, now) };
        });
        // Fails its first attempt (nothing delivered), asks to be retried at once, then delivers.
        s.register('flaky', async (job) => {
          count(handlerCalls, job.id);
          if (job.attempts === 1) return { error: 'channel_busy', retryAt: T0 };
          await deliver(job.id);
          return 'done';
        });
        return s;
      });

      const kinds = ['measure', 'checkin', 'flaky'] as const;
      for (let n = 0; n < N; n++) await schedulers[n % INSTANCES].jobs.schedule(makeJob(n, { kind: kinds[n % 3] }));

      const summaries: RunSummary[] = [];
      for (let round = 0; round < 8; round++) {
        const now = minutes(round);
        const results = await Promise.all(schedulers.map((s) => s.runOnce(now)));
        results.forEach((r, i) => claimedBy.set(`instance-${i}`, (claimedBy.get(`instance-${i}`) ?? 0) + r.claimed));
        summaries.push(...results);
        if (results.every((r) => r.found === 0)) break;
      }

      // Exactly once, each of them.
      expect(deliveries.size).toBe(N);
      expect([...deliveries.values()].every((c) => c === 1)).toBe(true);
      for (let n = 0; n < N; n++) expect(handlerCalls.get(`job-${n}`)).toBe(kinds[n % 3] === 'flaky' ? 2 : 1);
      const total = (key: keyof RunSummary) => summaries.reduce((sum, s) => sum + Number(s[key]), 0);
      expect(total('claimed')).toBe(N + N / 3);
      expect(total('lost') + total('unsettled') + total('failed')).toBe(0);
      expect(total('retried')).toBe(N / 3);
      // The work was really shared: more than one instance claimed jobs.
      expect([...claimedBy.values()].filter((c) => c > 0).length).toBeGreaterThan(1);

      const jobs = schedulers[0].jobs;
      for (let n = 0; n < N; n++) {
        const job = (await jobs.get(`person-${n % 7}`, `job-${n}`))!.body;
        if (kinds[n % 3] === 'checkin') expect(job).toMatchObject({ status: 'pending', attempts: 0 });
        else expect(job.status).toBe('done');
      }
    });

    test('a job held by a crashed instance is taken over by exactly one survivor after its lease', async () => {
      const runs: string[] = [];
      const schedulers = world.stores.map((store, i) =>
        new Scheduler({ store, instanceId: `instance-${i}`, logger: silentLogger, random: seeded(i + 7), leaseMs: LEASE }).register('measure', async () => {
          runs.push(`instance-${i}`);
          return 'done';
        }),
      );
      const job = makeJob(1, { kind: 'measure' });
      await schedulers[0].jobs.schedule(job);
      // instance-0 claims it, then "crashes" before running it.
      const [held] = await schedulers[0].jobs.claimDue(T0, 'instance-0', LEASE);
      expect(held.body.claimedBy).toBe('instance-0');

      const before = await Promise.all(schedulers.slice(1).map((s) => s.runOnce(minutes(4))));
      expect(before.every((r) => r.claimed === 0)).toBe(true); // lease still live
      const after = await Promise.all(schedulers.slice(1).map((s) => s.runOnce(minutes(5))));
      expect(after.reduce((sum, r) => sum + r.done, 0)).toBe(1);
      expect(runs).toHaveLength(1);
      expect(runs[0]).not.toBe('instance-0');
      expect((await schedulers[0].jobs.get(job.personKey, job.id))!.body).toMatchObject({ status: 'done', attempts: 2 });
      // The crashed claim's late result is refused.
      expect(await schedulers[0].jobs.settle(held, 'instance-0', { ...held.body, status: 'done' })).toBe('lost');
    });
  });
}

exactlyOnceSuite('file store: three store objects on one folder', async () => {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'petits-pas-scheduler-'));
  const stores = Array.from({ length: INSTANCES }, () => new FileDocumentStore(dir, { fsync: false }));
  await stores[0].init();
  return { stores, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
});

describe('on a Cosmos-protocol server', () => {
  let server: TestCosmosServer;
  beforeAll(async () => {
    server = await startCosmosServer();
  });
  afterAll(async () => {
    await server.close();
  });

  exactlyOnceSuite('cosmos: three clients on one database', async () => {
    const databaseId = `scheduler-${randomUUID()}`;
    const stores = Array.from(
      { length: INSTANCES },
      () => new CosmosDocumentStore({ endpoint: server.endpoint, key: TEST_KEY, databaseId, containerPrefix: 'pp-', clientOptions: server.clientOptions, requestTimeoutMs: 5_000 }),
    );
    await stores[0].init();
    await Promise.all(stores.slice(1).map((s) => s.init()));
    return { stores, cleanup: async () => undefined };
  });
});
