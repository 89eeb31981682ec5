/** Shared bits of the scheduler tests: job fixtures, a capturing logger, a recording handler. */
import type { ConversationReference } from 'botbuilder';
import { createLogger, type Logger } from '../../bot/observability/logger';
import { newJob, type Job, type NewJob } from '../../core/schedule/job';

export const T0 = new Date('2026-03-10T22:00:00.000Z');
export const minutes = (n: number, from: Date = T0) => new Date(from.getTime() + n * 60_000);

export function makeJob(n: number, overrides: Partial<NewJob> = {}, now: Date = T0): Job {
  return newJob({ id: `job-${n}`, kind: 'checkin', personKey: `person-${n % 7}`, dueAt: now, payload: { n }, ...overrides }, now);
}

export function captureLogger(): { logger: Logger; lines: string[]; events: () => string[] } {
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  return { logger, lines, events: () => lines.map((l) => (JSON.parse(l) as { event: string }).event) };
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What Teams sends in a personal chat (names included, which we must not keep). */
export const teamsReference: ConversationReference = {
  activityId: 'f:1234',
  user: { id: '29:1abc-user', name: 'Marie Tremblay', aadObjectId: '00000000-aaaa-bbbb-cccc-000000000001', role: 'user' },
  bot: { id: '28:bot-app-id', name: 'Petits pas' },
  conversation: { id: 'a:1personal-chat', conversationType: 'personal', tenantId: 'tenant-qc', isGroup: false, name: '' },
  channelId: 'msteams',
  locale: 'fr-CA',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
};
