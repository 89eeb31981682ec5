import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  StorageUnavailableError,
  type DocumentStore,
} from '../../core/ports/documentStore';
import { CosmosDocumentStore, type CosmosDocumentStoreOptions } from '../../adapters/storage/cosmosStore';
import { toStorageError } from '../../adapters/storage/cosmosErrors';
import { describeDocumentStoreContract, ODD_KEYS } from './contract';
import { startCosmosServer, TEST_KEY, type TestCosmosServer } from './helpers/cosmosServer';

let server: TestCosmosServer;

beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

function storeOptions(databaseId: string, extra: Partial<CosmosDocumentStoreOptions> = {}): CosmosDocumentStoreOptions {
  return {
    endpoint: server.endpoint,
    key: TEST_KEY,
    databaseId,
    containerPrefix: 'pp-',
    clientOptions: server.clientOptions,
    requestTimeoutMs: 5_000,
    ...extra,
  };
}

function adminClient(): CosmosClient {
  return new CosmosClient({ endpoint: server.endpoint, key: TEST_KEY, ...server.clientOptions });
}

async function dropDatabase(databaseId: string): Promise<void> {
  const admin = adminClient();
  try {
    await admin.database(databaseId).delete();
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  } finally {
    admin.dispose();
  }
}

// A fresh database per test: the same server, no state shared between tests.
describeDocumentStoreContract('CosmosDocumentStore (cosmosdb-server)', async () => {
  const databaseId = `test-${randomUUID()}`;
  return { store: new CosmosDocumentStore(storeOptions(databaseId)), cleanup: () => dropDatabase(databaseId) };
});

