import { ManagedIdentityCredential } from '@azure/identity';
import { Agent } from 'node:https';
import { resolve } from 'node:path';
import { CosmosDocumentStore } from '../adapters/storage/cosmosStore';
import { FileDocumentStore } from '../adapters/storage/fileStore';
import type { DocumentStore } from '../core/ports/documentStore';
import type { Config } from './config';

/** The configured store: the local file store, or Cosmos DB with a key or the App Service managed identity. */
export function createDocumentStore(config: Config): DocumentStore {
  const storage = config.storage;
  if (storage.provider === 'file') return new FileDocumentStore(resolve(config.dataDir, 'store'));
  return new CosmosDocumentStore({
    endpoint: storage.endpoint,
    // With managed identity the deployment creates the database and containers (data-plane roles cannot).
    ...(storage.useManagedIdentity ? { tokenCredential: new ManagedIdentityCredential() } : { key: storage.key }),
    databaseId: storage.database,
    requestTimeoutMs: 3_000,
    operationTimeoutMs: 6_000,
    clientOptions: storage.allowSelfSigned
      ? { agent: new Agent({ rejectUnauthorized: false }), connectionPolicy: { enableEndpointDiscovery: false } }
      : {},
  });
}
