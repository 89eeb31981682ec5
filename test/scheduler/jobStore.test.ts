import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { JobStore, JOBS_COLLECTION } from '../../bot/scheduler/jobStore';
import type { DocumentStore } from '../../core/ports/documentStore';
import { completeJob, retryJob, type Job } from '../../core/schedule/job';
import { MemoryDocumentStore } from '../support/memoryStore';
import { makeJob, minutes, T0 } from './helpers';

const LEASE = 5 * 60_000;

describe.each([
  ['memory store', async () => ({ store: new MemoryDocumentStore() as DocumentStore, cleanup: async () => undefined })],
  [
    'file store',
    async () => {
      const dir = await fsp.mkdtemp(join(tmpdir(), 'petits-pas-jobs-'));
      return { store: new FileDocumentStore(dir, { fsync: false }) as DocumentStore, cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
    },
  ],
])('JobStore on the %s', (_name, makeStore) => {
  let store: DocumentStore;
  let cleanup: () => Promise<unknown>;
  let jobs: JobStore;

  beforeEach(async () => {
    ({ store, cleanup } = await makeStore());
    await store.init();
    jobs = new JobStore(store);
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  test('schedule is idempotent by id; replace updates a job that is not running', async () => {
    const job = makeJob(1);
    expect(await jobs.schedule(job)).toBe('created');
    expect(await jobs.schedule({ ...job, dueAt: minutes(60).toISOString() })).toBe('exists');
    expect((await jobs.get(job.personKey, job.id))?.body.dueAt).toBe(T0.toISOString());
    expect(await jobs.schedule({ ...job, dueAt: minutes(60).toISOString() }, { replace: true })).toBe('replaced');
    expect((await jobs.get(job.personKey, job.id))?.body.dueAt).toBe(minutes(60).toISOString());
    // Stored where the query needs them: top-level body fields.
    const [raw] = await store.listPartition<Record<string, unknown>>(JOBS_COLLECTION, job.personKey);
    expect(raw.body).toMatchObject({ status: 'pending', dueAt: minutes(60).toISOString() });
  });

  test('a running job is not replaced; a cancelled one is (resume)', async () => {
    const job = makeJob(1);
    await jobs.schedule(job);
    const [claimed] = await jobs.claimDue(T0, 'i1', LEASE);
    expect(await jobs.schedule(job, { replace: true })).toBe('busy');
    await jobs.settle(claimed, 'i1', completeJob(claimed.body, T0));
    expect(await jobs.cancelForPerson(job.personKey)).toBe(0); // nothing unfinished
    await jobs.schedule(makeJob(1, { id: 'other' }));
    expect(await jobs.cancelForPerson(job.personKey)).toBe(1);
    expect(await jobs.schedule(makeJob(1, { id: 'other' }), { replace: true })).toBe('replaced');
    expect((await jobs.get(job.personKey, 'other'))?.body.status).toBe('pending');
  });

  test('list, cancel by kind, delete for erasure — one person only', async () => {
    await jobs.schedule(makeJob(1, { id: 'checkin', kind: 'checkin', personKey: 'alice' }));
    await jobs.schedule(makeJob(2, { id: 'phq9', kind: 'measure', personKey: 'alice' }));
    await jobs.schedule(makeJob(3, { id: 'checkin', kind: 'checkin', personKey: 'bob' }));
    expect((await jobs.listForPerson('alice')).map((j) => j.id).sort()).toEqual(['checkin', 'phq9']);
    expect(await jobs.cancelForPerson('alice', 'measure', T0)).toBe(1);
    const alice = Object.fromEntries((await jobs.listForPerson('alice')).map((j) => [j.id, j.status]));
    expect(alice).toEqual({ checkin: 'pending', phq9: 'cancelled' });
    expect(await jobs.deleteForPerson('alice')).toBe(2);
    expect(await jobs.listForPerson('alice')).toEqual([]);
    expect(await jobs.listForPerson('bob')).toHaveLength(1);
  });

  test('claimDue takes due jobs only, and a job once: the second claimer with the same read loses', async () => {
    await jobs.schedule(makeJob(1));
    await jobs.schedule(makeJob(2, { dueAt: minutes(10) }));
    const due = await jobs.findDue(T0, 50);
    expect(due.map((d) => d.id)).toEqual(['job-1']);
    const [a, b] = await Promise.all([jobs.claim(due[0], 'i1', T0, LEASE), jobs.claim(due[0], 'i2', T0, LEASE)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await jobs.claimDue(T0, 'i3', LEASE)).toEqual([]); // running under a live lease
    expect(await jobs.findDue(minutes(4), 50)).toEqual([]);
  });

  test('an expired lease (crashed instance) is claimable again; the old holder then loses its result', async () => {
    await jobs.schedule(makeJob(1));
    const [first] = await jobs.claimDue(T0, 'crashed', LEASE);
    expect(first.body).toMatchObject({ claimedBy: 'crashed', attempts: 1 });
    const later = minutes(5);
    const [second] = await jobs.claimDue(later, 'survivor', LEASE);
    expect(second.body).toMatchObject({ claimedBy: 'survivor', attempts: 2, status: 'running' });
    expect(await jobs.settle(first, 'crashed', completeJob(first.body, later))).toBe('lost');
    expect(await jobs.settle(second, 'survivor', completeJob(second.body, later))).toBe('saved');
    expect((await jobs.get('person-1', 'job-1'))?.body.status).toBe('done');
  });

  test('settle: a cancel or an erasure during the run wins', async () => {
    await jobs.schedule(makeJob(1));
    await jobs.schedule(makeJob(8)); // same person (person-1)
    const claimed = await jobs.claimDue(T0, 'i1', LEASE);
    expect(claimed).toHaveLength(2);
    expect(await jobs.cancelForPerson('person-1', undefined, T0)).toBe(2);
    expect(await jobs.settle(claimed[0], 'i1', completeJob(claimed[0].body, T0))).toBe('cancelled');
    await jobs.deleteForPerson('person-1');
    expect(await jobs.settle(claimed[1], 'i1', retryJob(claimed[1].body, T0))).toBe('gone');
  });

  test('purgeFinished deletes finished jobs older than the cut-off only', async () => {
    for (const n of [1, 2, 3]) await jobs.schedule(makeJob(n));
    const claimed = await jobs.claimDue(T0, 'i1', LEASE);
    const byId = Object.fromEntries(claimed.map((c) => [c.id, c]));
    await jobs.settle(byId['job-1'], 'i1', completeJob(byId['job-1'].body, T0));
    await jobs.settle(byId['job-2'], 'i1', completeJob(byId['job-2'].body, minutes(60)));
    await jobs.settle(byId['job-3'], 'i1', retryJob(byId['job-3'].body, T0));
    expect(await jobs.purgeFinished(minutes(30))).toBe(1);
    const left = (await Promise.all(['person-1', 'person-2', 'person-3'].map((p) => jobs.listForPerson(p)))).flat();
    expect(left.map((j: Job) => j.id).sort()).toEqual(['job-2', 'job-3']);
  });
});
