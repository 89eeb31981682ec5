import { Agent } from 'node:https';
import { resolve } from 'node:path';
import { CosmosDocumentStore } from '../adapters/storage/cosmosStore';
import { FileDocumentStore } from '../adapters/storage/fileStore';
import type { DocumentStore } from '../core/ports/documentStore';
import type { Config } from './config';

/** The configured store. Cosmos uses a key here; managed identity is wired by the deployment issue. */
export function createDocumentStore(config: Config): DocumentStore {
  const storage = config.storage;
  if (storage.provider === 'file') return new FileDocumentStore(resolve(config.dataDir, 'store'));
  if (!storage.key) {
    throw new Error('COSMOS_USE_MANAGED_IDENTITY is not supported by this build yet: set COSMOS_KEY');
  }
  return new CosmosDocumentStore({
    endpoint: storage.endpoint,
    key: storage.key,
    databaseId: storage.database,
    requestTimeoutMs: 3_000,
    operationTimeoutMs: 6_000,
    clientOptions: storage.allowSelfSigned
      ? { agent: new Agent({ rejectUnauthorized: false }), connectionPolicy: { enableEndpointDiscovery: false } }
      : {},
  });
}
