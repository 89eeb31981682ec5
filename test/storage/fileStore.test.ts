import { fork } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { StorageUnavailableError } from '../../core/ports/documentStore';
import { FileDocumentStore } from '../../adapters/storage/fileStore';
import { encodeFileName } from '../../adapters/storage/keyEncoding';
import { describeDocumentStoreContract, ODD_KEYS } from './contract';

async function tempDir(): Promise<string> {
  return fsp.mkdtemp(join(tmpdir(), 'petits-pas-filestore-'));
}

async function removeDir(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
}

/** Every file under `dir`, as paths relative to it. */
async function walk(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describeDocumentStoreContract('FileDocumentStore', async () => {
  const dir = await tempDir();
  return { store: new FileDocumentStore(join(dir, 'data')), cleanup: () => removeDir(dir) };
});

describe('FileDocumentStore on disk', () => {
  let dir: string;
  let dataDir: string;

  beforeEach(async () => {
    dir = await tempDir();
    dataDir = join(dir, 'data');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await removeDir(dir);
  });

  test('documents survive a new store instance on the same directory', async () => {
    const first = new FileDocumentStore(dataDir);
    await first.init();
    const a = await first.create('people', 'alice', 'profile', { name: 'Alice' });
    const b = await first.create('jobs', 'bucket', 'job', { dueAt: '2025-01-01' });
    await first.close();

    const second = new FileDocumentStore(dataDir);
    expect(await second.get('people', 'alice', 'profile')).toEqual(a);
    expect(await second.query('jobs', { fieldAtMost: { field: 'dueAt', value: '2025-12-31' } })).toEqual([b]);
    // Etags read from the first instance are honoured by the second.
    await expect(second.replace('people', 'alice', 'profile', { name: 'A.' }, a.etag)).resolves.toMatchObject({ body: { name: 'A.' } });
  });

  test('layout: one JSON file per document under the directory, safe names, no leftovers', async () => {
    const store = new FileDocumentStore(dataDir);
    for (const key of ODD_KEYS) {
      const doc = await store.create('people', key, key, { key });
      await store.replace('people', key, key, { key, again: true }, doc.etag);
    }
    // Nothing was written beside the data directory ('../../escape' stayed inside).
    expect(await fsp.readdir(dir)).toEqual(['data']);
    const files = await walk(dataDir);
    expect(files).toHaveLength(ODD_KEYS.length);
    for (const file of files) {
      const [collection, partition, name, ...rest] = file.split(sep);
      expect(rest).toEqual([]);
      expect(collection).toBe('people');
      expect(partition).toMatch(/^[a-z0-9_~-]{1,120}$/);
      expect(name).toMatch(/^[a-z0-9_~-]{1,120}\.json$/);
      const content = JSON.parse(await fsp.readFile(join(dataDir, file), 'utf8'));
      expect(Object.keys(content).sort()).toEqual(['body', 'etag', 'id', 'partitionKey']);
      expect(encodeFileName(content.partitionKey)).toBe(partition);
      expect(`${encodeFileName(content.id)}.json`).toBe(name);
    }
  });

  test('a write that fails before its rename leaves the old version intact and no temporary file', async () => {
    const store = new FileDocumentStore(dataDir);
    const v1 = await store.create('people', 'p', 'doc', { v: 1 });
    // Simulates a crash or a full disk between writing the temporary file and renaming it.
    jest.spyOn(fsp, 'rename').mockRejectedValueOnce(Object.assign(new Error('simulated I/O error'), { code: 'EIO' }));
    const failed = store.replace('people', 'p', 'doc', { v: 2 }, v1.etag);
    await expect(failed).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(failed).rejects.toMatchObject({ cause: { code: 'EIO' } });
    expect(await store.get('people', 'p', 'doc')).toEqual(v1);
    expect((await walk(dataDir)).filter((f) => !f.endsWith('.json'))).toEqual([]);
    // The lock was released: the next write goes through.
    await expect(store.replace('people', 'p', 'doc', { v: 3 }, v1.etag)).resolves.toMatchObject({ body: { v: 3 } });
  });

  test('crash leftovers and corrupt files are skipped by listings and queries, and counted', async () => {
    const store = new FileDocumentStore(dataDir);
    const good = await store.create('people', 'p', 'good', { ok: true });
    const partitionDir = join(dataDir, 'people', encodeFileName('p'));
    await fsp.writeFile(join(partitionDir, `${encodeFileName('half')}.1234abcd.tmp`), '{"id":"half","partitionKey":"p","et');
    await fsp.writeFile(join(partitionDir, `${encodeFileName('broken')}.json`), '{"id":"broken", not json');
    await fsp.writeFile(join(partitionDir, `${encodeFileName('shape')}.json`), '{"id":42}');
    await fsp.writeFile(join(partitionDir, `${encodeFileName('other')}.lock`), 'lock');

    expect(await store.listPartition('people', 'p')).toEqual([good]);
    expect(await store.query('people', {})).toEqual([good]);
    expect(store.corruptFilesSkipped).toBe(4);
    // Asking for the corrupt document itself is a storage fault, without its content in the message.
    const read = store.get('people', 'p', 'broken');
    await expect(read).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(read).rejects.not.toThrow(/not json/);
    // An unconditional write repairs it.
    await store.upsert('people', 'p', 'broken', { repaired: true });
    expect((await store.get('people', 'p', 'broken'))?.body).toEqual({ repaired: true });
  });

  test('deletePartition also erases old leftovers of interrupted writes and crashed lock holders', async () => {
    const store = new FileDocumentStore(dataDir, { lockStaleMs: 1_000 });
    await store.create('people', 'p', 'doc', { secret: 'x' });
    const partitionDir = join(dataDir, 'people', encodeFileName('p'));
    const leftover = join(partitionDir, `${encodeFileName('doc')}.deadbeef.tmp`);
    await fsp.writeFile(leftover, '{"secret":"half written"}');
    const abandonedLock = join(partitionDir, `${encodeFileName('crashed-writer')}.lock`);
    await fsp.writeFile(abandonedLock, '{}');
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(leftover, old, old);
    await fsp.utimes(abandonedLock, old, old);

    expect(await store.deletePartition('people', 'p')).toBe(1);
    await expect(fsp.stat(partitionDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a stale lock left by a crashed process is taken over', async () => {
    const store = new FileDocumentStore(dataDir, { lockStaleMs: 500, lockTimeoutMs: 5_000 });
    const v1 = await store.create('people', 'p', 'doc', { v: 1 });
    const lock = join(dataDir, 'people', encodeFileName('p'), `${encodeFileName('doc')}.lock`);
    await fsp.writeFile(lock, JSON.stringify({ pid: 999999, token: 'crashed' }));
    const old = new Date(Date.now() - 10_000);
    await fsp.utimes(lock, old, old);

    await expect(store.replace('people', 'p', 'doc', { v: 2 }, v1.etag)).resolves.toMatchObject({ body: { v: 2 } });
    expect((await walk(dataDir)).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  test('a live lock held by another process makes writers wait, then proceed', async () => {
    const store = new FileDocumentStore(dataDir, { lockStaleMs: 60_000, lockTimeoutMs: 10_000 });
    const v1 = await store.create('people', 'p', 'doc', { v: 1 });
    const lock = join(dataDir, 'people', encodeFileName('p'), `${encodeFileName('doc')}.lock`);
    await fsp.writeFile(lock, JSON.stringify({ pid: 1, token: 'someone-else' }));

    let settled = false;
    const pending = store.replace('people', 'p', 'doc', { v: 2 }, v1.etag).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    expect((await store.get('people', 'p', 'doc'))?.body).toEqual({ v: 1 });
    await fsp.unlink(lock);
    await expect(pending).resolves.toMatchObject({ body: { v: 2 } });
  });

  test('a lock that is never released ends in StorageUnavailableError, not a hang', async () => {
    const store = new FileDocumentStore(dataDir, { lockStaleMs: 60_000, lockTimeoutMs: 300 });
    const v1 = await store.create('people', 'p', 'doc', { v: 1 });
    await fsp.writeFile(join(dataDir, 'people', encodeFileName('p'), `${encodeFileName('doc')}.lock`), 'held');
    await expect(store.replace('people', 'p', 'doc', { v: 2 }, v1.etag)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await store.get('people', 'p', 'doc')).toEqual(v1);
  });

  test('file-system faults become StorageUnavailableError with the cause kept', async () => {
    // Tests run as root here, so permissions cannot fail; a file where a folder should be can.
    await fsp.mkdir(dataDir, { recursive: true });
    await fsp.writeFile(join(dataDir, 'people'), 'not a folder');
    const store = new FileDocumentStore(dataDir);
    await expect(store.init()).rejects.toMatchObject({ name: 'StorageUnavailableError', cause: { code: 'EEXIST' } });
    for (const attempt of [
      () => store.create('people', 'p', 'doc', {}),
      () => store.upsert('people', 'p', 'doc', {}),
      () => store.get('people', 'p', 'doc'),
      () => store.listPartition('people', 'p'),
      () => store.query('people', {}),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ name: 'StorageUnavailableError', cause: { code: 'ENOTDIR' } });
    }
    // Other collections are unaffected.
    await expect(store.upsert('jobs', 'p', 'doc', { ok: 1 })).resolves.toMatchObject({ body: { ok: 1 } });
  });

  describe('read cache', () => {
    test('a document read again unchanged costs a stat, and every read gives a fresh object', async () => {
      const store = new FileDocumentStore(dataDir, { racyMs: 0 });
      await store.create('people', 'p', 'doc', { list: [1] });
      const first = await store.get<{ list: number[] }>('people', 'p', 'doc');
      first?.body.list.push(2);
      const second = await store.get<{ list: number[] }>('people', 'p', 'doc');
      expect(second?.body).toEqual({ list: [1] });
      expect(store.readCounts).toEqual({ disk: 1, cached: 1 });
    });

    test('changes, deletions and corruption by another process are seen at once', async () => {
      const reader = new FileDocumentStore(dataDir, { racyMs: 0 });
      const writer = new FileDocumentStore(dataDir);
      const v1 = await writer.create('people', 'p', 'doc', { v: 1 });
      expect((await reader.get('people', 'p', 'doc'))?.body).toEqual({ v: 1 });
      expect((await reader.get('people', 'p', 'doc'))?.body).toEqual({ v: 1 });
      const v2 = await writer.replace('people', 'p', 'doc', { v: 2 }, v1.etag);
      expect(await reader.get('people', 'p', 'doc')).toEqual(v2);
      await writer.delete('people', 'p', 'doc');
      expect(await reader.get('people', 'p', 'doc')).toBeUndefined();
      await writer.create('people', 'p', 'doc', { v: 3 });
      expect((await reader.get('people', 'p', 'doc'))?.body).toEqual({ v: 3 });
      // Edited in place by hand, same size, same inode: the modification time tells. (A person's
      // edit comes seconds later; with racyMs 0 and no wait, the times are set as an edit would.)
      const path = join(dataDir, 'people', encodeFileName('p'), `${encodeFileName('doc')}.json`);
      const text = await fsp.readFile(path, 'utf8');
      let editedAt = Date.now();
      const editInPlace = async (next: string) => {
        await fsp.writeFile(path, next);
        editedAt += 5_000;
        await fsp.utimes(path, new Date(editedAt), new Date(editedAt));
      };
      await editInPlace(text.replace('"v":3', '"v":4'));
      expect((await reader.get('people', 'p', 'doc'))?.body).toEqual({ v: 4 });
      await editInPlace(text.replace('"v":3', '"v" 3'));
      await expect(reader.get('people', 'p', 'doc')).rejects.toBeInstanceOf(StorageUnavailableError);
    });

    test('a copy read right after the file changed is not trusted: the next read goes to the disk', async () => {
      const store = new FileDocumentStore(dataDir, { racyMs: 60_000 });
      await store.create('people', 'p', 'doc', { v: 1 });
      await store.get('people', 'p', 'doc');
      await store.get('people', 'p', 'doc');
      expect(store.readCounts).toEqual({ disk: 2, cached: 0 });
    });

    test('compare-and-swap reads the disk, whatever the cache holds', async () => {
      const reader = new FileDocumentStore(dataDir, { racyMs: 0 });
      const writer = new FileDocumentStore(dataDir);
      const v1 = await writer.create('people', 'p', 'doc', { v: 1 });
      await reader.get('people', 'p', 'doc');
      await writer.replace('people', 'p', 'doc', { v: 2 }, v1.etag);
      await expect(reader.replace('people', 'p', 'doc', { v: 3 }, v1.etag)).rejects.toMatchObject({ name: 'PreconditionFailedError' });
      await expect(reader.delete('people', 'p', 'doc', v1.etag)).rejects.toMatchObject({ name: 'PreconditionFailedError' });
    });

    test('cacheEntries 0 turns the cache off', async () => {
      const store = new FileDocumentStore(dataDir, { racyMs: 0, cacheEntries: 0 });
      await store.create('people', 'p', 'doc', { v: 1 });
      await store.get('people', 'p', 'doc');
      await store.get('people', 'p', 'doc');
      expect(store.readCounts).toEqual({ disk: 2, cached: 0 });
    });
  });

  test('a partition removed by another process is recreated by the next write', async () => {
    const store = new FileDocumentStore(dataDir);
    const other = new FileDocumentStore(dataDir);
    await store.create('people', 'p', 'a', { v: 1 });
    expect(await other.deletePartition('people', 'p')).toBe(1);
    await expect(store.upsert('people', 'p', 'a', { v: 2 })).resolves.toMatchObject({ body: { v: 2 } });
    await expect(store.create('people', 'p', 'b', { v: 1 })).resolves.toMatchObject({ body: { v: 1 } });
    await expect(store.replace('people', 'p', 'missing', { v: 1 }, 'etag')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  test('several processes doing compare-and-swap on one directory lose no update', async () => {
    const processes = 3;
    const increments = 30;
    const store = new FileDocumentStore(dataDir);
    await store.init();
    await store.create('state', 'shared', 'counter', { n: 0 });

    const worker = join(__dirname, 'helpers', 'casWorker.js');
    const children = Array.from({ length: processes }, () =>
      fork(worker, [dataDir, String(increments)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    type Report = { type: string; created?: boolean; increments?: number; retries?: number; error?: string };
    const next = (child: (typeof children)[number], type: string) =>
      new Promise<Report>((resolve, reject) => {
        child.on('message', (m: Report) => (m.type === type || m.type === 'failed' ? resolve(m) : undefined));
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      });
    try {
      await Promise.all(children.map((child) => next(child, 'ready')));
      const done = children.map((child) => next(child, 'done'));
      for (const child of children) child.send('go');
      const reports = await Promise.all(done);
      for (const report of reports) expect(report).toMatchObject({ type: 'done', increments });
      expect(reports.filter((r) => r.created)).toHaveLength(1);
      expect((await store.get<{ n: number }>('state', 'shared', 'counter'))?.body.n).toBe(processes * increments);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
    expect((await walk(dataDir)).filter((f) => !f.endsWith('.json'))).toEqual([]);
  }, 60_000);
});
