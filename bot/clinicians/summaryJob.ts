/**
 * Summaries the scheduler sends before a meeting, and the proactive notices to clinicians.
 *
 * A `summary` job (id `summary:<meeting time>`, partition = the person's key) runs
 * CLINICIAN_SUMMARY_HOURS_BEFORE the meeting. Its handler reads the person's link (the clinician
 * they chose, their consent to share now), prepares the summary, and delivers it to the clinician's
 * personal chat with the bot (the reference kept when they last used a command there) and/or to the
 * summary webhook. Nothing to deliver to (no link, no consent, no channel): the job ends quietly.
 * Every failure that a retry can fix is a retry (the scheduler's backoff).
 */
import type { Activity } from 'botbuilder';
import type { ProactiveAdapter } from '../../adapters/notify/teamsNotifier';
import type { Texts } from '../../content/texts';
import { normalizeLocale, type Locale } from '../../core/i18n/locale';
import { newJob, type Job } from '../../core/schedule/job';
import { errorKind, type Logger } from '../observability/logger';
import type { JobOutcome, Scheduler } from '../scheduler/scheduler';
import type { ClinicianLinks } from './clinicianLinks';
import { summaryActivity } from './summaryCard';
import type { ClinicianSummaryService, PreparedSummary } from './summaryService';
import type { SummaryWebhook } from './summaryWebhook';

export const SUMMARY_JOB_KIND = 'summary';

/** Schedules the summary `hoursBefore` the meeting (at once when that is already past). Idempotent per meeting. */
export function scheduleSummaryBeforeMeeting(
  scheduler: Pick<Scheduler, 'jobs'>,
  personKey: string,
  meetingAt: Date,
  options: { readonly hoursBefore?: number; readonly now?: Date } = {},
): Promise<unknown> {
  const now = options.now ?? new Date();
  if (Number.isNaN(meetingAt.getTime())) throw new RangeError('scheduleSummaryBeforeMeeting: invalid meeting date');
  const due = new Date(Math.max(now.getTime(), meetingAt.getTime() - (options.hoursBefore ?? 24) * 3_600_000));
  return scheduler.jobs.schedule(
    newJob({ id: `${SUMMARY_JOB_KIND}:${meetingAt.toISOString()}`, kind: SUMMARY_JOB_KIND, personKey, dueAt: due, payload: { meetingAt: meetingAt.toISOString() } }, now),
    { replace: true },
  );
}

export interface ClinicianMessengerOptions {
  readonly adapter: ProactiveAdapter;
  /** The real app id (Teams refuses proactive sends under another identity). */
  readonly botAppId: string;
  readonly links: Pick<ClinicianLinks, 'clinicianReference'>;
  readonly texts: Texts;
  readonly defaultLocale: Locale;
  readonly timeZone?: string;
  readonly logger: Logger;
}

export type ClinicianSend = 'sent' | 'no_reference' | 'failed';

/** Proactive messages to a clinician's personal chat with the bot. */
export class ClinicianMessenger {
  constructor(private readonly options: ClinicianMessengerOptions) {}

  async send(clinicianId: string, build: (locale: Locale) => Partial<Activity>): Promise<ClinicianSend> {
    let reference;
    try {
      reference = await this.options.links.clinicianReference(clinicianId);
    } catch (error) {
      this.options.logger.warn('clinician_reference_read_failed', { error: errorKind(error) });
      return 'failed';
    }
    if (!reference) return 'no_reference';
    const locale = normalizeLocale(reference.locale) ?? this.options.defaultLocale;
    try {
      await this.options.adapter.continueConversationAsync(this.options.botAppId, reference, async (context) => {
        await context.sendActivity(build(locale));
      });
      return 'sent';
    } catch (error) {
      this.options.logger.warn('clinician_send_failed', { error: errorKind(error) });
      return 'failed';
    }
  }

  /** "A person just used your code: P-…" (the hook for ClinicianLinks' onLinked). */
  linkedNotice(): (event: { readonly clinicianId: string; readonly personId: string }) => Promise<void> {
    return async (event) => {
      await this.send(event.clinicianId, (locale) => ({ type: 'message', text: this.options.texts.t(locale, 'clinician.team.linkedNotice', { personId: event.personId }) }));
    };
  }