describe('CosmosDocumentStore specifics', () => {
  let databaseId: string;
  let store: DocumentStore;

  beforeEach(() => {
    databaseId = `test-${randomUUID()}`;
    store = new CosmosDocumentStore(storeOptions(databaseId));
  });
  afterEach(async () => {
    await store.close();
    await dropDatabase(databaseId);
  });

  test('init creates one container per collection, partitioned on /pk, with the prefix', async () => {
    await store.init();
    const admin = adminClient();
    try {
      const { resources } = await admin.database(databaseId).containers.readAll().fetchAll();
      expect(resources.map((c) => [c.id, c.partitionKey?.paths]).sort()).toEqual([
        ['pp-jobs', ['/pk']],
        ['pp-outbox', ['/pk']],
        ['pp-people', ['/pk']],
        ['pp-state', ['/pk']],
      ]);
    } finally {
      admin.dispose();
    }
  });

  test('stored items carry Cosmos-safe ids and the original keys', async () => {
    await store.init();
    for (const key of ODD_KEYS) await store.create('people', key, key, { key });
    const admin = adminClient();
    try {
      const { resources } = await admin.database(databaseId).container('pp-people').items.readAll().fetchAll();
      expect(resources).toHaveLength(ODD_KEYS.length);
      for (const item of resources) {
        expect(Object.keys(item).filter((k) => !k.startsWith('_')).sort()).toEqual(['body', 'docId', 'docPk', 'id', 'pk']);
        expect(item.id).toMatch(/^[^/\\?#%]+$/);
        expect(item.id).not.toMatch(/^\.+$/);
        expect(Buffer.byteLength(String(item.id), 'utf8')).toBeLessThanOrEqual(1023);
        expect(Buffer.byteLength(String(item.pk), 'utf8')).toBeLessThanOrEqual(2048);
        expect(item.body).toEqual({ key: item.docId });
      }
      expect(resources.map((r) => r.docId).sort()).toEqual([...ODD_KEYS].sort());
    } finally {
      admin.dispose();
    }
  });

  test('init refuses a container partitioned on another path', async () => {
    const admin = adminClient();
    try {
      const { database } = await admin.databases.createIfNotExists({ id: databaseId });
      await database.containers.createIfNotExists({ id: 'pp-people', partitionKey: { paths: ['/id'] } });
    } finally {
      admin.dispose();
    }
    const init = store.init();
    await expect(init).rejects.toBeInstanceOf(StorageError);
    await expect(init).rejects.toThrow(/partitioned on \/pk/);
  });

  test('without createIfMissing, init only checks, and a missing container makes storage unavailable', async () => {
    const checking = new CosmosDocumentStore(storeOptions(databaseId, { createIfMissing: false }));
    try {
      await expect(checking.init()).rejects.toBeInstanceOf(StorageUnavailableError);
      await store.init(); // creates them
      await expect(checking.init()).resolves.toBeUndefined();
    } finally {
      await checking.close();
    }
  });
});

describe('CosmosDocumentStore when Cosmos DB cannot be used', () => {
  const everyOperation = (store: DocumentStore): Array<[string, () => Promise<unknown>]> => [
    ['init', () => store.init()],
    ['get', () => store.get('state', 'p', 'x')],
    ['create', () => store.create('state', 'p', 'x', { a: 1 })],
    ['replace', () => store.replace('state', 'p', 'x', { a: 1 }, 'etag')],
    ['upsert', () => store.upsert('state', 'p', 'x', { a: 1 })],
    ['delete', () => store.delete('state', 'p', 'x')],
    ['listPartition', () => store.listPartition('state', 'p')],
    ['deletePartition', () => store.deletePartition('state', 'p')],
    ['query', () => store.query('jobs', { fieldAtMost: { field: 'dueAt', value: 'z' }, limit: 5 })],
  ];

  test('an endpoint that refuses connections fails every operation with StorageUnavailableError', async () => {
    const store = new CosmosDocumentStore({
      endpoint: 'https://127.0.0.1:1',
      key: TEST_KEY,
      databaseId: 'db',
      requestTimeoutMs: 1_000,
    });
    try {
      for (const [name, operation] of everyOperation(store)) {
        await expect(operation()).rejects.toMatchObject({ name: 'StorageUnavailableError', message: expect.stringContaining(name) });
      }
    } finally {
      await store.close();
    }
  }, 20_000);

  // With endpoint discovery on (the production default), the SDK alone would wait ~37 s here.
  test('an endpoint that accepts connections but never answers fails within the deadline', async () => {
    const sockets = new Set<Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = new CosmosDocumentStore({
      endpoint: `https://127.0.0.1:${port}`,
      key: TEST_KEY,
      databaseId: 'db',
      requestTimeoutMs: 300,
      operationTimeoutMs: 1_000,
      initTimeoutMs: 1_000,
    });
    try {
      for (const [, operation] of everyOperation(store).slice(0, 4)) {
        const attempt = operation();
        await expect(attempt).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(attempt).rejects.toThrow(/timed out after 1000 ms/);
      }
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 20_000);

  test.each([
    [429, { 'x-ms-retry-after-ms': '50' }],
    [503, {}],
  ])('an account answering %i is unavailable after a few retries at most', async (status, headers) => {
    let requests = 0;
    const busy = http.createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ code: String(status), message: 'busy' }));
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    const store = new CosmosDocumentStore({
      endpoint: `http://127.0.0.1:${port}`,
      key: TEST_KEY,
      databaseId: 'db',
      requestTimeoutMs: 1_000,
      clientOptions: { connectionPolicy: { enableEndpointDiscovery: false } },
    });
    try {
      const read = store.get('state', 'p', 'x');
      await expect(read).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(read).rejects.toMatchObject({ cause: { code: status } });
      expect(requests).toBeGreaterThanOrEqual(1);
      expect(requests).toBeLessThanOrEqual(3);
    } finally {
      await store.close();
      busy.closeAllConnections();
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  }, 20_000);
});

describe('Cosmos error mapping', () => {
  const sdkError = (fields: Record<string, unknown>) => Object.assign(new Error('sdk'), fields);

  test.each([
    [409, ConflictError],
    [412, PreconditionFailedError],
    [404, NotFoundError],
    [429, StorageUnavailableError],
    [503, StorageUnavailableError],
    [500, StorageUnavailableError],
    [408, StorageUnavailableError],
    [401, StorageUnavailableError],
    [403, StorageUnavailableError],
  ])('status %i becomes %p, keeping the cause', (code, expected) => {
    const cause = sdkError({ code });
    const mapped = toStorageError('op', cause);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.cause).toBe(cause);
  });

  test('bad requests are errors of ours, not unavailability', () => {
    const mapped = toStorageError('query', sdkError({ code: 400 }));
    expect(mapped).toBeInstanceOf(StorageError);
    expect(mapped).not.toBeInstanceOf(StorageUnavailableError);
  });

  test('network faults, timeouts and our deadline are unavailability', () => {
    for (const fields of [{ code: 'ECONNREFUSED' }, { code: 'ECONNRESET' }, { code: 'TimeoutError' }, { name: 'AbortError' }]) {
      expect(toStorageError('op', sdkError(fields))).toBeInstanceOf(StorageUnavailableError);
    }
  });
});
