/**
 * The webhook notifier over real HTTP, against a local server on 127.0.0.1 (port 0).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  assertWebhookUrl,
  buildWebhookPayload,
  signWebhookBody,
  verifyWebhookSignature,
  WebhookNotifier,
} from '../../adapters/notify/webhookNotifier';
import { checkAgainstSchema } from '../support/miniJsonSchema';
import { makeEscalation } from '../support/escalations';

const SECRET = 'shared-webhook-secret';

interface Received {
  path: string | undefined;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  receivedAt: number;
}

describe('WebhookNotifier over HTTP', () => {
  let server: http.Server;
  let url: string;
  let received: Received[];
  let respond: (res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url, headers: req.headers, raw: Buffer.concat(chunks), receivedAt: Date.now() });
        respond(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/escalation`;
  });

  beforeEach(() => {
    received = [];
    respond = (res) => {
      // restify patches ServerResponse in this worker, so writeHead is not chainable here.
      res.writeHead(204);
      res.end();
    };
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const notifier = (options: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) =>
    new WebhookNotifier({ url, secret: SECRET, timeoutMs: 2_000, ...options });

  it('posts a signed JSON payload that the receiver can verify', async () => {
    const escalation = makeEscalation(1);
    const result = await notifier().deliver({ kind: 'alert', escalation, destination: 'primary' });
    expect(result).toEqual({ delivered: true });
    expect(received).toHaveLength(1);
    const { headers, raw, receivedAt } = received[0];
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['x-petitspas-event-id']).toBe(`${escalation.id}.alert`);
    const timestamp = headers['x-petitspas-timestamp'] as string;
    const signature = headers['x-petitspas-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(timestamp) - receivedAt / 1000)).toBeLessThan(5);
    expect(verifyWebhookSignature(SECRET, timestamp, raw, signature, receivedAt)).toBe(true);
    expect(verifyWebhookSignature(SECRET, timestamp, raw.toString('utf8'), signature, new Date(receivedAt))).toBe(true);
    const payload = JSON.parse(raw.toString('utf8'));
    expect(payload).toMatchObject({ type: 'petitspas.escalation', schemaVersion: 1, kind: 'alert', destination: 'primary', eventId: `${escalation.id}.alert` });
    expect(payload.escalation).toEqual(JSON.parse(JSON.stringify(escalation)));
  });

  it('refuses a replayed (old) timestamp, a tampered body, a wrong secret and malformed headers', async () => {
    await notifier().deliver({ kind: 'alert', escalation: makeEscalation(2), destination: 'primary' });
    const { headers, raw, receivedAt } = received[0];
    const ts = headers['x-petitspas-timestamp'] as string;
    const sig = headers['x-petitspas-signature'] as string;
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, receivedAt + 301_000)).toBe(false); // replay 5 min later
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, receivedAt - 301_000)).toBe(false); // from the future
    expect(verifyWebhookSignature(SECRET, ts, raw, sig, receivedAt + 60_000, 30)).toBe(false); // tighter window
    const tampered = Buffer.from(raw.toString('utf8').replace('"crisis"', '"concern"'));
    expect(tampered.equals(raw)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, tampered, sig, receivedAt)).toBe(false);
    // Re-stamping an old body with a fresh timestamp does not help without the secret.
    expect(verifyWebhookSignature(SECRET, String(Number(ts) + 1), raw, sig, receivedAt)).toBe(false);
    expect(verifyWebhookSignature('other-secret', ts, raw, sig, receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, sig.replace('sha256=', 'sha1='), receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, `${sig}00`, receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, raw, sig, receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, undefined, receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, '12.5', raw, sig, receivedAt)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, raw, signWebhookBody(SECRET, ts, raw).toUpperCase().replace('SHA256=', 'sha256='), receivedAt)).toBe(true);
  });

  it('keeps the event id across retries and numbers reminders', async () => {
    const escalation = makeEscalation(3);
    const n = notifier();
    await n.deliver({ kind: 'alert', escalation, destination: 'primary' });
    await n.deliver({ kind: 'alert', escalation, destination: 'backup' });
    await n.deliver({ kind: 'reminder', escalation, destination: 'backup', sequence: 2 });
    expect(received.map((r) => r.headers['x-petitspas-event-id'])).toEqual([`${escalation.id}.alert`, `${escalation.id}.alert`, `${escalation.id}.reminder.2`]);
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [408, true],
    [429, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [410, false],
    [301, false],
  ])('maps HTTP %i to retryable=%s', async (status, retryable) => {
    respond = (res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('details the notifier must not keep');
    };
    const result = await notifier().deliver({ kind: 'alert', escalation: makeEscalation(4), destination: 'primary' });
    expect(result).toEqual({ delivered: false, retryable, reason: `http ${status}` });
  });

  it('gives up after its timeout and calls it retryable', async () => {
    respond = () => undefined; // never answers
    const started = Date.now();
    const result = await notifier({ timeoutMs: 200 }).deliver({ kind: 'alert', escalation: makeEscalation(5), destination: 'primary' });
    expect(result).toEqual({ delivered: false, retryable: true, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    server.closeAllConnections();
  });

  it('calls a refused connection retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await new WebhookNotifier({ url: `http://127.0.0.1:${port}/`, secret: SECRET, timeoutMs: 1_000 }).deliver({
      kind: 'alert',
      escalation: makeEscalation(6),
      destination: 'primary',
    });
    expect(result).toEqual({ delivered: false, retryable: true, reason: 'network ECONNREFUSED' });
  });

  it('sends backup messages to the backup URL when one is set', async () => {
    const n = notifier({ backupUrl: url.replace('/hooks/escalation', '/hooks/backup') });
    await n.deliver({ kind: 'alert', escalation: makeEscalation(7), destination: 'backup' });
    await n.deliver({ kind: 'alert', escalation: makeEscalation(7), destination: 'primary' });
    expect(received.map((r) => r.path)).toEqual(['/hooks/backup', '/hooks/escalation']);
  });
});

describe('webhook configuration and payload', () => {
  it('accepts https anywhere and http only for loopback', () => {
    expect(assertWebhookUrl('https://hooks.example.org/x').protocol).toBe('https:');
    expect(assertWebhookUrl('http://127.0.0.1:8080/x').hostname).toBe('127.0.0.1');
    expect(assertWebhookUrl('http://localhost/x').hostname).toBe('localhost');
    expect(() => assertWebhookUrl('http://hooks.example.org/x')).toThrow(/https/);
    expect(() => assertWebhookUrl('ftp://127.0.0.1/x')).toThrow(/https/);
    expect(() => assertWebhookUrl('not a url')).toThrow(/valid/);
    expect(() => new WebhookNotifier({ url: 'https://hooks.example.org', secret: '' })).toThrow(/secret/);
  });

  it('matches the documented JSON Schema', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../docs/webhook-escalation.schema.json'), 'utf8'));
    const sentAt = new Date('2025-03-01T14:00:02.000Z');
    const samples = [
      buildWebhookPayload({ kind: 'alert', escalation: makeEscalation(1), destination: 'primary' }, sentAt),
      buildWebhookPayload({ kind: 'reminder', escalation: makeEscalation(2, { saidSafe: true }), destination: 'backup', sequence: 3 }, sentAt),
      buildWebhookPayload({ kind: 'followup', escalation: makeEscalation(3, { latestScores: [], planSteps: [], saidSafe: undefined }), destination: 'primary' }, sentAt),
    ];
    for (const sample of samples) expect(checkAgainstSchema(JSON.parse(JSON.stringify(sample)), schema)).toEqual([]);
    // The checker does bite: an unexpected field and a long excerpt are reported.
    const bad = JSON.parse(JSON.stringify(samples[0]));
    bad.escalation.userKey = 'msteams:29:user-1';
    bad.escalation.excerpt = 'x'.repeat(161);
    expect(checkAgainstSchema(bad, schema)).toEqual(['$.escalation.excerpt: longer than 160', '$.escalation: unexpected property userKey']);
  });
});