  /** The summary card, in the clinician's locale (prepared only when there is somewhere to send it). */
  async sendSummary(clinicianId: string, prepare: (locale: Locale) => Promise<PreparedSummary>): Promise<{ send: ClinicianSend; prepared?: PreparedSummary }> {
    let reference;
    try {
      reference = await this.options.links.clinicianReference(clinicianId);
    } catch (error) {
      this.options.logger.warn('clinician_reference_read_failed', { error: errorKind(error) });
      return { send: 'failed' };
    }
    if (!reference) return { send: 'no_reference' };
    const locale = normalizeLocale(reference.locale) ?? this.options.defaultLocale;
    const prepared = await prepare(locale);
    const activity = summaryActivity(prepared.summary, { texts: this.options.texts, locale, timeZone: this.options.timeZone, chart: prepared.chart });
    return { send: await this.send(clinicianId, () => activity), prepared };
  }
}

export interface SummaryJobDeps {
  readonly links: Pick<ClinicianLinks, 'linkOf' | 'resolve'>;
  readonly summaries: Pick<ClinicianSummaryService, 'prepare' | 'markDelivered'>;
  readonly messenger: Pick<ClinicianMessenger, 'sendSummary'>;
  readonly webhook?: Pick<SummaryWebhook, 'send'>;
  readonly defaultLocale: Locale;
  readonly logger: Logger;
}

/** Retries of the channel that failed after the other one delivered (the job is then rescheduled). */
export const MAX_PARTIAL_RETRIES = 5;

interface SummaryJobPayload {
  readonly meetingAt?: string;
  readonly teamsDone?: boolean;
  readonly webhookDone?: boolean;
  readonly partialRetries?: number;
}

/**
 * The scheduler's handler for `summary` jobs (scheduler.register(SUMMARY_JOB_KIND, …)). Each
 * channel (Teams, webhook) is delivered once: when one succeeded and the other failed in a way a
 * retry can fix, the job is rescheduled with what is done in its payload (backoff, at most
 * MAX_PARTIAL_RETRIES times), so the clinician never gets the same card twice.
 */
export function summaryJobHandler(deps: SummaryJobDeps) {
  return async (job: Job, now: Date): Promise<JobOutcome> => {
    const payload = job.payload as SummaryJobPayload;
    const meetingAt = typeof payload.meetingAt === 'string' ? payload.meetingAt : undefined;
    const link = await deps.links.linkOf(job.personKey);
    // The same rule as on demand: the person's own link, and their consent to share, now.
    const person = link ? await deps.links.resolve(link.clinicianId, link.personId) : undefined;
    if (!link || !person) {
      deps.logger.info('summary_job_skipped', { jobId: job.id, reason: link ? 'no_access' : 'not_linked' });
      return 'done';
    }
    const request = { reason: 'scheduled' as const, meetingAt, now };
    let prepared: PreparedSummary | undefined;
    let teams: ClinicianSend | 'done' = 'done';
    if (!payload.teamsDone) {
      const result = await deps.messenger.sendSummary(link.clinicianId, (locale) => deps.summaries.prepare(person.personKey, { ...request, locale }));
      teams = result.send;
      prepared = result.prepared;
    }
    let webhook: 'sent' | 'failed' | 'off' | 'done' = deps.webhook ? (payload.webhookDone ? 'done' : 'failed') : 'off';
    let webhookRetryable = false;
    if (deps.webhook && !payload.webhookDone) {
      prepared ??= await deps.summaries.prepare(person.personKey, { ...request, locale: deps.defaultLocale });
      const result = await deps.webhook.send(prepared.summary, prepared.chart);
      webhook = result.delivered ? 'sent' : 'failed';
      webhookRetryable = !result.delivered && result.retryable;
    }
    const teamsDone = Boolean(payload.teamsDone) || teams === 'sent';
    const webhookDone = Boolean(payload.webhookDone) || webhook === 'sent';
    const deliveredNow = teams === 'sent' || webhook === 'sent';
    deps.logger.info('summary_job', { jobId: job.id, personId: link.personId, teams, webhook });
    if (deliveredNow) await deps.summaries.markDelivered(person.personKey, now);
    const teamsRetry = teams === 'failed';
    if (!teamsRetry && !webhookRetryable) return 'done'; // delivered, or nowhere a retry can reach
    if (!teamsDone && !webhookDone) return { error: `summary teams ${teams} webhook ${webhook}` };
    const retries = (payload.partialRetries ?? 0) + 1;
    if (retries > MAX_PARTIAL_RETRIES) return 'done';
    return {
      reschedule: new Date(now.getTime() + 2 ** retries * 60_000),
      payload: { ...payload, teamsDone, webhookDone, partialRetries: retries },
    };
  };
}
