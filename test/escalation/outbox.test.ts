/**
 * The escalation outbox against the in-memory store (which can be made unavailable, slow, and
 * interleaves concurrent callers), and — for the multi-instance case — the real file store.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { createLogger } from '../../bot/observability/logger';
import { EscalationOutbox, newRecord, OUTBOX_COLLECTION, seal, type OutboxOptions, type OutboxRecord } from '../../bot/escalation/outbox';
import type { DocumentStore } from '../../core/ports/documentStore';
import { MemoryDocumentStore } from '../support/memoryStore';
import { makeEscalation, RecordingNotifier, SECRET_WORDS } from '../support/escalations';

const T0 = new Date('2025-03-01T14:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SEC = 1_000;
const MIN = 60_000;

let dirs: string[] = [];
let logLines: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `petits-pas-${prefix}-`));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  // Whatever happened in the test, no log line carries the person's words.
  for (const line of logLines) {
    expect(line).not.toContain('mourir');
    expect(line).not.toContain(SECRET_WORDS);
    expect(line).not.toContain('Marcher');
  }
  logLines = [];
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

interface Rig<S extends DocumentStore = MemoryDocumentStore> {
  store: S;
  primary: RecordingNotifier;
  backup: RecordingNotifier;
  outbox(name: string, options?: Partial<OutboxOptions> & { spoolDir?: string }): EscalationOutbox;
  record(id: string, personId: string): Promise<OutboxRecord | undefined>;
  spoolFiles(name: string): string[];
}

function rig(): Rig;
function rig<S extends DocumentStore>(store: S): Rig<S>;
function rig(store: DocumentStore = new MemoryDocumentStore()): Rig<DocumentStore> {
  const primary = new RecordingNotifier('primary');
  const backup = new RecordingNotifier('backup');
  const spoolDirs = new Map<string, string>();
  const spoolFor = (name: string) => {
    if (!spoolDirs.has(name)) spoolDirs.set(name, tempDir(`spool-${name}`));
    return spoolDirs.get(name)!;
  };
  return {
    store,
    primary,
    backup,
    outbox: (name, options = {}) =>
      new EscalationOutbox({
        store,
        notifiers: { primary, backup },
        spoolDir: options.spoolDir ?? spoolFor(name),
        instanceId: name,
        logger: createLogger('debug', (line) => logLines.push(line)),
        enqueueTimeoutMs: 200,
        storeTimeoutMs: 2_000,
        ...options,
      }),
    record: async (id, personId) => (await store.get<OutboxRecord>(OUTBOX_COLLECTION, personId, id))?.body,
    spoolFiles: (name) => readdirSync(spoolFor(name)).filter((f) => f.endsWith('.json')),
  };
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('enqueue', () => {
  it('writes one record and alerts once, however often the same event is enqueued', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(1);
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'stored', status: 'delivered', delivered: true });
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'duplicate' });
    expect(await r.outbox('b').enqueue(e, at(SEC))).toEqual({ outcome: 'duplicate' });
    expect(r.store.count('outbox')).toBe(1);
    expect(r.primary.count()).toBe(1);
    const rec = await r.record(e.id, e.personId);
    expect(rec).toMatchObject({ escalationId: e.id, personId: e.personId, status: 'delivered', dueAt: at(15 * MIN).toISOString() });
    expect(rec?.delivery).toMatchObject({ deliveredAt: T0.toISOString(), deliveredVia: 'primary', channelMessageId: 'msg', attempts: 1 });
    expect(rec?.claimedBy).toBeUndefined();
  });

  it('makes one record and one alert when several instances enqueue the same event at once', async () => {
    const r = rig();
    const e = makeEscalation(2);
    const results = await Promise.all(['a', 'b', 'c'].map((n) => r.outbox(n).enqueue(e, T0)));
    expect(results.filter((x) => x.outcome === 'stored')).toHaveLength(1);
    expect(results.filter((x) => x.outcome === 'duplicate')).toHaveLength(2);
    expect(r.store.count('outbox')).toBe(1);
    expect(r.primary.count()).toBe(1);
  });

  it('never throws when the notifier throws: the alert stays pending with backoff', async () => {
    const r = rig();
    r.primary.behaviour = () => {
      throw new Error(`boom ${SECRET_WORDS}`);
    };
    const e = makeEscalation(3);
    expect(await r.outbox('a').enqueue(e, T0)).toEqual({ outcome: 'stored', status: 'pending', delivered: false });
    const rec = await r.record(e.id, e.personId);
    expect(rec?.delivery).toMatchObject({ status: 'pending', attempts: 1, lastError: 'primary primary threw Error' });
    expect(rec?.dueAt! >= at(5 * SEC).toISOString() && rec?.dueAt! <= at(6 * SEC).toISOString()).toBe(true);
  });

  it('refuses malformed ids (they name spool files)', async () => {
    const r = rig();
    await expect(r.outbox('a').enqueue({ ...makeEscalation(1), id: '../../x' }, T0)).rejects.toThrow(TypeError);
  });
});

describe('store outage: spool and direct delivery', () => {
  it('spools and alerts at once when the store throws; the drain then stores exactly one record and nothing is sent twice', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(1);
    r.store.unavailable = true;
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'spooled', status: 'delivered', delivered: true });
    expect(r.primary.count({ kind: 'alert' })).toBe(1);
    expect(r.spoolFiles('a')).toEqual([`${e.id}.json`]);
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'duplicate' }); // the spool remembers it
    expect(await a.deliverDue(at(MIN))).toMatchObject({ storeUnavailable: true });
    expect(await a.drainSpool(at(MIN))).toMatchObject({ stored: 0, remaining: 1, delivered: 0 });

    r.store.unavailable = false;
    expect(await a.drainSpool(at(2 * MIN))).toMatchObject({ stored: 1, remaining: 0 });
    expect(r.spoolFiles('a')).toEqual([]);
    expect(r.store.count('outbox')).toBe(1);
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered', delivery: { deliveredAt: T0.toISOString() } });
    for (const o of [a, r.outbox('b')]) await o.deliverDue(at(3 * MIN));
    expect(await a.enqueue(e, at(3 * MIN))).toEqual({ outcome: 'duplicate' });
    expect(r.primary.count({ kind: 'alert' })).toBe(1);
    expect(r.backup.count()).toBe(0);
  });

  it('bounds a slow store: spools and alerts after the timeout; the late write is merged, not re-sent', async () => {
    const r = rig();
    const a = r.outbox('a', { enqueueTimeoutMs: 50 });
    const b = r.outbox('b');
    const e = makeEscalation(2);
    r.store.pause();
    const started = Date.now();
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'spooled', status: 'delivered', delivered: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(r.primary.count()).toBe(1);
    r.store.resume();
    await waitFor(() => r.store.count('outbox') === 1); // the timed-out create lands late, claimed by a
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'pending', claimedBy: 'a' });
    expect(await b.deliverDue(at(5 * SEC))).toMatchObject({ examined: 0, claimed: 0 });
    expect(await a.drainSpool(at(10 * SEC))).toMatchObject({ merged: 1, remaining: 0 });
    const rec = await r.record(e.id, e.personId);
    expect(rec).toMatchObject({ status: 'delivered', dueAt: at(15 * MIN).toISOString() });
    expect(rec?.claimedBy).toBeUndefined();
    await b.deliverDue(at(2 * MIN));
    expect(r.primary.count()).toBe(1);
  });

  it('keeps retrying from the spool while the store stays down', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(3);
    r.store.unavailable = true;
    r.primary.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'spooled', status: 'pending', delivered: false });
    expect(await a.drainSpool(at(2 * SEC))).toMatchObject({ remaining: 1, delivered: 0 }); // not due yet
    expect(r.primary.count()).toBe(1);
    r.primary.behaviour = { delivered: true };
    expect(await a.drainSpool(at(10 * SEC))).toMatchObject({ remaining: 1, delivered: 1 });
    expect(r.primary.count()).toBe(2);
    r.store.unavailable = false;
    expect(await a.drainSpool(at(20 * SEC))).toMatchObject({ stored: 1 });
    await a.deliverDue(at(MIN));
    expect(r.primary.count()).toBe(2);
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered', delivery: { attempts: 2, deliveredAt: at(10 * SEC).toISOString() } });
  });

  it('quarantines an unreadable spool file instead of deleting it', async () => {
    const r = rig();
    const spoolDir = tempDir('spool-corrupt');
    writeFileSync(join(spoolDir, 'E-0123456789abcdef01234567.json'), '{ half a rec');
    const summary = await r.outbox('a', { spoolDir }).drainSpool(T0);
    expect(summary).toMatchObject({ corrupt: 1, stored: 0 });
    expect(readdirSync(spoolDir).some((f) => f.startsWith('E-0123456789abcdef01234567.json.corrupt-'))).toBe(true);
    expect(logLines.some((l) => l.includes('escalation_spool_corrupt'))).toBe(true);
  });
});

describe('several instances on one store', () => {
  async function pendingBatch(r: Rig<DocumentStore>, count: number): Promise<string[]> {
    // The primary is down at enqueue time, so every record is left pending for a retry pass.
    r.primary.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    const writer = r.outbox('writer', { fallbackAfterAttempts: 99 });
    const ids: string[] = [];
    for (let n = 1; n <= count; n++) {
      const e = makeEscalation(n);
      await writer.enqueue(e, T0);
      ids.push(e.id);
    }
    r.primary.messages.length = 0;
    r.primary.behaviour = { delivered: true };
    return ids;
  }

  async function runConcurrently(outboxes: EscalationOutbox[], now: Date) {
    return Promise.all(outboxes.map((o) => o.deliverDue(now)));
  }

  it('delivers each escalation exactly once when three instances run deliverDue together (memory store)', async () => {
    const r = rig();
    const ids = await pendingBatch(r, 12);
    const instances = ['a', 'b', 'c'].map((n) => r.outbox(n, { fallbackAfterAttempts: 99 }));
    const first = await runConcurrently(instances, at(10 * SEC));
    await runConcurrently(instances, at(11 * SEC));
    await runConcurrently(instances, at(2 * MIN));
    for (const id of ids) expect(r.primary.count({ id, kind: 'alert' })).toBe(1);
    expect(r.primary.count()).toBe(12);
    expect(first.reduce((n, s) => n + s.alertsDelivered, 0)).toBe(12);
    expect(first.reduce((n, s) => n + s.claimed, 0)).toBe(12);
  });

  it('sends each reminder once with three instances', async () => {
    const r = rig();
    const e = makeEscalation(5);
    await r.outbox('a').enqueue(e, T0);
    const instances = ['a', 'b', 'c'].map((n) => r.outbox(n));
    await runConcurrently(instances, at(15 * MIN));
    await runConcurrently(instances, at(15 * MIN + SEC));
    expect(r.backup.count({ kind: 'reminder' })).toBe(1);
  });

  it('delivers each escalation exactly once with three instances on the real file store', async () => {
    const store = new FileDocumentStore(tempDir('filestore'), { fsync: false });
    await store.init();
    const r = rig(store);
    const ids = await pendingBatch(r, 8);
    const instances = ['a', 'b', 'c'].map((n) => r.outbox(n, { fallbackAfterAttempts: 99 }));
    await runConcurrently(instances, at(10 * SEC));
    await runConcurrently(instances, at(2 * MIN));
    for (const id of ids) expect(r.primary.count({ id, kind: 'alert' })).toBe(1);
    const e = makeEscalation(1);
    expect((await store.get<OutboxRecord>(OUTBOX_COLLECTION, e.personId, e.id))?.body).toMatchObject({ status: 'delivered' });
    expect(await r.outbox('d').enqueue(e, at(3 * MIN))).toEqual({ outcome: 'duplicate' });
    await store.close();
  });
});

describe('restart', () => {
  it('a new instance on the same store and spool loses nothing', async () => {
    const r = rig();
    const spoolDir = tempDir('spool-restart');
    const e = makeEscalation(1);
    r.store.unavailable = true;
    r.primary.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    expect(await r.outbox('old', { spoolDir }).enqueue(e, T0)).toMatchObject({ outcome: 'spooled', delivered: false });
    // The process dies here. A new one starts with the same spool directory; store and Teams are back.
    r.store.unavailable = false;
    r.primary.behaviour = { delivered: true };
    const fresh = r.outbox('new', { spoolDir });
    expect(await fresh.drainSpool(at(10 * SEC))).toMatchObject({ stored: 1 });
    expect(await fresh.deliverDue(at(10 * SEC))).toMatchObject({ alertsDelivered: 1 });
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered' });
    expect(r.primary.count({ kind: 'alert' })).toBe(2); // the failed first try, then the delivery
  });

  it('a claim left by a dead instance is taken over once its lease expires', async () => {
    const r = rig();
    const e = makeEscalation(2);
    const timing = { ackMinutes: 15, maxReminders: 4, giveUpAfterMs: 24 * 60 * MIN };
    const orphan = seal(newRecord(e, T0), T0, timing, { by: 'dead-instance', until: at(MIN).toISOString() });
    await r.store.create(OUTBOX_COLLECTION, e.personId, e.id, orphan);
    const b = r.outbox('b');
    expect(await b.deliverDue(at(30 * SEC))).toMatchObject({ examined: 0 });
    expect(r.primary.count()).toBe(0);
    expect(await b.deliverDue(at(MIN + SEC))).toMatchObject({ alertsDelivered: 1 });
    expect(r.primary.count()).toBe(1);
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered' });
  });
});

describe('acknowledgement', () => {
  it('records the first ack, answers "already" afterwards, and stops reminders', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(1);
    await a.enqueue(e, T0);
    const ack = await a.acknowledge(e.id, e.personId, 'Dre Tremblay', at(5 * MIN));
    expect(ack).toMatchObject({ outcome: 'acknowledged', acknowledgedBy: 'Dre Tremblay', acknowledgedAt: at(5 * MIN).toISOString() });
    expect(ack.outcome !== 'not_found' && ack.escalation.id).toBe(e.id);
    expect(await r.outbox('b').acknowledge(e.id, undefined, 'Dr Other', at(6 * MIN))).toMatchObject({
      outcome: 'already',
      acknowledgedBy: 'Dre Tremblay',
    });
    await a.deliverDue(at(20 * MIN));
    await a.deliverDue(at(60 * MIN));
    expect(r.backup.count()).toBe(0);
    const rec = await r.record(e.id, e.personId);
    expect(rec).toMatchObject({ status: 'acknowledged', delivery: { deliveredAt: T0.toISOString(), acknowledgedBy: 'Dre Tremblay' } });
    expect(rec?.dueAt).toBeUndefined();
    expect(await a.acknowledge('E-000000000000000000000000', undefined, 'x', T0)).toEqual({ outcome: 'not_found' });
    expect(await a.acknowledge('../etc', undefined, 'x', T0)).toEqual({ outcome: 'not_found' });
  });

  it('keeps an ack that lands while a delivery holds the claim', async () => {
    const r = rig();
    const a = r.outbox('a');
    const b = r.outbox('b');
    const e = makeEscalation(2);
    r.primary.behaviour = async () => {
      expect(await b.acknowledge(e.id, e.personId, 'Dr Fast', T0)).toMatchObject({ outcome: 'acknowledged' });
      return { delivered: true, channelMessageId: 'm-1' };
    };
    await a.enqueue(e, T0);
    const rec = await r.record(e.id, e.personId);
    expect(rec).toMatchObject({ status: 'acknowledged', delivery: { acknowledgedBy: 'Dr Fast', deliveredAt: T0.toISOString(), channelMessageId: 'm-1' } });
    expect(rec?.claimedBy).toBeUndefined();
    expect(rec?.dueAt).toBeUndefined();
  });

  it('acknowledges a spooled escalation while the store is down, and the drain keeps the ack', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(3);
    r.store.unavailable = true;
    await a.enqueue(e, T0);
    expect(await a.acknowledge(e.id, e.personId, 'Dr Night', at(MIN))).toMatchObject({ outcome: 'acknowledged' });
    r.store.unavailable = false;
    await a.drainSpool(at(2 * MIN));
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'acknowledged', delivery: { acknowledgedBy: 'Dr Night' } });
    await a.deliverDue(at(30 * MIN));
    expect(r.backup.count()).toBe(0);
  });
});

describe('reminders', () => {
  it('reminds on the backup destination after ackMinutes, then every ackMinutes, up to the cap', async () => {
    const r = rig();
    const a = r.outbox('a', { maxReminders: 2 });
    const e = makeEscalation(1);
    await a.enqueue(e, T0);
    await a.deliverDue(at(14 * MIN));
    expect(r.backup.count()).toBe(0);
    expect(await a.deliverDue(at(15 * MIN))).toMatchObject({ remindersSent: 1 });
    expect(r.backup.messages[0]).toMatchObject({ kind: 'reminder', destination: 'backup', sequence: 1 });
    await a.deliverDue(at(16 * MIN));
    expect(r.backup.count()).toBe(1);
    await a.deliverDue(at(30 * MIN));
    expect(r.backup.messages[1]).toMatchObject({ kind: 'reminder', destination: 'backup', sequence: 2 });
    await a.deliverDue(at(45 * MIN));
    await a.deliverDue(at(120 * MIN));
    expect(r.backup.count()).toBe(2);
    expect(r.primary.count()).toBe(1);
    expect((await r.record(e.id, e.personId))?.dueAt).toBeUndefined();
  });

  it('honours ESCALATION_ACK_MINUTES', async () => {
    const r = rig();
    const a = r.outbox('a', { ackMinutes: 5 });
    await a.enqueue(makeEscalation(2), T0);
    await a.deliverDue(at(5 * MIN));
    expect(r.backup.count({ kind: 'reminder' })).toBe(1);
  });

  it('reminds on the primary when the backup refuses for good, and retries a failed reminder later', async () => {
    const r = rig();
    const a = r.outbox('a');
    await a.enqueue(makeEscalation(3), T0);
    r.backup.behaviour = { delivered: false, retryable: false, reason: 'http 404' };
    await a.deliverDue(at(15 * MIN));
    expect(r.primary.messages.map((m) => `${m.kind}/${m.destination}`)).toEqual(['alert/primary', 'reminder/primary']);
    const r2 = rig();
    const b = r2.outbox('b');
    const e = makeEscalation(4);
    await b.enqueue(e, T0);
    r2.backup.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    await b.deliverDue(at(15 * MIN));
    expect((await r2.record(e.id, e.personId))?.dueAt).toBe(at(15 * MIN + 5 * SEC).toISOString());
    r2.backup.behaviour = { delivered: true };
    await b.deliverDue(at(15 * MIN + 5 * SEC));
    expect(r2.backup.count({ kind: 'reminder' })).toBe(2);
    expect((await r2.record(e.id, e.personId))?.delivery).toMatchObject({ remindersSent: 1 });
  });
});

describe('fallback to the backup destination', () => {
  it('uses the backup at once when the primary refuses for good, and skips the primary afterwards', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(1);
    r.primary.behaviour = { delivered: false, retryable: false, reason: 'teams 403 BotNotInConversationRoster' };
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'stored', status: 'delivered', delivered: true });
    expect(r.backup.messages).toHaveLength(1);
    expect(r.backup.messages[0]).toMatchObject({ kind: 'alert', destination: 'backup' });
    expect((await r.record(e.id, e.personId))?.delivery).toMatchObject({
      status: 'delivered',
      deliveredVia: 'backup',
      primaryFailed: true,
      lastError: 'primary teams 403 BotNotInConversationRoster',
    });
    await a.deliverDue(at(15 * MIN));
    expect(r.primary.count()).toBe(1);
    expect(r.backup.count({ kind: 'reminder' })).toBe(1);
  });

  it('marks the escalation failed (never dropped) when both refuse, keeps retrying, and delivers once a channel works', async () => {
    const r = rig();
    const a = r.outbox('a');
    const e = makeEscalation(2);
    r.primary.behaviour = { delivered: false, retryable: false, reason: 'http 410' };
    r.backup.behaviour = { delivered: false, retryable: false, reason: 'teams 404 ConversationNotFound' };
    expect(await a.enqueue(e, T0)).toEqual({ outcome: 'stored', status: 'failed', delivered: false });
    const rec = await r.record(e.id, e.personId);
    expect(rec).toMatchObject({ status: 'failed', dueAt: at(5 * MIN).toISOString(), delivery: { primaryFailed: true, failedAt: T0.toISOString() } });
    expect(logLines.some((l) => l.includes('"level":"error"') && l.includes('escalation_undeliverable'))).toBe(true);
    r.backup.behaviour = { delivered: true, channelMessageId: 'late' };
    await a.deliverDue(at(5 * MIN));
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered', delivery: { deliveredVia: 'backup', channelMessageId: 'late' } });
    expect(r.primary.count()).toBe(1); // the refusing primary was not asked again
  });

  it('also tries the backup after repeated retryable primary failures', async () => {
    const r = rig();
    const a = r.outbox('a', { fallbackAfterAttempts: 3 });
    const e = makeEscalation(3);
    r.primary.behaviour = { delivered: false, retryable: true, reason: 'timeout' };
    await a.enqueue(e, T0);
    await a.deliverDue(at(10 * SEC));
    expect(r.backup.count()).toBe(0);
    await a.deliverDue(at(MIN));
    expect(r.primary.count()).toBe(3);
    expect(r.backup.count({ kind: 'alert', destination: 'backup' })).toBe(1);
    expect(await r.record(e.id, e.personId)).toMatchObject({ status: 'delivered', delivery: { deliveredVia: 'backup', attempts: 3 } });
    expect(logLines.some((l) => l.includes('escalation_delivered_to_backup'))).toBe(true);
  });

  it('gives up retrying after giveUpAfterMs, leaving a failed record and an error log', async () => {
    const r = rig();
    const a = r.outbox('a', { giveUpAfterMs: 30 * SEC, fallbackAfterAttempts: 1 });
    const e = makeEscalation(4);
    r.primary.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    r.backup.behaviour = { delivered: false, retryable: true, reason: 'http 503' };
    await a.enqueue(e, T0);
    for (const s of [10, 20, 40, 80]) await a.deliverDue(at(s * SEC));
    const rec = await r.record(e.id, e.personId);
    expect(rec?.status).toBe('failed');
    expect(rec?.dueAt).toBeUndefined();
    expect(logLines.some((l) => l.includes('escalation_abandoned'))).toBe(true);
  });
});
