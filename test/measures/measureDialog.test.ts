import { ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import { DialogSet } from 'botbuilder-dialogs';
import { installCrisisHook } from '../../dialogs/safetyHooks';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { MeasureDialog, type MeasureDialogOptions } from '../../dialogs/measures/measureDialog';
import { addMeasureResult, setDraft } from '../../core/measures/record';
import { startDraft, answerItem } from '../../core/measures/draft';
import { setMeasureCadence } from '../../core/measures/settings';
import type { PersonProfile } from '../../core/people/profile';
import { allText, buttons, client, DAY, last, send, START, t, questionnaires, texts, world, type World } from './support';

const FR = ['Jamais', 'Plusieurs jours', 'Plus de la moitié du temps', 'Presque tous les jours'];
const EN = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];

function dialog(w: World, extra: { shared?: boolean; completed?: string[] } = {}): MeasureDialog {
  const profile = {
    get: async (): Promise<PersonProfile> => (extra.shared === undefined ? {} : { consents: { share: { granted: extra.shared, version: 'v', at: START.toISOString() } } }),
    set: async () => undefined,
    delete: async () => undefined,
  };
  return new MeasureDialog({
    texts: texts(),
    questionnaires: questionnaires(),
    measures: w.measures,
    schedule: w.schedule,
    personKeyOf: () => w.personKey,
    profile,
    now: w.now,
    onCompleted: async (_key, id) => void extra.completed?.push(id),
  });
}

async function stored(w: World) {
  return (await w.measures.load(w.personKey))!;
}

