import http from 'node:http';
import https from 'node:https';

/** The bounded POST both signed webhooks (escalations, clinician summaries) send with. */
export class PostTimeoutError extends Error {}

/**
 * One POST; resolves with the status code as soon as the response head arrives (the body is
 * discarded unread: it is not ours to log). The whole exchange up to that point is bounded.
 */
export function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, { method: 'POST', headers, signal: controller.signal }, (response) => {
      clearTimeout(timer);
      response.on('error', () => undefined); // late resets after the status is known do not matter
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(timedOut ? new PostTimeoutError('timeout') : error);
    });
    request.end(body);
  });
}

/** A short reason for a failed POST, without anything the receiver said. */
export function postFailureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return error instanceof PostTimeoutError ? 'timeout' : `network ${typeof code === 'string' ? code : 'error'}`;
}
