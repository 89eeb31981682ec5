/**
 * FileDocumentStore: the embedded, durable default store — one JSON file per document.
 *
 * Layout: `<dir>/<collection>/<partition name>/<id name>.json`, names from `encodeFileName`
 * (escaped or hashed, never '.', '..' or a separator, so no key can leave the directory). Each
 * file holds `{ id, partitionKey, etag, body }`; the original keys live in the file, so names are
 * never decoded.
 *
 * Writes go to a temporary file in the same folder, are fsynced and renamed over the document:
 * readers see the old or the new version, never half of one, and take no lock. Writers hold a
 * per-document lock (in-process queue, then a lock file for other processes), so `create`,
 * `replace` and `delete` with an ETag are compare-and-swap operations even between processes.
 * Listing and querying scan the folders: fine for the embedded default, not for large data.
 *
 * Reads of a document this process has read before cost one `stat` instead of a full read: the
 * text is kept in a bounded cache and reused while the file's identity (device, inode, size,
 * mtime, ctime) is unchanged. Every write renames a new file over the old one, so a write by any
 * process changes that identity, with one exception: a file rewritten twice within one tick of
 * the file-system clock may come back with the same inode and times. So, as Git does for its
 * index, a copy read less than `racyMs` after the file last changed is not trusted and the next
 * read goes to the disk. Reads done under a document's lock (compare-and-swap) always go to the
 * disk.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  COLLECTIONS,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  StorageUnavailableError,
  type CollectionName,
  type DocumentQuery,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import { assertBody, assertCollection, assertEtag, assertKey, validateQuery } from './arguments';
import { LockTimeoutError, withFileLock } from './fileLock';
import { encodeFileName } from './keyEncoding';
import { BoundedMap } from './boundedMap';
import { KeyedMutex } from './keyedMutex';
import { matchesQuery } from './queryMatch';

export interface FileDocumentStoreOptions {
  /** A lock older than this is presumed left by a crashed process and taken over. Default 5 s. */
  readonly lockStaleMs?: number;
  /** Give up (StorageUnavailableError) after waiting this long for a lock. Default 8 s. */
  readonly lockTimeoutMs?: number;
  /** fsync each written file and its folder. Default true; only tests of other layers turn it off. */
  readonly fsync?: boolean;
  /** Documents whose text is kept for cheap re-reads (0 turns the cache off). Default 5,000. */
  readonly cacheEntries?: number;
  /** A cached text is trusted only if the file had not changed for this long when it was read. Default 1 s (above any file-system time granularity but FAT's). */
  readonly racyMs?: number;
}

/** What identifies one version of a document file (a rename over it always makes a new one). */
interface FileVersion {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

interface CachedText {
  readonly version: FileVersion;
  readonly text: string;
}

interface DocPaths {
  readonly dir: string;
  readonly doc: string;
  readonly lock: string;
  readonly base: string;
}

/** Names of document files; temporary (`.tmp`), lock (`.lock`) and aside (`.stale`) files never match. */
const DOC_FILE = /^[a-z0-9_~-]+\.json$/;
/** Leftovers of interrupted writes, crashed lock holders or lock takeovers. */
const LEFTOVER_FILE = /\.(tmp|lock|stale)$/;
const READ_BATCH = 32;

export class FileDocumentStore implements DocumentStore {
  private readonly root: string;
  private readonly lockOptions: { staleMs: number; timeoutMs: number };
  private readonly fsync: boolean;
  private readonly mutex = new KeyedMutex();
  private readonly cache: BoundedMap<string, CachedText>;
  /** Partition folders known to exist (no mkdir before each write). Another process removing one is handled by the lock. */
  private readonly knownDirs: BoundedMap<string, true>;
  private readonly racyMs: number;
  private corruptSkipped = 0;
  /** Reads answered from the cache after a stat, and reads that went to the disk (benchmarks, tests). */
  readonly readCounts = { cached: 0, disk: 0 };

