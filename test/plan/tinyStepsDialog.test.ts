import { TinyStepsDialog } from '../../dialogs/plan/tinyStepsDialog';
import { addMean, chooseAction, findAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { allText, ask, buttons, client, send, t, variants, world, type World } from './support';

const NOW = new Date('2025-03-03T15:00:00.000Z');

async function seed(w: World, change: (plan: Plan) => Plan): Promise<Plan> {
  return (await w.plans.update(w.personKey, change))!.plan;
}

const twoMeans = (plan: Plan) =>
  addMean(addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', NOW).plan, { kind: 'catalogue', id: 'breathing', category: 'habits' }, 'explore', NOW).plan;

function withStep(plan: Plan, meanId: string, step: [string, string, string, string], confidence?: number): Plan {
  const chosen = chooseAction(plan, meanId, NOW);
  if (chosen.outcome !== 'chosen') throw new Error(chosen.outcome);
  let next = chosen.plan;
  (['what', 'when', 'where', 'howOften'] as const).forEach((field, i) => (next = setStepField(next, chosen.action.id, field, step[i], NOW).plan));
  if (confidence !== undefined) next = rateConfidence(next, chosen.action.id, confidence, NOW).plan;
  return next;
}

async function stored(w: World): Promise<Plan> {
  return (await w.plans.load(w.personKey))!.plan;
}

describe('TinyStepsDialog — petits pas / tiny steps', () => {
  it('builds a tiny step with buttons in French, one question at a time, then a confident rating', async () => {
    const w = world();
    await seed(w, twoMeans);
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');

    const choose = await ask(c, 'salut');
    expect(choose.text).toContain(t('fr-CA', 'plan.steps.intro'));
    expect(choose.text).toContain('1. Marcher dehors (je le fais déjà)');
    expect(buttons(choose)).toEqual(['Marcher dehors', 'Respirer calmement', 'Plus tard']);

    const what = await ask(c, 'Marcher dehors');
    expect(what.text).toContain(t('fr-CA', 'plan.steps.chosen', { mean: 'Marcher dehors' }));
    expect(what.text).toContain(t('fr-CA', 'plan.steps.ask.what'));
    expect(buttons(what)).toEqual(['Marcher dehors', 'Essayer 5 minutes', 'Une seule fois, pour voir', 'Retour']);

    const when = await ask(c, 'Essayer 5 minutes');
    expect(when.text).toBe(t('fr-CA', 'plan.steps.ask.when'));
    expect(buttons(when)).toEqual(['Le matin', 'Après le dîner', 'En soirée', 'La fin de semaine', 'Retour']);
    const where = await ask(c, 'Le matin');
    expect(where.text).toBe(t('fr-CA', 'plan.steps.ask.where'));
    const often = await ask(c, 'Dehors');
    expect(often.text).toBe(t('fr-CA', 'plan.steps.ask.howOften'));

    const ruler = await ask(c, '2 fois cette semaine');
    expect(ruler.text).toContain('Essayer 5 minutes — Le matin, Dehors, 2 fois cette semaine');
    expect(ruler.text).toContain(t('fr-CA', 'plan.steps.askConfidence'));
    expect(buttons(ruler)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);

    const another = await ask(c, '8');
    expect(variants('fr-CA', 'plan.steps.confident', { value: 8 }).some((v) => another.text?.startsWith(v))).toBe(true);
    expect(another.text).toContain(t('fr-CA', 'plan.steps.askAnother'));
    expect(buttons(another)).toEqual(['Oui, un autre', 'Non, c’est assez'.replace('’', "'")]);

    const end = await send(c, "Non, c'est assez");
    expect(allText(end)).toBe(t('fr-CA', 'plan.steps.end'));
    expect(c.dialogTurnResult.status).toBe('complete');

    const action = (await stored(w)).actions[0];
    expect(action).toMatchObject({ meanId: 'walk-outside', status: 'active', step: { what: 'Essayer 5 minutes', when: 'Le matin', where: 'Dehors', howOften: '2 fois cette semaine' } });
    expect(action.confidence.map((c) => c.value)).toEqual([8]);
  });

  it('makes the step smaller below 7 until confident, in English with free text, then a second step', async () => {
    const w = world();
    await seed(w, twoMeans);
    const c = client(new TinyStepsDialog(w.deps), 'en-CA');
    await ask(c, 'hi');
    await ask(c, '1');
    await ask(c, 'walk 30 minutes');
    await ask(c, 'after supper');
    await ask(c, 'around the block');
    await ask(c, 'every day');
    const smaller = await ask(c, 'four');
    expect(smaller.text).toBe(t('en-CA', 'plan.steps.smaller', { value: 4 }));
    expect(buttons(smaller)).toEqual(['Make it simpler', 'Do it less often', 'Change the time', 'Change the place', 'Keep it as it is']);

    const often = await ask(c, 'Do it less often');
    expect(often.text).toContain(t('en-CA', 'plan.steps.smallerTip.howOften'));
    expect(often.text).toContain(t('en-CA', 'plan.steps.current', { value: 'every day' }));
    const ruler = await ask(c, 'twice this week');
    expect(ruler.text).toContain('walk 30 minutes — after supper, around the block, twice this week');
    const another = await ask(c, 'seven');
    expect(another.text).toContain(t('en-CA', 'plan.steps.askAnother'));

    const choose = await ask(c, 'yes');
    expect(buttons(choose)).toEqual(['Breathe slowly', 'Later']);
    await ask(c, 'breathe slowly');
    await ask(c, 'Try 5 minutes');
    await ask(c, 'In the evening');
    await ask(c, 'At home');
    await ask(c, 'Every day');
    const done = await send(c, '9/10');
    // Two steps: no third one is offered.
    expect(allText(done)).toContain(t('en-CA', 'plan.steps.end'));
    expect(c.dialogTurnResult.status).toBe('complete');

    const plan = await stored(w);
    expect(plan.actions.map((a) => [a.meanId, a.confidence.map((r) => r.value), a.step.howOften])).toEqual([
      ['walk-outside', [4, 7], 'twice this week'],
      ['breathing', [9], 'Every day'],
    ]);
  });

  it('respects the choice to keep a step below 7', async () => {
    const w = world();
    await seed(w, twoMeans);
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    await ask(c, '2');
    for (const answer of ['Respirer 10 minutes', 'Le soir', 'Au lit', 'Chaque jour']) await ask(c, answer);
    await ask(c, 'cinq');
    const kept = await ask(c, 'Je le garde comme ça');
    expect(kept.text).toContain(t('fr-CA', 'plan.steps.kept'));
    expect(kept.text).toContain(t('fr-CA', 'plan.steps.askAnother'));
    await send(c, 'non');
    const action = (await stored(w)).actions[0];
    expect(action.confidence.map((r) => r.value)).toEqual([5]);
    expect(action.step.what).toBe('Respirer 10 minutes');
  });

  it('takes their own smaller version in free text as the new "what"', async () => {
    const w = world();
    await seed(w, twoMeans);
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    await ask(c, '1');
    for (const answer of ['Marcher une heure', 'Le matin', 'Dehors', 'Chaque jour']) await ask(c, answer);
    await ask(c, '3');
    const ruler = await ask(c, 'juste 5 minutes au balcon');
    expect(ruler.text).toContain(t('fr-CA', 'plan.steps.newVersion'));
    expect(ruler.text).toContain('juste 5 minutes au balcon — Le matin, Dehors, Chaque jour');
    await ask(c, '8');
    expect((await stored(w)).actions[0].confidence.map((r) => r.value)).toEqual([3, 8]);
  });

  it('goes back one question, and back from the first one frees the choice', async () => {
    const w = world();
    await seed(w, twoMeans);
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    await ask(c, 'Marcher dehors');
    await ask(c, 'Marcher 10 minutes');
    const what = await ask(c, 'Retour');
    expect(what.text).toContain(t('fr-CA', 'plan.steps.ask.what'));
    expect(what.text).toContain(t('fr-CA', 'plan.steps.current', { value: 'Marcher 10 minutes' }));
    const when = await ask(c, 'Marcher 15 minutes');
    expect(when.text).toBe(t('fr-CA', 'plan.steps.ask.when'));
    expect(findAction(await stored(w), 'a1')?.step).toEqual({ what: 'Marcher 15 minutes' });

    // A fresh choice, then straight back: the empty action is dropped.
    const w2 = world();
    await seed(w2, twoMeans);
    const c2 = client(new TinyStepsDialog(w2.deps), 'en-CA');
    await ask(c2, 'hi');
    await ask(c2, 'Breathe slowly');
    const choose = await ask(c2, 'back');
    expect(choose.text).toContain(t('en-CA', 'plan.steps.chooseMean'));
    expect((await stored(w2)).actions).toEqual([]);
  });

  it('re-prompts an unclear rating with the 0–10 buttons', async () => {
    const w = world();
    await seed(w, (plan) => withStep(twoMeans(plan), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', 'Une fois']));
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    const resume = await ask(c, 'salut');
    // The step was left without a rating: it is picked up there.
    expect(resume.text).toContain(t('fr-CA', 'plan.steps.resume', { step: 'Marcher' }));
    expect(resume.text).toContain(t('fr-CA', 'plan.steps.askConfidence'));
    const again = await ask(c, 'beaucoup');
    expect(again.text?.startsWith(t('fr-CA', 'plan.reprompt.unknown'))).toBe(true);
    expect(buttons(again)).toContain('10');
    const twelve = await ask(c, '12');
    expect(twelve.text?.startsWith(t('fr-CA', 'plan.reprompt.unknown'))).toBe(true);
    const ok = await ask(c, '7 sur 10');
    expect(ok.text).toContain(t('fr-CA', 'plan.steps.askAnother'));
  });

  it('resumes a half-built step at its first missing question', async () => {
    const w = world();
    await seed(w, (plan) => {
      const chosen = chooseAction(twoMeans(plan), 'breathing', NOW);
      return setStepField(chosen.plan, 'a1', 'what', 'Respirer', NOW).plan;
    });
    const c = client(new TinyStepsDialog(w.deps), 'en-CA');
    const when = await ask(c, 'hi');
    expect(when.text).toContain(t('en-CA', 'plan.steps.resume', { step: 'Respirer' }));
    expect(when.text).toContain(t('en-CA', 'plan.steps.ask.when'));
  });

  it('with two steps already, offers to change one: a new time, a new rating', async () => {
    const w = world();
    await seed(w, (plan) =>
      withStep(withStep(twoMeans(plan), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', 'Une fois'], 8), 'breathing', ['Respirer', 'Le soir', 'Au lit', 'Chaque jour'], 9),
    );
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    const full = await ask(c, 'salut');
    expect(full.text).toContain(t('fr-CA', 'plan.steps.full', { max: 2 }));
    expect(buttons(full)).toEqual(['Marcher', 'Respirer', "J'ai fini"]);
    const edit = await ask(c, '2');
    expect(edit.text).toContain(t('fr-CA', 'plan.steps.editAsk'));
    expect(buttons(edit)).toEqual(['Quoi', 'Quand', 'Où', 'Fréquence', 'Arrêter ce petit pas', 'Rien finalement']);
    const when = await ask(c, 'Quand');
    expect(when.text).toContain(t('fr-CA', 'plan.steps.current', { value: 'Le soir' }));
    await ask(c, 'Avant de dormir');
    const done = await send(c, '9');
    expect(allText(done)).toContain(t('fr-CA', 'plan.steps.updated'));
    const action = findAction(await stored(w), 'a2')!;
    expect(action.step.when).toBe('Avant de dormir');
    expect(action.confidence.map((r) => r.value)).toEqual([9, 9]);
  });

  it('stops a step from edit mode', async () => {
    const w = world();
    await seed(w, (plan) => withStep(twoMeans(plan), 'walk-outside', ['Marcher', 'Le matin', 'Dehors', 'Une fois'], 8));
    const c = client(new TinyStepsDialog(w.deps), 'en-CA', { initial: { mode: 'edit', actionId: 'a1' } });
    const edit = await ask(c, 'hi');
    expect(edit.text).toContain(t('en-CA', 'plan.steps.editAsk'));
    const stopped = await send(c, 'Stop this step');
    expect(allText(stopped)).toBe(t('en-CA', 'plan.steps.stopped'));
    expect(findAction(await stored(w), 'a1')?.status).toBe('stopped');
  });

  it('without means, offers "What helps me" first and comes back', async () => {
    const w = world();
    const c = client(new TinyStepsDialog(w.deps), 'fr-CA');
    const need = await ask(c, 'salut');
    expect(need.text).toBe(t('fr-CA', 'plan.steps.needMeans'));
    expect(buttons(need)).toEqual(["Ce qui m'aide", 'Plus tard']);
    const means = await ask(c, "Ce qui m'aide");
    expect(means.text).toContain(t('fr-CA', 'plan.means.intro'));
    await ask(c, 'Relations');
    await ask(c, '1');
    await ask(c, 'Je le fais déjà');
    await ask(c, "J'ai fini");
    const back = await ask(c, "J'arrête ici");
    // Back in the tiny steps, now with a mean to choose.
    expect(back.text).toContain(t('fr-CA', 'plan.steps.chooseMean'));
    expect(buttons(back)).toEqual(["Appeler une personne que j'aime", 'Plus tard']);
    const later = await send(c, 'Plus tard');
    expect(allText(later)).toBe(t('fr-CA', 'plan.steps.later'));
  });
});