describe('MeasureDialog — Mes questionnaires', () => {
  it('GAD-7 in French: intro, items one at a time with buttons, free text, a result in plain words', async () => {
    const w = world();
    const completed: string[] = [];
    const c = client(w, dialog(w, { shared: true, completed }), 'fr-CA', { initial: { instrument: 'gad7' } satisfies MeasureDialogOptions });
    const first = await send(c, 'salut');
    expect(first[0].text).toContain('**Anxiété (GAD-7)** : 7 questions');
    const q1 = first[first.length - 1];
    expect(q1.text).toBe(t('fr-CA', 'measures.item', { number: 1, count: 7, stem: questionnaires()['fr-CA'].gad7.stem, item: "Sentiment de nervosité, d'anxiété ou de tension" }));
    expect(buttons(q1)).toEqual(FR);

    // Buttons, digits and words all work.
    const answers = ['Plusieurs jours', '2', 'jamais', 'Presque tous les jours', '1', 'plus de la moitié du temps'];
    for (const [i, answer] of answers.entries()) {
      const next = await last(c, answer);
      expect(next.text).toContain(`**Question ${i + 2} sur 7**`);
    }
    const end = await send(c, 'Plusieurs jours');
    const text = allText(end);
    expect(text).toContain('Ton résultat au GAD-7 : **10 sur 21**');
    expect(text).toContain(t('fr-CA', 'measures.result.bands.gad7.moderate'));
    expect(text).toContain(t('fr-CA', 'measures.result.first'));
    expect(text).toContain(t('fr-CA', 'measures.result.notDiagnosis'));
    expect(text).toContain(t('fr-CA', 'measures.share.yes'));
    expect(text).not.toMatch(/dépression|trouble anxieux|diagnostic de/i);
    expect(c.dialogTurnResult.status).toBe('complete');

    const record = await stored(w);
    expect(record.history.gad7?.recent).toEqual([{ instrument: 'gad7', score: 10, answers: [1, 2, 0, 3, 1, 2, 1], at: START.toISOString() }]);
    expect(record.draft).toBeUndefined();
    expect(completed).toEqual(['gad7']);
  });

  it('PHQ-9 in English, with a trend against two weeks ago and who sees it', async () => {
    const w = world();
    await w.measures.update(w.personKey, (r) => addMeasureResult(r, { instrument: 'phq9', score: 16, answers: [2, 2, 2, 2, 2, 2, 2, 1, 1], at: new Date(START.getTime() - 14 * DAY).toISOString() }, START));
    const c = client(w, dialog(w, { shared: false }), 'en-CA', { initial: { instrument: 'phq9' } satisfies MeasureDialogOptions });
    const q1 = await last(c, 'hi');
    expect(q1.text).toContain('Over the last 2 weeks, how often have you been bothered by any of the following problems?');
    expect(q1.text).toContain('**Little interest or pleasure in doing things**');
    expect(buttons(q1)).toEqual(EN);
    for (const answer of ['Several days', '1', 'not at all', '1', '0', 'Several days', '0', '0']) await send(c, answer);
    const text = allText(await send(c, 'Not at all'));
    expect(text).toContain('Your PHQ-9 result: **4 out of 27**');
    expect(text).toContain(t('en-CA', 'measures.result.trend.lowerReliable', { ago: '2 weeks' }));
    expect(text).toContain('clearly lower than 2 weeks ago');
    expect(text).toContain(t('en-CA', 'measures.share.no'));
    expect((await stored(w)).history.phq9?.recent.map((r) => r.score)).toEqual([16, 4]);
  });

  it('an answer outside the scale is asked again with the buttons, and nothing is saved for it', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA', { initial: { instrument: 'gad7' } satisfies MeasureDialogOptions });
    await send(c, 'go');
    for (const wrong of ['12', 'beaucoup']) {
      const again = await last(c, wrong);
      expect(again.text).toContain(t('fr-CA', 'measures.retry', { min: 0, max: 3 }));
      expect(again.text).toContain('**Question 1 sur 7**');
      expect(buttons(again)).toEqual(FR);
    }
    expect((await stored(w)).draft?.answers).toEqual([null, null, null, null, null, null, null]);
    // Past the prompt's own retries: asked once more, with a plainer hint — still item 1, never a guess.
    const hint = await send(c, 'x');
    expect(allText(hint)).toContain(t('fr-CA', 'measures.notUnderstood'));
    expect(hint[hint.length - 1].text).toContain('**Question 1 sur 7**');
    const q2 = await last(c, '3');
    expect(q2.text).toContain('**Question 2 sur 7**');
    expect((await stored(w)).draft?.answers[0]).toBe(3);
  });

  it('an interrupted questionnaire resumes where it was, in a new conversation on the same storage', async () => {
    const w = world();
    const c1 = client(w, dialog(w), 'fr-CA', { initial: { instrument: 'phq9' } satisfies MeasureDialogOptions });
    await send(c1, 'go');
    for (const answer of ['1', '1', '2']) await send(c1, answer);
    // The conversation stops here (the app is closed). Later, a fresh conversation:
    w.clock.now = new Date(START.getTime() + DAY);
    const c2 = client(w, dialog(w), 'fr-CA', { conversationState: new ConversationState(new MemoryStorage()) });
    const resumed = await send(c2, 'Mes questionnaires');
    expect(allText(resumed)).toContain(t('fr-CA', 'measures.resume', { name: 'Humeur (PHQ-9)', number: 4, count: 9 }));
    expect(resumed[resumed.length - 1].text).toContain('**Question 4 sur 9**');
    for (const answer of ['0', '0', '0', '0', '0']) await send(c2, answer);
    const text = allText(await send(c2, 'Jamais'));
    expect(text).toContain('**4 sur 27**');
    expect((await stored(w)).history.phq9?.recent[0].answers).toEqual([1, 1, 2, 0, 0, 0, 0, 0, 0]);
  });

  it('never scored from partial answers: "plus tard" keeps the draft; an old draft is put aside, not scored', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA', { initial: { instrument: 'gad7' } satisfies MeasureDialogOptions });
    await send(c, 'go');
    await send(c, '2');
    const paused = await send(c, 'plus tard');
    expect(allText(paused)).toBe(t('fr-CA', 'measures.paused'));
    let record = await stored(w);
    expect(record.history.gad7).toBeUndefined();
    expect(record.draft?.answers.slice(0, 2)).toEqual([2, null]);

    w.clock.now = new Date(START.getTime() + 4 * DAY);
    const c2 = client(w, dialog(w), 'fr-CA', { initial: { instrument: 'gad7' } satisfies MeasureDialogOptions });
    const restart = await send(c2, 'go');
    expect(allText(restart)).toContain(t('fr-CA', 'measures.expired'));
    expect(restart[restart.length - 1].text).toContain('**Question 1 sur 7**');
    record = await stored(w);
    expect(record.history.gad7).toBeUndefined();
    expect(record.draft?.answers.every((a) => a === null)).toBe(true);
  });

  it('PHQ-9 item 9 above 0: the concern hook is called and the turn ends; the answers wait in the draft', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA', { initial: { battery: true } satisfies MeasureDialogOptions });
    const first = await send(c, 'go');
    expect(first[first.length - 1].text).toContain('**Question 1 sur 9**');
    for (const answer of ['1', '1', '1', '1', '1', '1', '1', '1']) await send(c, answer);
    const turn = await send(c, 'Plusieurs jours');
    expect(w.concerns).toEqual([['passive_ideation']]);
    expect(turn.map((a) => a.text)).toEqual(['[safety] direct question']);
    let record = await stored(w);
    expect(record.history.phq9).toBeUndefined();
    expect(record.draft?.answers).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);

    // The safety layer reads the answer to its question (not this dialog); later the person comes back.
    const back = await send(c, 'merci');
    expect(back[back.length - 1].text).toBe(t('fr-CA', 'measures.afterConcern.ask'));
    const result = allText(await send(c, 'Voir mon résultat'));
    expect(result).toContain('Ton résultat au PHQ-9 : **9 sur 27**');
    record = await stored(w);
    expect(record.history.phq9?.recent[0].answers[8]).toBe(1);
    // The rest of the set waits for another day.
    expect(record.draft).toBeUndefined();
    expect(c.dialogTurnResult.status).toBe('complete');
  });

  it('a complete draft left after item 9 is finished the next time, never lost', async () => {
    const w = world();
    await w.measures.update(w.personKey, (r) => {
      let draft = startDraft('phq9', START);
      for (let i = 0; i < 9; i++) draft = answerItem(draft, i, i === 8 ? 2 : 0, START);
      return setDraft(r, draft, START);
    });
    const c = client(w, dialog(w), 'en-CA');
    const text = allText(await send(c, 'My questionnaires'));
    expect(text).toContain('Your PHQ-9 result: **2 out of 27**');
    expect(w.concerns).toEqual([]);
  });

  it('a positive short form offers the full form and carries its answers over', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA', { initial: { instrument: 'phq2' } satisfies MeasureDialogOptions });
    await send(c, 'go');
    await send(c, '2');
    const offer = await send(c, '1');
    expect(allText(offer)).toContain('Ton résultat au PHQ-2 : **3 sur 6**');
    expect(offer[offer.length - 1].text).toBe(t('fr-CA', 'measures.offerFull.ask', { more: 7, code: 'PHQ-9' }));
    const next = await send(c, 'Oui, continuer');
    expect(allText(next)).toContain(t('fr-CA', 'measures.offerFull.go', { count: 7 }));
    expect(next[next.length - 1].text).toContain('**Question 3 sur 9**');
    const record = await stored(w);
    expect(record.history.phq2?.recent[0].score).toBe(3);
    expect(record.draft).toMatchObject({ instrument: 'phq9', answers: [2, 1, null, null, null, null, null, null, null] });
  });

  it('the person’s set, one after the other (GAD-2 then WSAS), with the WSAS 0–8 scale', async () => {
    const w = world();
    await w.schedule.update(w.personKey, (s) => setMeasureCadence(s, { everyDays: 14, instruments: ['gad2', 'wsas'] }, 'clinician', START));
    const c = client(w, dialog(w), 'en-CA', { initial: { battery: true } satisfies MeasureDialogOptions });
    await send(c, 'go');
    await send(c, '0');
    const wsas = await send(c, '1');
    expect(allText(wsas)).toContain('Your GAD-2 result: **1 out of 6**');
    expect(allText(wsas)).toContain(questionnaires()['en-CA'].wsas.stem);
    const q1 = wsas[wsas.length - 1];
    expect(q1.text).toContain('**Because of my problem, my ability to work is impaired.**');
    expect(buttons(q1)).toHaveLength(9);
    expect(buttons(q1)[8]).toBe('8 – Very severely');
    const again = await last(c, '9');
    expect(again.text).toContain(t('en-CA', 'measures.retry', { min: 0, max: 8 }));
    for (const answer of ['2 – Slightly', '4', '6', 'slightly']) await send(c, answer);
    const text = allText(await send(c, '0'));
    expect(text).toContain('Your WSAS result: **14 out of 40**');
    expect(text).toContain(t('en-CA', 'measures.result.bands.wsas.significant'));
    expect(text).toContain(t('en-CA', 'measures.share.unknown'));
  });

  it('the menu: choose a questionnaire, or see the results over time', async () => {
    const w = world();
    await w.measures.update(w.personKey, (r) =>
      addMeasureResult(addMeasureResult(r, { instrument: 'gad7', score: 12, answers: [], at: '2025-02-17T15:00:00.000Z' }, START), { instrument: 'gad7', score: 9, answers: [], at: '2025-03-03T15:00:00.000Z' }, START),
    );
    const c = client(w, dialog(w), 'fr-CA');
    const menu = await last(c, 'Mes questionnaires');
    expect(menu.text).toBe(t('fr-CA', 'measures.choose.ask'));
    expect(buttons(menu)).toEqual(['Humeur (PHQ-9)', 'Anxiété (GAD-7)', 'Vie de tous les jours (WSAS)', "Les 3, un après l'autre", 'Mes résultats', 'Plus tard']);
    const results = await send(c, 'Mes résultats');
    expect(allText(results)).toContain('Anxiété (GAD-7) : 9 sur 21 (3 mars) — plus bas qu\'il y a 2 semaines');
    expect(c.dialogTurnResult.status).toBe('complete');
  });
});