  constructor(directory: string, options: FileDocumentStoreOptions = {}) {
    this.root = resolve(directory);
    const staleMs = options.lockStaleMs ?? 5_000;
    this.lockOptions = { staleMs, timeoutMs: options.lockTimeoutMs ?? staleMs + 3_000 };
    this.fsync = options.fsync ?? true;
    this.cache = new BoundedMap(Math.max(0, options.cacheEntries ?? 5_000));
    this.knownDirs = new BoundedMap(20_000);
    this.racyMs = options.racyMs ?? 1_000;
  }

  /** How many unreadable document files listings and queries have skipped (their content is never logged). */
  get corruptFilesSkipped(): number {
    return this.corruptSkipped;
  }

  async init(): Promise<void> {
    await io('init', async () => {
      for (const collection of COLLECTIONS) await fsp.mkdir(join(this.root, collection), { recursive: true });
    });
  }

  async get<T>(collection: CollectionName, partitionKey: string, id: string): Promise<StoredDocument<T> | undefined> {
    const paths = this.pathsFor(collection, partitionKey, id);
    return io('get', () => this.readDoc<T>(paths, partitionKey, id, 'cached'));
  }

  async create<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    assertBody(body);
    const paths = this.pathsFor(collection, partitionKey, id);
    return io('create', () =>
      this.locked(paths, async () => {
        if (await exists(paths.doc)) throw new ConflictError('Document already exists');
        return this.writeDoc(paths, partitionKey, id, body);
      }),
    );
  }

  async replace<T>(collection: CollectionName, partitionKey: string, id: string, body: T, etag: string): Promise<StoredDocument<T>> {
    assertBody(body);
    assertEtag(etag);
    const paths = this.pathsFor(collection, partitionKey, id);
    return io('replace', async () => {
      // Checked before locking too, so a miss does not create an empty partition folder.
      if (!this.knownDirs.has(paths.dir) && !(await exists(paths.doc))) throw new NotFoundError('Document not found');
      return this.locked(paths, async () => {
        const current = await this.readDoc<T>(paths, partitionKey, id, 'disk');
        if (!current) throw new NotFoundError('Document not found');
        if (current.etag !== etag) throw new PreconditionFailedError('Document changed since it was read');
        return this.writeDoc(paths, partitionKey, id, body);
      });
    });
  }

