import { errorKind, type Logger } from '../observability/logger';
import type { EscalationOutbox } from './outbox';

/**
 * Retries, reminders and spool draining run on a short interval of their own: escalations must not
 * wait for the minute-grained scheduler, and the first delivery attempt already happened inline.
 */
export function startOutboxPass(outbox: Pick<EscalationOutbox, 'drainSpool' | 'deliverDue'>, logger: Logger, everyMs = 15_000): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        await outbox.drainSpool();
        await outbox.deliverDue();
      } catch (error) {
        logger.warn('outbox_pass_failed', { error: errorKind(error) });
      } finally {
        running = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
