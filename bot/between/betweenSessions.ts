/**
 * Between sessions: the check-in and questionnaire reminders of each person, as two recurring jobs
 * (`checkin` and `measure`, ids `checkin` and `measure` in the person's job partition) plus
 * one-off snoozed copies (`checkin:snooze`, `measure:snooze`).
 *
 * - Handlers (register them with the Scheduler) send a proactive message in the person's language
 *   with buttons, then reschedule themselves to the next occurrence (DST-safe, quiet hours, pause).
 * - A questionnaire reminder falls on a check-in slot; that slot's check-in reminder is then left
 *   out (one message, with both buttons), never two at once.
 * - After a recent escalation the next check-in comes sooner (core/safety/risk nextCheckInDelayMs).
 * - A paused person gets nothing: an open pause cancels the jobs (resume reschedules them); a pause
 *   with an end moves them past it.
 * - A failed send is retried a few times, then the reminder simply moves to its next occurrence:
 *   a recurring reminder never dies of one bad delivery.
 *
 * Logs carry kinds, outcomes and error kinds only (no person key, no text).
 */
import type { ProactiveMessenger, ProactiveResult } from '../../adapters/proactive/proactiveMessenger';
import type { Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import type { InstrumentId } from '../../core/measures/instruments';
import { lastCompletedAll } from '../../core/measures/record';
import {
  clearPrompt,
  isMeasureDue,
  isPaused,
  nextCheckinAt,
  nextMeasureAt,
  notePrompt,
  pauseSettings,
  resumeSettings,
  setCheckinDays,
  setCheckinTime,
  setLocale,
  setMeasureCadence,
  setQuietHours,
  setTimeZone,
  type BetweenSettings,
  type CheckinTiming,
} from '../../core/measures/settings';
import { newJob, type Job } from '../../core/schedule/job';
import { isValidTimeZone, snooze as snoozeAt } from '../../core/schedule/recurrence';
import { nextCheckInDelayMs, type ScreenEvent } from '../../core/safety/risk';
import type { MeasuresRepository } from '../people/measuresRepository';
import type { ScheduleRepository } from '../people/scheduleRepository';
import { errorKind, type Logger } from '../observability/logger';
import type { JobHandler, JobOutcome } from '../scheduler/scheduler';
import type { JobStore } from '../scheduler/jobStore';
import { checkinReminder, measureReminder, type ReminderKind } from './reminders';

export const CHECKIN_JOB_KIND = 'checkin';
export const MEASURE_JOB_KIND = 'measure';
export const CHECKIN_JOB_ID = 'checkin';
export const MEASURE_JOB_ID = 'measure';
export const SNOOZE_SUFFIX = ':snooze';
/** "Plus tard": two hours later (or the end of quiet hours). */
export const DEFAULT_SNOOZE_MINUTES = 120;
/** A "Plus tard" counts as an answer to a reminder sent within this long. */
export const PROMPT_ANSWER_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A check-in reminder this close to the questionnaire reminder is left out (the latter offers both). */
export const SAME_SLOT_MS = 2 * 60 * 60 * 1000;
/** Sends tried per run before a reminder moves on to its next occurrence. */
export const MAX_SEND_ATTEMPTS = 3;

export interface BetweenSessionsDeps {
  readonly jobs: Pick<JobStore, 'schedule' | 'get' | 'cancelForPerson' | 'listForPerson'>;
  readonly schedule: ScheduleRepository;
  readonly measures: MeasuresRepository;
  readonly messenger: Pick<ProactiveMessenger, 'send'>;
  readonly texts: Texts;
  /** The person's recent safety screens (levels, categories, times), for a sooner check-in after an escalation. */
  readonly riskEvents?: (personKey: string) => Promise<readonly ScreenEvent[]>;
  readonly clock?: () => Date;
  readonly logger?: Logger;
  readonly snoozeMinutes?: number;
  /** For a person with no settings yet. Default America/Toronto. */
  readonly defaultTimeZone?: string;
}

/** What a plan start may set (all optional: DEFAULT_CHECKIN_SCHEDULE otherwise). */
export interface StartSchedule extends Partial<CheckinTiming> {
  readonly locale?: Locale;
}

export interface Snoozed {
  readonly kind: ReminderKind;
  readonly at: Date;
  readonly timeZone: string;
}

export class BetweenSessions {
  private readonly clock: () => Date;
  private readonly snoozeMinutes: number;

  constructor(private readonly deps: BetweenSessionsDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.snoozeMinutes = deps.snoozeMinutes ?? DEFAULT_SNOOZE_MINUTES;
  }

  // ── Service ─────────────────────────────────────────────────────────────────────────────────

  /**
   * The plan started (or restarted): settings are created with `schedule` (defaults for the rest)
   * unless the person already has some, and both reminders are scheduled.
   */
  async onPlanStarted(personKey: string, schedule: StartSchedule = {}): Promise<BetweenSettings | undefined> {
    const now = this.clock();
    const existing = await this.deps.schedule.load(personKey);
    if (!existing) {
      await this.deps.schedule.update(personKey, (current) => {
        let next = current;
        const zone = schedule.timeZone ?? this.deps.defaultTimeZone;
        if (zone && isValidTimeZone(zone)) next = setTimeZone(next, zone, now);
        if (schedule.days) next = setCheckinDays(next, schedule.days, now);
        if (schedule.time) next = setCheckinTime(next, schedule.time, now);
        if ('quietHours' in schedule) next = setQuietHours(next, schedule.quietHours, now);
        if (schedule.locale) next = setLocale(next, schedule.locale, now);
        return next === current ? { ...current } : next;
      });
    }
    return this.reschedule(personKey);
  }

  /** Puts both reminders at their next occurrence (after a settings change, a completed questionnaire, an escalation). */
  async reschedule(personKey: string): Promise<BetweenSettings | undefined> {
    const settings = await this.deps.schedule.load(personKey);
    if (!settings) return undefined;
    const now = this.clock();
    if (isPaused(settings, now) && !settings.pause?.until) {
      await this.cancelReminders(personKey, now);
      return settings;
    }
    const checkinAt = await this.nextCheckin(personKey, settings, now);
    await this.deps.jobs.schedule(newJob({ id: CHECKIN_JOB_ID, kind: CHECKIN_JOB_KIND, personKey, dueAt: checkinAt.at, payload: checkinAt.sooner ? { sooner: true } : {} }, now), { replace: true });
    const measureAt = nextMeasureAt(settings, await this.lastMeasured(personKey, settings.measures.instruments), now);
    await this.deps.jobs.schedule(newJob({ id: MEASURE_JOB_ID, kind: MEASURE_JOB_KIND, personKey, dueAt: measureAt }, now), { replace: true });
    return settings;
  }

  /** No reminders until `until`, or until resume() when there is none. */
  async pause(personKey: string, until?: Date): Promise<BetweenSettings | undefined> {
    const now = this.clock();
    await this.deps.schedule.update(personKey, (settings) => pauseSettings(settings, now, until));
    return this.reschedule(personKey);
  }

  async resume(personKey: string): Promise<BetweenSettings | undefined> {
    const now = this.clock();
    await this.deps.schedule.update(personKey, (settings) => resumeSettings(settings, now));
    return this.reschedule(personKey);
  }

  /**
   * "Plus tard" after a reminder: the same reminder again in two hours (or at the end of quiet
   * hours: tomorrow morning). Undefined when no reminder was sent in the last 24 hours (then
   * "Plus tard" was an answer to something else) or the person has no settings.
   */
  async snooze(personKey: string, now: Date = this.clock()): Promise<Snoozed | undefined> {
    const settings = await this.deps.schedule.load(personKey);
    const prompt = settings?.lastPrompt;
    if (!settings || !prompt || now.getTime() - Date.parse(prompt.at) > PROMPT_ANSWER_WINDOW_MS) return undefined;
    const { timeZone, quietHours } = settings.checkin;
    const at = snoozeAt(now, this.snoozeMinutes, { timeZone, quietHours });
    const kind = prompt.kind;
    await this.deps.jobs.schedule(
      newJob({ id: `${kind === 'measure' ? MEASURE_JOB_ID : CHECKIN_JOB_ID}${SNOOZE_SUFFIX}`, kind: kind === 'measure' ? MEASURE_JOB_KIND : CHECKIN_JOB_KIND, personKey, dueAt: at, payload: { oneOff: true } }, now),
      { replace: true },
    );
    await this.deps.schedule.update(personKey, (current) => clearPrompt(current, now));
    return { kind, at, timeZone };
  }

  /** The reminder sent in the last 24 hours and not answered yet, if any (to read "Plus tard" / "Faire le point" as its answer). */
  async recentPrompt(personKey: string, now: Date = this.clock()): Promise<ReminderKind | undefined> {
    const prompt = (await this.deps.schedule.load(personKey))?.lastPrompt;
    return prompt && now.getTime() - Date.parse(prompt.at) <= PROMPT_ANSWER_WINDOW_MS ? prompt.kind : undefined;
  }

  /** For the clinician (or the person): questionnaires every `everyDays` days (7–56), optionally another set. */
  async setMeasureCadence(personKey: string, cadence: { everyDays: number; instruments?: readonly InstrumentId[] }, by: 'person' | 'clinician' = 'clinician'): Promise<BetweenSettings | undefined> {
    const now = this.clock();
    await this.deps.schedule.update(personKey, (settings) => setMeasureCadence(settings, cadence, by, now));
    return this.reschedule(personKey);
  }

  /** Stops the reminders and erases the between-sessions documents (settings and measures). */
  async deleteForPerson(personKey: string): Promise<{ reminders: number; documents: number }> {
    const reminders = await this.cancelReminders(personKey, this.clock());
    let documents = 0;
    if (await this.deps.schedule.delete(personKey)) documents++;
    if (await this.deps.measures.delete(personKey)) documents++;
    return { reminders, documents };
  }

  // ── Job handlers ────────────────────────────────────────────────────────────────────────────

  /** Handler for job kind `checkin`. */
  checkinHandler(): JobHandler {
    return (job, now) => this.runCheckin(job, now);
  }

  /** Handler for job kind `measure`. */
  measureHandler(): JobHandler {
    return (job, now) => this.runMeasure(job, now);
  }

  private async runCheckin(job: Job, now: Date): Promise<JobOutcome> {
    const oneOff = job.payload.oneOff === true;
    const settings = await this.deps.schedule.load(job.personKey);
    if (!settings) return 'done';
    if (isPaused(settings, now)) return this.whilePaused(settings, oneOff, (s) => nextCheckinAt(s, now));
    if (!oneOff && (await this.measureOnSameSlot(job, settings))) {
      this.deps.logger?.debug('between_checkin_merged', { kind: job.kind });
    } else {
      const sent = await this.send(job, 'checkin', (locale) => checkinReminder(this.deps.texts, settings.locale ?? locale, { sooner: job.payload.sooner === true }));
      if (sent === 'retry') return { error: 'send_failed' };
    }
    if (oneOff) return 'done';
    const next = await this.nextCheckin(job.personKey, settings, now);
    return { reschedule: next.at, payload: next.sooner ? { sooner: true } : {} };
  }

  private async runMeasure(job: Job, now: Date): Promise<JobOutcome> {
    const oneOff = job.payload.oneOff === true;
    const settings = await this.deps.schedule.load(job.personKey);
    if (!settings) return 'done';
    const last = await this.lastMeasured(job.personKey, settings.measures.instruments);
    if (isPaused(settings, now)) return this.whilePaused(settings, oneOff, (s) => nextMeasureAt(s, last, now));
    if (!oneOff && !isMeasureDue(settings, last, now)) {
      // Answered on their own since: the reminder moves to the next due slot.
      return { reschedule: nextMeasureAt(settings, last, now) };
    }
    const sent = await this.send(job, 'measure', (locale) => measureReminder(this.deps.texts, settings.locale ?? locale));
    if (sent === 'retry') return { error: 'send_failed' };
    if (oneOff) return 'done';
    // Next time counts from this reminder (or from the answers, when they come: see reschedule).
    return { reschedule: nextMeasureAt(settings, now.toISOString(), now) };
  }

  private whilePaused(settings: BetweenSettings, oneOff: boolean, next: (settings: BetweenSettings) => Date): JobOutcome {
    if (oneOff || !settings.pause?.until) return 'done';
    return { reschedule: next(settings) };
  }

  /** Sends; 'retry' when a retryable failure may still be retried in this run's budget. */
  private async send(job: Job, kind: ReminderKind, build: (locale: Locale) => ReturnType<typeof checkinReminder>): Promise<ProactiveResult | 'retry' | 'failed'> {
    let result: ProactiveResult;
    try {
      result = await this.deps.messenger.send(job.personKey, build);
    } catch (error) {
      const retryable = (error as { retryable?: unknown }).retryable !== false;
      this.deps.logger?.warn('between_send_failed', { kind, attempts: job.attempts, error: errorKind(error) });
      return retryable && job.attempts < MAX_SEND_ATTEMPTS ? 'retry' : 'failed';
    }
    if (result === 'sent') {
      try {
        const now = this.clock();
        await this.deps.schedule.update(job.personKey, (settings) => notePrompt(settings, kind, now));
      } catch (error) {
        this.deps.logger?.warn('between_prompt_note_failed', { kind, error: errorKind(error) });
      }
    } else {
      this.deps.logger?.info('between_not_sent', { kind, result });
    }
    return result;
  }

  /**
   * The questionnaire reminder speaks for this slot (it offers the check-in too): it was just sent
   * for it, or it is due within SAME_SLOT_MS of this check-in and will be sent.
   */
  private async measureOnSameSlot(job: Job, settings: BetweenSettings): Promise<boolean> {
    const slot = Date.parse(job.dueAt);
    const prompt = settings.lastPrompt;
    if (prompt?.kind === 'measure' && Math.abs(Date.parse(prompt.at) - slot) <= SAME_SLOT_MS) return true;
    const measure = await this.deps.jobs.get(job.personKey, MEASURE_JOB_ID);
    if (!measure || (measure.body.status !== 'pending' && measure.body.status !== 'running')) return false;
    const measureAt = Date.parse(measure.body.dueAt);
    if (Math.abs(measureAt - slot) > SAME_SLOT_MS) return false;
    return isMeasureDue(settings, await this.lastMeasured(job.personKey, settings.measures.instruments), new Date(measureAt));
  }

  /** The regular next check-in, or sooner (4 h, out of quiet hours) after a recent escalation. */
  private async nextCheckin(personKey: string, settings: BetweenSettings, now: Date): Promise<{ at: Date; sooner: boolean }> {
    const regular = nextCheckinAt(settings, now);
    if (!this.deps.riskEvents) return { at: regular, sooner: false };
    let events: readonly ScreenEvent[] = [];
    try {
      events = await this.deps.riskEvents(personKey);
    } catch (error) {
      this.deps.logger?.warn('between_risk_events_failed', { error: errorKind(error) });
    }
    const normalMs = regular.getTime() - now.getTime();
    const delayMs = nextCheckInDelayMs(events, now, normalMs);
    if (delayMs >= normalMs) return { at: regular, sooner: false };
    const { timeZone, quietHours } = settings.checkin;
    const sooner = snoozeAt(now, Math.max(1, Math.round(delayMs / 60_000)), { timeZone, quietHours });
    return sooner.getTime() < regular.getTime() ? { at: sooner, sooner: true } : { at: regular, sooner: false };
  }

  private async lastMeasured(personKey: string, instruments: readonly InstrumentId[]): Promise<string | undefined> {
    const record = await this.deps.measures.load(personKey);
    return record ? lastCompletedAll(record, instruments) : undefined;
  }

  private async cancelReminders(personKey: string, now: Date): Promise<number> {
    return (await this.deps.jobs.cancelForPerson(personKey, CHECKIN_JOB_KIND, now)) + (await this.deps.jobs.cancelForPerson(personKey, MEASURE_JOB_KIND, now));
  }
}