  async upsert<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    assertBody(body);
    const paths = this.pathsFor(collection, partitionKey, id);
    return io('upsert', () => this.locked(paths, () => this.writeDoc(paths, partitionKey, id, body)));
  }

  async delete(collection: CollectionName, partitionKey: string, id: string, etag?: string): Promise<boolean> {
    if (etag !== undefined) assertEtag(etag);
    const paths = this.pathsFor(collection, partitionKey, id);
    return io('delete', async () => {
      if (!(await exists(paths.doc))) return false;
      return this.locked(paths, async () => {
        if (etag !== undefined) {
          const current = await this.readDoc(paths, partitionKey, id, 'disk');
          if (!current) return false;
          if (current.etag !== etag) throw new PreconditionFailedError('Document changed since it was read');
        }
        this.cache.delete(paths.doc);
        return unlinkIfPresent(paths.doc);
      });
    });
  }

  async listPartition<T>(collection: CollectionName, partitionKey: string): Promise<StoredDocument<T>[]> {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    const dir = join(this.root, collection, encodeFileName(partitionKey));
    return io('listPartition', async () => {
      const docs = await this.readFolder<T>(dir);
      return docs.filter((doc) => doc.partitionKey === partitionKey);
    });
  }

  async deletePartition(collection: CollectionName, partitionKey: string): Promise<number> {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    const dir = join(this.root, collection, encodeFileName(partitionKey));
    return io('deletePartition', async () => {
      let deleted = 0;
      const names = await readNames(dir);
      for (const name of names) {
        if (!DOC_FILE.test(name)) continue;
        const paths = docPaths(dir, name.slice(0, -'.json'.length));
        // Under the document's lock, so a concurrent compare-and-swap cannot resurrect it.
        this.cache.delete(paths.doc);
        if (await this.locked(paths, () => unlinkIfPresent(paths.doc))) deleted += 1;
      }
      await this.removeLeftovers(dir, names);
      this.knownDirs.delete(dir);
      // Leaves the folder when a writer is busy in it; its next delete will try again.
      await fsp.rmdir(dir).catch(() => undefined);
      return deleted;
    });
  }

  async query<T>(collection: CollectionName, query: DocumentQuery): Promise<StoredDocument<T>[]> {
    assertCollection(collection);
    validateQuery(query);
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    if (limit === 0) return [];
    return io('query', async () => {
      const results: StoredDocument<T>[] = [];
      for (const entry of await readEntries(join(this.root, collection))) {
        if (!entry.isDirectory()) continue;
        for (const doc of await this.readFolder<T>(join(this.root, collection, entry.name))) {
          if (!matchesQuery(doc.body, query)) continue;
          results.push(doc);
          if (results.length >= limit) return results;
        }
      }
      return results;
    });
  }

  async close(): Promise<void> {
    // Nothing to release: no handles or timers outlive an operation.
  }

  private pathsFor(collection: CollectionName, partitionKey: string, id: string): DocPaths {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    assertKey('id', id);
    return docPaths(join(this.root, collection, encodeFileName(partitionKey)), encodeFileName(id));
  }

  private async locked<T>(paths: DocPaths, work: () => Promise<T>): Promise<T> {
    return this.mutex.run(paths.doc, async () => {
      // A folder removed since by another process is recreated by the lock (ENOENT on its create).
      if (!this.knownDirs.has(paths.dir)) {
        await fsp.mkdir(paths.dir, { recursive: true });
        this.knownDirs.set(paths.dir, true);
      }
      return withFileLock(paths.lock, this.lockOptions, work);
    });
  }

  /**
   * A corrupt file here is an error (the caller asked for this very document), not a skip.
   * `cached`: a trusted cached text is reused if the file is unchanged; `disk`: always read.
   */
  private async readDoc<T>(paths: DocPaths, partitionKey: string, id: string, source: 'cached' | 'disk'): Promise<StoredDocument<T> | undefined> {
    const text = source === 'cached' ? await this.readCached(paths.doc) : (await this.readFresh(paths.doc))?.text;
    if (text === undefined) return undefined;
    const doc = parseStored<T>(text);
    if (!doc || doc.id !== id || doc.partitionKey !== partitionKey) {
      this.cache.delete(paths.doc);
      throw new StorageUnavailableError('Stored document is unreadable');
    }
    this.knownDirs.set(paths.dir, true);
    return doc;
  }

  private async readCached(path: string): Promise<string | undefined> {
    const cached = this.cache.get(path);
    if (cached) {
      const version = await versionIfPresent(path);
      if (!version) {
        this.cache.delete(path);
        return undefined;
      }
      if (sameVersion(version, cached.version)) {
        this.readCounts.cached += 1;
        return cached.text;
      }
    }
    const fresh = await this.readFresh(path);
    if (!fresh) {
      this.cache.delete(path);
      return undefined;
    }
    // Trusted only if the file had settled when read (see the top of this file).
    if (Date.now() - Number(fresh.version.ctimeNs / 1_000_000n) >= this.racyMs) this.cache.set(path, fresh);
    else this.cache.delete(path);
    return fresh.text;
  }

  /** The file's text and the version it was read from (one open handle: the two always match). */
  private async readFresh(path: string): Promise<CachedText | undefined> {
    this.readCounts.disk += 1;
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const stat = await handle.stat({ bigint: true });
      // Documents are never written in place (always renamed over), so the size read is the size.
      const buffer = Buffer.allocUnsafe(Number(stat.size));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { version: versionOf(stat), text: buffer.toString('utf8', 0, filled) };
    } finally {
      await handle.close();
    }
  }

  private async writeDoc<T>(paths: DocPaths, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    const text = JSON.stringify({ id, partitionKey, etag: randomUUID(), body });
    const temp = join(paths.dir, `${paths.base}.${randomUUID().slice(0, 8)}.tmp`);
    try {
      const handle = await fsp.open(temp, 'wx');
      try {
        await handle.writeFile(text, 'utf8');
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      // Dropped before the rename: a failure after it must not leave the old text trusted.
      this.cache.delete(paths.doc);
      await fsp.rename(temp, paths.doc);
    } catch (error) {
      await fsp.unlink(temp).catch(() => undefined);
      throw error;
    }
    if (this.fsync) await syncFolder(paths.dir);
    // Parsed back, so the caller gets exactly what a later `get` will return.
    return JSON.parse(text) as StoredDocument<T>;
  }

  private async readFolder<T>(dir: string): Promise<StoredDocument<T>[]> {
    const names = (await readNames(dir)).filter((name) => DOC_FILE.test(name));
    const docs: StoredDocument<T>[] = [];
    for (let i = 0; i < names.length; i += READ_BATCH) {
      const texts = await Promise.all(names.slice(i, i + READ_BATCH).map(async (name) => (await this.readFresh(join(dir, name)))?.text));
      for (const text of texts) {
        if (text === undefined) continue; // deleted since the folder was read
        const doc = parseStored<T>(text);
        if (doc) docs.push(doc);
        else this.corruptSkipped += 1;
      }
    }
    return docs;
  }

  /**
   * Erasure must not leave a person's data in an interrupted write's temporary file, nor their
   * keys in the names of abandoned lock files.
   */
  private async removeLeftovers(dir: string, names: string[]): Promise<void> {
    for (const name of names) {
      if (!LEFTOVER_FILE.test(name)) continue;
      const path = join(dir, name);
      const stat = await fsp.stat(path).catch(() => undefined);
      // A young file belongs to a write in progress: its lock or its temporary file.
      if (stat && Date.now() - stat.mtimeMs >= this.lockOptions.staleMs) await unlinkIfPresent(path);
    }
  }
}

