/**
 * The clinician side, assembled: one call from the composition root (bot/app.ts) gives the message
 * and invoke handler for PetitsPasBot, the link dialog's port, the scheduler's summary handler,
 * the person-data eraser and the code purge. Each module explains its own part.
 */
import type { ProactiveAdapter } from '../../adapters/notify/teamsNotifier';
import type { Texts } from '../../content/texts';
import type { ClinicianTeam } from '../../core/clinicians/access';
import type { Locale } from '../../core/i18n/locale';
import type { DocumentStore } from '../../core/ports/documentStore';
import type { MeansCatalogue } from '../../core/plan/catalogue';
import type { Job } from '../../core/schedule/job';
import type { Logger } from '../observability/logger';
import type { PlanRepository } from '../people/planRepository';
import type { JobOutcome } from '../scheduler/scheduler';
import { ClinicianHandler, type ClinicianHandlerDeps } from './clinicianHandler';
import { ClinicianLinks, profileShareConsent } from './clinicianLinks';
import { CachedMembership, TeamsInfoMembership, type TeamMembership } from './identity';
import type { ClinicianSettings } from './settings';
import { ClinicianMessenger, summaryJobHandler } from './summaryJob';
import { ClinicianSummaryService, type ClinicianSummaryServiceOptions, type MeasuresSource } from './summaryService';
import { SummaryWebhook } from './summaryWebhook';

export interface ClinicianSideOptions {
  /** From readClinicianSettings; undefined = not configured: commands and acknowledgements are refused. */
  readonly settings: ClinicianSettings | undefined;
  readonly store: DocumentStore;
  readonly texts: Texts;
  readonly catalogue: MeansCatalogue;
  readonly plans: Pick<PlanRepository, 'load'>;
  readonly outbox: ClinicianHandlerDeps['outbox'];
  readonly adapter: ProactiveAdapter;
  /** config.credentials.appId ('' in local mode: proactive sends then fail and are logged). */
  readonly botAppId: string;
  readonly pseudonymSecret: string;
  readonly consentVersion: string;
  readonly defaultLocale: Locale;
  readonly timeZone: string;
  readonly logger: Logger;
  readonly measures?: MeasuresSource;
  /** Tests: a fake membership port. Default TeamsInfo.getTeamMember behind a 10-minute cache. */
  readonly membership?: TeamMembership;
  /** Tests: chart rendering (null = no chart). */
  readonly renderChart?: ClinicianSummaryServiceOptions['renderChart'];
  readonly clock?: () => Date;
}

export interface ClinicianSide {
  readonly team: ClinicianTeam | undefined;
  readonly handler: ClinicianHandler;
  readonly links: ClinicianLinks;
  readonly summaries: ClinicianSummaryService;
  readonly messenger: ClinicianMessenger;
  readonly webhook?: SummaryWebhook;
  /** scheduler.register(SUMMARY_JOB_KIND, side.summaryJob) */
  readonly summaryJob: (job: Job, now: Date) => Promise<JobOutcome>;
}

export function createClinicianSide(options: ClinicianSideOptions): ClinicianSide {
  const team: ClinicianTeam | undefined = options.settings ? { tenantId: options.settings.tenantId, teamId: options.settings.teamId } : undefined;
  const membership = options.membership ?? new CachedMembership(new TeamsInfoMembership());
  // The messenger needs the links and the links' onLinked needs the messenger: late-bound.
  let messenger: ClinicianMessenger | undefined;
  const links = new ClinicianLinks({
    store: options.store,
    pseudonymSecret: options.pseudonymSecret,
    codeTtlHours: options.settings?.linkCodeHours,
    shareConsent: profileShareConsent(options.store, options.consentVersion),
    onLinked: (event) => messenger?.linkedNotice()(event),
    logger: options.logger,
    clock: options.clock,
  });
  messenger = new ClinicianMessenger({
    adapter: options.adapter,
    botAppId: options.botAppId,
    links,
    texts: options.texts,
    defaultLocale: options.defaultLocale,
    timeZone: options.timeZone,
    logger: options.logger,
  });
  const summaries = new ClinicianSummaryService({
    store: options.store,
    plans: options.plans,
    catalogue: options.catalogue,
    texts: options.texts,
    pseudonymSecret: options.pseudonymSecret,
    measures: options.measures,
    renderChart: options.renderChart,
    logger: options.logger,
    clock: options.clock,
  });
  const webhook = options.settings?.summaryWebhook ? new SummaryWebhook({ url: options.settings.summaryWebhook.url, secret: options.settings.summaryWebhook.secret }) : undefined;
  const handler = new ClinicianHandler({
    team,
    membership,
    links,
    summaries,
    outbox: options.outbox,
    texts: options.texts,
    defaultLocale: options.defaultLocale,
    timeZone: options.timeZone,
    logger: options.logger,
    clock: options.clock,
  });
  const summaryJob = summaryJobHandler({ links, summaries, messenger, webhook, defaultLocale: options.defaultLocale, logger: options.logger });
  return { team, handler, links, summaries, messenger, webhook, summaryJob };
}

export { ClinicianHandler } from './clinicianHandler';
export { ClinicianLinks, profileShareConsent } from './clinicianLinks';
export { readClinicianSettings, clinicianEnvSchema, CLINICIAN_VARIABLES, type ClinicianSettings } from './settings';
export { SUMMARY_JOB_KIND, scheduleSummaryBeforeMeeting } from './summaryJob';
export { postThreadFollowUp, threadReference, followUpTargetOf } from './escalationAck';
export type { MeasuresSource } from './summaryService';
