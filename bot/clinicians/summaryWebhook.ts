/**
 * The summary as signed JSON to another system's HTTPS webhook (schema:
 * docs/webhook-summary.schema.json, receiver guide: docs/webhook.md). Signed exactly like the
 * escalation webhook — HMAC-SHA256 over `${timestamp}.${rawBody}` in X-PetitsPas-Signature — with
 * the helpers of adapters/notify/webhookNotifier.ts, so a receiver verifies both the same way.
 *
 * Never throws for delivery problems: the result says whether a retry can help. Redirects are not
 * followed; the response body is never read.
 */
import { post, postFailureReason } from '../../adapters/notify/httpPost';
import {
  assertWebhookUrl,
  HEADER_EVENT_ID,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  signWebhookBody,
} from '../../adapters/notify/webhookNotifier';
import type { ChartImage } from '../../adapters/charts/trendChart';
import type { ClinicianSummary } from '../../core/clinicians/summary';

export const SUMMARY_EVENT_TYPE = 'petitspas.summary';
export const SUMMARY_SCHEMA_VERSION = 1;

export interface SummaryWebhookPayload {
  readonly type: typeof SUMMARY_EVENT_TYPE;
  readonly schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  readonly eventId: string;
  readonly sentAt: string;
  readonly summary: ClinicianSummary;
  /** The trend chart, when asked for (`includeChart`). */
  readonly chart?: { readonly mediaType: 'image/png'; readonly width: number; readonly height: number; readonly base64: string };
}

export type SummaryDelivery = { readonly delivered: true; readonly status: number } | { readonly delivered: false; readonly retryable: boolean; readonly reason: string };

export interface SummaryWebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  /** Adds the PNG chart (base64) to the payload. Default false (receivers can draw from the series). */
  readonly includeChart?: boolean;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

/**
 * `<P-id>.summary.<key>`: the same for every retry of one summary (a scheduled one uses its job's
 * meeting date as key, an on-demand one its generation time), so receivers can de-duplicate.
 */
export function summaryEventId(summary: Pick<ClinicianSummary, 'personId' | 'reason' | 'meetingAt' | 'generatedAt'>): string {
  const key = summary.reason === 'scheduled' && summary.meetingAt ? `meeting-${Date.parse(summary.meetingAt)}` : `at-${Date.parse(summary.generatedAt)}`;
  return `${summary.personId}.summary.${key}`;
}

export function buildSummaryPayload(summary: ClinicianSummary, sentAt: Date, chart?: ChartImage): SummaryWebhookPayload {
  return {
    type: SUMMARY_EVENT_TYPE,
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    eventId: summaryEventId(summary),
    sentAt: sentAt.toISOString(),
    summary,
    ...(chart ? { chart: { mediaType: 'image/png' as const, width: chart.width, height: chart.height, base64: chart.png.toString('base64') } } : {}),
  };
}

export class SummaryWebhook {
  private readonly url: URL;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly includeChart: boolean;
  private readonly now: () => number;

  constructor(options: SummaryWebhookOptions) {
    if (!options.secret) throw new TypeError('summary webhook secret is required');
    this.url = assertWebhookUrl(options.url);
    this.secret = options.secret;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.includeChart = options.includeChart ?? false;
    this.now = options.now ?? Date.now;
  }

  async send(summary: ClinicianSummary, chart?: ChartImage): Promise<SummaryDelivery> {
    const nowMs = this.now();
    const payload = buildSummaryPayload(summary, new Date(nowMs), this.includeChart ? chart : undefined);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(nowMs / 1000));
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'PetitsPas-Summary/1',
      [HEADER_TIMESTAMP]: timestamp,
      [HEADER_SIGNATURE]: signWebhookBody(this.secret, timestamp, body),
      [HEADER_EVENT_ID]: payload.eventId,
    };
    let status: number;
    try {
      status = await post(this.url, headers, body, this.timeoutMs);
    } catch (error) {
      return { delivered: false, retryable: true, reason: postFailureReason(error) };
    }
    if (status >= 200 && status < 300) return { delivered: true, status };
    if (status === 408 || status === 429 || status >= 500) return { delivered: false, retryable: true, reason: `http ${status}` };
    return { delivered: false, retryable: false, reason: `http ${status}` };
  }
}
