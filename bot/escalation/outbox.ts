/**
 * The escalation outbox: a crisis alert reaches a human, is never lost, and is never sent twice.
 *
 * - One document per escalation in collection `outbox` (partition = pseudonymous person id, id =
 *   the deterministic escalation id), made with `create`: a second enqueue of the same event meets
 *   ConflictError and sends nothing.
 * - Work is claimed with an ETag compare-and-swap: the claimer writes `claimedBy`/`claimedUntil`
 *   (a short lease) with the etag it read; only one instance can win, the others get
 *   PreconditionFailed and move on. A claimer that dies simply lets the lease expire.
 * - Top-level body fields exist for the store's query (it filters top-level fields only): `dueAt`
 *   is the next time anything must happen (attempt, reminder, or lease expiry) and is absent when
 *   nothing remains; `status`, `escalationId` and `personId` serve look-ups and operations views.
 * - When the store is down or slow (bounded wait), the record goes to a local spool directory (one
 *   JSON file per escalation, temp file + fsync + rename) and the alert is sent at once anyway: a
 *   database outage never delays the human. The spool file carries the delivery result, and
 *   `drainSpool` moves it into the store (or merges it into a record that landed late), so the
 *   outbox pass that follows knows it was delivered and does not send it again.
 * - A spool directory belongs to one process (the per-id in-process guard below is what keeps
 *   enqueue, drain and delivery of one id from overlapping); give each instance its own.
 *
 * Logs carry ids, counts, statuses and error kinds only — never the excerpt or any message text.
 */
import { randomUUID } from 'node:crypto';
import { withTimeout as withDeadline } from '../async/withTimeout';
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_ACK_MINUTES,
  DEFAULT_GIVE_UP_AFTER_MS,
  DEFAULT_MAX_REMINDERS,
  initialDeliveryState,
  jitterOf,
  markAcknowledged,
  markAttemptFailed,
  markDelivered,
  markReminderFailed,
  markReminderSent,
  mergeDeliveryStates,
  needsReminder,
  nextReminderAt,
  sanitizeError,
  type DeliveryState,
  type DeliveryStatus,
  type Escalation,
} from '../../core/escalation/escalation';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageUnavailableError,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';
import { createLogger, errorKind, type Logger } from '../observability/logger';

export const OUTBOX_COLLECTION = 'outbox' as const;

export interface OutboxRecord {
  readonly type: 'escalation';
  readonly schemaVersion: 1;
  readonly escalationId: string;
  readonly personId: string;
  /** Copy of delivery.status, top level for queries. */
  readonly status: DeliveryStatus;
  /** Next time the outbox must act on this record; absent when nothing remains to do. */
  readonly dueAt?: string;
  readonly claimedBy?: string;
  readonly claimedUntil?: string;
  readonly escalation: Escalation;
  readonly delivery: DeliveryState;
  readonly updatedAt: string;
}

export interface OutboxOptions {
  readonly store: DocumentStore;
  /** `backup` receives fallbacks and reminders (destination 'backup'); the primary notifier when absent. */
  readonly notifiers: { readonly primary: EscalationNotifier; readonly backup?: EscalationNotifier };
  /** Local directory for records the store could not take; one per process. */
  readonly spoolDir: string;
  readonly logger?: Logger;
  /** Names this instance in claims; unique per process by default. */
  readonly instanceId?: string;
  /** ESCALATION_ACK_MINUTES. */
  readonly ackMinutes?: number;
  readonly maxReminders?: number;
  /** Bound on the enqueue write: past it, spool and deliver directly. Default 2 s. */
  readonly enqueueTimeoutMs?: number;
  /** Bound on other store calls (query, claim, finalise). Default 10 s. */
  readonly storeTimeoutMs?: number;
  /** Guard around a notifier call, above the notifiers' own timeouts. Default 20 s. */
  readonly notifierTimeoutMs?: number;
  /** Claim lease; must exceed a delivery pass (primary + backup timeouts). Default 60 s. */
  readonly claimLeaseMs?: number;
  /** After this many failed passes on a retryable primary, each pass also tries the backup. Default 3. */
  readonly fallbackAfterAttempts?: number;
  /** Stop retrying an undelivered alert this long after it was created (it stays 'failed' on record). Default 24 h. */
  readonly giveUpAfterMs?: number;
  /** Records examined per `deliverDue` call. Default 50. */
  readonly batchSize?: number;
  /** Deliveries run in parallel within one `deliverDue`. Default 4. */
  readonly concurrency?: number;
  readonly clock?: () => Date;
}