function versionOf(stat: import('node:fs').BigIntStats): FileVersion {
  return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
}

function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

async function versionIfPresent(path: string): Promise<FileVersion | undefined> {
  try {
    return versionOf(await fsp.stat(path, { bigint: true }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function docPaths(dir: string, base: string): DocPaths {
  return { dir, base, doc: join(dir, `${base}.json`), lock: join(dir, `${base}.lock`) };
}

function parseStored<T>(text: string): StoredDocument<T> | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredDocument<T>> | null;
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof value.id === 'string' &&
      typeof value.partitionKey === 'string' &&
      typeof value.etag === 'string' &&
      'body' in value
    ) {
      return { id: value.id, partitionKey: value.partitionKey, etag: value.etag, body: value.body as T };
    }
  } catch {
    // fall through: unparsable
  }
  return undefined;
}

/**
 * Maps file-system faults (EACCES, ENOSPC, EIO, ENOTDIR, EROFS, EMFILE…) and lock timeouts to
 * StorageUnavailableError, keeping the cause; our own StorageErrors and programming errors pass.
 */
async function io<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if (error instanceof LockTimeoutError) {
      throw new StorageUnavailableError(`File store ${operation}: document lock busy`, { cause: error });
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string') {
      throw new StorageUnavailableError(`File store ${operation} failed (${code})`, { cause: error });
    }
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await fsp.unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readNames(dir: string): Promise<string[]> {
  return (await readEntries(dir)).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/** Makes the rename itself durable; some platforms (Windows) cannot fsync a folder, which is fine. */
async function syncFolder(dir: string): Promise<void> {
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
