/**
 * Fixtures for the clinician-side tests: Teams activities with real-looking channel data, a fake
 * membership port, a minimal TeamsActivityHandler wired the way PetitsPasBot is meant to be, and a
 * world (store, texts, plan repository, outbox) built on the in-memory store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TeamsActivityHandler,
  TestAdapter,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { ClinicianHandler } from '../../bot/clinicians/clinicianHandler';
import { ClinicianLinks, profileShareConsent } from '../../bot/clinicians/clinicianLinks';
import type { MembershipAnswer, TeamMembership } from '../../bot/clinicians/identity';
import { ClinicianSummaryService, type ClinicianSummaryServiceOptions, type MeasuresSource } from '../../bot/clinicians/summaryService';
import { EscalationOutbox } from '../../bot/escalation/outbox';
import { createLogger, type Logger } from '../../bot/observability/logger';
import { DocumentPlanRepository } from '../../bot/people/planRepository';
import { loadContent } from '../../content/loader';
import { createTexts, type Texts } from '../../content/texts';
import { record, type Consents } from '../../core/consent/consent';
import type { MeansCatalogue } from '../../core/plan/catalogue';
import { CONTENT_DIR } from '../support/contentFixture';
import { RecordingNotifier, TEST_SECRET } from '../support/escalations';
import { MemoryDocumentStore } from '../support/memoryStore';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = '0e2a4f57-1b9c-4d6e-8f10-2a3b4c5d6e7f';
export const TEAM = '19:clinicians-general@thread.tacv2';
export const OTHER_TEAM = '19:another-team@thread.tacv2';
export const CONSENT_VERSION = 'c-test00000001';

export interface Person {
  readonly aad: string;
  readonly id: string;
  readonly name: string;
}

export const CLIN_A: Person = { aad: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', id: '29:clin-a', name: 'Dre Alice Tremblay' };
export const CLIN_B: Person = { aad: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', id: '29:clin-b', name: 'Dr Bruno Gagnon' };
/** In the tenant, not in the team. */
export const OUTSIDER: Person = { aad: 'cccccccc-3333-4333-8333-cccccccccccc', id: '29:outsider', name: 'Charlie Outsider' };

/** Answers from a list of members; counts calls; can be made unavailable. */
export class FakeMembership implements TeamMembership {
  readonly members = new Set<string>([CLIN_A.aad, CLIN_B.aad]);
  unavailable = false;
  calls = 0;

  async check(_context: TurnContext, teamId: string, user: { aadObjectId: string; tenantId: string }): Promise<MembershipAnswer> {
    this.calls++;
    if (this.unavailable) return 'unavailable';
    return teamId === TEAM && user.tenantId === TENANT && this.members.has(user.aadObjectId) ? 'member' : 'not_member';
  }
}

export interface TeamsActivityOptions {
  readonly from?: Person;
  readonly text?: string;
  readonly conversationType?: 'personal' | 'channel' | 'groupChat';
  readonly tenantId?: string;
  readonly teamId?: string;
  readonly locale?: string;
  readonly value?: unknown;
  readonly type?: string;
  readonly name?: string;
  readonly replyToId?: string;
  /** Channel messages: prefix the text with an @mention of the bot (as Teams does). */
  readonly mention?: boolean;
}

export const BOT = { id: '28:petits-pas-bot', name: 'Petits pas' };

/** An activity as Teams sends it (channelData.tenant/team, conversation type, from.aadObjectId). */
export function teamsActivity(options: TeamsActivityOptions = {}): Partial<Activity> {
  const from = options.from ?? CLIN_A;
  const type = options.conversationType ?? 'personal';
  const tenantId = options.tenantId ?? TENANT;
  const channel = type === 'channel';
  const mentionText = `<at>${BOT.name}</at>`;
  const text = options.text === undefined ? undefined : options.mention ? `${mentionText} ${options.text}` : options.text;
  return {
    type: options.type ?? 'message',
    ...(options.name ? { name: options.name } : {}),
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    locale: options.locale ?? 'fr-CA',
    from: { id: from.id, name: from.name, aadObjectId: from.aad },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: channel
      ? { id: '19:oncall@thread.tacv2;messageid=1700000000000', conversationType: 'channel', isGroup: true, tenantId, name: '' }
      : type === 'groupChat'
        ? { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId, name: '' }
        : { id: `a:personal-${from.aad}`, conversationType: 'personal', tenantId, name: '' },
    channelData: {
      tenant: { id: tenantId },
      ...(channel ? { team: { id: options.teamId ?? TEAM }, channel: { id: '19:oncall@thread.tacv2' } } : {}),
    },
    ...(text !== undefined ? { text } : {}),
    ...(options.mention && channel
      ? { entities: [{ type: 'mention', text: mentionText, mentioned: { id: BOT.id, name: BOT.name } }] }
      : {}),
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  } as Partial<Activity>;
}

