import { ScheduleDialog, inQuietHours, type ScheduleDialogOptions } from '../../dialogs/schedule/scheduleDialog';
import { nextCheckinAt, setMeasureCadence } from '../../core/measures/settings';
import { localDateTime } from '../../core/schedule/recurrence';
import type { PersonProfile } from '../../core/people/profile';
import { allText, buttons, client, last, send, t, texts, world, type World } from '../measures/support';

function dialog(w: World, changed: string[] = [], profile: PersonProfile = {}): ScheduleDialog {
  const accessor = {
    get: async () => profile,
    set: async (_context: unknown, value: PersonProfile) => void Object.assign(profile, value),
    delete: async () => undefined,
  };
  return new ScheduleDialog({ texts: texts(), schedule: w.schedule, personKeyOf: () => w.personKey, now: w.now, profile: accessor, onChanged: async (key) => void changed.push(key) });
}

describe('ScheduleDialog — mes rappels', () => {
  it('shows the defaults and changes days and time typed freely ("mardi 18h" style), DST-safe', async () => {
    const w = world();
    w.clock.now = new Date('2025-03-07T15:00:00.000Z'); // Friday before the spring DST change
    const changed: string[] = [];
    const c = client(w, dialog(w, changed), 'fr-CA');
    const hub = await last(c, 'mes rappels');
    expect(hub.text).toContain('Faire le point : mardi et vendredi à 18 h (Québec et Ontario (Est))');
    expect(hub.text).toContain('Heures calmes : de 21 h à 8 h');
    expect(hub.text).toContain('Questionnaires : toutes les 2 semaines');
    expect(buttons(hub)).toEqual(['Jours et heure', 'Fuseau horaire', 'Heures calmes', 'Questionnaires', 'Mettre en pause', "C'est bon"]);

    const when = await last(c, 'Jours et heure');
    expect(buttons(when)).toEqual(['Mardi et vendredi 18 h', 'Lundi et jeudi 12 h', 'Tous les jours 19 h', 'Mercredi 18 h', 'Retour']);
    const saved = await last(c, 'lundi et mercredi 19h30');
    expect(saved.text).toContain('C\'est noté : lundi et mercredi à 19 h 30. Prochain rappel : **lundi 10 mars à 19 h 30**.');
    const settings = (await w.schedule.load(w.personKey))!;
    expect(settings.checkin).toMatchObject({ days: [1, 3], time: '19:30', timeZone: 'America/Toronto' });
    // 19:30 on the wall clock on both sides of the DST change (March 9).
    const monday = nextCheckinAt(settings, w.clock.now);
    expect(monday.toISOString()).toBe('2025-03-10T23:30:00.000Z');
    expect(localDateTime(monday, 'America/Toronto').time).toBe('19:30');
    expect(changed).toEqual([w.personKey]);
    const end = await send(c, "C'est bon");
    expect(allText(end)).toBe(t('fr-CA', 'schedule.end'));
  });

  it('days without a time ask for the time; "tuesday 6pm" works in English; quiet hours are noted', async () => {
    const w = world();
    const c = client(w, dialog(w), 'en-CA', { initial: { start: 'when' } satisfies ScheduleDialogOptions });
    await send(c, 'hi');
    const needTime = await last(c, 'weekdays');
    expect(needTime.text).toBe(t('en-CA', 'schedule.when.needTime'));
    const saved = await last(c, '7:30 am');
    expect(saved.text).toContain('Got it: weekdays at 7:30 a.m.');
    expect((await w.schedule.load(w.personKey))!.checkin).toMatchObject({ days: [1, 2, 3, 4, 5], time: '07:30' });
    await send(c, 'Days and time');
    const late = await last(c, 'tuesday 6pm');
    expect(late.text).toContain('Got it: Tuesday at 6:00 p.m.');
    await send(c, 'Days and time');
    const inQuiet = await last(c, 'friday 11pm');
    expect(inQuiet.text).toContain(t('en-CA', 'schedule.when.quietWarning', { quiet: 'from 9:00 p.m. to 8:00 a.m.' }));
  });

  it('something not understood changes nothing', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA', { initial: { start: 'when' } satisfies ScheduleDialogOptions });
    await send(c, 'go');
    const retry = await last(c, 'bientôt');
    expect(retry.text).toContain(t('fr-CA', 'schedule.when.retry'));
    await send(c, 'je sais pas');
    const hub = await last(c, 'euh');
    expect(hub.text).toContain(t('fr-CA', 'schedule.when.notUnderstood'));
    expect(await w.schedule.load(w.personKey)).toBeUndefined();
  });

  it('time zone (also written to the profile) and quiet hours', async () => {
    const w = world();
    const profile: PersonProfile = { timeZone: 'America/Toronto' };
    const c = client(w, dialog(w, [], profile), 'fr-CA', { initial: { start: 'zone' } satisfies ScheduleDialogOptions });
    const zones = await last(c, 'go');
    expect(buttons(zones)).toContain('Pacifique (C.-B.)');
    const zoneSaved = await last(c, 'Pacifique (C.-B.)');
    expect(zoneSaved.text).toContain("C'est noté : Pacifique (C.-B.).");
    expect(profile.timeZone).toBe('America/Vancouver');
    await send(c, 'Heures calmes');
    const quiet = await last(c, '22h à 7h');
    expect(quiet.text).toContain("C'est noté : heures calmes de 22 h à 7 h.");
    const settings = (await w.schedule.load(w.personKey))!;
    expect(settings.checkin).toMatchObject({ timeZone: 'America/Vancouver', quietHours: { start: '22:00', end: '07:00' } });
    await send(c, 'Heures calmes');
    await send(c, "Pas d'heures calmes");
    expect((await w.schedule.load(w.personKey))!.checkin.quietHours).toBeUndefined();
  });

  it('questionnaire cadence, also when a clinician chose it', async () => {
    const w = world();
    await w.schedule.update(w.personKey, (s) => setMeasureCadence(s, { everyDays: 7 }, 'clinician', w.clock.now));
    const c = client(w, dialog(w), 'fr-CA', { initial: { start: 'measures' } satisfies ScheduleDialogOptions });
    const ask = await last(c, 'go');
    expect(ask.text).toContain(t('fr-CA', 'schedule.measures.byClinician', { cadence: 'chaque semaine' }));
    const saved = await last(c, 'Toutes les 4 semaines');
    expect(saved.text).toContain("C'est noté : tes questionnaires viendront toutes les 4 semaines.");
    expect((await w.schedule.load(w.personKey))!.measures).toMatchObject({ everyDays: 28, setBy: 'person' });
  });

  it('pause for a week, or until resumed', async () => {
    const w = world();
    const changed: string[] = [];
    const c = client(w, dialog(w, changed), 'fr-CA');
    await send(c, 'go');
    const ask = await last(c, 'Mettre en pause');
    expect(buttons(ask)).toEqual(['1 semaine', '2 semaines', "Jusqu'à ce que je revienne", 'Finalement non']);
    const paused = await last(c, '1 semaine');
    expect(paused.text).toContain("C'est noté : pas de rappels jusqu'au 10 mars.");
    expect(paused.text).toContain("⏸ Les rappels sont en pause jusqu'au 10 mars.");
    expect(buttons(paused)).toContain('Reprendre les rappels');
    const resumed = await last(c, 'Reprendre les rappels');
    expect(resumed.text).toContain('Les rappels reprennent ! Prochain rappel : **mardi 4 mars à 18 h**.');
    await send(c, 'Mettre en pause');
    await send(c, "Jusqu'à ce que je revienne");
    expect((await w.schedule.load(w.personKey))!.pause).toEqual({ since: w.clock.now.toISOString() });
    expect(changed).toHaveLength(3);
  });

  it.each([
    ['22:30', { start: '21:00', end: '08:00' }, true],
    ['07:59', { start: '21:00', end: '08:00' }, true],
    ['08:00', { start: '21:00', end: '08:00' }, false],
    ['18:00', { start: '21:00', end: '08:00' }, false],
    ['13:00', { start: '12:00', end: '14:00' }, true],
  ])('%s in quiet hours %j → %s', (time, quiet, expected) => {
    expect(inQuietHours(time, quiet)).toBe(expected);
  });
});
