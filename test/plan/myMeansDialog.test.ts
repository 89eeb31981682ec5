import { MyMeansDialog } from '../../dialogs/plan/myMeansDialog';
import { MEANS_PER_PAGE } from '../../dialogs/plan/myMeansDialog';
import { catalogueMeansIn } from '../../core/plan/catalogue';
import { allText, ask, buttons, catalogue, client, label, send, t, variants, world } from './support';

describe('MyMeansDialog — Ce qui m’aide / What helps me', () => {
  it('walks a French happy path with buttons: category, ideas, status, recognition, stop', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA');

    const first = await ask(c, 'salut');
    expect(first.text).toContain(t('fr-CA', 'plan.means.intro'));
    expect(buttons(first)).toEqual(['Ressources et services', 'Habitudes de vie', 'Relations', 'Vie quotidienne', 'Mon potentiel', "J'ai fini"]);

    const ideas = await ask(c, 'Habitudes de vie');
    expect(ideas.text).toContain(t('fr-CA', 'plan.means.browse'));
    const habits = catalogueMeansIn(catalogue(), 'habits').map((mean) => label('fr-CA', mean.id));
    expect(buttons(ideas)).toEqual([...habits.slice(0, MEANS_PER_PAGE), "D'autres idées", 'Mon idée à moi', 'Autre catégorie', "J'ai fini"]);
    expect(ideas.text).toContain('2. Marcher dehors — _10 minutes autour du bloc_');

    const status = await ask(c, 'Marcher dehors');
    expect(status.text).toBe(t('fr-CA', 'plan.means.askStatus', { mean: 'Marcher dehors' }));
    expect(buttons(status)).toEqual(['Je le fais déjà', 'Je le faisais avant', "J'aimerais essayer", 'Retour']);

    const saved = await ask(c, 'Je le fais déjà');
    expect(variants('fr-CA', 'plan.means.saved.now').some((v) => saved.text?.startsWith(v))).toBe(true);
    expect(saved.text).toMatch(/tu prends déjà soin de toi/i);
    // The chosen idea leaves the list; the next one comes in.
    expect(buttons(saved)).not.toContain('Marcher dehors');
    expect(buttons(saved)).toContain(habits[MEANS_PER_PAGE]);

    await ask(c, 'Boire de l’eau'.replace('’', "'"));
    await ask(c, "J'aimerais essayer");

    const end = await send(c, "J'ai fini");
    expect(end[0].text).toBe(t('fr-CA', 'plan.means.recogniseOne'));
    expect(end[1].text).toBe(t('fr-CA', 'plan.means.askNext'));
    expect(buttons(end[1])).toEqual(['Une autre catégorie', "J'arrête ici"]);

    const bye = await send(c, "J'arrête ici");
    expect(bye.map((r) => r.text)).toEqual([t('fr-CA', 'plan.means.end')]);
    expect(c.dialogTurnResult.status).toBe('complete');
    expect(c.dialogTurnResult.result).toEqual({});

    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(plan.means.map((m) => [m.id, m.category, m.status])).toEqual([
      ['walk-outside', 'habits', 'now'],
      ['drink-water', 'habits', 'explore'],
    ]);
  });

  it('walks an English happy path with free text: numbers, own words, used-to, another category', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'en-CA');
    const first = await ask(c, 'hi');
    expect(first.text).toContain(t('en-CA', 'plan.means.intro'));

    const ideas = await ask(c, 'relationships');
    expect(ideas.text).toContain('**Staying connected with others**');
    const status = await ask(c, '1');
    expect(status.text).toBe(t('en-CA', 'plan.means.askStatus', { mean: 'Call someone I love' }));
    await ask(c, 'used to');

    const own = await ask(c, 'Playing cards with my son');
    expect(own.text).toBe(t('en-CA', 'plan.means.askStatusOwn', { mean: 'Playing cards with my son' }));
    const after = await ask(c, 'i do it');
    expect(variants('en-CA', 'plan.means.saved.now').some((v) => after.text?.startsWith(v))).toBe(true);

    const next = await send(c, 'done');
    expect(next[0].text).toBe(t('en-CA', 'plan.means.recogniseOne'));
    const categories = await ask(c, 'yes');
    expect(categories.text).toContain(t('en-CA', 'plan.means.askCategory'));
    const potential = await ask(c, '5');
    expect(potential.text).toContain('**Developing my potential**');
    await ask(c, 'Read for pleasure');
    await ask(c, 'now');
    const recognised = await send(c, "I'm done");
    expect(recognised[0].text).toBe(t('en-CA', 'plan.means.recogniseMany', { count: 2 }));
    await send(c, 'no');
    expect(c.dialogTurnResult.status).toBe('complete');

    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(plan.means.map((m) => [m.id, m.status])).toEqual([
      ['call-someone', 'used_to'],
      ['own:playing cards with my son', 'now'],
      ['read-for-fun', 'now'],
    ]);
    expect(plan.means[1]).toMatchObject({ text: 'Playing cards with my son', category: 'relationships' });
  });

  it('pages through ideas, wraps around, and writes an own idea through its button', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA', { initial: { category: 'dailyLife' } });
    const first = await ask(c, 'go');
    const daily = catalogueMeansIn(catalogue(), 'dailyLife').map((mean) => label('fr-CA', mean.id));
    expect(buttons(first).slice(0, MEANS_PER_PAGE)).toEqual(daily.slice(0, MEANS_PER_PAGE));
    const pages = Math.ceil(daily.length / MEANS_PER_PAGE);
    let page = first;
    for (let i = 1; i < pages; i++) {
      page = await ask(c, "D'autres idées");
      expect(buttons(page)[0]).toBe(daily[i * MEANS_PER_PAGE]);
    }
    const wrapped = await ask(c, 'encore');
    expect(wrapped.text).toContain(t('fr-CA', 'plan.means.wrapped'));
    expect(buttons(wrapped)[0]).toBe(daily[0]);

    const own = await ask(c, 'Mon idée à moi');
    expect(own.text).toBe(t('fr-CA', 'plan.means.ownAsk'));
    const status = await ask(c, 'faire mes comptes le dimanche');
    expect(status.text).toContain('faire mes comptes le dimanche');
    await ask(c, 'avant');
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(plan.means).toEqual([expect.objectContaining({ id: 'own:faire mes comptes le dimanche', category: 'dailyLife', status: 'used_to' })]);
  });

  it('goes back: from the status question to the ideas, from the ideas to the categories', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    await ask(c, 'Relations');
    const status = await ask(c, 'Voir quelqu’un en personne'.replace('’', "'"));
    expect(buttons(status)).toContain('Retour');
    const ideas = await ask(c, 'Retour');
    expect(ideas.text).toContain(t('fr-CA', 'plan.means.browseMore'));
    expect(buttons(ideas)).toContain("Voir quelqu'un en personne");
    const categories = await ask(c, 'retour');
    expect(categories.text).toContain(t('fr-CA', 'plan.means.askCategory'));
    expect((await w.plans.load(w.personKey))?.plan.means ?? []).toEqual([]);
  });

  it('updates the status when a mean is chosen again, and says when nothing changed', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA', { initial: { category: 'habits' } });
    await ask(c, 'go');
    await ask(c, 'Marcher dehors');
    await ask(c, "J'aimerais essayer");
    // Typed again although it is no longer shown: found in the category.
    await ask(c, 'marcher dehors');
    const updated = await ask(c, 'Je le fais déjà');
    expect(updated.text).toContain(t('fr-CA', 'plan.means.updated'));
    await ask(c, 'Marcher dehors');
    const same = await ask(c, 'déjà');
    expect(same.text).toContain(t('fr-CA', 'plan.means.unchanged'));
    expect((await w.plans.load(w.personKey))!.plan.means).toEqual([expect.objectContaining({ id: 'walk-outside', status: 'now' })]);
  });

  it('re-prompts unknown answers with the options, offers the menu after two misses, and ends gently after five', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    const miss1 = await ask(c, 'la lune');
    expect(miss1.text?.startsWith(t('fr-CA', 'plan.reprompt.unknown'))).toBe(true);
    expect(buttons(miss1)).toContain('Habitudes de vie');
    expect(buttons(miss1)).not.toContain('Menu');
    const miss2 = await ask(c, 'banane');
    expect(buttons(miss2)).toContain('Menu');
    expect(miss2.text).toContain(t('fr-CA', 'plan.reprompt.menuHint'));
    await ask(c, 'pomme');
    await ask(c, 'poire');
    const gone = await send(c, 'kiwi');
    expect(allText(gone)).toBe(t('fr-CA', 'plan.reprompt.giveUp'));
    expect(c.dialogTurnResult.result).toEqual({ toMenu: true });
  });

  it('ends with toMenu when the person picks "Menu"', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'en-CA');
    await ask(c, 'hi');
    await send(c, 'Menu');
    expect(c.dialogTurnResult).toEqual({ status: 'complete', result: { toMenu: true } });
  });

  it('does not keep "yes", "no" or a couple of letters as a mean', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA', { initial: { category: 'habits' } });
    await ask(c, 'go');
    for (const vague of ['oui', 'non', 'ok', 'je sais pas']) {
      const reply = await ask(c, vague);
      expect(reply.text?.startsWith(t('fr-CA', 'plan.reprompt.unknown'))).toBe(true);
    }
  });
});
