import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { urgencyFromScreen } from './hardening';
import { EtagConversationState, EtagUserState, OptimisticStorage, OptimisticTurns } from './hardening/etagState';
import type { Server } from 'restify';
import { loadContent } from '../content/loader';
import { createTexts } from '../content/texts';
import { loadSafetyLexicon } from '../content/safetyLexicon';
import { formatProblem } from '../content/yamlFile';
import type { EscalationNotifier } from '../core/ports/notifier';
import { screenMessage } from '../core/safety/screen';
import { StorageUnavailableError, type DocumentStore } from '../core/ports/documentStore';
import { DialogIds } from '../dialogs/dialogIds';
import { MainDialog } from '../dialogs/mainDialog';
import { SafetyPlanDialog } from '../dialogs/safetyPlanDialog';
import { DocumentSafetyPlanRepository } from './people/safetyPlanRepository';
import { DocumentPlanRepository } from './people/planRepository';
import { Retention } from './people/retention';
import { dailyOnce } from './scheduler/dailyOnce';
import { DocumentMeasuresRepository } from './people/measuresRepository';
import { DocumentScheduleRepository } from './people/scheduleRepository';
import { BetweenSessions, CHECKIN_JOB_KIND, MEASURE_JOB_KIND, measuresSource } from './between';
import { createClinicianSide, SUMMARY_JOB_KIND } from './clinicians';
import { LinkCodeDialog } from '../dialogs/linkCodeDialog';
import { answerReminder } from './between/answerReminder';
import { MeasureDialog } from '../dialogs/measures';
import { CheckinDialog } from '../dialogs/checkin';
import { ScheduleDialog } from '../dialogs/schedule';
import { createPlanDialogs } from '../dialogs/plan';
import { conversationKeyOf, personKeyOf, personRefOf } from './turnKeys';
import { DocumentPersonDataService } from './people/personDataService';
import { MyDataDialog } from '../dialogs/myDataDialog';
import type { PersonProfile } from '../core/people/profile';
import { consentVersionOf } from '../content/consentText';
import { turnLocale } from '../dialogs/turnLocale';
import { createAdapter } from './adapter';
import { EscalationOutbox } from './escalation/outbox';
import { startOutboxPass } from './escalation/outboxPass';
import { LocaleCache } from './localeCache';
import { SafetyMiddleware } from './middleware/safetyMiddleware';
import { ReferenceMiddleware } from './middleware/referenceMiddleware';
import { Scheduler } from './scheduler/scheduler';
import { ConversationReferenceStore } from '../adapters/proactive/conversationReference';
import { ProactiveMessenger } from '../adapters/proactive/proactiveMessenger';
import { CRISIS_FOLLOW_UP_KIND, crisisFollowUpHandler, scheduleCrisisFollowUp } from './safety/crisisFollowUp';
import { createNotifiers } from './notifierFactory';
import { Escalator } from './safety/escalator';
import { SafetyContextStore } from './safety/safetyContextStore';
import type { Config } from './config';
import { createLogger, errorKind, type Logger } from './observability/logger';
import { PetitsPasBot } from './petitsPasBot';
import { projectRoot } from './projectRoot';
import { createServer } from './server';
import { registerDirectLineRoutes } from './directline/routes';
import { registerWebChatRoutes } from './webchat/routes';
import { TypingMiddleware } from './webchat/typingMiddleware';
import { createDocumentStore } from './storageFactory';
import { initWithRetry } from './storeInit';

export interface StartOptions {
  readonly logger?: Logger;
  /** Defaults to the project's content/ folder. */
  readonly contentDir?: string;
  /** Tests may inject a failing or slow store; otherwise the configured one. */
  readonly store?: DocumentStore;
  /** Tests drive the scheduler with runOnce; the process runs it every minute. Default true. */
  readonly startScheduler?: boolean;
  /** Tests may inject notifiers that count or fail; otherwise from config. */
  readonly notifiers?: { primary: EscalationNotifier; backup?: EscalationNotifier };
}

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Resolves when background escalation work of past turns has settled (tests, shutdown). */
  escalationsSettled(): Promise<void>;
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'StartupError';
  }
}

