/**
 * The summary as signed JSON over real HTTP (a local server on 127.0.0.1): the receiver verifies
 * the signature with the escalation webhook's helper, the body matches the documented schema; and
 * the scheduled summary job end to end (Teams card to the clinician's private chat + webhook,
 * each delivered once, retries, refusals).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActivityTypes, TestAdapter, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { HEADER_EVENT_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifyWebhookSignature } from '../../adapters/notify/webhookNotifier';
import type { ProactiveAdapter, ProactiveContext } from '../../adapters/notify/teamsNotifier';
import { ClinicianMessenger, MAX_PARTIAL_RETRIES, scheduleSummaryBeforeMeeting, SUMMARY_JOB_KIND, summaryJobHandler } from '../../bot/clinicians/summaryJob';
import { SUMMARY_MARK_ID } from '../../bot/clinicians/summaryService';
import { buildSummaryPayload, SummaryWebhook, summaryEventId } from '../../bot/clinicians/summaryWebhook';
import { Scheduler } from '../../bot/scheduler/scheduler';
import { JobStore } from '../../bot/scheduler/jobStore';
import { buildClinicianSummary, type ClinicianSummary } from '../../core/clinicians/summary';
import { buildEscalation } from '../../core/escalation/escalation';
import { newJob, type Job } from '../../core/schedule/job';
import { addMean, addReview, chooseAction, rateConfidence, setStepField } from '../../core/plan/plan';
import { silentLogger } from '../../bot/observability/logger';
import { checkAgainstSchema } from '../support/miniJsonSchema';
import { SECRET_WORDS, TEST_SECRET } from '../support/escalations';
import { CLIN_A, createWorld, linkPerson, type World } from './helpers';

const SECRET = 'summary-webhook-secret';
const schema = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'docs', 'webhook-summary.schema.json'), 'utf8')) as Record<string, unknown>;

interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: Buffer;
}

/** A receiver on 127.0.0.1 answering `status` (or never answering when `hang`). */
async function receiver(): Promise<{ url: string; received: Received[]; status: number; hang: boolean; close(): Promise<void> }> {
  const state = { received: [] as Received[], status: 200, hang: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      if (state.hang) return;
      res.writeHead(state.status, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hooks/summary`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
}

class FakeProactive implements ProactiveAdapter {
  readonly test = new TestAdapter();
  readonly calls: Partial<ConversationReference>[] = [];
  fail?: Error;

  async continueConversationAsync(_botAppId: string, reference: Partial<ConversationReference>, logic: (context: ProactiveContext) => Promise<void>): Promise<void> {
    this.calls.push(reference);
    if (this.fail) throw this.fail;
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await logic(new TurnContext(this.test, activity as Activity));
  }

  sent(): Partial<Activity>[] {
    return this.test.activeQueue.splice(0);
  }
}

const clinicianChat: Partial<ConversationReference> = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  conversation: { id: 'a:personal-clin-a', conversationType: 'personal', isGroup: false, tenantId: 'tenant', name: '' },
  user: { id: CLIN_A.id, name: CLIN_A.name },
  bot: { id: '28:bot', name: 'Petits pas' },
  locale: 'en-US',
};

let hook: Awaited<ReturnType<typeof receiver>>;
let world: World;

beforeEach(async () => {
  hook = await receiver();
  world = await createWorld();
});
afterEach(async () => {
  await hook.close();
  world.cleanup();
});

/** A person with a plan, an escalation and scores, linked to CLIN_A. */
async function linkedPerson(): Promise<{ personKey: string; userStateKey: string; personId: string }> {
  const person = await world.person(1);
  const at = new Date('2025-02-20T15:00:00.000Z');
  await world.plans.update(person.personKey, (plan) => {
    let p = addMean(plan, { kind: 'catalogue', id: 'sleep-routine', category: 'habits' }, 'now', at).plan;
    const chosen = chooseAction(p, 'sleep-routine', at);
    if (chosen.outcome !== 'chosen') throw new Error('choose');
    p = setStepField(chosen.plan, chosen.action.id, 'what', 'Me coucher à 23 h', at).plan;
    p = rateConfidence(p, chosen.action.id, 6, at).plan;
    return addReview(p, chosen.action.id, { outcome: 'worked' }, new Date('2025-02-27T15:00:00.000Z')).plan;
  });
  const escalation = buildEscalation({ secret: TEST_SECRET, personKey: person.personKey, eventId: 'e1', level: 'concern', categories: ['self_harm'], text: SECRET_WORDS, createdAt: '2025-02-25T03:00:00.000Z' });
  await world.outbox.enqueue(escalation, new Date('2025-02-25T03:00:00.000Z'));
  const personId = await linkPerson(world, CLIN_A, person);
  return { ...person, personId };
}

describe('the summary webhook over HTTP', () => {
  it('posts a payload the receiver can verify and that matches the documented schema', async () => {
    const person = await linkedPerson();
    const { summary, chart } = await world.summaries.prepare(person.personKey, { reason: 'scheduled', locale: 'fr-CA', meetingAt: '2025-03-04T16:00:00.000Z' });
    const sender = new SummaryWebhook({ url: hook.url, secret: SECRET });
    expect(await sender.send(summary, chart)).toEqual({ delivered: true, status: 200 });
    const [req] = hook.received;
    const timestamp = req.headers[HEADER_TIMESTAMP.toLowerCase()] as string;
    const signature = req.headers[HEADER_SIGNATURE.toLowerCase()] as string;
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['user-agent']).toBe('PetitsPas-Summary/1');
    expect(verifyWebhookSignature(SECRET, timestamp, req.raw, signature, Date.now())).toBe(true);
    expect(verifyWebhookSignature('another-secret', timestamp, req.raw, signature, Date.now())).toBe(false);
    const tampered = Buffer.from(req.raw.toString('utf8').replace('"worked":1', '"worked":9'));
    expect(verifyWebhookSignature(SECRET, timestamp, tampered, signature, Date.now())).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, req.raw, signature, Date.now() + 10 * 60_000)).toBe(false); // replayed later
    const payload = JSON.parse(req.raw.toString('utf8'));
    expect(req.headers[HEADER_EVENT_ID.toLowerCase()]).toBe(payload.eventId);
    expect(payload.eventId).toBe(`${person.personId}.summary.meeting-${Date.parse('2025-03-04T16:00:00.000Z')}`);
    expect(checkAgainstSchema(payload, schema)).toEqual([]);
    expect(payload.summary).toMatchObject({ personId: person.personId, tinySteps: { inPeriod: { worked: 1 } }, escalations: { total: 1, concern: 1 } });
    expect(payload.chart).toBeUndefined();
    expect(req.raw.toString('utf8')).not.toContain(SECRET_WORDS);
  });

  it('can include the chart, and every payload shape matches the schema', async () => {
    const minimal = buildClinicianSummary({ personId: 'P-0123456789AB', now: new Date(), reason: 'on_demand', scores: [], escalations: [], meanLabel: () => '' });
    const chart = { png: Buffer.from([0x89, 0x50, 0x4e, 0x47]), width: 480, height: 200, bytes: 4, dataUri: '' };
    const sender = new SummaryWebhook({ url: hook.url, secret: SECRET, includeChart: true });
    expect(await sender.send(minimal, chart)).toMatchObject({ delivered: true });
    const payload = JSON.parse(hook.received[0].raw.toString('utf8'));
    expect(payload.chart).toEqual({ mediaType: 'image/png', width: 480, height: 200, base64: 'iVBORw==' });
    expect(payload.eventId).toBe(summaryEventId(minimal));
    expect(checkAgainstSchema(payload, schema)).toEqual([]);
    // The schema is strict: an unknown field or a bad id is a problem.
    expect(checkAgainstSchema({ ...payload, extra: 1 }, schema)).not.toEqual([]);
    expect(checkAgainstSchema(buildSummaryPayload({ ...minimal, personId: 'someone' } as ClinicianSummary, new Date()), schema)).not.toEqual([]);
  });

  it('says which failures a retry can fix', async () => {
    const minimal = buildClinicianSummary({ personId: 'P-0123456789AB', now: new Date(), reason: 'on_demand', scores: [], escalations: [], meanLabel: () => '' });
    const sender = new SummaryWebhook({ url: hook.url, secret: SECRET, timeoutMs: 300 });
    hook.status = 503;
    expect(await sender.send(minimal)).toEqual({ delivered: false, retryable: true, reason: 'http 503' });
    hook.status = 429;
    expect(await sender.send(minimal)).toEqual({ delivered: false, retryable: true, reason: 'http 429' });
    hook.status = 400;
    expect(await sender.send(minimal)).toEqual({ delivered: false, retryable: false, reason: 'http 400' });
    hook.status = 302;
    expect(await sender.send(minimal)).toEqual({ delivered: false, retryable: false, reason: 'http 302' });
    hook.hang = true;
    expect(await sender.send(minimal)).toEqual({ delivered: false, retryable: true, reason: 'timeout' });
    const closed = new SummaryWebhook({ url: 'http://127.0.0.1:1/x', secret: SECRET });
    expect(await closed.send(minimal)).toMatchObject({ delivered: false, retryable: true, reason: expect.stringMatching(/^network /) });
    expect(() => new SummaryWebhook({ url: 'http://ehr.example.ca/x', secret: SECRET })).toThrow(/https/);
    expect(() => new SummaryWebhook({ url: hook.url, secret: '' })).toThrow(/secret/);
  });
});

describe('the scheduled summary', () => {
  function job(personKey: string, payload: Record<string, unknown> = { meetingAt: '2025-03-04T16:00:00.000Z' }): Job {
    return newJob({ id: 'summary:2025-03-04T16:00:00.000Z', kind: SUMMARY_JOB_KIND, personKey, dueAt: '2025-03-03T16:00:00.000Z', payload }, world.now);
  }

  function handler(adapter: FakeProactive, webhook?: SummaryWebhook) {
    const messenger = new ClinicianMessenger({ adapter, botAppId: 'app-id', links: world.links, texts: world.texts, defaultLocale: 'fr-CA', logger: silentLogger });
    return summaryJobHandler({ links: world.links, summaries: world.summaries, messenger, webhook, defaultLocale: 'fr-CA', logger: silentLogger });
  }

  it('is scheduled before the meeting, once per meeting', async () => {
    const jobs = new JobStore(world.store);
    const meeting = new Date('2025-03-10T15:00:00.000Z');
    await scheduleSummaryBeforeMeeting({ jobs }, 'webchat/person-1', meeting, { now: world.now });
    await scheduleSummaryBeforeMeeting({ jobs }, 'webchat/person-1', meeting, { now: world.now, hoursBefore: 48 });
    const stored = await jobs.listForPerson('webchat/person-1');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'summary', dueAt: '2025-03-08T15:00:00.000Z', payload: { meetingAt: meeting.toISOString() } });
    await scheduleSummaryBeforeMeeting({ jobs }, 'webchat/person-2', new Date('2025-03-03T16:00:00.000Z'), { now: world.now });
    expect((await jobs.listForPerson('webchat/person-2'))[0].dueAt).toBe(world.now.toISOString()); // already inside the window: now
  });

  it('runs from the scheduler: card to the clinician’s private chat, signed JSON to the webhook, once', async () => {
    const person = await linkedPerson();
    await world.links.rememberClinicianReference(CLIN_A.aad, clinicianChat);
    const adapter = new FakeProactive();
    const scheduler = new Scheduler({ store: world.store, logger: silentLogger, clock: () => world.now });
    scheduler.register(SUMMARY_JOB_KIND, handler(adapter, new SummaryWebhook({ url: hook.url, secret: SECRET })));
    await scheduleSummaryBeforeMeeting(scheduler, person.personKey, new Date('2025-03-04T16:00:00.000Z'), { now: world.now });
    world.now = new Date('2025-03-03T16:00:01.000Z');
    const run = await scheduler.runOnce(world.now);
    expect(run).toMatchObject({ claimed: 1, done: 1 });
    const [card] = adapter.sent();
    expect(adapter.calls[0].conversation?.id).toBe('a:personal-clin-a');
    expect(card.summary).toBe('Summary before the meeting on Mar 4, 2025'); // the clinician's Teams locale
    expect(JSON.stringify(card.attachments)).toContain(person.personId);
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0].raw.toString('utf8')).summary.reason).toBe('scheduled');
    expect((await world.store.get<{ lastSummaryAt: string }>('people', person.personKey, SUMMARY_MARK_ID))?.body.lastSummaryAt).toBe(world.now.toISOString());
    expect((await scheduler.runOnce(new Date('2025-03-03T17:00:00.000Z'))).claimed).toBe(0);
  });

  it('retries only the channel that failed', async () => {
    const person = await linkedPerson();
    await world.links.rememberClinicianReference(CLIN_A.aad, clinicianChat);
    const adapter = new FakeProactive();
    const run = handler(adapter, new SummaryWebhook({ url: hook.url, secret: SECRET }));
    hook.status = 503;
    const first = await run(job(person.personKey), world.now);
    expect(first).toMatchObject({ payload: { teamsDone: true, webhookDone: false, partialRetries: 1 } });
    expect((first as { reschedule: Date }).reschedule.toISOString()).toBe('2025-03-03T15:02:00.000Z');
    expect(adapter.sent()).toHaveLength(1);
    hook.status = 200;
    const second = await run(job(person.personKey, (first as { payload: Record<string, unknown> }).payload), world.now);
    expect(second).toBe('done');
    expect(adapter.sent()).toHaveLength(0); // no second card
    expect(hook.received).toHaveLength(2);
    // Past the retry budget, the job ends.
    hook.status = 503;
    expect(await run(job(person.personKey, { teamsDone: true, partialRetries: MAX_PARTIAL_RETRIES }), world.now)).toBe('done');
  });

  it('retries when nothing could be delivered, and ends quietly when there is nowhere to deliver', async () => {
    const person = await linkedPerson();
    await world.links.rememberClinicianReference(CLIN_A.aad, clinicianChat);
    const adapter = new FakeProactive();
    adapter.fail = Object.assign(new Error('boom'), { statusCode: 502 });
    expect(await handler(adapter)(job(person.personKey), world.now)).toEqual({ error: 'summary teams failed webhook off' });
    const unreachable = await createWorld();
    try {
      const other = await unreachable.person(1);
      await linkPerson(unreachable, CLIN_A, other);
      const messenger = new ClinicianMessenger({ adapter: new FakeProactive(), botAppId: 'app-id', links: unreachable.links, texts: unreachable.texts, defaultLocale: 'fr-CA', logger: silentLogger });
      const quiet = summaryJobHandler({ links: unreachable.links, summaries: unreachable.summaries, messenger, defaultLocale: 'fr-CA', logger: silentLogger });
      expect(await quiet(job(other.personKey), unreachable.now)).toBe('done');
      expect(await unreachable.store.get('people', other.personKey, SUMMARY_MARK_ID)).toBeUndefined();
    } finally {
      unreachable.cleanup();
    }
  });

  it('sends nothing for a person who is not linked or no longer consents', async () => {
    const person = await linkedPerson();
    await world.links.rememberClinicianReference(CLIN_A.aad, clinicianChat);
    const adapter = new FakeProactive();
    const run = handler(adapter, new SummaryWebhook({ url: hook.url, secret: SECRET }));
    await world.setShare(person.userStateKey, false);
    expect(await run(job(person.personKey), world.now)).toBe('done');
    expect(await run(job('webchat/nobody'), world.now)).toBe('done');
    expect(adapter.calls).toHaveLength(0);
    expect(hook.received).toHaveLength(0);
  });
});
