import type { BotQuestion } from '../../core/safety/screen';
import type { ScreenEvent } from '../../core/safety/risk';
import { StorageUnavailableError, type DocumentStore } from '../../core/ports/documentStore';
import { BoundedMap } from '../../adapters/storage/boundedMap';
import { withTimeout } from '../async/withTimeout';
import { errorKind, type Logger } from '../observability/logger';

/**
 * What the safety layer remembers about a conversation: the question it is waiting on, recent
 * flagged screens (for cross-turn risk) and whether a self-care dialog was interrupted. Only what
 * safety needs, so it is kept even before consent (levels, categories and times — never text).
 */
export interface SafetyContext {
  awaiting?: Exclude<BotQuestion, 'none' | 'phq9_item9'>;
  awaitingSince?: string;
  /** Flagged screens of the last days, newest last, capped. */
  recent: ScreenEvent[];
  lastEscalationAt?: string;
  /** A crisis interrupted a dialog: the next message may resume it. */
  resumePending?: boolean;
}

const MAX_RECENT = 20;
const RECENT_WINDOW_MS = 72 * 60 * 60 * 1000;
const COLLECTION = 'state';
const DOC_ID = 'safety';

export function emptySafetyContext(): SafetyContext {
  return { recent: [] };
}

/** Keeps the flagged events of the window, newest last, at most MAX_RECENT. */
export function pruneRecent(events: readonly ScreenEvent[], now: Date): ScreenEvent[] {
  const floor = now.getTime() - RECENT_WINDOW_MS;
  return events.filter((event) => new Date(event.at).getTime() >= floor && event.level !== 'none').slice(-MAX_RECENT);
}

/**
 * The store is the truth across instances; a bounded in-memory copy answers when the store is slow
 * or down, so the crisis path never waits on the database for more than `timeoutMs`.
 */
export class SafetyContextStore {
  private readonly memory: BoundedMap<string, SafetyContext>;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    private readonly timeoutMs = 800,
    memoryLimit = 5_000,
  ) {
    this.memory = new BoundedMap(memoryLimit);
  }

  /** `log`: the turn's logger, when there is a turn. */
  async load(conversationKey: string, log: Logger = this.logger): Promise<SafetyContext> {
    try {
      const doc = await withTimeout(this.store.get<SafetyContext>(COLLECTION, partitionOf(conversationKey), DOC_ID), this.timeoutMs, timedOut);
      if (doc) {
        const context = { ...emptySafetyContext(), ...doc.body };
        this.memory.set(conversationKey, context);
        return context;
      }
      return this.memory.get(conversationKey) ?? emptySafetyContext();
    } catch (error) {
      log.warn('safety_context_load_failed', { error: errorKind(error) });
      return this.memory.get(conversationKey) ?? emptySafetyContext();
    }
  }

  /** Remembers at once, persists within the timeout; a failed write is logged, never thrown. */
  async save(conversationKey: string, context: SafetyContext, log: Logger = this.logger): Promise<void> {
    this.memory.set(conversationKey, context);
    try {
      await withTimeout(this.store.upsert(COLLECTION, partitionOf(conversationKey), DOC_ID, context), this.timeoutMs, timedOut);
    } catch (error) {
      log.warn('safety_context_save_failed', { error: errorKind(error) });
    }
  }

  /** Drops the in-memory copy (after an erasure has deleted the stored one). */
  forget(conversationKey: string): void {
    this.memory.delete(conversationKey);
  }
}

function partitionOf(conversationKey: string): string {
  return `safety/${conversationKey}`;
}

const timedOut = () => new StorageUnavailableError('safety context store timed out');
