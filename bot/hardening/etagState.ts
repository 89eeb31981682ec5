/**
 * Optimistic concurrency for a turn's state writes — a drop-in for ConversationState, UserState and
 * BotFrameworkStorage (same documents, same keys: existing data is read as it is).
 *
 * Out of the box BotState saves with eTag '*': when two turns of one person run at once (two
 * instances behind a load balancer, a double tap, two devices), the last writer silently wins and
 * the other turn's answer is gone. Here:
 *
 * - `OptimisticStorage` writes conditionally: the eTag read at load (replace), a create-only
 *   marker for a document that did not exist (create), and gives the new eTag back to the caller.
 * - `EtagConversationState` / `EtagUserState` keep the eTag they loaded and write with it.
 * - On a conflict the two scopes are treated differently, on purpose:
 *   * conversation state (the dialog stack) cannot be merged — two stacks that moved apart have no
 *     meaningful union — so the turn is RE-RUN once against the fresh state: its replies were
 *     held back (`OptimisticTurns`), they are dropped, the activity is processed again and only the
 *     second run's replies go out. The person sees one consistent answer, as if the two messages
 *     had come one after the other. A second conflict (pathological contention) drops the replies
 *     and fails the turn: the adapter's error reply tells the person to send it again.
 *   * user state (the profile: language, consents, time zone…) is MERGED field by field: the
 *     changes this turn made since it loaded (a three-way diff against what it loaded) are applied
 *     to what is stored now; the other turn's changes to other fields stay. Both answers are kept.
 *     If the document is gone (the person erased their data meanwhile) nothing is written back:
 *     an erasure is never undone by a turn in flight.
 * - The crisis path is never held: the safety middleware answers before the turn runs, and a crisis
 *   a dialog declares releases the held replies at once (on the `handoff.initiate` event the crisis
 *   path sends right after the crisis lines). After such an early release a conversation-state
 *   conflict cannot be re-run; it is written over ('*', as before) with a warning.
 * - Within one process, turns of one conversation are also serialised (a keyed mutex), so
 *   conflicts only arise between instances.
 *
 * Side effects in other documents (plan, safety plan…) are not rolled back by a re-run; the
 * repositories are idempotent for the same input (an item added twice is kept once) or merge.
 */
import { ConversationState, UserState, type BotState, type Activity, type ResourceResponse, type Storage, type StoreItems, type TurnContext } from 'botbuilder';
import { KeyedMutex } from '../../adapters/storage/keyedMutex';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  type DocumentStore,
} from '../../core/ports/documentStore';
import { errorKind, silentLogger, type Logger } from '../observability/logger';
import { turnLogger } from './correlation';
import { conversationKeyOf } from '../turnKeys';

/** eTag value meaning "create this document; fail if it exists". */
export const CREATE_ONLY_ETAG = '\u0000create-only';

const COLLECTION = 'state';

/** Another turn wrote the same state since this one loaded it. */
export class StateConflictError extends StorageError {}

// ─── Storage ─────────────────────────────────────────────────────────────────────────────────

export interface OptimisticStorageOptions {
  /** As BotFrameworkStorage's: must depend on the key alone. Default: the key itself. */
  readonly partitionKeyFor?: (key: string) => string;
}

/**
 * BotFrameworkStorage's documents with conditional writes: an item whose eTag is a stored eTag is
 * replaced only if unchanged (a deleted document counts as changed), CREATE_ONLY_ETAG creates,
 * '*' or none upserts. On success the item's `eTag` is set to the new one, so a BotState that
 * passed its cached object keeps writing with the right eTag.
 */
export class OptimisticStorage implements Storage {
  private readonly partitionKeyFor: (key: string) => string;

