import { ReviewDialog } from '../../dialogs/plan/reviewDialog';
import { addMean, chooseAction, findAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { allText, ask, buttons, client, send, t, variants, world, type World } from './support';

const NOW = new Date('2025-03-03T15:00:00.000Z');

function withStep(plan: Plan, meanId: string, step: [string, string, string, string], confidence = 8): Plan {
  const chosen = chooseAction(plan, meanId, NOW);
  if (chosen.outcome !== 'chosen') throw new Error(chosen.outcome);
  let next = chosen.plan;
  (['what', 'when', 'where', 'howOften'] as const).forEach((field, i) => (next = setStepField(next, chosen.action.id, field, step[i], NOW).plan));
  return rateConfidence(next, chosen.action.id, confidence, NOW).plan;
}

function means(plan: Plan, ...ids: string[]): Plan {
  return ids.reduce((p, id) => addMean(p, { kind: 'catalogue', id, category: 'habits' }, 'explore', NOW).plan, plan);
}

async function seed(w: World, change: (plan: Plan) => Plan): Promise<void> {
  await w.plans.update(w.personKey, change);
}

async function stored(w: World): Promise<Plan> {
  return (await w.plans.load(w.personKey))!.plan;
}

describe('ReviewDialog — faire le point / check in', () => {
  it('celebrates a step that worked, keeps it, and shows the plan again (French, buttons)', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Marcher 10 minutes', 'Le matin', 'Dehors', '2 fois']));
    const c = client(new ReviewDialog(w.deps), 'fr-CA');
    const question = await ask(c, 'salut');
    expect(question.text).toBe(t('fr-CA', 'plan.review.ask', { step: 'Marcher 10 minutes — Le matin, Dehors, 2 fois (confiance : 8/10)' }));
    expect(buttons(question)).toEqual(['Ça a marché', 'En partie', 'Pas vraiment', 'Plus tard']);

    const decision = await ask(c, 'Ça a marché');
    expect(variants('fr-CA', 'plan.review.worked').some((v) => decision.text?.startsWith(v))).toBe(true);
    expect(buttons(decision)).toEqual(['Le garder', "L'ajuster", 'En choisir un autre']);

    const end = await send(c, 'Le garder');
    expect(end[0].text).toBe(t('fr-CA', 'plan.review.kept'));
    expect(end[1].text).toContain('**Mon plan**');
    expect(end[1].text).toContain('Marcher 10 minutes (petit pas réussi ✔)');
    expect(end[2].text).toBe(t('fr-CA', 'plan.review.end'));
    expect(c.dialogTurnResult.status).toBe('complete');

    const plan = await stored(w);
    expect(findAction(plan, 'a1')).toMatchObject({ status: 'active', reviews: [{ outcome: 'worked', decision: 'keep' }] });
    expect(plan.prides).toEqual([expect.objectContaining({ text: 'Marcher 10 minutes', kind: 'goodMove' })]);
  });

  it('hears why it did not work, without judgement, then swaps it for another (English, free text)', async () => {
    const w = world();
    await seed(w, (plan) =>
      withStep(withStep(means(plan, 'walk-outside', 'breathing', 'drink-water'), 'walk-outside', ['Walk', 'Morning', 'Outside', 'Once']), 'breathing', ['Breathe', 'Evening', 'Bed', 'Daily']),
    );
    const c = client(new ReviewDialog(w.deps), 'en-CA');
    const choose = await ask(c, 'hi');
    expect(choose.text).toContain(t('en-CA', 'plan.review.choose'));
    expect(buttons(choose)).toEqual(['Walk', 'Breathe', 'Later']);
    await ask(c, '2');
    const why = await ask(c, 'not really');
    expect(why.text).toBe(t('en-CA', 'plan.review.why.didnt'));
    expect(why.text).toContain('not a failure');
    expect(buttons(why)).toEqual(['I ran out of time', 'I had no energy', 'I forgot', "It wasn't the right time", 'Skip']);
    const decision = await ask(c, 'Honestly I was too tired after work');
    expect(decision.text).toContain(t('en-CA', 'plan.review.thanks'));

    const swap = await send(c, 'Choose another one');
    expect(swap[0].text).toBe(t('en-CA', 'plan.review.swapped'));
    const choices = swap[swap.length - 1];
    expect(choices.text).toContain(t('en-CA', 'plan.steps.chooseMean'));
    expect(buttons(choices)).toEqual(['Breathe slowly', 'Drink water', 'Later']);
    await ask(c, 'Drink water');
    for (const answer of ['A glass at breakfast', 'Morning', 'Kitchen', 'Every day']) await ask(c, answer);
    const other = await send(c, '9');
    // Back in the review: the other step (from before) can be reviewed too; the new one cannot.
    expect(other[0].text).toContain(t('en-CA', 'plan.steps.end'));
    expect(other[1].text).toBe(t('en-CA', 'plan.review.askOther', { step: 'Walk' }));
    const end = await send(c, 'no');
    expect(allText(end)).toContain('**My plan**');
    expect(end[end.length - 1].text).toBe(t('en-CA', 'plan.review.end'));

    const plan = await stored(w);
    expect(findAction(plan, 'a2')).toMatchObject({ status: 'swapped', reviews: [{ outcome: 'didnt', why: 'Honestly I was too tired after work', decision: 'swap' }] });
    expect(findAction(plan, 'a3')).toMatchObject({ meanId: 'drink-water', status: 'active' });
    expect(findAction(plan, 'a1')?.reviews).toEqual([]);
  });

  it('adjusts a step that partly worked through the tiny-step editor, then reviews the other one', async () => {
    const w = world();
    await seed(w, (plan) =>
      withStep(withStep(means(plan, 'walk-outside', 'breathing'), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', 'Chaque jour']), 'breathing', ['Respirer', 'Le soir', 'Au lit', 'Chaque jour']),
    );
    const c = client(new ReviewDialog(w.deps), 'fr-CA', { initial: { actionId: 'a1' } });
    await ask(c, 'salut');
    const why = await ask(c, 'En partie');
    expect(why.text).toBe(t('fr-CA', 'plan.review.why.partly'));
    const decision = await ask(c, 'Passer');
    expect(decision.text).toContain(t('fr-CA', 'plan.review.okay'));
    const adjust = await send(c, "L'ajuster");
    expect(adjust[0].text).toBe(t('fr-CA', 'plan.review.adjust'));
    expect(adjust[1].text).toContain(t('fr-CA', 'plan.steps.editAsk'));
    await ask(c, 'Fréquence');
    await ask(c, '2 fois cette semaine');
    const other = await send(c, '8');
    expect(other[0].text).toContain(t('fr-CA', 'plan.steps.updated'));
    expect(other[1].text).toBe(t('fr-CA', 'plan.review.askOther', { step: 'Respirer' }));
    const second = await ask(c, 'oui');
    expect(second.text).toContain('Respirer — Le soir, Au lit, Chaque jour');
    await ask(c, 'oui');
    await send(c, 'garder');
    const plan = await stored(w);
    expect(findAction(plan, 'a1')).toMatchObject({ step: { howOften: '2 fois cette semaine' }, reviews: [{ outcome: 'partly', decision: 'adjust' }] });
    expect(findAction(plan, 'a2')).toMatchObject({ reviews: [{ outcome: 'worked', decision: 'keep' }] });
  });

  it('without a step in progress, offers to choose one, or later', async () => {
    const w = world();
    const c = client(new ReviewDialog(w.deps), 'fr-CA');
    const none = await ask(c, 'salut');
    expect(none.text).toBe(t('fr-CA', 'plan.review.none'));
    expect(buttons(none)).toEqual(['Choisir un petit pas', 'Plus tard']);
    const later = await send(c, 'plus tard');
    expect(allText(later)).toBe(t('fr-CA', 'plan.review.later'));
  });

  it('leaves without recording anything on "later", and re-prompts the unknown', async () => {
    const w = world();
    await seed(w, (plan) => withStep(means(plan, 'walk-outside'), 'walk-outside', ['Walk', 'Morning', 'Outside', 'Once']));
    const c = client(new ReviewDialog(w.deps), 'en-CA');
    await ask(c, 'hi');
    const again = await ask(c, 'purple');
    expect(again.text?.startsWith(t('en-CA', 'plan.reprompt.unknown'))).toBe(true);
    expect(buttons(again)).toEqual(['It worked', 'Partly', 'Not really', 'Later']);
    await send(c, 'Later');
    expect(c.dialogTurnResult.status).toBe('complete');
    expect(findAction(await stored(w), 'a1')?.reviews).toEqual([]);
  });
});
