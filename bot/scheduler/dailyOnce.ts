const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Wraps a tick hook (called every minute) so its work runs at most once a day per instance. Other
 * instances may run it the same day: the work must be idempotent (the retention purge is).
 */
export function dailyOnce(work: (now: Date) => Promise<unknown>): (now: Date) => Promise<void> {
  let lastRun = Number.NEGATIVE_INFINITY;
  return async (now: Date) => {
    if (now.getTime() - lastRun < DAY_MS) return;
    lastRun = now.getTime();
    await work(now);
  };
}
