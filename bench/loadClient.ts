/**
 * A small HTTP client for load and fuzz traffic: node:http with a keep-alive Agent (bounded
 * sockets), raw string or Buffer bodies (so malformed JSON can be sent), a per-request timeout,
 * and a bounded-concurrency runner. Loopback only: it refuses any other host.
 */
import http from 'node:http';

export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Milliseconds from sending to the end of the response body. */
  readonly ms: number;
}

export interface ClientOptions {
  /** Sockets kept open (and used in parallel). Default 50. */
  readonly maxSockets?: number;
  /** Per request. Default 30 s. */
  readonly timeoutMs?: number;
}

export class LoopbackClient {
  readonly agent: http.Agent;
  private readonly url: URL;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.url = new URL(baseUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.url.hostname)) throw new Error(`LoopbackClient only talks to loopback (got ${this.url.hostname})`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 50, maxFreeSockets: options.maxSockets ?? 50 });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  request(method: string, path: string, body?: string | Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<HttpResult> {
    const started = process.hrtime.bigint();
    return new Promise<HttpResult>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const req = http.request(
        {
          host: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`request timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  postJson(path: string, value: unknown, headers: http.OutgoingHttpHeaders = {}): Promise<HttpResult> {
    return this.request('POST', path, JSON.stringify(value), headers);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` tasks with at most `concurrency` in flight; resolves when all have settled. */
export async function runBounded(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Seeded, so generated traffic is reproducible. */
export { seededRandom } from '../core/seededRandom';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}
