import type { Activity } from 'botbuilder';
import { BetweenSessions, CHECKIN_JOB_KIND, MEASURE_JOB_KIND } from '../../bot/between/betweenSessions';
import { checkinReminder, matchReminderReply, measureReminder, snoozedText } from '../../bot/between/reminders';
import { silentLogger } from '../../bot/observability/logger';
import { Scheduler } from '../../bot/scheduler/scheduler';
import type { ProactiveResult } from '../../adapters/proactive/proactiveMessenger';
import type { Locale } from '../../core/i18n/locale';
import { addCheckin, addMeasureResult, addSatisfaction } from '../../core/measures/record';
import { measuresSource } from '../../bot/between/measuresSource';
import type { ScreenEvent } from '../../core/safety/risk';
import { localDateTime } from '../../core/schedule/recurrence';
import { t, texts, world, type World } from '../measures/support';

const MON = new Date('2025-03-03T15:00:00.000Z'); // Monday 10:00 in Montréal
const TUE_18 = new Date('2025-03-04T23:00:00.000Z'); // 18:00 EST
const FRI_18 = new Date('2025-03-07T23:00:00.000Z'); // 18:00 EST
const TUE_18_DST = new Date('2025-03-11T22:00:00.000Z'); // 18:00 EDT, after the change of March 9
const minutes = (n: number, from: Date) => new Date(from.getTime() + n * 60_000);

interface Sent {
  readonly personKey: string;
  readonly activities: Partial<Activity>[];
}

function setup(options: { events?: ScreenEvent[]; fail?: unknown; result?: ProactiveResult } = {}) {
  const w: World = world();
  w.clock.now = MON;
  const sent: Sent[] = [];
  const messenger = {
    send: async (personKey: string, build: (locale: Locale) => Partial<Activity>[]): Promise<ProactiveResult> => {
      if (options.fail) throw options.fail;
      sent.push({ personKey, activities: build('en-CA') });
      return options.result ?? 'sent';
    },
  };
  const cron = () => ({ stop: () => undefined, destroy: () => undefined });
  const scheduler = new Scheduler({ store: w.store, clock: w.now, logger: silentLogger, cron, random: () => 0.5 });
  const between = new BetweenSessions({
    jobs: scheduler.jobs,
    schedule: w.schedule,
    measures: w.measures,
    messenger,
    texts: texts(),
    clock: w.now,
    riskEvents: options.events ? async () => options.events ?? [] : undefined,
  });
  scheduler.register(CHECKIN_JOB_KIND, between.checkinHandler()).register(MEASURE_JOB_KIND, between.measureHandler());
  const job = async (id: string) => (await scheduler.jobs.get(w.personKey, id))?.body;
  const tick = async (at: Date) => {
    w.clock.now = at;
    return scheduler.runOnce(at);
  };
  return { w, sent, scheduler, between, job, tick };
}

const texts_ = (s: Sent) => s.activities.map((a) => a.text);
const buttonsOf = (s: Sent) => s.activities.flatMap((a) => a.suggestedActions?.actions.map((x) => String(x.title)) ?? []);

