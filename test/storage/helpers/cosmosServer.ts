/**
 * A real Cosmos DB protocol server for tests (@vercel/cosmosdb-server, in memory), on a free port
 * of 127.0.0.1. Its bundled TLS certificate has expired, hence the permissive agent — test only.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { CosmosClientOptions } from '@azure/cosmos';

/** The test server accepts any key; the SDK only needs it to be base64. */
export const TEST_KEY = Buffer.from('petits-pas-test-key').toString('base64');

export interface TestCosmosServer {
  readonly endpoint: string;
  /** Client options every client of this server needs. */
  readonly clientOptions: Partial<CosmosClientOptions>;
  close(): Promise<void>;
}

export async function startCosmosServer(): Promise<TestCosmosServer> {
  const server = createHttpsServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new https.Agent({ rejectUnauthorized: false });
  return {
    endpoint: `https://127.0.0.1:${port}`,
    clientOptions: { agent, connectionPolicy: { enableEndpointDiscovery: false } },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