describe('resuming after the safety layer spoke', () => {
  it('"Reprendre" (a reprompt) offers the result; a reprompt mid-questionnaire asks the same item again', async () => {
    const w = world();
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty('dialogState')).add(dialog(w));
    const adapter = new TestAdapter(async (context) => {
      setTurnLocale(context, 'fr-CA');
      installCrisisHook(context, async () => undefined, async (ctx) => void (await ctx.sendActivity('[safety] direct question')));
      const dc = await dialogs.createContext(context);
      if (context.activity.text === 'Reprendre') await dc.repromptDialog();
      else if (!dc.activeDialog) await dc.beginDialog('petitsPas.measures', { instrument: 'phq9' } satisfies MeasureDialogOptions);
      else await dc.continueDialog();
      await state.saveChanges(context);
    });
    // One turn: the message in, every reply out (the bot's own handler, like PetitsPasBot's "Reprendre").
    const turn = async (text: string) => {
      await adapter.receiveActivity(text);
      return adapter.activeQueue.splice(0).map((a) => a.text ?? '');
    };
    await turn('go');
    await turn('1');
    expect((await turn('Reprendre')).join('\n')).toContain('**Question 2 sur 9**');
    for (const answer of ['0', '0', '0', '0', '0', '0', '0']) await turn(answer);
    expect(await turn('3')).toEqual(['[safety] direct question']);
    expect(await turn('Reprendre')).toEqual([t('fr-CA', 'measures.afterConcern.reprompt')]);
    expect((await turn('Voir mon résultat')).join('\n')).toContain('Ton résultat au PHQ-9 : **4 sur 27**');
  });
});
