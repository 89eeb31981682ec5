import { CheckinDialog, type CheckinDialogOptions } from '../../dialogs/checkin/checkinDialog';
import { addMean, chooseAction, findAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { addCheckin } from '../../core/measures/record';
import { allText, buttons, catalogue, client, DAY, last, send, START, t, texts, variants, world, type World } from '../measures/support';

function withStep(plan: Plan, meanId: string, step: [string, string, string, string]): Plan {
  const chosen = chooseAction(plan, meanId, START);
  if (chosen.outcome !== 'chosen') throw new Error(chosen.outcome);
  let next = chosen.plan;
  (['what', 'when', 'where', 'howOften'] as const).forEach((field, i) => (next = setStepField(next, chosen.action.id, field, step[i], START).plan));
  return rateConfidence(next, chosen.action.id, 8, START).plan;
}

function means(plan: Plan, ...ids: string[]): Plan {
  return ids.reduce((p, id) => addMean(p, { kind: 'catalogue', id, category: 'habits' }, 'explore', START).plan, plan);
}

async function seed(w: World, change: (plan: Plan) => Plan): Promise<void> {
  await w.plans.update(w.personKey, change);
}

function dialog(w: World): CheckinDialog {
  return new CheckinDialog({ texts: texts(), plans: w.plans, catalogue: catalogue(), personKeyOf: () => w.personKey, now: w.now, measures: w.measures, schedule: w.schedule });
}

const RULER = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const startsWithOneOf = (text: string | undefined, options: string[]) => options.some((o) => (text ?? '').startsWith(o));

describe('CheckinDialog — faire le point entre les rencontres', () => {
  it('yes: celebrates, hears what helped, keeps the step, then the motivation ruler (French)', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Marcher 10 minutes', 'Le matin', 'Dehors', '2 fois']));
    const c = client(w, dialog(w), 'fr-CA', { initial: { fromReminder: true } satisfies CheckinDialogOptions });
    const first = await send(c, 'Faire le point');
    expect(first[0].text).toBe(t('fr-CA', 'checkin.welcome'));
    const question = first[first.length - 1];
    expect(question.text).toBe('As-tu fait ton petit pas : « Marcher 10 minutes » ?');
    expect(buttons(question)).toEqual(['Oui', 'En partie', 'Pas cette fois']);

    const why = await last(c, 'Oui');
    expect(startsWithOneOf(why.text, variants('fr-CA', 'checkin.reply.worked'))).toBe(true);
    expect(why.text).toContain(t('fr-CA', 'checkin.why.worked'));
    expect(buttons(why)).toEqual(['Passer']);

    const ruler = await send(c, "L'avoir mis à mon agenda");
    expect(allText(ruler)).toContain(t('fr-CA', 'checkin.whyThanks'));
    expect(ruler[ruler.length - 1].text).toBe(t('fr-CA', 'checkin.motivation.ask'));
    expect(buttons(ruler[ruler.length - 1])).toEqual(RULER);

    const end = await send(c, '8');
    expect(allText(end)).toBe([t('fr-CA', 'checkin.motivation.high', { value: 8 }), t('fr-CA', 'checkin.end')].join('\n---\n'));
    expect(c.dialogTurnResult.status).toBe('complete');

    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(findAction(plan, 'a1')).toMatchObject({ status: 'active', reviews: [{ outcome: 'worked', why: "L'avoir mis à mon agenda", decision: 'keep' }] });
    expect(plan.prides).toEqual([expect.objectContaining({ text: 'Marcher 10 minutes', kind: 'goodMove' })]);
    const record = (await w.measures.load(w.personKey))!;
    expect(record.checkins).toEqual([{ at: START.toISOString(), outcomes: ['worked'], motivation: 8 }]);
  });

  it('partly: progress celebrated, "skip" is fine, keep as is; the ruler reads words (English)', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Walk 10 minutes', 'Morning', 'Outside', 'Twice']));
    const c = client(w, dialog(w), 'en-CA');
    await send(c, 'hi');
    const why = await last(c, 'half');
    expect(startsWithOneOf(why.text, variants('en-CA', 'checkin.reply.partly'))).toBe(true);
    const decide = await last(c, 'Skip');
    expect(decide.text).toBe(t('en-CA', 'checkin.decide'));
    expect(buttons(decide)).toEqual(['Make it smaller', 'Pick another way', 'Keep it as is']);
    const ruler = await send(c, 'Keep it as is');
    expect(ruler[0].text).toBe(t('en-CA', 'checkin.kept'));
    const end = await send(c, 'five');
    expect(end[0].text).toBe(t('en-CA', 'checkin.motivation.mid', { value: 5 }));
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(findAction(plan, 'a1')?.reviews).toEqual([{ at: START.toISOString(), outcome: 'partly', decision: 'keep' }]);
  });

  it('not this time: self-compassion, what got in the way, then make the step smaller (tiny steps dialog) and back', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Marcher 30 minutes', 'Le soir', 'Au parc', 'Chaque jour']));
    const c = client(w, dialog(w), 'fr-CA');
    await send(c, 'salut');
    const why = await last(c, 'Pas cette fois');
    expect(startsWithOneOf(why.text, variants('fr-CA', 'checkin.reply.didnt'))).toBe(true);
    expect(why.text).toContain(t('fr-CA', 'checkin.why.didnt'));
    const decide = await last(c, 'Trop fatigué le soir');
    expect(decide.text).toContain(t('fr-CA', 'checkin.whyThanks'));
    expect(buttons(decide)).toEqual(['Le rendre plus petit', 'Choisir un autre moyen', 'Le garder tel quel']);

    const edit = await send(c, 'Le rendre plus petit');
    expect(edit[0].text).toBe(t('fr-CA', 'checkin.smaller'));
    expect(edit[edit.length - 1].text).toContain(t('fr-CA', 'plan.steps.editAsk'));
    const back = await send(c, 'Rien finalement');
    expect(allText(back)).toContain(t('fr-CA', 'plan.steps.unchanged'));
    expect(back[back.length - 1].text).toBe(t('fr-CA', 'checkin.motivation.ask'));
    await send(c, '2');
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(findAction(plan, 'a1')?.reviews).toEqual([{ at: START.toISOString(), outcome: 'didnt', why: 'Trop fatigué le soir', decision: 'adjust' }]);
    expect((await w.measures.load(w.personKey))!.checkins[0]).toMatchObject({ outcomes: ['didnt'], motivation: 2 });
  });

  it('two tiny steps are reviewed one after the other; "another mean" swaps the step', async () => {
    const w = world();
    await seed(w, (plan) =>
      withStep(withStep(means(plan, 'walk-outside', 'breathing', 'drink-water'), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', '1 fois']), 'breathing', ['Respirer', 'Le soir', 'Au lit', 'Chaque soir']),
    );
    const c = client(w, dialog(w), 'fr-CA');
    expect((await last(c, 'go')).text).toContain('« Marcher »');
    await send(c, 'Oui');
    const second = await last(c, 'Passer');
    expect(second.text).toContain('« Respirer »');
    await send(c, 'non');
    await send(c, 'passer');
    const choose = await send(c, 'Choisir un autre moyen');
    expect(choose[0].text).toBe(t('fr-CA', 'checkin.another'));
    expect(choose[choose.length - 1].text).toContain(t('fr-CA', 'plan.steps.chooseMean'));
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(findAction(plan, 'a2')).toMatchObject({ status: 'swapped' });
    expect((await w.measures.load(w.personKey))!.checkins[0].outcomes).toEqual(['worked', 'didnt']);
  });

  it('no tiny step yet: offers to choose one, or later', async () => {
    const w = world();
    const c = client(w, dialog(w), 'fr-CA');
    const offer = await last(c, 'Faire le point');
    expect(offer.text).toBe(t('fr-CA', 'checkin.noStep'));
    expect(buttons(offer)).toEqual(['Choisir un petit pas', 'Plus tard']);
    const later = await send(c, 'Plus tard');
    expect(allText(later)).toBe(t('fr-CA', 'checkin.later'));

    const c2 = client(w, dialog(w), 'fr-CA');
    await send(c2, 'Faire le point');
    const steps = await send(c2, 'Choisir un petit pas');
    expect(allText(steps)).toContain(t('fr-CA', 'plan.steps.needMeans'));
  });

  it('"is Petits pas helping?" at a progress point, at most every two weeks, with an optional comment', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', '1 fois']));
    await w.measures.update(w.personKey, (r) => addCheckin(r, { at: new Date(START.getTime() - 4 * DAY).toISOString(), outcomes: ['partly'], motivation: 6 }, START));
    const c = client(w, dialog(w), 'fr-CA');
    await send(c, 'go');
    await send(c, 'Oui');
    await send(c, 'Passer');
    const satisfaction = await send(c, '7');
    expect(satisfaction[satisfaction.length - 1].text).toBe(t('fr-CA', 'checkin.satisfaction.ask'));
    expect(buttons(satisfaction[satisfaction.length - 1])).toEqual([...RULER, 'Passer']);
    const comment = await last(c, '9');
    expect(comment.text).toBe(t('fr-CA', 'checkin.satisfaction.comment'));
    const end = await send(c, 'Les rappels m’aident à ne pas oublier');
    expect(allText(end)).toBe([t('fr-CA', 'checkin.satisfaction.thanks'), t('fr-CA', 'checkin.end')].join('\n\n'));
    expect((await w.measures.load(w.personKey))!.satisfaction).toEqual([{ at: START.toISOString(), value: 9, comment: 'Les rappels m’aident à ne pas oublier' }]);

    // Two days later: not asked again.
    w.clock.now = new Date(START.getTime() + 2 * DAY);
    const again = client(w, dialog(w), 'fr-CA');
    await send(again, 'go');
    await send(again, 'Oui');
    await send(again, 'Passer');
    const end2 = await send(again, '8');
    expect(allText(end2)).toContain(t('fr-CA', 'checkin.end'));
    expect(again.dialogTurnResult.status).toBe('complete');
  });
});