/** The one composition root: config → content → storage → adapter → bot → server. */
export async function startPetitsPas(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  // Turn and request lines add their correlation id themselves (bot/hardening/correlation.ts).
  const logger = options.logger ?? createLogger(config.logLevel);
  const contentDir = options.contentDir ?? resolve(projectRoot(), 'content');
  const loaded = loadContent(contentDir, projectRoot());
  if (!loaded.content) throw new StartupError(['the content files have problems (run npm run content:check):', ...loaded.problems.map(formatProblem)]);
  const texts = createTexts(loaded.content, (key) => logger.warn('missing_text', { key }));

  const safetyLexicon = loadSafetyLexicon(contentDir, projectRoot());
  if (!safetyLexicon.compiled) throw new StartupError(['the safety lexicon has problems (run npm run content:check):', ...safetyLexicon.problems.map(formatProblem)]);
  const compiledLexicon = safetyLexicon.compiled;
  logger.info('risk_model_ready', { source: safetyLexicon.modelSource ?? 'none' });

  const store = options.store ?? createDocumentStore(config);
  // Start-up never waits on the database: the crisis path must work while it is down.
  const storeReady = initWithRetry(store, logger);
  // Turn state written with the ETag it was read with: concurrent turns never lose an answer.
  const storage = new OptimisticStorage(store);
  const conversationState = new EtagConversationState(storage, { logger });
  const userState = new EtagUserState(storage, { logger });
  const localeCache = new LocaleCache(config.defaultLocale);

  const adapter = createAdapter(config, logger, async (context: TurnContext, error: unknown) => {
    const key = error instanceof StorageUnavailableError ? 'errors.storageDown' : 'errors.generic';
    await context.sendActivity(texts.t(turnLocale(context), key));
  });

  const outbox = new EscalationOutbox({
    store,
    notifiers: options.notifiers ?? createNotifiers(config, adapter),
    // One spool per instance, named stably across restarts (App Service gives each instance an id).
    spoolDir: resolve(config.dataDir, 'spool', process.env.WEBSITE_INSTANCE_ID?.slice(0, 16) || hostname()),
    logger,
    ackMinutes: config.escalation.ackMinutes,
  });
  const escalator = new Escalator(outbox, config.pseudonymSecret, logger);
  const safetyContexts = new SafetyContextStore(store, logger);
  const scheduler = new Scheduler({ store, logger });
  const references = new ConversationReferenceStore({ store });
  const safety = new SafetyMiddleware({
    screen: (text, context) => screenMessage(text, compiledLexicon, context),
    texts,
    contexts: safetyContexts,
    escalator,
    logger,
    localeOf: (context) => localeCache.localeOf(context),
    // Clinicians talking in their team's channel are not the people the screen protects.
    skipScreen: (context) => Boolean(config.clinicians && (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id === config.clinicians.teamId),
    afterEscalation: (personKey, escalationId, at, log) => {
      void scheduleCrisisFollowUp(scheduler, personKey, escalationId, at, config.defaultTimeZone).catch((error: unknown) =>
        log.warn('follow_up_schedule_failed', { error: errorKind(error) }),
      );
      // After an escalation the next check-in comes sooner.
      void reschedule(personKey).catch((error: unknown) => log.warn('checkin_reschedule_failed', { error: errorKind(error) }));
    },
  });
  const profile = userState.createProperty<PersonProfile>('profile');
  const consentVersionNow = consentVersionOf(loaded.content);
  const safetyPlans = new DocumentSafetyPlanRepository(store);
  let publicBaseUrl = `http://127.0.0.1:${config.port}`;
  const personData = new DocumentPersonDataService(store, {
    pseudonymSecret: config.pseudonymSecret,
    publicBaseUrl: () => config.publicBaseUrl ?? publicBaseUrl,
    // Scheduled jobs (check-ins, follow-ups) are the person's data too.
    erasers: [async (ref) => ({ scheduledMessages: await scheduler.jobs.deleteForPerson(ref.personKey) }), (ref) => clinicians.links.eraser()(ref)],
  });
  const retention = new Retention(store, personData, config.retentionDays, logger);
  const plans = new DocumentPlanRepository(store);
  const planDialogs = createPlanDialogs({ texts, plans, catalogue: loaded.content.catalogue, personKeyOf });
  const measures = new DocumentMeasuresRepository(store);
  const schedules = new DocumentScheduleRepository(store, { defaultTimeZone: config.defaultTimeZone });
  // Created once the messenger exists (below); dialogs only call it on later turns.
  let between: BetweenSessions | undefined;
  const reschedule = async (personKey: string) => void (await between?.reschedule(personKey));
  const measureDialog = new MeasureDialog({ texts, questionnaires: loaded.content.questionnaires, measures, schedule: schedules, personKeyOf, profile, onCompleted: reschedule });
  const checkinDialog = new CheckinDialog({ texts, plans, catalogue: loaded.content.catalogue, personKeyOf, measures, schedule: schedules });
  const scheduleDialog = new ScheduleDialog({ texts, schedule: schedules, personKeyOf, profile, defaultTimeZone: config.defaultTimeZone, onChanged: reschedule });
  const clinicians = createClinicianSide({
    settings: config.clinicians,
    store,
    texts,
    catalogue: loaded.content.catalogue,
    plans,
    outbox,
    adapter,
    botAppId: config.credentials?.appId ?? '',
    pseudonymSecret: config.pseudonymSecret,
    consentVersion: consentVersionNow,
    defaultLocale: config.defaultLocale,
    timeZone: config.defaultTimeZone,
    logger,
    measures: measuresSource(measures),
  });
  const linkCodeDialog = new LinkCodeDialog({ texts, profile, consentVersion: consentVersionNow, links: clinicians.links, personRefOf });
  const mainDialog = new MainDialog({
    texts,
    profile,
    consentVersion: consentVersionNow,
    defaultTimeZone: config.defaultTimeZone,
    extraDialogs: planDialogs.dialogs,
    onOnboarded: async (context) => {
      const saved = await profile.get(context, {});
      await between?.onPlanStarted(personKeyOf(context), { timeZone: saved.timeZone, locale: saved.locale });
    },
    routes: {
      means: { dialogId: planDialogs.ids.means, dialog: planDialogs.means },
      plan: { dialogId: planDialogs.ids.plan, dialog: planDialogs.plan },
      checkin: { dialogId: DialogIds.checkin, dialog: checkinDialog },
      measures: { dialogId: DialogIds.measures, dialog: measureDialog },
      reminders: { dialogId: DialogIds.schedule, dialog: scheduleDialog },
      safetyPlan: { dialogId: DialogIds.safetyPlan, dialog: new SafetyPlanDialog(texts, safetyPlans, personKeyOf), options: { mode: 'view' } },
      data: { dialogId: DialogIds.myData, dialog: new MyDataDialog({ texts, data: personData, personRefOf }), options: { mode: 'summary' } },
    },
  });
  const bot = new PetitsPasBot({
    conversationState,
    userState,
    profile,
    mainDialog,
    texts,
    defaultLocale: config.defaultLocale,
    consentVersion: consentVersionNow,
    localeCache,
    declareCrisis: (context, categories) => safety.declareCrisis(context, categories),
    declareConcern: (context, categories) => safety.declareConcern(context, categories),
    reminderReply: async (context, dc) => answerReminder(context, dc, { texts, between, personKeyOf }),
    clinicians: clinicians.handler,
    linkCodeDialog,
    onActive: (context) =>
      void retention.noteActive(personRefOf(context), new Date()).catch((error: unknown) => logger.warn('activity_note_failed', { error: errorKind(error) })),
    onErased: async (context) => safetyContexts.forget(conversationKeyOf(context)),
  });
  const outboxPass = startOutboxPass(outbox, logger);
  const turns = new OptimisticTurns({ states: [conversationState, userState], logger });
  const runTurn = (context: TurnContext) => turns.run(context, (c) => bot.run(c));


  // The reference refresh runs in the background and never delays the safety screen behind it.
  adapter.use(new ReferenceMiddleware(references, logger));
  adapter.use(safety);
  // After safety, so crisis replies never wait on the typing indicator.
  adapter.use(new TypingMiddleware(logger));
  const messenger = new ProactiveMessenger({ adapter, botAppId: config.credentials?.appId ?? '', references, logger });
  scheduler.register(CRISIS_FOLLOW_UP_KIND, crisisFollowUpHandler(messenger, texts));
  between = new BetweenSessions({
    jobs: scheduler.jobs,
    schedule: schedules,
    measures,
    messenger,
    texts,
    logger,
    defaultTimeZone: config.defaultTimeZone,
    riskEvents: async (personKey) => {
      const reference = await references.get(personKey);
      return reference ? (await safetyContexts.load(`${reference.channelId}/${reference.conversation.id}`)).recent : [];
    },
  });
  scheduler.register(CHECKIN_JOB_KIND, between.checkinHandler()).register(MEASURE_JOB_KIND, between.measureHandler());
  scheduler.register(SUMMARY_JOB_KIND, clinicians.summaryJob);
  scheduler.onTick(clinicians.links.purgeHook(), 'link-code-purge');
  scheduler.onTick(dailyOnce((now) => retention.purge(now)), 'retention-purge');

  const startedAt = Date.now();
  const server = createServer({
    adapter,
    runTurn,
    logger,
    hardening: {
      isUrgent: urgencyFromScreen((text) => screenMessage(text, compiledLexicon)),
      trustProxy: config.trustProxy,
      headers: { hsts: config.publicBaseUrl?.startsWith('https:') ? 'always' : 'auto' },
      rateLimit: config.rateLimit,
    },
    redeemExport: (token) => personData.redeemExportLink(token),
    health: async () => ({ storage: config.storage.provider, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), mode: config.credentials ? 'authenticated' : 'local' }),
  });
  // The web chat page at /, and in local mode (no app credentials) its in-process Direct Line.
  const localDirectLine = registerDirectLineRoutes(server, { adapter, runTurn, logger, enabled: !config.credentials, maxMessageChars: config.maxMessageChars });
  registerWebChatRoutes(server, {
    logger,
    defaultLocale: config.defaultLocale,
    maxMessageChars: config.maxMessageChars,
    localDirectLine,
    directLineSecret: config.directLine?.secret,
    directLineEndpoint: config.directLine?.endpoint,
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  publicBaseUrl = `http://127.0.0.1:${port}`;
  if (options.startScheduler !== false) scheduler.start();
  if (config.credentials && !config.escalation.teams && !config.escalation.webhook) {
    logger.error('escalation_channel_missing', { note: 'no Teams on-call channel and no webhook: escalations only reach the console log' });
  }
  if (config.credentials && config.pseudonymSecretIsDefault) logger.error('pseudonym_secret_default', { note: 'set PSEUDONYM_SECRET: the development secret must not be used in production' });
  if (!config.credentials) logger.warn('local_mode', { note: 'no MicrosoftAppId: /api/messages accepts unauthenticated requests (local development only)' });
  logger.info('started', { port, storage: config.storage.provider });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    escalationsSettled: () => escalator.settled(),
    scheduler,
    stop: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      // Keep-alive sockets would hold close() open forever; nothing is in flight once we stop.
      server.server.closeAllConnections();
      await closed;
      storeReady.cancel();
      // An init attempt already under way (folders or containers being created) ends before the
      // store closes, so nothing is written after stop(); bounded, for a store that hangs.
      await Promise.race([storeReady.ready, new Promise((done) => setTimeout(done, 2_000).unref())]);
      outboxPass.stop();
      await scheduler.stop();
      await escalator.settled();
      await store.close();
    },
  };
}
