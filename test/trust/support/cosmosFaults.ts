/**
 * A Cosmos-protocol server (@vercel/cosmosdb-server, plain HTTP, in memory) and a fault-injecting
 * HTTP proxy in front of it, on loopback. The proxy can pass, delay, throttle (429 with
 * x-ms-retry-after-ms, as Cosmos does), fail writes only (503), or stop listening altogether
 * (connection refused, open sockets cut) and start again on the same port.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { CosmosDocumentStore } from '../../../adapters/storage/cosmosStore';
import { TEST_KEY } from '../../storage/helpers/cosmosServer';

export type FaultMode = { kind: 'pass' } | { kind: 'slow'; delayMs: number } | { kind: 'throttle'; retryAfterMs: number } | { kind: 'failWrites' };

export interface PlainCosmos {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startPlainCosmos(): Promise<PlainCosmos> {
  const server = createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export class FaultProxy {
  mode: FaultMode = { kind: 'pass' };
  readonly counts = { forwarded: 0, delayed: 0, throttled: 0, failedWrites: 0 };
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly upstream: URL;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private portNumber = 0;

  constructor(upstream: string) {
    this.upstream = new URL(upstream);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 2_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => resolve());
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The database "goes away": new connections are refused, open ones are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.stop();
    this.agent.destroy();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const mode = this.mode;
    if (mode.kind === 'throttle') {
      this.counts.throttled += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': String(mode.retryAfterMs), 'x-ms-substatus': '3200' });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large (test proxy)' }));
      return;
    }
    if (mode.kind === 'failWrites' && isWrite(req)) {
      this.counts.failedWrites += 1;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'ServiceUnavailable', message: 'test proxy refuses writes' }));
      return;
    }
    if (mode.kind === 'slow') {
      this.counts.delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
      if (res.destroyed) return;
    }
    this.counts.forwarded += 1;
    const forward = http.request(
      { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host }, agent: this.agent },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    forward.end(body);
  }
}

/** Document writes: create/upsert (POST to /docs, not a query), replace (PUT), delete. */
function isWrite(req: http.IncomingMessage): boolean {
  if (req.method === 'PUT' || req.method === 'DELETE') return true;
  if (req.method !== 'POST') return false;
  const isQuery = String(req.headers['x-ms-documentdb-isquery'] ?? '').toLowerCase() === 'true' || String(req.headers['content-type'] ?? '').includes('query+json');
  return /\/docs\/?$/.test((req.url ?? '').split('?')[0]) && !isQuery;
}

export function cosmosStoreVia(endpoint: string, databaseId: string, timeouts: { requestTimeoutMs: number; operationTimeoutMs: number } = { requestTimeoutMs: 1_000, operationTimeoutMs: 2_000 }): CosmosDocumentStore {
  return new CosmosDocumentStore({
    endpoint,
    key: TEST_KEY,
    databaseId,
    containerPrefix: 'pp-',
    clientOptions: { connectionPolicy: { enableEndpointDiscovery: false } },
    initTimeoutMs: 10_000,
    ...timeouts,
  });
}