/** Wired as PetitsPasBot should be: clinicians first, the person's flow otherwise. */
export class TestClinicianBot extends TeamsActivityHandler {
  constructor(private readonly clinicians: ClinicianHandler) {
    super();
    this.onMessage(async (context, next) => {
      if (!(await this.clinicians.onMessage(context))) await context.sendActivity('PERSON_FLOW');
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return (await this.clinicians.onAdaptiveCardInvoke(context, invokeValue)) ?? super.onAdaptiveCardInvoke(context, invokeValue);
  }
}

let cachedContent: { texts: Texts; catalogue: MeansCatalogue } | undefined;

export function realContent(): { texts: Texts; catalogue: MeansCatalogue } {
  if (cachedContent) return cachedContent;
  const loaded = loadContent(CONTENT_DIR);
  if (!loaded.content) throw new Error(`content invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
  cachedContent = {
    texts: createTexts(loaded.content, (key) => {
      throw new Error(`missing text key: ${key}`);
    }),
    catalogue: loaded.content.catalogue,
  };
  return cachedContent;
}

/** Log lines, kept for privacy assertions. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines };
}

export interface World {
  readonly store: MemoryDocumentStore;
  readonly texts: Texts;
  readonly catalogue: MeansCatalogue;
  readonly plans: DocumentPlanRepository;
  readonly outbox: EscalationOutbox;
  readonly notifier: RecordingNotifier;
  readonly links: ClinicianLinks;
  readonly summaries: ClinicianSummaryService;
  readonly membership: FakeMembership;
  readonly handler: ClinicianHandler;
  readonly bot: TestClinicianBot;
  readonly adapter: TestAdapter;
  readonly lines: string[];
  readonly linkedEvents: { clinicianId: string; personId: string }[];
  now: Date;
  /** Runs one activity through the bot and returns what it sent. */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** A person with stored consents (user-state document) — `share` false to withhold sharing. */
  person(n: number, options?: { share?: boolean }): Promise<{ personKey: string; userStateKey: string }>;
  setShare(userStateKey: string, granted: boolean): Promise<void>;
  cleanup(): void;
}

export async function createWorld(
  options: { measures?: MeasuresSource; renderChart?: ClinicianSummaryServiceOptions['renderChart']; now?: Date } = {},
): Promise<World> {
  const store = new MemoryDocumentStore();
  store.yieldEveryCall = false;
  const { texts, catalogue } = realContent();
  const { logger, lines } = recordingLogger();
  const spoolDir = mkdtempSync(join(tmpdir(), 'petits-pas-clinicians-'));
  const notifier = new RecordingNotifier();
  const world = { now: options.now ?? new Date('2025-03-03T15:00:00.000Z') } as World;
  const clock = () => world.now;
  const linkedEvents: { clinicianId: string; personId: string }[] = [];
  const outbox = new EscalationOutbox({ store, notifiers: { primary: notifier }, spoolDir, logger, clock });
  const plans = new DocumentPlanRepository(store, { clock });
  const links = new ClinicianLinks({
    store,
    pseudonymSecret: TEST_SECRET,
    shareConsent: profileShareConsent(store, CONSENT_VERSION),
    onLinked: (event) => void linkedEvents.push({ clinicianId: event.clinicianId, personId: event.personId }),
    logger,
    clock,
  });
  const summaries = new ClinicianSummaryService({
    store,
    plans,
    catalogue,
    texts,
    pseudonymSecret: TEST_SECRET,
    measures: options.measures,
    renderChart: options.renderChart === undefined ? null : options.renderChart,
    logger,
    clock,
  });
  const membership = new FakeMembership();
  const handler = new ClinicianHandler({
    team: { tenantId: TENANT, teamId: TEAM },
    membership,
    links,
    summaries,
    outbox,
    texts,
    defaultLocale: 'fr-CA',
    timeZone: 'America/Toronto',
    logger,
    clock,
  });
  const bot = new TestClinicianBot(handler);
  const adapter = new TestAdapter(async (context) => bot.run(context));
  return Object.assign(world, {
    store,
    texts,
    catalogue,
    plans,
    outbox,
    notifier,
    links,
    summaries,
    membership,
    handler,
    bot,
    adapter,
    lines,
    linkedEvents,
    async send(activity: Partial<Activity>) {
      adapter.activeQueue.splice(0);
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0);
    },
    async person(n: number, personOptions: { share?: boolean } = {}) {
      const personKey = `webchat/person-${n}`;
      const userStateKey = `webchat/users/person-${n}/`;
      const consents: Consents = {
        store: record(true, CONSENT_VERSION, world.now),
        share: record(personOptions.share ?? true, CONSENT_VERSION, world.now),
      };
      await store.upsert('state', userStateKey, userStateKey, { profile: { consents, locale: 'fr-CA' } });
      return { personKey, userStateKey };
    },
    async setShare(userStateKey: string, granted: boolean) {
      const doc = await store.get<{ profile: { consents: Consents } }>('state', userStateKey, userStateKey);
      const profile = doc!.body.profile;
      await store.upsert('state', userStateKey, userStateKey, { profile: { ...profile, consents: { ...profile.consents, share: record(granted, CONSENT_VERSION, world.now) } } });
    },
    cleanup() {
      rmSync(spoolDir, { recursive: true, force: true });
    },
  });
}

/** Links a person to a clinician the way it happens in production: a code issued, then redeemed. */
export async function linkPerson(world: World, clinician: Person, person: { personKey: string; userStateKey: string }): Promise<string> {
  const { code } = await world.links.issueCode(clinician.aad);
  const result = await world.links.redeem({ code, personKey: person.personKey, userStateKey: person.userStateKey, mayShare: true });
  if (result.outcome !== 'linked') throw new Error(`link failed: ${result.outcome}`);
  return result.personId;
}

/** Every text the bot sent, cards serialised. */
export function textsOf(activities: Partial<Activity>[]): string {
  return activities.map((a) => `${a.text ?? ''} ${a.attachments ? JSON.stringify(a.attachments) : ''}`).join('\n');
}

export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> {
  const content = activity?.attachments?.[0]?.content as Record<string, unknown> | undefined;
  if (!content) throw new Error('no card in the activity');
  return content;
}

/** Every element of a card (depth-first), for content assertions. */
export function elementsOf(card: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      out.push(node as Record<string, unknown>);
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(card);
  return out;
}