describe('BetweenSessions — scheduled check-ins and questionnaires', () => {
  it('a plan start schedules both reminders on the first check-in slot', async () => {
    const { w, between, job } = setup();
    const settings = await between.onPlanStarted(w.personKey, { timeZone: 'America/Toronto', locale: 'fr-CA' });
    expect(settings?.checkin).toMatchObject({ days: [2, 5], time: '18:00', timeZone: 'America/Toronto' });
    expect(settings?.locale).toBe('fr-CA');
    expect(await job('checkin')).toMatchObject({ kind: 'checkin', status: 'pending', dueAt: TUE_18.toISOString() });
    expect(await job('measure')).toMatchObject({ kind: 'measure', status: 'pending', dueAt: TUE_18.toISOString() });
  });

  it('one message per slot: the questionnaire reminder speaks for the check-in; both reschedule themselves', async () => {
    const { w, between, sent, job, tick } = setup();
    await between.onPlanStarted(w.personKey, { locale: 'fr-CA' });
    expect((await tick(minutes(10, MON))).claimed).toBe(0);
    const summary = await tick(TUE_18);
    expect(summary.rescheduled).toBe(2);
    expect(sent).toHaveLength(1);
    expect(texts_(sent[0])).toEqual([t('fr-CA', 'measures.reminder.text')]);
    expect(buttonsOf(sent[0])).toEqual(['Répondre au questionnaire', 'Faire le point', 'Plus tard']);
    expect(await job('checkin')).toMatchObject({ status: 'pending', dueAt: FRI_18.toISOString() });
    // Two weeks on, on a check-in slot, 18:00 local after the DST change.
    expect(await job('measure')).toMatchObject({ status: 'pending', dueAt: '2025-03-18T22:00:00.000Z' });
    expect((await w.schedule.load(w.personKey))?.lastPrompt).toEqual({ kind: 'measure', at: TUE_18.toISOString() });
  });

  it('a check-in reminder in the person’s language, then the next occurrence, DST-safe', async () => {
    const { w, between, sent, job, tick } = setup();
    await between.onPlanStarted(w.personKey, { locale: 'fr-CA' });
    await tick(TUE_18);
    await tick(FRI_18);
    expect(sent).toHaveLength(2);
    expect(texts_(sent[1])).toEqual([t('fr-CA', 'checkin.reminder.text')]);
    expect(buttonsOf(sent[1])).toEqual(['Faire le point', 'Plus tard']);
    const next = (await job('checkin'))!;
    expect(next.dueAt).toBe(TUE_18_DST.toISOString());
    expect(localDateTime(new Date(next.dueAt), 'America/Toronto')).toMatchObject({ time: '18:00', weekday: 2 });
  });

  it('paused: nothing is sent; an open pause cancels, a dated one moves past its end; resume schedules again', async () => {
    const { w, between, sent, job, tick } = setup();
    await between.onPlanStarted(w.personKey);
    await between.pause(w.personKey);
    expect((await job('checkin'))?.status).toBe('cancelled');
    expect((await job('measure'))?.status).toBe('cancelled');
    await tick(TUE_18);
    expect(sent).toHaveLength(0);

    w.clock.now = MON;
    await between.resume(w.personKey);
    expect(await job('checkin')).toMatchObject({ status: 'pending', dueAt: TUE_18.toISOString() });
    await between.pause(w.personKey, new Date('2025-03-10T12:00:00.000Z'));
    expect(await job('checkin')).toMatchObject({ status: 'pending', dueAt: TUE_18_DST.toISOString() });

    // A job that fires while paused (paused after it was due) sends nothing and moves on.
    await w.schedule.update(w.personKey, (s) => ({ ...s, pause: { since: MON.toISOString(), until: '2025-03-15T12:00:00.000Z' } }));
    await tick(TUE_18_DST);
    expect(sent).toHaveLength(0);
    expect((await job('checkin'))?.dueAt).toBe('2025-03-18T22:00:00.000Z');
  });

  it('"Plus tard": the same reminder two hours later, or tomorrow morning when that falls in quiet hours', async () => {
    const { w, between, sent, job, tick } = setup();
    await between.onPlanStarted(w.personKey, { locale: 'fr-CA' });
    await tick(FRI_18); // the measure was due Tuesday: this run sends both kinds' first reminder
    sent.length = 0;
    expect(await between.recentPrompt(w.personKey, minutes(5, FRI_18))).toBeDefined();
    const snoozed = await between.snooze(w.personKey, minutes(5, FRI_18));
    expect(snoozed?.at.toISOString()).toBe(minutes(125, FRI_18).toISOString());
    expect(snoozedText(texts(), 'fr-CA', snoozed!.at, snoozed!.timeZone)).toBe("D'accord, je te le rappelle vendredi 7 mars à 20 h 05.");
    const oneOff = (await job(`${snoozed!.kind}:snooze`))!;
    expect(oneOff).toMatchObject({ status: 'pending', payload: { oneOff: true } });
    // Answered once: a second "plus tard" is not about a reminder any more.
    expect(await between.snooze(w.personKey, minutes(6, FRI_18))).toBeUndefined();
    expect(await between.recentPrompt(w.personKey, minutes(6, FRI_18))).toBeUndefined();

    await tick(snoozed!.at);
    expect(sent).toHaveLength(1);
    expect((await job(`${snoozed!.kind}:snooze`))?.status).toBe('done');

    // Late in the evening: pushed out of quiet hours (21:00–08:00) to the next morning.
    const late = await between.snooze(w.personKey, minutes(130, FRI_18));
    expect(localDateTime(late!.at, 'America/Toronto')).toEqual({ date: '2025-03-08', time: '08:00', weekday: 6 });
  });

  it('after a recent escalation the next check-in comes sooner, with gentler words', async () => {
    const events: ScreenEvent[] = [{ at: minutes(-60, TUE_18).toISOString(), level: 'crisis', categories: ['suicidal_ideation'] as never }];
    const { w, between, sent, job, tick } = setup({ events });
    await between.onPlanStarted(w.personKey, { locale: 'en-CA' });
    await w.measures.update(w.personKey, (r) =>
      ['phq9', 'gad7', 'wsas'].reduce((acc, id) => addMeasureResult(acc, { instrument: id as 'phq9', score: 1, answers: [], at: MON.toISOString() }, MON), r),
    );
    await tick(TUE_18);
    const next = (await job('checkin'))!;
    // 4 hours later would be 22:00, in quiet hours: the next morning at 08:00 instead of Friday.
    expect(next.dueAt).toBe('2025-03-05T13:00:00.000Z');
    expect(localDateTime(new Date(next.dueAt), 'America/Toronto').time).toBe('08:00');
    expect(next.payload).toEqual({ sooner: true });
    await tick(new Date(next.dueAt));
    expect(texts_(sent[sent.length - 1])).toEqual([t('en-CA', 'checkin.reminder.sooner')]);
  });

  it('questionnaires answered on their own: no reminder, the next one counts from the answers', async () => {
    const { w, between, sent, job, tick } = setup();
    await between.onPlanStarted(w.personKey);
    await w.measures.update(w.personKey, (r) =>
      ['phq9', 'gad7', 'wsas'].reduce((acc, id) => addMeasureResult(acc, { instrument: id as 'phq9', score: 3, answers: [], at: minutes(60, MON).toISOString() }, MON), r),
    );
    await tick(TUE_18);
    expect(sent.map((s) => texts_(s)[0])).toEqual([t('en-CA', 'checkin.reminder.text')]);
    expect((await job('measure'))?.dueAt).toBe('2025-03-18T22:00:00.000Z');
  });

  it('a failed send is retried a little, then the reminder moves on (never dies)', async () => {
    const failure = Object.assign(new Error('boom'), { retryable: true });
    const { w, between, job, tick } = setup({ fail: failure });
    await between.onPlanStarted(w.personKey);
    await tick(TUE_18);
    expect(await job('measure')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'send_failed' });
    for (let i = 0; i < 2; i++) await tick(new Date(Date.parse((await job('measure'))!.dueAt)));
    expect(await job('measure')).toMatchObject({ status: 'pending', attempts: 0, dueAt: '2025-03-18T22:00:00.000Z' });
    // The check-in of that slot was left to the questionnaire reminder; it goes on as usual.
    expect(await job('checkin')).toMatchObject({ status: 'pending', dueAt: FRI_18.toISOString() });
    await tick(FRI_18);
    expect(await job('checkin')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'send_failed' });
  });

  it('no conversation to reach (never wrote, or removed the app): the reminder still recurs', async () => {
    const { w, between, job, tick } = setup({ result: 'no_reference' });
    await between.onPlanStarted(w.personKey);
    await tick(TUE_18);
    expect((await job('checkin'))?.dueAt).toBe(FRI_18.toISOString());
    expect((await w.schedule.load(w.personKey))?.lastPrompt).toBeUndefined();
  });

  it('the clinician sets the cadence; deleteForPerson stops everything', async () => {
    const { w, between, job } = setup();
    await between.onPlanStarted(w.personKey);
    await w.measures.update(w.personKey, (r) =>
      ['phq9', 'gad7', 'wsas'].reduce((acc, id) => addMeasureResult(acc, { instrument: id as 'phq9', score: 3, answers: [], at: TUE_18.toISOString() }, MON), r),
    );
    const settings = await between.setMeasureCadence(w.personKey, { everyDays: 28 });
    expect(settings?.measures).toMatchObject({ everyDays: 28, setBy: 'clinician' });
    expect((await job('measure'))?.dueAt).toBe('2025-04-01T22:00:00.000Z');
    await expect(between.setMeasureCadence(w.personKey, { everyDays: 2 })).rejects.toThrow(RangeError);
    expect(await between.deleteForPerson(w.personKey)).toEqual({ reminders: 2, documents: 2 });
    expect(await w.schedule.load(w.personKey)).toBeUndefined();
    expect(await between.reschedule(w.personKey)).toBeUndefined();
  });
});