  constructor(
    private readonly store: DocumentStore,
    options: OptimisticStorageOptions = {},
  ) {
    this.partitionKeyFor = options.partitionKeyFor ?? ((key) => key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    const docs = await Promise.all(keys.map((key) => this.store.get<Record<string, unknown>>(COLLECTION, this.partitionKeyFor(key), key)));
    const items: StoreItems = {};
    docs.forEach((doc, i) => {
      if (doc) items[keys[i]] = { ...doc.body, eTag: doc.etag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    await Promise.all(Object.entries(changes).map(([key, change]) => this.writeOne(key, change as Record<string, unknown>)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(keys.map((key) => this.store.delete(COLLECTION, this.partitionKeyFor(key), key)));
  }

  private async writeOne(key: string, change: Record<string, unknown> | null | undefined): Promise<void> {
    const item = change ?? {};
    const { eTag, ...body } = item;
    const partitionKey = this.partitionKeyFor(key);
    let written;
    try {
      if (eTag === CREATE_ONLY_ETAG) written = await this.store.create(COLLECTION, partitionKey, key, body);
      else if (typeof eTag === 'string' && eTag !== '*' && eTag !== '') written = await this.store.replace(COLLECTION, partitionKey, key, body, eTag);
      else written = await this.store.upsert(COLLECTION, partitionKey, key, body);
    } catch (error) {
      if (error instanceof ConflictError) throw new PreconditionFailedError('State item was created since it was read', { cause: error });
      if (error instanceof NotFoundError) throw new PreconditionFailedError('State item was deleted since it was read', { cause: error });
      throw error;
    }
    if (change) change.eTag = written.etag;
  }
}

// ─── Held replies ───────────────────────────────────────────────────────────────────────────

const HOLD = Symbol('petitsPas.replyHold');

type SendNext = () => Promise<ResourceResponse[]>;

/** Holds a turn's outgoing activities until its state is saved; see OptimisticTurns. */
class ReplyHold {
  private held: SendNext[] = [];
  private holding = false;
  /** The crisis path released the replies before the state was saved: no re-run is possible. */
  releasedEarly = false;

  static of(context: TurnContext): ReplyHold | undefined {
    return context.turnState.get(HOLD) as ReplyHold | undefined;
  }

  static install(context: TurnContext): ReplyHold {
    const existing = ReplyHold.of(context);
    if (existing) return existing;
    const hold = new ReplyHold();
    context.turnState.set(HOLD, hold);
    context.onSendActivities(async (_ctx, activities, next) => hold.onSend(activities, next));
    return hold;
  }

  begin(): void {
    this.held = [];
    this.holding = true;
  }

  discard(): void {
    this.held = [];
  }

  /** Drops what is held and stops holding: what follows (the adapter's error reply) goes out. */
  abandon(): void {
    this.held = [];
    this.holding = false;
  }

  async release(): Promise<void> {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const send of held) await send();
  }

  private async onSend(activities: Partial<Activity>[], next: SendNext): Promise<ResourceResponse[]> {
    if (!this.holding) return next();
    if (activities.some((a) => a.type === 'event' && a.name === 'handoff.initiate')) {
      // A crisis declared inside the turn: the crisis lines (held just before) go out now.
      this.releasedEarly = true;
      await this.release();
      return next();
    }
    this.held.push(next);
    return activities.map(() => ({ id: '' }));
  }
}

// ─── States ─────────────────────────────────────────────────────────────────────────────────

interface Snapshot {
  /** The cached state object this snapshot describes. */
  ref: Record<string, unknown>;
  /** Its JSON (eTag aside) when loaded or last written: a change shows as a different text. */
  json: string;
  /** The JSON of what was loaded (or last written), for the three-way merge. */
  baseJson: string;
  /** The stored eTag, undefined when the document did not exist. */
  etag?: string;
}

const SNAPSHOTS = Symbol('petitsPas.etagSnapshots');
const STALE = Symbol('petitsPas.etagStale');
const COMMITTED = Symbol('petitsPas.etagCommitted');

type Scope = 'conversation' | 'user';

export interface EtagStateOptions {
  readonly namespace?: string;
  readonly logger?: Logger;
  /** User state: merge attempts under contention before giving up. Default 3. */
  readonly maxMergeAttempts?: number;
}

function snapshots(context: TurnContext): Map<object, Snapshot> {
  let map = context.turnState.get(SNAPSHOTS) as Map<object, Snapshot> | undefined;
  if (!map) {
    map = new Map();
    context.turnState.set(SNAPSHOTS, map);
  }
  return map;
}

function staleSet(context: TurnContext): Set<object> {
  let set = context.turnState.get(STALE) as Set<object> | undefined;
  if (!set) {
    set = new Set();
    context.turnState.set(STALE, set);
  }
  return set;
}

/**
 * The state's JSON without its eTag. Plain JSON.stringify, not Bot Framework's change hash (a
 * replacer, then SHA-256): the text is both the change test and the merge base, for a third of
 * the cost. A key order changed in place at most costs one unneeded write.
 */
function stateJson(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

function snapshotOf(state: Record<string, unknown>): Snapshot {
  const etag = typeof state.eTag === 'string' && state.eTag !== '*' && state.eTag !== CREATE_ONLY_ETAG ? state.eTag : undefined;
  const json = stateJson(state);
  return { ref: state, json, baseJson: json, etag };
}

/** The machinery both state classes share; `owner` is the BotState subclass instance. */
class EtagMachinery {
  private readonly logger: Logger;
  private readonly maxMergeAttempts: number;

  constructor(
    private readonly owner: ConversationState | UserState,
    private readonly scope: Scope,
    private readonly storage: Storage,
    options: EtagStateOptions,
  ) {
    if (!(storage instanceof OptimisticStorage)) throw new TypeError('Etag states need an OptimisticStorage (it reports the new eTag after a write)');
    this.logger = options.logger ?? silentLogger;
    this.maxMergeAttempts = Math.max(1, options.maxMergeAttempts ?? 3);
  }

  /** Force a fresh read on this state's next load in this turn (before a re-run). */
  invalidate(context: TurnContext): void {
    staleSet(context).add(this.owner);
    snapshots(context).delete(this.owner);
  }

  takeStale(context: TurnContext): boolean {
    return staleSet(context).delete(this.owner);
  }

  afterLoad(context: TurnContext, state: Record<string, unknown>): void {
    const map = snapshots(context);
    const existing = map.get(this.owner);
    if (!existing || existing.ref !== state) map.set(this.owner, snapshotOf(state));
  }

  afterClear(context: TurnContext, state: Record<string, unknown> | undefined): void {
    const map = snapshots(context);
    const existing = map.get(this.owner);
    // Cleared, not deleted: the stored document (and its eTag) is still the one to replace.
    if (state) map.set(this.owner, { ref: state, json: '', baseJson: existing?.baseJson ?? '{}', etag: existing?.etag });
  }

  afterDelete(context: TurnContext): void {
    snapshots(context).delete(this.owner);
  }

  async save(context: TurnContext, key: string, state: Record<string, unknown> | undefined, force: boolean): Promise<void> {
    const map = snapshots(context);
    const snap = map.get(this.owner);
    const changed = state !== undefined && (!snap || snap.ref !== state || stateJson(state) !== snap.json);
    if (!force && !changed) return;
    const target = state ?? {};
    try {
      await this.write(key, target, snap?.etag);
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      if (this.scope === 'conversation') await this.conversationConflict(context, key, target);
      else await this.mergeUser(context, key, target, snap);
    }
    map.set(this.owner, snapshotOf(target));
    context.turnState.set(COMMITTED, true);
  }

  private async write(key: string, target: Record<string, unknown>, etag: string | undefined): Promise<void> {
    target.eTag = etag ?? CREATE_ONLY_ETAG;
    try {
      await this.storage.write({ [key]: target });
    } catch (error) {
      target.eTag = etag;
      throw error;
    }
  }

  private async conversationConflict(context: TurnContext, key: string, target: Record<string, unknown>): Promise<void> {
    const hold = ReplyHold.of(context);
    if (hold && !hold.releasedEarly && !context.turnState.get(COMMITTED)) {
      throw new StateConflictError('conversation state changed since this turn read it');
    }
    // Replies already out (crisis) or no runner around this turn: the old behaviour, said aloud.
    turnLogger(context, this.logger).warn('state_conflict_overwritten', { scope: this.scope, reason: hold ? 'replies_released' : 'no_runner' });
    target.eTag = '*';
    await this.storage.write({ [key]: target });
  }

  private async mergeUser(context: TurnContext, key: string, target: Record<string, unknown>, snap: Snapshot | undefined): Promise<void> {
    const log = turnLogger(context, this.logger);
    const ours = cloneWithoutEtag(target);
    const base = snap ? (JSON.parse(snap.baseJson) as Record<string, unknown>) : {};
    for (let attempt = 1; attempt <= this.maxMergeAttempts; attempt++) {
      const fresh = (await this.storage.read([key]))[key] as Record<string, unknown> | undefined;
      if (!fresh && snap?.etag) {
        // Erased since we read it: writing back would undo the erasure.
        log.warn('state_dropped_after_erasure', { scope: this.scope });
        replaceContents(target, {});
        target.eTag = undefined;
        return;
      }
      const merged = mergeThreeWay(base, ours, fresh ? cloneWithoutEtag(fresh) : {}) as Record<string, unknown>;
      replaceContents(target, merged);
      try {
        await this.write(key, target, fresh ? (fresh.eTag as string) : undefined);
        log.info('state_conflict_merged', { scope: this.scope, attempt });
        return;
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
    throw new StateConflictError(`${this.scope} state still contended after ${this.maxMergeAttempts} merges`);
  }
}

/** What the eTag states add to Bot Framework's own: the runner's hook before a re-run. */
export interface EtagState {
  /** @internal */
  invalidate(context: TurnContext): void;
}

type StateClass<T extends BotState> = new (storage: Storage, namespace?: string) => T;
type EtagStateClass<T extends BotState> = new (storage: Storage, options?: EtagStateOptions) => T & EtagState;

/**
 * One eTag behaviour on top of either Bot Framework state class: load remembers what was read,
 * save writes with the eTag it read (EtagMachinery decides what a conflict does for the scope).
 */
function withEtags<T extends ConversationState | UserState>(Base: StateClass<T>, scope: Scope): EtagStateClass<T> {
  // Typed as ConversationState only to reach the protected storageKey; at run time it is Base.
  const Plain = Base as unknown as StateClass<ConversationState>;
  class WithEtags extends Plain implements EtagState {
    private readonly machinery: EtagMachinery;

    constructor(storage: Storage, options: EtagStateOptions = {}) {
      super(storage, options.namespace ?? '');
      this.machinery = new EtagMachinery(this, scope, storage, options);
    }

    override async load(context: TurnContext, force = false): Promise<any> {
      const state = await super.load(context, force || this.machinery.takeStale(context));
      this.machinery.afterLoad(context, state);
      return state;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
      await this.machinery.save(context, await this.storageKey(context), this.get(context), force);
    }

    override async clear(context: TurnContext): Promise<void> {
      await super.clear(context);
      this.machinery.afterClear(context, this.get(context));
    }

    override async delete(context: TurnContext): Promise<void> {
      await super.delete(context);
      this.machinery.afterDelete(context);
    }

    invalidate(context: TurnContext): void {
      this.machinery.invalidate(context);
    }
  }
  return WithEtags as unknown as EtagStateClass<T>;
}

/** ConversationState that writes with the eTag it read; a conflict re-runs the turn (OptimisticTurns). */
export const EtagConversationState = withEtags(ConversationState, 'conversation');
export type EtagConversationState = ConversationState & EtagState;

/** UserState that writes with the eTag it read; a conflict is merged field by field. */
export const EtagUserState = withEtags(UserState, 'user');
export type EtagUserState = UserState & EtagState;

// ─── Turn runner ────────────────────────────────────────────────────────────────────────────

export interface OptimisticTurnsOptions {
  /** Every Etag state the turn uses (their caches are refreshed before a re-run). */
  readonly states: ReadonlyArray<EtagConversationState | EtagUserState>;
  readonly logger?: Logger;
  /** Re-runs after a conflict. Default 1. */
  readonly maxRetries?: number;
  /** Serialise turns of one conversation inside this process. Default true. */
  readonly serializePerConversation?: boolean;
}

/**
 * Runs a turn with its replies held until its state is saved; on a conversation-state conflict,
 * drops them and runs the turn again on fresh state (see the top of this file).
 */
export class OptimisticTurns {
  private readonly logger: Logger;
  private readonly maxRetries: number;
  private readonly mutex?: KeyedMutex;
  /** Counters for tests and benchmarks. */
  readonly counts = { turns: 0, retried: 0, failed: 0 };

  constructor(private readonly options: OptimisticTurnsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.maxRetries = Math.max(0, options.maxRetries ?? 1);
    this.mutex = options.serializePerConversation === false ? undefined : new KeyedMutex();
  }

  run(context: TurnContext, turn: (context: TurnContext) => Promise<void>): Promise<void> {
    this.counts.turns += 1;
    return this.mutex ? this.mutex.run(conversationKeyOf(context), () => this.attempt(context, turn)) : this.attempt(context, turn);
  }

  private async attempt(context: TurnContext, turn: (context: TurnContext) => Promise<void>): Promise<void> {
    const hold = ReplyHold.install(context);
    const log = turnLogger(context, this.logger);
    for (let attempt = 0; ; attempt++) {
      hold.begin();
      context.turnState.set(COMMITTED, false);
      try {
        await turn(context);
      } catch (error) {
        const conflict = error instanceof StateConflictError;
        const rerunnable = conflict && !hold.releasedEarly && !context.turnState.get(COMMITTED);
        if (rerunnable && attempt < this.maxRetries) {
          hold.discard();
          for (const state of this.options.states) state.invalidate(context);
          this.counts.retried += 1;
          log.info('turn_conflict_retried', { attempt: attempt + 1 });
          continue;
        }
        if (rerunnable) {
          // Replies computed on a stale state, and the state was not saved: say nothing of them;
          // the adapter's error reply (which does go out) asks the person to send it again.
          hold.abandon();
          this.counts.failed += 1;
          log.warn('turn_conflict_gave_up', { attempts: attempt + 1 });
        } else {
          await hold.release().catch((sendError: unknown) => log.warn('held_replies_failed', { error: errorKind(sendError) }));
        }
        throw error;
      }
      await hold.release();
      return;
    }
  }
}

// ─── Merge ──────────────────────────────────────────────────────────────────────────────────

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Three-way merge of JSON values: where `ours` differs from `base` ours wins, elsewhere `theirs`
 * stays; plain objects are merged key by key at any depth, arrays and scalars are values.
 */
export function mergeThreeWay(base: unknown, ours: unknown, theirs: unknown): unknown {
  if (sameJson(ours, base)) return theirs;
  if (sameJson(theirs, base)) return ours;
  if (isPlainObject(ours) && isPlainObject(theirs)) {
    const b = isPlainObject(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(ours), ...Object.keys(theirs)])) {
      const value = mergeThreeWay(b[key], ours[key], theirs[key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  return ours;
}

function cloneWithoutEtag(state: Record<string, unknown>): Record<string, unknown> {
  const { eTag: _eTag, ...rest } = state;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

function replaceContents(target: Record<string, unknown>, next: Record<string, unknown>): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, next);
}
