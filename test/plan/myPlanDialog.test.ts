import { MyPlanDialog } from '../../dialogs/plan/myPlanDialog';
import { addMean, addPride, chooseAction, findAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { allText, ask, buttons, client, send, t, variants, world, type World } from './support';

const NOW = new Date('2025-03-03T15:00:00.000Z');

function richPlan(plan: Plan): Plan {
  let next = addMean(plan, { kind: 'catalogue', id: 'hobby', category: 'potential' }, 'explore', NOW).plan;
  next = addMean(next, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', NOW).plan;
  next = addMean(next, { kind: 'own', text: 'Jouer aux cartes avec mon fils', category: 'relationships' }, 'used_to', NOW).plan;
  next = addMean(next, { kind: 'catalogue', id: 'talk-to-clinician', category: 'resources' }, 'now', NOW).plan;
  next = addPride(next, "J'ai appelé ma sœur", NOW).plan;
  const chosen = chooseAction(next, 'walk-outside', NOW);
  next = chosen.plan;
  for (const [field, text] of [['what', 'Marcher 10 minutes'], ['when', 'Le matin'], ['where', 'Au parc'], ['howOften', '2 fois']] as const) {
    next = setStepField(next, 'a1', field, text, NOW).plan;
  }
  return rateConfidence(next, 'a1', 8, NOW).plan;
}

async function seed(w: World, change: (plan: Plan) => Plan): Promise<void> {
  await w.plans.update(w.personKey, change);
}

async function stored(w: World): Promise<Plan> {
  return (await w.plans.load(w.personKey))!.plan;
}

describe('MyPlanDialog — Mon plan / My plan', () => {
  it('shows the whole plan grouped by category, with prides and tiny steps (French)', async () => {
    const w = world();
    await seed(w, richPlan);
    w.clock.now = new Date(NOW.getTime() + 15 * 86_400_000);
    const c = client(new MyPlanDialog(w.deps), 'fr-CA');
    const replies = await send(c, 'salut');
    expect(replies[0].text).toBe(
      [
        '**Mon plan** · Semaine 3 sur 8',
        [
          "**Ce qui m'aide**",
          '_Utiliser les ressources et les services_',
          '- Parler à mon intervenant·e — je le fais déjà',
          '_Prendre soin de mes habitudes de vie_',
          '- Marcher dehors — je le fais déjà',
          '_Être en lien avec les autres_',
          '- Jouer aux cartes avec mon fils — je le faisais avant',
          '_Développer mon potentiel_',
          "- Faire une activité que j'aime — à essayer",
        ].join('\n'),
        ['**Mes fiertés et bons coups**', "- J'ai appelé ma sœur"].join('\n'),
        ['**Mes petits pas**', '1. Marcher 10 minutes — Le matin, Au parc, 2 fois (confiance : 8/10)'].join('\n'),
      ].join('\n\n'),
    );
    expect(replies[0].textFormat).toBe('markdown');
    expect(replies[1].text).toBe(t('fr-CA', 'plan.mine.ask'));
    expect(buttons(replies[1])).toEqual(['Ajouter un moyen', 'Enlever un moyen', 'Mes petits pas', 'Faire le point', 'Ajouter une fierté', "J'ai fini"]);
    const bye = await send(c, "J'ai fini");
    expect(allText(bye)).toBe(t('fr-CA', 'plan.mine.end'));
    expect(c.dialogTurnResult.status).toBe('complete');
  });

  it('starts from an empty plan with "What helps me" and comes back to the plan (English)', async () => {
    const w = world();
    const c = client(new MyPlanDialog(w.deps), 'en-CA');
    const empty = await ask(c, 'hi');
    expect(empty.text).toBe(t('en-CA', 'plan.mine.empty'));
    expect(buttons(empty)).toEqual(["Let's start", 'Later']);
    const means = await ask(c, "Let's start");
    expect(means.text).toContain(t('en-CA', 'plan.means.intro'));
    await ask(c, 'Life habits');
    await ask(c, 'Walk outside');
    await ask(c, 'I do it now');
    await ask(c, "I'm done");
    const back = await send(c, "I'll stop here");
    expect(back[0].text).toBe(t('en-CA', 'plan.means.end'));
    expect(back[1].text).toContain('- Walk outside — I do it now');
    expect(back[2].text).toBe(t('en-CA', 'plan.mine.ask'));
    // No tiny step yet: no "Check in" button.
    expect(buttons(back[2])).toEqual(['Add something', 'Remove something', 'My tiny steps', 'Add a pride', "I'm done"]);
  });

  it('adds a pride and celebrates it; a second time says it is already there', async () => {
    const w = world();
    await seed(w, richPlan);
    const c = client(new MyPlanDialog(w.deps), 'en-CA');
    await send(c, 'hi');
    const pride = await ask(c, 'Add a pride');
    expect(pride.text).toBe(t('en-CA', 'plan.mine.prideAsk'));
    const saved = await send(c, 'I went to the gym twice');
    expect(variants('en-CA', 'plan.mine.prideSaved').some((v) => saved[saved.length - 1].text?.startsWith(v))).toBe(true);
    expect(saved[0].text).toContain('- I went to the gym twice');
    await send(c, 'pride');
    const again = await send(c, 'i went to the GYM twice!');
    expect(again[again.length - 1].text).toContain(t('en-CA', 'plan.mine.prideDuplicate'));
    expect((await stored(w)).prides.map((p) => p.text)).toEqual(["J'ai appelé ma sœur", 'I went to the gym twice']);
  });

  it('removes a mean by number (its tiny step stops too), or keeps everything on "back"', async () => {
    const w = world();
    await seed(w, richPlan);
    const c = client(new MyPlanDialog(w.deps), 'fr-CA');
    await send(c, 'salut');
    const list = await ask(c, 'Enlever un moyen');
    expect(list.text).toContain(t('fr-CA', 'plan.mine.removeAsk'));
    expect(list.text).toContain('2. Marcher dehors');
    expect(buttons(list)).toEqual(['1', '2', '3', '4', 'Retour']);
    const kept = await send(c, 'Retour');
    expect(kept[kept.length - 1].text).toContain(t('fr-CA', 'plan.mine.keptAll'));

    await ask(c, 'enlever');
    const removed = await send(c, '2');
    expect(removed[removed.length - 1].text).toContain(t('fr-CA', 'plan.mine.removedWithStep', { mean: 'Marcher dehors' }));
    const plan = await stored(w);
    expect(plan.means.map((m) => m.id)).toEqual(['hobby', 'own:jouer aux cartes avec mon fils', 'talk-to-clinician']);
    expect(findAction(plan, 'a1')?.status).toBe('stopped');

    await ask(c, 'enlever');
    const own = await send(c, 'Jouer aux cartes avec mon fils');
    expect(own[own.length - 1].text).toContain(t('fr-CA', 'plan.mine.removed', { mean: 'Jouer aux cartes avec mon fils' }));
  });

  it('goes to tiny steps and to the review, and comes back to the plan each time', async () => {
    const w = world();
    await seed(w, richPlan);
    const c = client(new MyPlanDialog(w.deps), 'fr-CA');
    await send(c, 'salut');
    const steps = await ask(c, 'Mes petits pas');
    expect(steps.text).toContain(t('fr-CA', 'plan.steps.chooseMean'));
    const back = await send(c, 'Plus tard');
    expect(back[0].text).toBe(t('fr-CA', 'plan.steps.later'));
    expect(back[1].text).toContain('**Mon plan**');
    expect(back[2].text).toBe(t('fr-CA', 'plan.mine.ask'));

    const review = await ask(c, 'Faire le point');
    expect(review.text).toContain(t('fr-CA', 'plan.review.ask', { step: 'Marcher 10 minutes — Le matin, Au parc, 2 fois (confiance : 8/10)' }));
    await ask(c, 'Ça a marché');
    const after = await send(c, 'Le garder');
    // The review does not show the plan itself here: the plan does.
    expect(after.map((r) => r.text?.split('\n')[0])).toEqual([
      `${t('fr-CA', 'plan.review.kept')}`,
      '**Mon plan** · Semaine 1 sur 8',
      t('fr-CA', 'plan.mine.ask'),
    ]);
    expect(after[0].text).toBe(`${t('fr-CA', 'plan.review.kept')}\n\n${t('fr-CA', 'plan.review.endShort')}`);
    expect(after[1].text).toContain('Marcher 10 minutes (petit pas réussi ✔)');
  });

  it('passes "menu" from a child dialog up to the caller', async () => {
    const w = world();
    await seed(w, richPlan);
    const c = client(new MyPlanDialog(w.deps), 'en-CA');
    await send(c, 'hi');
    await ask(c, 'Add something');
    await send(c, 'menu');
    expect(c.dialogTurnResult).toEqual({ status: 'complete', result: { toMenu: true } });
  });
});
