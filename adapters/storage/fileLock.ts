/**
 * A lock file per document, so compare-and-swap is atomic across processes sharing a directory.
 *
 * Taking the lock is an exclusive create ('wx'), which the file system arbitrates atomically.
 * A lock left by a crashed process is taken over once older than `staleMs`: the taker renames it
 * aside (only one taker can rename a given file) and checks that what it moved is still old; if a
 * fresh lock slipped in meanwhile it is put back with a non-overwriting link. Locks are held for
 * milliseconds (read, write, fsync, rename), far below `staleMs`.
 *
 * Known limits: a holder stalled for longer than `staleMs` loses its lock without knowing it; and
 * on network file systems the mtime comes from the server clock. Both only matter after a fault.
 */
import { promises as fsp } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { hostname } from 'node:os';

export interface FileLockOptions {
  /** Age after which a lock is presumed abandoned by a crashed process. */
  readonly staleMs: number;
  /** Give up waiting after this long. */
  readonly timeoutMs: number;
}

/** Waited `timeoutMs` for a lock that was neither released nor stale. */
export class LockTimeoutError extends Error {
  constructor(lockPath: string) {
    super(`Timed out waiting for lock ${lockPath}`);
    this.name = 'LockTimeoutError';
  }
}

/** Which lock file is ours: one made by a takeover, ≥ staleMs later, has other times even if it reuses the inode. */
interface LockIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly birthtimeNs: bigint;
}

export async function withFileLock<T>(lockPath: string, options: FileLockOptions, work: () => Promise<T>): Promise<T> {
  const identity = await acquire(lockPath, options);
  try {
    return await work();
  } finally {
    await release(lockPath, identity);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<LockIdentity> {
  // Who holds it, for a person looking at a stuck lock; no personal data.
  const content = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
  const deadline = Date.now() + options.timeoutMs;
  let backoffMs = 1;
  for (;;) {
    try {
      return await createLockFile(lockPath, content);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') {
        // The folder was removed (partition deleted) between our mkdir and now: recreate, retry.
        await fsp.mkdir(dirname(lockPath), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    if (await breakIfStale(lockPath, options.staleMs)) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath);
    await sleep(backoffMs + Math.random() * backoffMs);
    backoffMs = Math.min(backoffMs * 2, 32);
  }
}

/** True when the lock is gone (or was stale and is now removed): the caller should try again at once. */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await fsp.stat(lockPath)).mtimeMs;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  if (ageMs < staleMs) return false;

  const aside = `${lockPath}.${randomUUID()}.stale`;
  try {
    await fsp.rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true; // another process took it over first
    throw error;
  }
  const movedAgeMs = Date.now() - (await fsp.stat(aside)).mtimeMs;
  if (movedAgeMs >= staleMs) {
    await fsp.unlink(aside).catch(() => undefined);
    return true;
  }
  // We moved a fresh lock another taker created after our check: give it back unless the slot is
  // taken again (link never overwrites).
  await fsp.link(aside, lockPath).catch(() => undefined);
  await fsp.unlink(aside).catch(() => undefined);
  return false;
}

async function createLockFile(lockPath: string, content: string): Promise<LockIdentity> {
  const handle = await fsp.open(lockPath, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    return identityOf(await handle.stat({ bigint: true }));
  } finally {
    await handle.close();
  }
}

function identityOf(stat: import('node:fs').BigIntStats): LockIdentity {
  return { dev: stat.dev, ino: stat.ino, mtimeNs: stat.mtimeNs, birthtimeNs: stat.birthtimeNs };
}

async function release(lockPath: string, identity: LockIdentity): Promise<void> {
  // Remove only our own lock: if we were presumed dead, the file now belongs to someone else.
  const current = await fsp.stat(lockPath, { bigint: true }).then(identityOf, () => undefined);
  if (current && current.dev === identity.dev && current.ino === identity.ino && current.mtimeNs === identity.mtimeNs && current.birthtimeNs === identity.birthtimeNs) {
    await fsp.unlink(lockPath).catch(() => undefined);
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