describe('reminder buttons, recognised when clicked later', () => {
  it.each([
    ['Faire le point', 'checkin'],
    ['Check in', 'checkin'],
    ['Répondre au questionnaire', 'measure'],
    ['answer the questionnaire', 'measure'],
    ['Plus tard', 'later'],
    ['Later', 'later'],
    ['plus tard stp', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => {
    expect(matchReminderReply(texts(), text)).toBe(expected);
  });

  it('the check-in button is the main menu’s check-in option (so the menu routes it too)', () => {
    for (const locale of ['fr-CA', 'en-CA'] as const) {
      expect(t(locale, 'checkin.reminder.go')).toBe(t(locale, 'menu.options.checkin'));
      expect(checkinReminder(texts(), locale)[0].suggestedActions?.actions[0].value).toBe(t(locale, 'menu.options.checkin'));
      expect(measureReminder(texts(), locale)[0].suggestedActions?.actions).toHaveLength(3);
    }
  });
});

describe('measures for the clinician summary', () => {
  it('results with band, caseness and reliable change since the first; motivation and helpfulness ratings', async () => {
    const w = world();
    await w.measures.update(w.personKey, (r) => {
      let next = addMeasureResult(r, { instrument: 'phq9', score: 16, answers: [], at: '2025-03-04T23:00:00.000Z' }, MON);
      next = addMeasureResult(next, { instrument: 'phq9', score: 9, answers: [], at: '2025-03-18T22:00:00.000Z' }, MON);
      next = addMeasureResult(next, { instrument: 'wsas', score: 12, answers: [], at: '2025-03-18T22:00:00.000Z' }, MON);
      next = addCheckin(next, { at: 'c1', outcomes: ['worked'], motivation: 6 }, MON);
      next = addCheckin(next, { at: 'c2', outcomes: [] }, MON);
      return addSatisfaction(next, { at: 's1', value: 8 }, MON);
    });
    const source = measuresSource(w.measures);
    expect(await source.scoresFor(w.personKey)).toEqual([
      { instrument: 'PHQ-9', score: 16, band: 'moderately_severe', at: '2025-03-04T23:00:00.000Z', caseness: true },
      { instrument: 'PHQ-9', score: 9, band: 'mild', at: '2025-03-18T22:00:00.000Z', caseness: false, reliableChange: 'improved' },
      { instrument: 'WSAS', score: 12, band: 'significant', at: '2025-03-18T22:00:00.000Z' },
    ]);
    expect(await source.motivationFor(w.personKey)).toEqual([{ at: 'c1', value: 6 }]);
    expect(await source.helpfulnessFor(w.personKey)).toEqual([{ at: 's1', value: 8 }]);
    expect(await source.scoresFor('nobody')).toEqual([]);
  });
});