export type EnqueueResult =
  | { readonly outcome: 'stored' | 'spooled'; readonly status: DeliveryStatus; readonly delivered: boolean }
  | { readonly outcome: 'duplicate' };

export type AcknowledgeResult =
  | {
      readonly outcome: 'acknowledged' | 'already';
      readonly escalation: Escalation;
      readonly acknowledgedAt: string;
      readonly acknowledgedBy: string;
    }
  | { readonly outcome: 'not_found' };

export interface DeliverDueSummary {
  examined: number;
  claimed: number;
  alertsDelivered: number;
  remindersSent: number;
  failedPasses: number;
  /** Another instance won the claim (or held a live lease). */
  skipped: number;
  storeUnavailable: boolean;
}

export interface DrainSummary {
  /** Spool files moved into the store. */
  stored: number;
  /** Spool files merged into a record already in the store (e.g. a write that landed late). */
  merged: number;
  /** Still spooled (store still unavailable). */
  remaining: number;
  /** Deliveries made from the spool while the store stayed unavailable. */
  delivered: number;
  corrupt: number;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export class EscalationOutbox {
  private readonly store: DocumentStore;
  private readonly primary: EscalationNotifier;
  private readonly backup: EscalationNotifier;
  private readonly spool: Spool;
  private readonly log: Logger;
  readonly instanceId: string;
  private readonly ackMinutes: number;
  private readonly maxReminders: number;
  private readonly enqueueTimeoutMs: number;
  private readonly storeTimeoutMs: number;
  private readonly notifierTimeoutMs: number;
  private readonly claimLeaseMs: number;
  private readonly fallbackAfterAttempts: number;
  private readonly giveUpAfterMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly clock: () => Date;
  /** Ids an operation of this process is working on: enqueue, drain, delivery and spool acks never overlap on one id. */
  private readonly locks = new Map<string, Promise<void>>();

  constructor(options: OutboxOptions) {
    this.store = options.store;
    this.primary = options.notifiers.primary;
    this.backup = options.notifiers.backup ?? options.notifiers.primary;
    this.spool = new Spool(options.spoolDir);
    this.log = options.logger ?? createLogger('warn', (line) => process.stderr.write(`${line}\n`));
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.ackMinutes = options.ackMinutes ?? DEFAULT_ACK_MINUTES;
    this.maxReminders = options.maxReminders ?? DEFAULT_MAX_REMINDERS;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 2_000;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 10_000;
    this.notifierTimeoutMs = options.notifierTimeoutMs ?? 20_000;
    this.claimLeaseMs = options.claimLeaseMs ?? 60_000;
    this.fallbackAfterAttempts = options.fallbackAfterAttempts ?? 3;
    this.giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
    this.batchSize = options.batchSize ?? 50;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Records the escalation and alerts the human right away. Idempotent per escalation id. Never
   * throws for store or notifier trouble: the alert is spooled and sent directly instead.
   */
  async enqueue(escalation: Escalation, now: Date = this.clock()): Promise<EnqueueResult> {
    const id = escalation.id;
    if (!ID_PATTERN.test(id) || !ID_PATTERN.test(escalation.personId)) throw new TypeError('enqueue: malformed escalation or person id');
    const release = this.tryLock(id);
    if (!release) return { outcome: 'duplicate' }; // the same event is being handled right now
    try {
      if (await this.spool.has(id).catch(() => false)) return { outcome: 'duplicate' };
      // Created already claimed by us: if this write times out but lands later, no other instance
      // sends the alert we are about to send directly before our spool is merged.
      const record = seal(newRecord(escalation, now), now, this.timing, { by: this.instanceId, until: addMs(now, this.claimLeaseMs) });
      let created: StoredDocument<OutboxRecord>;
      try {
        created = await withTimeout(this.store.create(OUTBOX_COLLECTION, escalation.personId, id, record), this.enqueueTimeoutMs, 'outbox create');
      } catch (error) {
        if (error instanceof ConflictError) {
          this.log.info('escalation_duplicate', { escalationId: id });
          return { outcome: 'duplicate' };
        }
        this.log.warn('escalation_store_unavailable', { escalationId: id, error: errorKind(error) });
        return await this.spoolAndDeliver(seal(newRecord(escalation, now), now, this.timing), now);
      }
      this.log.info('escalation_enqueued', { escalationId: id, personId: escalation.personId, level: escalation.level });
      const after = await this.runClaimed(created, now);
      return { outcome: 'stored', status: after.status, delivered: Boolean(after.deliveredAt) };
    } finally {
      release();
    }
  }

  /** One outbox pass: alerts due (first tries and retries) and reminders due. Called every minute by the scheduler. */
  async deliverDue(now: Date = this.clock()): Promise<DeliverDueSummary> {
    const summary: DeliverDueSummary = { examined: 0, claimed: 0, alertsDelivered: 0, remindersSent: 0, failedPasses: 0, skipped: 0, storeUnavailable: false };
    const nowIso = now.toISOString();
    let docs: StoredDocument<OutboxRecord>[];
    try {
      docs = await withTimeout(
        this.store.query<OutboxRecord>(OUTBOX_COLLECTION, { fieldAtMost: { field: 'dueAt', value: nowIso }, limit: this.batchSize }),
        this.storeTimeoutMs,
        'outbox query',
      );
    } catch (error) {
      this.log.warn('escalation_outbox_query_failed', { error: errorKind(error) });
      summary.storeUnavailable = true;
      return summary;
    }
    const due = docs.filter((d) => d.body?.type === 'escalation' && typeof d.body.dueAt === 'string' && d.body.dueAt <= nowIso);
    summary.examined = due.length;
    await forEachLimit(due, this.concurrency, async (doc) => {
      const before = doc.body.delivery;
      const after = await this.processDue(doc, now);
      if (after === 'skipped') {
        summary.skipped++;
        return;
      }
      if (after === 'idle') return;
      summary.claimed++;
      if (!before.deliveredAt && after.deliveredAt) summary.alertsDelivered++;
      else if (!before.deliveredAt && after.attempts > before.attempts) summary.failedPasses++;
      if (after.remindersSent > before.remindersSent) summary.remindersSent++;
    });
    return summary;
  }

  /**
   * Moves spooled records into the store. A ConflictError means the record is there already (e.g.
   * a write that timed out but landed): the spool's delivery facts are merged into it. While the
   * store is still down, due alerts and reminders keep going out from the spool itself.
   */
  async drainSpool(now: Date = this.clock()): Promise<DrainSummary> {
    const summary: DrainSummary = { stored: 0, merged: 0, remaining: 0, delivered: 0, corrupt: 0 };
    let ids: string[];
    try {
      ids = await this.spool.list();
    } catch (error) {
      this.log.error('escalation_spool_unreadable', { error: errorKind(error) });
      return summary;
    }
    for (const id of ids) {
      const release = this.tryLock(id);
      if (!release) {
        summary.remaining++;
        continue;
      }
      try {
        await this.drainOne(id, now, summary);
      } catch (error) {
        // One file's trouble (e.g. a failed unlink) must not stop the others; it is retried next time.
        summary.remaining++;
        this.log.warn('escalation_spool_drain_failed', { escalationId: id, error: errorKind(error) });
      } finally {
        release();
      }
    }
    return summary;
  }

  /**
   * Records a clinician's acknowledgement (first one wins; repeated clicks answer 'already').
   * `personId` is the partition; without it the record is looked up by escalation id across
   * partitions. Throws StorageUnavailableError only when neither the store nor the spool holds it.
   */
  async acknowledge(escalationId: string, personId: string | undefined, by: string, now: Date = this.clock()): Promise<AcknowledgeResult> {
    if (!ID_PATTERN.test(escalationId)) return { outcome: 'not_found' };
    const who = (by || 'unknown').replace(/\s+/g, ' ').trim().slice(0, 100);
    try {
      const partition = personId ?? (await this.findPartition(escalationId));
      if (!partition) return await this.acknowledgeInSpool(escalationId, who, now);
      for (let round = 0; round < 8; round++) {
        const doc = await withTimeout(this.store.get<OutboxRecord>(OUTBOX_COLLECTION, partition, escalationId), this.storeTimeoutMs, 'outbox get');
        if (!doc) return await this.acknowledgeInSpool(escalationId, who, now);
        const d = doc.body.delivery;
        if (d.status === 'acknowledged') {
          return { outcome: 'already', escalation: doc.body.escalation, acknowledgedAt: d.acknowledgedAt ?? '', acknowledgedBy: d.acknowledgedBy ?? '' };
        }
        const delivery = markAcknowledged(d, who, now);
        // A live claim is left in place: its holder's finalise then fails its CAS, re-reads and keeps this ack.
        const claim = liveClaim(doc.body, now);
        try {
          await withTimeout(
            this.store.replace(OUTBOX_COLLECTION, partition, escalationId, seal({ ...doc.body, delivery }, now, this.timing, claim), doc.etag),
            this.storeTimeoutMs,
            'outbox ack',
          );
        } catch (error) {
          if (error instanceof PreconditionFailedError) continue;
          if (error instanceof NotFoundError) return { outcome: 'not_found' };
          throw error;
        }
        this.log.info('escalation_acknowledged', { escalationId });
        return { outcome: 'acknowledged', escalation: doc.body.escalation, acknowledgedAt: delivery.acknowledgedAt as string, acknowledgedBy: who };
      }
      throw new StorageUnavailableError('acknowledge: too many concurrent writes');
    } catch (error) {
      if (error instanceof PreconditionFailedError || error instanceof NotFoundError) throw error;
      // Store unreachable: the spool may still hold the record (written during the same outage).
      const spooled = await this.acknowledgeInSpool(escalationId, who, now).catch(() => undefined);
      if (spooled && spooled.outcome !== 'not_found') return spooled;
      throw error instanceof StorageUnavailableError ? error : new StorageUnavailableError('acknowledge: store unavailable', { cause: error });
    }
  }

  // -------------------------------------------------------------------------------------------

  /** Takes the id's in-process lock, or undefined when another operation holds it. */
  private tryLock(id: string): (() => void) | undefined {
    if (this.locks.has(id)) return undefined;
    let release!: () => void;
    this.locks.set(id, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.locks.delete(id);
      release();
    };
  }

  /** Waits for the id's in-process lock (an acknowledgement must not be skipped, only delayed). */
  private async lock(id: string): Promise<() => void> {
    for (;;) {
      const release = this.tryLock(id);
      if (release) return release;
      await this.locks.get(id);
    }
  }

  private get timing(): Timing {
    return { ackMinutes: this.ackMinutes, maxReminders: this.maxReminders, giveUpAfterMs: this.giveUpAfterMs };
  }

  private async processDue(doc: StoredDocument<OutboxRecord>, now: Date): Promise<DeliveryState | 'skipped' | 'idle'> {
    const id = doc.id;
    if (liveClaim(doc.body, now)) return 'skipped';
    const release = this.tryLock(id);
    if (!release) return 'skipped';
    try {
      if (!hasWork(doc.body, now, this.timing)) {
        // Stale dueAt (e.g. an expired lease after the work was done elsewhere): refresh it, best effort.
        await withTimeout(this.store.replace(OUTBOX_COLLECTION, doc.partitionKey, id, seal(doc.body, now, this.timing), doc.etag), this.storeTimeoutMs, 'outbox refresh').catch(
          () => undefined,
        );
        return 'idle';
      }
      let claimed: StoredDocument<OutboxRecord>;
      try {
        const body = seal(doc.body, now, this.timing, { by: this.instanceId, until: addMs(now, this.claimLeaseMs) });
        claimed = await withTimeout(this.store.replace(OUTBOX_COLLECTION, doc.partitionKey, id, body, doc.etag), this.storeTimeoutMs, 'outbox claim');
      } catch (error) {
        if (!(error instanceof PreconditionFailedError || error instanceof NotFoundError)) {
          this.log.warn('escalation_claim_failed', { escalationId: id, error: errorKind(error) });
        }
        return 'skipped';
      }
      return await this.runClaimed(claimed, now);
    } finally {
      release();
    }
  }

  /** Does the due work of a record this instance has claimed, then writes the result and releases the claim. */
  private async runClaimed(claimed: StoredDocument<OutboxRecord>, now: Date): Promise<DeliveryState> {
    const id = claimed.id;
    let body = claimed.body;
    // This process may have spooled the same escalation during an outage (e.g. its create timed
    // out but landed): what the spool knows, such as a direct delivery, must count before sending.
    const spooled = await this.spool.read(id).catch(() => undefined);
    if (spooled) body = { ...body, delivery: mergeDeliveryStates(body.delivery, spooled.delivery) };
    const delivery = await this.progress(body, now);
    const saved = await this.finalise(claimed, delivery, now);
    if (saved && spooled) await this.spool.remove(id).catch(() => undefined);
    if (!saved) {
      // The result must not be lost: keep it locally until drainSpool can merge it.
      await this.spool.write(seal({ ...body, delivery }, now, this.timing)).catch((error) =>
        this.log.error('escalation_result_not_durable', { escalationId: id, error: errorKind(error) }),
      );
    }
    return delivery;
  }

  /** Writes our result over the claimed record; on a concurrent write (an ack), re-reads and merges. */
  private async finalise(claimed: StoredDocument<OutboxRecord>, delivery: DeliveryState, now: Date): Promise<boolean> {
    let current: StoredDocument<OutboxRecord> = claimed;
    for (let round = 0; round < 6; round++) {
      const merged = round === 0 ? delivery : mergeDeliveryStates(current.body.delivery, delivery);
      const others = current.body.claimedBy !== this.instanceId ? liveClaim(current.body, now) : undefined;
      const body = seal({ ...current.body, delivery: merged }, now, this.timing, others);
      try {
        await withTimeout(this.store.replace(OUTBOX_COLLECTION, current.partitionKey, current.id, body, current.etag), this.storeTimeoutMs, 'outbox finalise');
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return true; // erased meanwhile (person's data deleted): nothing to keep
        if (!(error instanceof PreconditionFailedError)) {
          this.log.warn('escalation_finalise_failed', { escalationId: current.id, error: errorKind(error) });
          return false;
        }
      }
      try {
        const fresh = await withTimeout(this.store.get<OutboxRecord>(OUTBOX_COLLECTION, current.partitionKey, current.id), this.storeTimeoutMs, 'outbox get');
        if (!fresh) return true;
        current = fresh;
      } catch (error) {
        this.log.warn('escalation_finalise_failed', { escalationId: current.id, error: errorKind(error) });
        return false;
      }
    }
    return false;
  }

  /** The work a record needs now: one alert pass, or one reminder. Returns the new delivery state. */
  private async progress(record: OutboxRecord, now: Date): Promise<DeliveryState> {
    const d = record.delivery;
    if (d.status === 'acknowledged') return d;
    if (!d.deliveredAt) {
      if (d.nextAttemptAt > now.toISOString() || pastGiveUp(record, d.nextAttemptAt, this.giveUpAfterMs)) return d;
      return this.alertPass(record, now);
    }
    if (needsReminder(d, now, this.ackMinutes, this.maxReminders)) return this.reminderPass(record, now);
    return d;
  }

  private async alertPass(record: OutboxRecord, now: Date): Promise<DeliveryState> {
    const { escalation } = record;
    let d = record.delivery;
    const reasons: string[] = [];
    let primaryRefused = false;
    if (!d.primaryFailed) {
      const r = await this.send(this.primary, { kind: 'alert', escalation, destination: 'primary' });
      if (r.delivered) {
        this.log.info('escalation_delivered', { escalationId: escalation.id, destination: 'primary', notifier: this.primary.name, attempts: d.attempts + 1 });
        return markDelivered(d, now, 'primary', r.channelMessageId);
      }
      primaryRefused = !r.retryable;
      reasons.push(`primary ${r.reason}`);
    }
    const primaryOut = d.primaryFailed || primaryRefused;
    let backupRefused = false;
    if (primaryOut || d.attempts + 1 >= this.fallbackAfterAttempts) {
      const r = await this.send(this.backup, { kind: 'alert', escalation, destination: 'backup' });
      if (r.delivered) {
        this.log.warn('escalation_delivered_to_backup', { escalationId: escalation.id, notifier: this.backup.name, attempts: d.attempts + 1, primaryRefused: primaryOut });
        if (primaryRefused) d = { ...d, primaryFailed: true, lastError: sanitizeError(reasons.join('; ')) };
        return markDelivered(d, now, 'backup', r.channelMessageId);
      }
      backupRefused = !r.retryable;
      reasons.push(`backup ${r.reason}`);
    }
    const permanent = primaryOut && backupRefused;
    d = markAttemptFailed(d, now, reasons.join('; '), { primaryRefused, permanent, jitter: jitterOf(`${escalation.id}:${d.attempts}`) });
    if (pastGiveUp(record, d.nextAttemptAt, this.giveUpAfterMs)) {
      d = { ...d, status: 'failed', failedAt: d.failedAt ?? now.toISOString() };
      this.log.error('escalation_abandoned', { escalationId: escalation.id, attempts: d.attempts, reason: d.lastError });
    } else {
      const fields = { escalationId: escalation.id, attempts: d.attempts, status: d.status, reason: d.lastError, nextAttemptAt: d.nextAttemptAt };
      if (permanent) this.log.error('escalation_undeliverable', fields);
      else this.log.warn('escalation_delivery_failed', fields);
    }
    return d;
  }

  private async reminderPass(record: OutboxRecord, now: Date): Promise<DeliveryState> {
    const { escalation } = record;
    const d = record.delivery;
    const sequence = d.remindersSent + 1;
    let r = await this.send(this.backup, { kind: 'reminder', escalation, destination: 'backup', sequence });
    let reason = r.delivered ? '' : `backup ${r.reason}`;
    if (!r.delivered && !r.retryable) {
      // The backup refuses for good: remind where the alert was seen rather than not at all.
      r = await this.send(this.primary, { kind: 'reminder', escalation, destination: 'primary', sequence });
      if (!r.delivered) reason += `; primary ${r.reason}`;
    }
    if (r.delivered) {
      this.log.warn('escalation_reminder_sent', { escalationId: escalation.id, sequence });
      return markReminderSent(d, now);
    }
    this.log.warn('escalation_reminder_failed', { escalationId: escalation.id, sequence, reason: sanitizeError(reason) });
    return markReminderFailed(d, now, reason);
  }

  /** A notifier call that cannot throw or hang the pass. */
  private async send(notifier: EscalationNotifier, message: EscalationMessage): Promise<DeliveryResult> {
    try {
      const result = await withTimeout(notifier.deliver(message), this.notifierTimeoutMs, `${notifier.name} deliver`, 'notifier');
      if (result && typeof result === 'object' && typeof result.delivered === 'boolean') return result;
      return { delivered: false, retryable: true, reason: `${notifier.name} bad result` };
    } catch (error) {
      return { delivered: false, retryable: true, reason: `${notifier.name} threw ${errorKind(error)}` };
    }
  }

  /** Store unreachable at enqueue: keep the record locally first, then alert without waiting for the store. */
  private async spoolAndDeliver(record: OutboxRecord, now: Date): Promise<EnqueueResult> {
    const id = record.escalationId;
    let durable = true;
    await this.spool.write(record).catch((error) => {
      durable = false;
      this.log.error('escalation_spool_write_failed', { escalationId: id, error: errorKind(error) });
    });
    const delivery = await this.progress(record, now);
    await this.spool.write(seal({ ...record, delivery }, now, this.timing)).catch((error) => {
      durable = false;
      this.log.error('escalation_spool_write_failed', { escalationId: id, error: errorKind(error) });
    });
    if (!durable) this.log.error('escalation_not_durable', { escalationId: id, delivered: Boolean(delivery.deliveredAt) });
    return { outcome: 'spooled', status: delivery.status, delivered: Boolean(delivery.deliveredAt) };
  }

  private async drainOne(id: string, now: Date, summary: DrainSummary): Promise<void> {
    let record: OutboxRecord | undefined;
    try {
      record = await this.spool.read(id);
    } catch {
      summary.corrupt++;
      await this.spool.quarantine(id).catch(() => undefined);
      this.log.error('escalation_spool_corrupt', { escalationId: id });
      return;
    }
    if (!record) return;
    const clean = seal(record, now, this.timing);
    let storeDown = false;
    try {
      await withTimeout(this.store.create(OUTBOX_COLLECTION, clean.personId, id, clean), this.storeTimeoutMs, 'outbox create');
      await this.spool.remove(id);
      summary.stored++;
      this.log.info('escalation_spool_drained', { escalationId: id });
      return;
    } catch (error) {
      if (error instanceof ConflictError) {
        if (await this.mergeIntoStore(clean, now)) {
          await this.spool.remove(id);
          summary.merged++;
          return;
        }
      } else {
        storeDown = true;
        this.log.warn('escalation_spool_still_waiting', { escalationId: id, error: errorKind(error) });
      }
    }
    summary.remaining++;
    // The store is still out: the spool alone keeps the alert (and its reminders) moving. (After a
    // conflict the store's copy drives the work; sending from here too could send it twice.)
    if (storeDown && hasWork(clean, now, this.timing)) {
      const delivery = await this.progress(clean, now);
      if (!clean.delivery.deliveredAt && delivery.deliveredAt) summary.delivered++;
      await this.spool.write(seal({ ...clean, delivery }, now, this.timing)).catch((e) =>
        this.log.error('escalation_spool_write_failed', { escalationId: id, error: errorKind(e) }),
      );
    }
  }

  private async mergeIntoStore(spooled: OutboxRecord, now: Date): Promise<boolean> {
    for (let round = 0; round < 6; round++) {
      try {
        const doc = await withTimeout(this.store.get<OutboxRecord>(OUTBOX_COLLECTION, spooled.personId, spooled.escalationId), this.storeTimeoutMs, 'outbox get');
        if (!doc) return false; // erased between create and get: retry the create on the next drain
        const delivery = mergeDeliveryStates(doc.body.delivery, spooled.delivery);
        // Our own claim (from the enqueue write that landed late) ends here; someone else's live one stays.
        const claim = doc.body.claimedBy === this.instanceId ? undefined : liveClaim(doc.body, now);
        await withTimeout(
          this.store.replace(OUTBOX_COLLECTION, doc.partitionKey, doc.id, seal({ ...doc.body, delivery }, now, this.timing, claim), doc.etag),
          this.storeTimeoutMs,
          'outbox merge',
        );
        this.log.info('escalation_spool_merged', { escalationId: spooled.escalationId });
        return true;
      } catch (error) {
        if (error instanceof PreconditionFailedError) continue;
        this.log.warn('escalation_spool_merge_failed', { escalationId: spooled.escalationId, error: errorKind(error) });
        return false;
      }
    }
    return false;
  }

  private async findPartition(escalationId: string): Promise<string | undefined> {
    const docs = await withTimeout(
      this.store.query<OutboxRecord>(OUTBOX_COLLECTION, { fieldEquals: { field: 'escalationId', value: escalationId }, limit: 1 }),
      this.storeTimeoutMs,
      'outbox query',
    );
    return docs[0]?.partitionKey;
  }

  private async acknowledgeInSpool(escalationId: string, by: string, now: Date): Promise<AcknowledgeResult> {
    // Under the id's lock: a drain running now would otherwise remove the file with the ack in it.
    const release = await this.lock(escalationId);
    try {
      const record = await this.spool.read(escalationId).catch(() => undefined);
      if (!record) return { outcome: 'not_found' };
      const d = record.delivery;
      if (d.status === 'acknowledged') {
        return { outcome: 'already', escalation: record.escalation, acknowledgedAt: d.acknowledgedAt ?? '', acknowledgedBy: d.acknowledgedBy ?? '' };
      }
      const delivery = markAcknowledged(d, by, now);
      await this.spool.write(seal({ ...record, delivery }, now, this.timing));
      return { outcome: 'acknowledged', escalation: record.escalation, acknowledgedAt: delivery.acknowledgedAt as string, acknowledgedBy: by };
    } finally {
      release();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Record helpers (exported for tests and operations tools)

interface Timing {
  readonly ackMinutes: number;
  readonly maxReminders: number;
  readonly giveUpAfterMs: number;
}

export function newRecord(escalation: Escalation, now: Date): OutboxRecord {
  const delivery = initialDeliveryState(now);
  return {
    type: 'escalation',
    schemaVersion: 1,
    escalationId: escalation.id,
    personId: escalation.personId,
    status: delivery.status,
    escalation,
    delivery,
    updatedAt: now.toISOString(),
  };
}

/**
 * Derives the top-level fields from the delivery state. With a claim, `dueAt` is the lease end, so
 * other instances' queries do not even return the record until the lease runs out.
 */
export function seal(
  record: OutboxRecord,
  now: Date,
  timing: Timing,
  claim?: { readonly by: string; readonly until: string },
): OutboxRecord {
  const { dueAt: _due, claimedBy: _by, claimedUntil: _until, ...rest } = record;
  const dueAt = claim ? claim.until : dueAtOf(record, timing);
  return {
    ...rest,
    status: record.delivery.status,
    updatedAt: now.toISOString(),
    ...(dueAt ? { dueAt } : {}),
    ...(claim ? { claimedBy: claim.by, claimedUntil: claim.until } : {}),
  };
}

function dueAtOf(record: OutboxRecord, timing: Timing): string | undefined {
  const d = record.delivery;
  if (d.status === 'acknowledged') return undefined;
  if (!d.deliveredAt) return pastGiveUp(record, d.nextAttemptAt, timing.giveUpAfterMs) ? undefined : d.nextAttemptAt;
  return nextReminderAt(d, timing.ackMinutes, timing.maxReminders);
}

function hasWork(record: OutboxRecord, now: Date, timing: Timing): boolean {
  const due = dueAtOf(record, timing);
  return due !== undefined && due <= now.toISOString();
}

function pastGiveUp(record: OutboxRecord, at: string, giveUpAfterMs: number): boolean {
  return Date.parse(at) > Date.parse(record.escalation.createdAt) + giveUpAfterMs;
}

function liveClaim(record: OutboxRecord, now: Date): { by: string; until: string } | undefined {
  return record.claimedBy && record.claimedUntil && record.claimedUntil > now.toISOString()
    ? { by: record.claimedBy, until: record.claimedUntil }
    : undefined;
}

function addMs(date: Date, ms: number): string {
  return new Date(date.getTime() + ms).toISOString();
}

class NotifierTimeoutError extends Error {
  override readonly name = 'NotifierTimeoutError';
}

/** A store call past its bound counts as unavailable; a notifier call past its bound as a timeout. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string, kind: 'store' | 'notifier' = 'store'): Promise<T> {
  const message = `${what} timed out after ${ms} ms`;
  return withDeadline(promise, ms, () => (kind === 'store' ? new StorageUnavailableError(message) : new NotifierTimeoutError(message)));
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------
// Spool: one JSON file per escalation, written atomically (temp file, fsync, rename).

const SPOOL_FILE = /^([A-Za-z0-9_-]{1,128})\.json$/;
const TEMP_MAX_AGE_MS = 60 * 60_000;

export class Spool {
  constructor(private readonly dir: string) {}

  private path(id: string): string {
    if (!ID_PATTERN.test(id)) throw new TypeError('spool: malformed id');
    return join(this.dir, `${id}.json`);
  }

  async has(id: string): Promise<boolean> {
    try {
      await fsp.access(this.path(id));
      return true;
    } catch {
      return false;
    }
  }

  /** Undefined when absent; throws on an unreadable file (the caller quarantines it). */
  async read(id: string): Promise<OutboxRecord | undefined> {
    let raw: string;
    try {
      raw = await fsp.readFile(this.path(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const record = JSON.parse(raw) as OutboxRecord;
    if (record?.type !== 'escalation' || record.escalationId !== id || !record.delivery || !record.escalation) throw new Error('spool: unexpected content');
    return record;
  }

  async write(record: OutboxRecord): Promise<void> {
    const target = this.path(record.escalationId);
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `.${record.escalationId}.${process.pid}.${randomUUID()}.tmp`);
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(record), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await syncDir(this.dir);
  }

  async remove(id: string): Promise<void> {
    await fsp.rm(this.path(id), { force: true });
    await syncDir(this.dir);
  }

  /** Kept aside (never deleted) for a person to look at; it no longer blocks the drain. */
  async quarantine(id: string): Promise<void> {
    await fsp.rename(this.path(id), `${this.path(id)}.corrupt-${Date.now()}`);
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const ids: string[] = [];
    for (const name of names.sort()) {
      const match = SPOOL_FILE.exec(name);
      if (match) ids.push(match[1]);
      else if (name.endsWith('.tmp')) await removeIfOld(join(this.dir, name));
    }
    return ids;
  }
}

async function removeIfOld(path: string): Promise<void> {
  try {
    const stat = await fsp.stat(path);
    if (Date.now() - stat.mtimeMs > TEMP_MAX_AGE_MS) await fsp.rm(path, { force: true });
  } catch {
    // gone already
  }
}

/** Makes the rename itself durable; not every platform allows opening a directory, hence best effort. */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
