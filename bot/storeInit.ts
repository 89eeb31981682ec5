import type { DocumentStore } from '../core/ports/documentStore';
import { errorKind, type Logger } from './observability/logger';

/**
 * Creates containers/folders in the background, retrying with backoff while the store is down,
 * so the bot serves (and the crisis path answers) even when the database is unreachable at start.
 */
export function initWithRetry(store: DocumentStore, logger: Logger, maxDelayMs = 60_000): { ready: Promise<boolean>; cancel(): void } {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<boolean>((resolve) => {
    const attempt = (tries: number) => {
      if (cancelled) return resolve(false);
      store.init().then(
        () => {
          if (tries > 0) logger.info('storage_ready', { tries: tries + 1 });
          resolve(true);
        },
        (error: unknown) => {
          const delay = Math.min(maxDelayMs, 1_000 * 2 ** tries);
          logger.warn('storage_init_failed', { error: errorKind(error), retryInMs: delay });
          timer = setTimeout(() => attempt(tries + 1), delay);
          timer.unref();
        },
      );
    };
    attempt(0);
  });
  return {
    ready,
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
