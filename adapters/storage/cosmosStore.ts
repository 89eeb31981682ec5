/**
 * CosmosDocumentStore: the DocumentStore on Azure Cosmos DB (NoSQL API, @azure/cosmos 4).
 *
 * One container per collection (`<containerPrefix><collection>`), partition key path `/pk`.
 * Items are `{ id, pk, docId, docPk, body }`: `id` is the document id made URL-safe by
 * `encodeCosmosId` (Cosmos forbids '/', '\\', '?', '#'), `pk` the partition key (hashed only when
 * too long), and `docId`/`docPk` the caller's keys, given back as they were. ETags are Cosmos'
 * own `_etag`; `replace` and `delete` send them as If-Match.
 *
 * Every call is bounded: a per-request timeout, few retries, and a deadline for the whole
 * operation, so an unreachable account fails with StorageUnavailableError within seconds and the
 * callers (the crisis path above all) can carry on without storage. As with any timeout, a write
 * that fails this way may still have been applied: re-read before retrying (ETags make that safe).
 */
import {
  CosmosClient,
  PartitionKeyDefinitionVersion,
  type Container,
  type CosmosClientOptions,
  type Database,
  type ItemDefinition,
  type SqlParameter,
} from '@azure/cosmos';
import {
  COLLECTIONS,
  StorageError,
  StorageUnavailableError,
  type CollectionName,
  type DocumentQuery,
  type DocumentStore,
  type StoredDocument,
} from '../../core/ports/documentStore';
import { assertBody, assertCollection, assertEtag, assertKey, validateQuery } from './arguments';
import { cosmosStatus, toStorageError } from './cosmosErrors';
import { cosmosPartitionValue, encodeCosmosId } from './keyEncoding';

export interface CosmosDocumentStoreOptions {
  readonly endpoint: string;
  /** Account key; or use `tokenCredential` (Microsoft Entra ID, e.g. a managed identity). */
  readonly key?: string;
  readonly tokenCredential?: CosmosClientOptions['aadCredentials'];
  readonly databaseId: string;
  /** Prepended to each collection name to form container ids (e.g. 'petitspas-'). */
  readonly containerPrefix?: string;
  /** Passed to CosmosClient (e.g. `agent`, `connectionPolicy`); the timeouts below take precedence. */
  readonly clientOptions?: Partial<CosmosClientOptions>;
  /** Timeout of one HTTP request. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** Deadline for a whole operation, retries included. Default twice the request timeout. */
  readonly operationTimeoutMs?: number;
  /** Deadline for `init`, which may create a database and four containers. Default 30 s. */
  readonly initTimeoutMs?: number;
  /**
   * Whether `init` creates the database and containers. Default: with a key, yes; with a token
   * credential, no — Entra ID data-plane roles cannot create them, infrastructure code does, and
   * `init` then only checks that they exist.
   */
  readonly createIfMissing?: boolean;
}

interface CosmosItem<T> extends ItemDefinition {
  id: string;
  pk: string;
  docId: string;
  docPk: string;
  body: T;
}

const DELETE_BATCH = 10;

export class CosmosDocumentStore implements DocumentStore {
  private readonly client: CosmosClient;
  private readonly database: Database;
  private readonly containerPrefix: string;
  private readonly operationTimeoutMs: number;
  private readonly initTimeoutMs: number;
  private readonly createIfMissing: boolean;

  constructor(private readonly options: CosmosDocumentStoreOptions) {
    if (!options.key && !options.tokenCredential) throw new TypeError('CosmosDocumentStore needs a key or a tokenCredential');
    const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.operationTimeoutMs = options.operationTimeoutMs ?? requestTimeoutMs * 2;
    this.initTimeoutMs = options.initTimeoutMs ?? Math.max(30_000, this.operationTimeoutMs);
    this.containerPrefix = options.containerPrefix ?? '';
    this.createIfMissing = options.createIfMissing ?? options.tokenCredential === undefined;
    const extra = options.clientOptions ?? {};
    this.client = new CosmosClient({
      ...extra,
      endpoint: options.endpoint,
      ...(options.key ? { key: options.key } : { aadCredentials: options.tokenCredential }),
      connectionPolicy: {
        ...extra.connectionPolicy,
        requestTimeout: requestTimeoutMs,
        // 429s: a couple of retries, never longer than one request timeout in total.
        retryOptions: {
          maxRetryAttemptCount: 2,
          maxWaitTimeInSeconds: Math.max(1, Math.floor(requestTimeoutMs / 1000)),
          ...extra.connectionPolicy?.retryOptions,
        },
      },
    });
    this.database = this.client.database(options.databaseId);
  }

