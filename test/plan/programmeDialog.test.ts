import { ProgrammeDialog } from '../../dialogs/plan/programmeDialog';
import { addMean, addPride, addReview, chooseAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import { DAY, START, allText, ask, buttons, client, send, t, world, type World } from './support';

function started(plan: Plan): Plan {
  let next = addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', START).plan;
  next = addMean(next, { kind: 'catalogue', id: 'hobby', category: 'potential' }, 'explore', START).plan;
  next = chooseAction(next, 'walk-outside', START).plan;
  for (const [field, text] of [['what', 'Marcher'], ['when', 'Le matin'], ['where', 'Dehors'], ['howOften', 'Une fois']] as const) next = setStepField(next, 'a1', field, text, START).plan;
  next = rateConfidence(next, 'a1', 8, START).plan;
  next = addReview(next, 'a1', { outcome: 'worked' }, START).plan;
  return addPride(next, 'Je suis allé au parc', START).plan;
}

async function seed(w: World, change: (plan: Plan) => Plan = started): Promise<void> {
  await w.plans.update(w.personKey, change, { now: START });
}

const atDay = (w: World, day: number) => (w.clock.now = new Date(START.getTime() + day * DAY));

describe('ProgrammeDialog — the 8 to 10 week programme', () => {
  it('before any plan, invites to start with what helps', async () => {
    const w = world();
    const c = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const start = await ask(c, 'salut');
    expect(start.text).toBe(t('fr-CA', 'plan.programme.noPlan'));
    expect(buttons(start)).toEqual(['On commence', 'Plus tard']);
    const means = await ask(c, 'On commence');
    expect(means.text).toContain(t('fr-CA', 'plan.means.intro'));
  });

  it('week 1 (assess and set goals), French: the week counter and what to do first', async () => {
    const w = world();
    await seed(w);
    const c = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const stage = await ask(c, 'salut');
    expect(stage.text).toBe(`**Semaine 1 sur 8**\n\n${t('fr-CA', 'plan.programme.stage.assess')}`);
    expect(buttons(stage)).toEqual(["Ce qui m'aide", 'Mes petits pas', 'Mon plan', 'Plus tard']);
    const plan = await send(c, 'Mon plan');
    expect(plan[0].text).toContain('**Mon plan** · Semaine 1 sur 8');
    const end = await send(c, "J'ai fini");
    expect(allText(end)).toBe(t('fr-CA', 'plan.mine.end'));
    expect(c.dialogTurnResult.status).toBe('complete');
  });

  it('week 4 (support), English: check in on the tiny steps', async () => {
    const w = world();
    await seed(w);
    atDay(w, 23);
    const c = client(new ProgrammeDialog(w.deps), 'en-CA');
    const stage = await ask(c, 'hi');
    expect(stage.text).toBe(`**Week 4 of 8**\n\n${t('en-CA', 'plan.programme.stage.support')}`);
    expect(buttons(stage)).toEqual(['Check in', 'My tiny steps', 'My plan', 'Later']);
    const review = await ask(c, 'check in');
    expect(review.text).toContain(t('en-CA', 'plan.review.ask', { step: 'Marcher — Le matin, Dehors, Une fois (confidence: 8/10)' }));
  });

  it('week 6 (measure progress and satisfaction): asks once a week how satisfied they are', async () => {
    const w = world();
    await seed(w);
    atDay(w, 36);
    const c = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const satisfaction = await ask(c, 'salut');
    expect(satisfaction.text).toBe(`**Semaine 6 sur 8**\n\n${t('fr-CA', 'plan.programme.stage.measure')}`);
    expect(buttons(satisfaction)).toEqual(['Oui, satisfait·e', 'Un peu', 'Pas vraiment', 'Plus tard']);
    const next = await ask(c, 'un peu');
    expect(next.text).toContain(t('fr-CA', 'plan.programme.satisfactionReply.some'));
    expect(next.text).toContain(t('fr-CA', 'plan.programme.measures'));
    expect(next.text).toContain(t('fr-CA', 'plan.programme.stage.measureNext'));
    expect(buttons(next)).toEqual(['Faire le point', 'Mon plan', 'Plus tard']);
    await send(c, 'Plus tard');
    expect((await w.plans.load(w.personKey))!.plan.programme.satisfaction).toEqual([{ value: 'some', at: w.clock.now.toISOString() }]);

    // Same week: not asked again.
    const again = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const stage = await ask(again, 'salut');
    expect(stage.text).toBe(`**Semaine 6 sur 8**\n\n${t('fr-CA', 'plan.programme.stage.measureNext')}`);
  });

  it('week 8: the final review sums up the journey and offers what next, with Info-Social 811 option 2', async () => {
    const w = world();
    await seed(w);
    atDay(w, 50);
    const c = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const replies = await send(c, 'salut');
    const summary = replies[0].text ?? '';
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.intro', { weeks: 8 }));
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.meansNow', { count: 1 }));
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.meansOther', { count: 1 }));
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.steps', { count: 1 }));
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.worked', { count: 1 }));
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.prides', { count: 2 }));
    expect(summary).toContain('Je suis allé au parc');
    expect(summary).toContain(t('fr-CA', 'plan.programme.final.everyStep'));
    const question = replies[1];
    expect(question.text).toBe(t('fr-CA', 'plan.programme.final.askOrientation'));
    expect(buttons(question)).toEqual(['Continuer par moi-même', 'Un groupe', 'En parler à mon intervenant·e', "D'autres services", 'Plus tard']);

    const services = await send(c, "D'autres services");
    expect(services[0].text).toBe(t('fr-CA', 'plan.programme.final.replies.services', { name: 'Info-Social', contact: '811, option 2' }));
    expect(services[1].text).toBe(t('fr-CA', 'plan.programme.final.thanks'));
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(plan.programme).toMatchObject({ orientation: 'services', finalReviewAt: w.clock.now.toISOString() });

    // Afterwards: the programme is over; the choice can be revisited.
    const later = client(new ProgrammeDialog(w.deps), 'fr-CA');
    const done = await ask(later, 'salut');
    expect(done.text).toBe(t('fr-CA', 'plan.programme.done', { total: 8, choice: "D'autres services" }));
    expect(buttons(done)).toEqual(['Mon plan', 'Revoir la suite', "J'ai fini"]);
    const again = await send(later, 'Revoir la suite');
    expect(again[1].text).toBe(t('fr-CA', 'plan.programme.final.askOrientation'));
    await send(later, 'en parler à mon intervenante');
    expect((await w.plans.load(w.personKey))!.plan.programme.orientation).toBe('clinician');
  });

  it('a 10-week programme: week 8 measures, week 10 is the final review (English)', async () => {
    const w = world({ totalWeeks: 10 });
    await seed(w);
    atDay(w, 50);
    const measure = await ask(client(new ProgrammeDialog(w.deps), 'en-CA'), 'hi');
    expect(measure.text).toBe(`**Week 8 of 10**\n\n${t('en-CA', 'plan.programme.stage.measure')}`);
    atDay(w, 64);
    const c = client(new ProgrammeDialog(w.deps), 'en-CA');
    const final = await send(c, 'hi');
    expect(final[0].text).toContain(t('en-CA', 'plan.programme.final.intro', { weeks: 10 }));
    const reply = await send(c, 'on my own');
    expect(reply[0].text).toBe(t('en-CA', 'plan.programme.final.replies.alone'));
  });

  it('re-prompts the unknown with the options and leaves on "later"', async () => {
    const w = world();
    await seed(w);
    const c = client(new ProgrammeDialog(w.deps), 'en-CA');
    await ask(c, 'hi');
    const again = await ask(c, 'bananas');
    expect(again.text?.startsWith(t('en-CA', 'plan.reprompt.unknown'))).toBe(true);
    expect(buttons(again)).toEqual(['What helps me', 'My tiny steps', 'My plan', 'Later']);
    const bye = await send(c, 'later');
    expect(allText(bye)).toBe(t('en-CA', 'plan.programme.later'));
  });
});
