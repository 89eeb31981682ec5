/**
 * Delivers escalations to another system by an HTTPS POST of signed JSON (schema:
 * docs/webhook-escalation.schema.json, receiver guide: docs/webhook.md).
 *
 * Signature: HMAC-SHA256 over `${timestamp}.${rawBody}` with the shared secret, so a receiver can
 * check both origin and freshness (replay window) with `verifyWebhookSignature`.
 * The event id is the same on every retry of one message, so receivers can de-duplicate.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Escalation } from '../../core/escalation/escalation';
import type { DeliveryResult, EscalationMessage, EscalationNotifier } from '../../core/ports/notifier';
import { post, postFailureReason } from './httpPost';

export const WEBHOOK_EVENT_TYPE = 'petitspas.escalation';
export const WEBHOOK_SCHEMA_VERSION = 1;
export const HEADER_TIMESTAMP = 'X-PetitsPas-Timestamp';
export const HEADER_SIGNATURE = 'X-PetitsPas-Signature';
export const HEADER_EVENT_ID = 'X-PetitsPas-Event-Id';

export interface WebhookPayload {
  readonly type: typeof WEBHOOK_EVENT_TYPE;
  readonly schemaVersion: typeof WEBHOOK_SCHEMA_VERSION;
  readonly eventId: string;
  readonly kind: EscalationMessage['kind'];
  readonly destination: EscalationMessage['destination'];
  readonly sequence?: number;
  readonly sentAt: string;
  readonly escalation: Escalation;
}

export interface WebhookNotifierOptions {
  readonly url: string;
  /** Where 'backup' messages go; the main URL when absent (the receiver sees `destination`). */
  readonly backupUrl?: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  readonly name?: string;
  /** For tests: milliseconds since the epoch. */
  readonly now?: () => number;
}

/** Same for every attempt of one message; reminders and follow-ups are numbered events of their own. */
export function webhookEventId(message: Pick<EscalationMessage, 'kind' | 'escalation' | 'sequence'>): string {
  return `${message.escalation.id}.${message.kind}${message.sequence ? `.${message.sequence}` : ''}`;
}

export function buildWebhookPayload(message: EscalationMessage, sentAt: Date): WebhookPayload {
  return {
    type: WEBHOOK_EVENT_TYPE,
    schemaVersion: WEBHOOK_SCHEMA_VERSION,
    eventId: webhookEventId(message),
    kind: message.kind,
    destination: message.destination,
    ...(message.sequence ? { sequence: message.sequence } : {}),
    sentAt: sentAt.toISOString(),
    escalation: message.escalation,
  };
}

export function signWebhookBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`, 'utf8');
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

/**
 * For receivers (and tests): true only when the signature matches the raw body and timestamp, and
 * the timestamp is within `toleranceSeconds` of `now` (Date or epoch milliseconds) — an old request
 * replayed later is refused. Compare the raw bytes received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  now: Date | number,
  toleranceSeconds = 300,
): boolean {
  if (!secret || typeof timestamp !== 'string' || typeof signatureHeader !== 'string') return false;
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((now instanceof Date ? now.getTime() : now) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
  if (!match) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, rawBody).slice('sha256='.length), 'hex');
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** https everywhere; plain http only for a loopback receiver (tests, local development). */
export function assertWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('webhook URL is not a valid URL');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url;
  throw new TypeError('webhook URL must use https (plain http only for 127.0.0.1/localhost)');
}

export class WebhookNotifier implements EscalationNotifier {
  readonly name: string;
  private readonly url: URL;
  private readonly backupUrl?: URL;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: WebhookNotifierOptions) {
    if (!options.secret) throw new TypeError('webhook secret is required');
    this.url = assertWebhookUrl(options.url);
    this.backupUrl = options.backupUrl ? assertWebhookUrl(options.backupUrl) : undefined;
    this.secret = options.secret;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.name = options.name ?? 'webhook';
    this.now = options.now ?? Date.now;
  }

  async deliver(message: EscalationMessage): Promise<DeliveryResult> {
    const nowMs = this.now();
    const body = JSON.stringify(buildWebhookPayload(message, new Date(nowMs)));
    const timestamp = String(Math.floor(nowMs / 1000));
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'PetitsPas-Escalation/1',
      [HEADER_TIMESTAMP]: timestamp,
      [HEADER_SIGNATURE]: signWebhookBody(this.secret, timestamp, body),
      [HEADER_EVENT_ID]: webhookEventId(message),
    };
    const url = message.destination === 'backup' && this.backupUrl ? this.backupUrl : this.url;
    let status: number;
    try {
      status = await post(url, headers, body, this.timeoutMs);
    } catch (error) {
      // Network faults and our own timeout: the receiver may be back in a moment.
      return { delivered: false, retryable: true, reason: postFailureReason(error) };
    }
    if (status >= 200 && status < 300) return { delivered: true };
    if (status === 408 || status === 429) return { delivered: false, retryable: true, reason: `http ${status}` };
    // 3xx: redirects are not followed (the signed request must reach the configured URL), so retrying cannot help.
    if ((status >= 400 && status < 500) || (status >= 300 && status < 400)) return { delivered: false, retryable: false, reason: `http ${status}` };
    return { delivered: false, retryable: true, reason: `http ${status}` };
  }
}