  async init(): Promise<void> {
    await this.call(
      'init',
      async (abortSignal) => {
        try {
          await this.ensureContainers(abortSignal);
        } catch (error) {
          // A missing database or container is a deployment fault: storage is unusable, not "not found".
          if (cosmosStatus(error) === 404) {
            throw new StorageUnavailableError('Cosmos database or container is missing', { cause: error });
          }
          throw error;
        }
      },
      this.initTimeoutMs,
    );
  }

  async get<T>(collection: CollectionName, partitionKey: string, id: string): Promise<StoredDocument<T> | undefined> {
    const { container, cosmosId, pk } = this.target(collection, partitionKey, id);
    return this.call('get', async (abortSignal) => {
      try {
        const { resource } = await container.item(cosmosId, pk).read<CosmosItem<T>>({ abortSignal });
        return resource ? this.toStored(resource, partitionKey, id) : undefined;
      } catch (error) {
        if (cosmosStatus(error) === 404) return undefined;
        throw error;
      }
    });
  }

  async create<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    assertBody(body);
    const { container, cosmosId, pk } = this.target(collection, partitionKey, id);
    return this.call('create', async (abortSignal) => {
      const { resource } = await container.items.create(item(cosmosId, pk, id, partitionKey, body), { abortSignal });
      return this.toStored(resource, partitionKey, id);
    });
  }

  async replace<T>(collection: CollectionName, partitionKey: string, id: string, body: T, etag: string): Promise<StoredDocument<T>> {
    assertBody(body);
    assertEtag(etag);
    const { container, cosmosId, pk } = this.target(collection, partitionKey, id);
    return this.call('replace', async (abortSignal) => {
      const { resource } = await container
        .item(cosmosId, pk)
        .replace<CosmosItem<T>>(item(cosmosId, pk, id, partitionKey, body), { accessCondition: { type: 'IfMatch', condition: etag }, abortSignal });
      return this.toStored(resource, partitionKey, id);
    });
  }

  async upsert<T>(collection: CollectionName, partitionKey: string, id: string, body: T): Promise<StoredDocument<T>> {
    assertBody(body);
    const { container, cosmosId, pk } = this.target(collection, partitionKey, id);
    return this.call('upsert', async (abortSignal) => {
      const { resource } = await container.items.upsert<CosmosItem<T>>(item(cosmosId, pk, id, partitionKey, body), { abortSignal });
      return this.toStored(resource, partitionKey, id);
    });
  }

  async delete(collection: CollectionName, partitionKey: string, id: string, etag?: string): Promise<boolean> {
    if (etag !== undefined) assertEtag(etag);
    const { container, cosmosId, pk } = this.target(collection, partitionKey, id);
    return this.call('delete', async (abortSignal) => {
      try {
        await container.item(cosmosId, pk).delete({
          ...(etag !== undefined ? { accessCondition: { type: 'IfMatch', condition: etag } } : {}),
          abortSignal,
        });
        return true;
      } catch (error) {
        if (cosmosStatus(error) === 404) return false;
        throw error;
      }
    });
  }

  async listPartition<T>(collection: CollectionName, partitionKey: string): Promise<StoredDocument<T>[]> {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    const pk = cosmosPartitionValue(partitionKey);
    return this.call('listPartition', async (abortSignal) => {
      const items = await this.partitionItems<CosmosItem<T>>(collection, pk, '*', abortSignal);
      return items.filter((it) => it.docPk === partitionKey).map((it) => this.toStored(it, partitionKey, it.docId));
    });
  }

  async deletePartition(collection: CollectionName, partitionKey: string): Promise<number> {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    const pk = cosmosPartitionValue(partitionKey);
    const container = this.container(collection);
    return this.call('deletePartition', async (abortSignal) => {
      const items = await this.partitionItems<{ id: string; docPk: string }>(collection, pk, 'c.id, c.docPk', abortSignal);
      const ids = items.filter((it) => it.docPk === partitionKey).map((it) => it.id);
      let deleted = 0;
      for (let i = 0; i < ids.length; i += DELETE_BATCH) {
        const outcomes = await Promise.all(
          ids.slice(i, i + DELETE_BATCH).map(async (cosmosId) => {
            try {
              await container.item(cosmosId, pk).delete({ abortSignal });
              return 1;
            } catch (error) {
              if (cosmosStatus(error) === 404) return 0; // deleted meanwhile by someone else
              throw error;
            }
          }),
        );
        deleted += outcomes.reduce<number>((sum, n) => sum + n, 0);
      }
      return deleted;
    });
  }

  async query<T>(collection: CollectionName, query: DocumentQuery): Promise<StoredDocument<T>[]> {
    assertCollection(collection);
    validateQuery(query);
    if (query.limit === 0) return [];
    const conditions: string[] = [];
    const parameters: SqlParameter[] = [];
    // Field names are checked identifiers; bracket notation also copes with SQL keywords ("value").
    if (query.fieldAtMost) {
      conditions.push(`c.body["${query.fieldAtMost.field}"] <= @atMost`);
      parameters.push({ name: '@atMost', value: query.fieldAtMost.value });
    }
    if (query.fieldEquals) {
      conditions.push(`c.body["${query.fieldEquals.field}"] = @equals`);
      parameters.push({ name: '@equals', value: query.fieldEquals.value });
    }
    // TOP, not OFFSET/LIMIT: the test server cannot parse a parameter after LIMIT; both work on Cosmos.
    let top = '';
    if (query.limit !== undefined) {
      top = 'TOP @limit ';
      parameters.push({ name: '@limit', value: query.limit });
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const container = this.container(collection);
    return this.call('query', async (abortSignal) => {
      const { resources } = await container.items
        .query<CosmosItem<T>>({ query: `SELECT ${top}* FROM c${where}`, parameters }, { abortSignal })
        .fetchAll();
      return resources.map((it) => this.toStored(it, it.docPk, it.docId));
    });
  }

  async close(): Promise<void> {
    this.client.dispose();
  }

  private async ensureContainers(abortSignal: AbortSignal): Promise<void> {
    if (this.createIfMissing) {
      await this.client.databases.createIfNotExists({ id: this.options.databaseId }, { abortSignal });
    }
    for (const collection of COLLECTIONS) {
      const id = this.containerId(collection);
      const { resource } = this.createIfMissing
        ? await this.database.containers.createIfNotExists(
            { id, partitionKey: { paths: ['/pk'], version: PartitionKeyDefinitionVersion.V2 } },
            { abortSignal },
          )
        : await this.database.container(id).read({ abortSignal });
      if (!resource) throw new StorageUnavailableError(`Cosmos container ${id} is missing`);
      // A container made by hand with another partition key would accept writes and break reads.
      if (resource.partitionKey?.paths?.[0] !== '/pk') {
        throw new StorageError(`Cosmos container ${id} must be partitioned on /pk`);
      }
    }
  }

  /**
   * The partition filter is written into the SQL as well as passed as the partition key: Cosmos
   * needs only the latter, but the test server ignores it and would return every partition.
   */
  private async partitionItems<R>(collection: CollectionName, pk: string, select: string, abortSignal: AbortSignal): Promise<R[]> {
    const { resources } = await this.container(collection)
      .items.query<R>({ query: `SELECT ${select} FROM c WHERE c.pk = @pk`, parameters: [{ name: '@pk', value: pk }] }, {
        partitionKey: pk,
        abortSignal,
      })
      .fetchAll();
    return resources;
  }

  private target(collection: CollectionName, partitionKey: string, id: string): { container: Container; cosmosId: string; pk: string } {
    assertCollection(collection);
    assertKey('partitionKey', partitionKey);
    assertKey('id', id);
    return { container: this.container(collection), cosmosId: encodeCosmosId(id), pk: cosmosPartitionValue(partitionKey) };
  }

  private container(collection: CollectionName): Container {
    return this.database.container(this.containerId(collection));
  }

  private containerId(collection: CollectionName): string {
    return `${this.containerPrefix}${collection}`;
  }

  private toStored<T>(resource: CosmosItem<T> | undefined, partitionKey: string, id: string): StoredDocument<T> {
    // Also rejects the (astronomically unlikely) hashed-key collision and items not written by us.
    if (!resource || resource.docId !== id || resource.docPk !== partitionKey || typeof resource._etag !== 'string') {
      throw new StorageUnavailableError('Cosmos returned an item this store cannot read');
    }
    return { id, partitionKey, etag: resource._etag, body: resource.body };
  }

  /**
   * Runs one operation under the overall deadline and translates its errors. The deadline is our
   * own timer, not only the SDK's abort signal: with endpoint discovery on, the SDK's account
   * lookup ignores both the signal and `requestTimeout` (measured: ~37 s against a silent endpoint
   * with a 300 ms request timeout). The abandoned SDK call is aborted and finishes in background.
   */
  private async call<R>(
    operation: string,
    work: (abortSignal: AbortSignal) => Promise<R>,
    timeoutMs: number = this.operationTimeoutMs,
  ): Promise<R> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StorageUnavailableError(`Cosmos ${operation} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const attempt = work(controller.signal);
    attempt.catch(() => undefined); // its failure after the deadline is nobody's business
    try {
      return await Promise.race([attempt, deadline]);
    } catch (error) {
      throw toStorageError(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

function item<T>(cosmosId: string, pk: string, docId: string, docPk: string, body: T): CosmosItem<T> {
  return { id: cosmosId, pk, docId, docPk, body };
}
