import type { ProactiveMessenger } from '../../adapters/proactive/proactiveMessenger';
import type { Texts } from '../../content/texts';
import { newJob, type Job } from '../../core/schedule/job';
import { DEFAULT_CHECKIN_SCHEDULE, snooze } from '../../core/schedule/recurrence';
import type { JobOutcome, Scheduler } from '../scheduler/scheduler';

export const CRISIS_FOLLOW_UP_KIND = 'crisis_followup';
/** "The next day": a day later, moved out of the night if it falls in quiet hours. */
export const FOLLOW_UP_DELAY_MINUTES = 24 * 60;

/** Schedules the gentle next-day message after a crisis; one per escalation, whatever the retries. */
export function scheduleCrisisFollowUp(scheduler: Pick<Scheduler, 'jobs'>, personKey: string, escalationId: string, now: Date, timeZone: string): Promise<unknown> {
  const dueAt = snooze(now, FOLLOW_UP_DELAY_MINUTES, { timeZone, quietHours: DEFAULT_CHECKIN_SCHEDULE.quietHours });
  return scheduler.jobs.schedule(newJob({ id: `${CRISIS_FOLLOW_UP_KIND}:${escalationId}`, kind: CRISIS_FOLLOW_UP_KIND, personKey, dueAt }, now));
}

/** The handler: a proactive message in the person's language; a gone conversation ends the job. */
export function crisisFollowUpHandler(messenger: ProactiveMessenger, texts: Texts) {
  return async (job: Job): Promise<JobOutcome> => {
    await messenger.send(job.personKey, (locale) => [{ type: 'message', text: texts.t(locale, 'crisis.followUp') }]);
    return 'done';
  };
}
