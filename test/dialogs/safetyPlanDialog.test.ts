import { ActivityTypes, type Activity } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import type { TextVars } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import { MAX_ITEM_LENGTH, MAX_ITEMS_PER_STEP, SAFETY_PLAN_STEP_IDS, addItem, emptySafetyPlan, type SafetyPlan, type SafetyPlanStepId } from '../../core/safetyPlan/safetyPlan';
import { DocumentSafetyPlanRepository } from '../../bot/people/safetyPlanRepository';
import { SafetyPlanDialog, renderSafetyPlan, type SafetyPlanDialogOptions } from '../../dialogs/safetyPlanDialog';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { MemoryDocumentStore } from '../support/memoryStore';
import { realTexts } from '../support/texts';

const texts = realTexts();
const NOW = new Date('2025-05-01T12:00:00.000Z');
const PERSON = 'person-1';

const t = (locale: Locale, key: string, vars?: TextVars) => texts.t(locale, key, vars);
const titles = (activity: Partial<Activity> | undefined) => activity?.suggestedActions?.actions.map((a) => a.title) ?? [];
const stepTitle = (locale: Locale, stepId: SafetyPlanStepId) => t(locale, `safetyPlan.steps.${stepId}.title`);
const header = (locale: Locale, index: number) =>
  t(locale, 'safetyPlan.step.header', { number: index + 1, total: 6, title: stepTitle(locale, SAFETY_PLAN_STEP_IDS[index]) });
const button = (locale: Locale, name: string) => t(locale, `safetyPlan.buttons.${name}`);

function setup() {
  const store = new MemoryDocumentStore();
  const repository = new DocumentSafetyPlanRepository(store, { clock: () => NOW });
  return { store, repository };
}

function client(locale: Locale, repository: DocumentSafetyPlanRepository, options?: SafetyPlanDialogOptions, person = PERSON) {
  const middleware = [{ onTurn: async (context: Parameters<typeof setTurnLocale>[0], next: () => Promise<void>) => { setTurnLocale(context, locale); await next(); } }];
  const dialog = new SafetyPlanDialog(texts, repository, () => person, { now: () => NOW });
  return new DialogTestClient('test', dialog, options, middleware);
}

async function stored(repository: DocumentSafetyPlanRepository, person = PERSON): Promise<SafetyPlan | undefined> {
  return (await repository.load(person))?.plan;
}

async function seed(repository: DocumentSafetyPlanRepository, items: Partial<Record<SafetyPlanStepId, string[]>>, person = PERSON): Promise<void> {
  let plan = emptySafetyPlan(NOW);
  for (const [stepId, list] of Object.entries(items) as [SafetyPlanStepId, string[]][]) for (const item of list) plan = addItem(plan, stepId, item, NOW).plan;
  await repository.save(person, plan);
}

/** Sends a message and returns every reply of the turn. */
async function say(c: DialogTestClient, activity: string | Partial<Activity>): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  const first = (await c.sendActivity(activity)) as Partial<Activity> | undefined;
  if (first) replies.push(first);
  for (let next = c.getNextReply(); next; next = c.getNextReply()) replies.push(next);
  return replies;
}

/** Sends a message that must get exactly one reply. */
async function sayOne(c: DialogTestClient, activity: string | Partial<Activity>): Promise<Partial<Activity>> {
  const replies = await say(c, activity);
  expect(replies).toHaveLength(1);
  return replies[0];
}

describe('SafetyPlanDialog — building the plan', () => {
  it('walks the six steps in French with buttons and free text, saving as it goes', async () => {
    const { repository } = setup();
    const c = client('fr-CA', repository, { mode: 'edit' });
    const locale = 'fr-CA';
    const done = button(locale, 'done');

    const [intro, step1] = await say(c, 'salut');
    expect(intro.text).toBe(t(locale, 'safetyPlan.intro.new'));
    expect(step1.text).toContain(header(locale, 0));
    expect(step1.text).toContain(t(locale, 'safetyPlan.steps.warningSigns.explain'));
    expect(step1.text).toContain(t(locale, 'safetyPlan.steps.warningSigns.example'));
    expect(step1.text).toContain(t(locale, 'safetyPlan.step.ask', { done }));
    expect(titles(step1)).toEqual(["C'est tout pour cette étape", 'Passer']);

    const added = await sayOne(c, "Je m'isole dans ma chambre");
    expect(added.text).toContain(t(locale, 'safetyPlan.step.added', { item: "Je m'isole dans ma chambre" }));
    expect(added.text).toContain(t(locale, 'safetyPlan.step.askMore', { done }));
    expect(titles(added)).toEqual([done, 'Passer', 'Enlever quelque chose']);
    expect((await stored(repository))?.steps.warningSigns).toEqual(["Je m'isole dans ma chambre"]);

    await sayOne(c, 'Je dors mal');
    const step2 = await sayOne(c, done);
    expect(step2.text).toContain(header(locale, 1));

    await sayOne(c, 'Marcher dehors 10 minutes');
    const step3 = await sayOne(c, 'fini'); // typed, not the button
    expect(step3.text).toContain(header(locale, 2));

    await sayOne(c, 'Aller au café du coin');
    const step4 = await sayOne(c, "c'est TOUT");
    expect(step4.text).toContain(header(locale, 3));

    await sayOne(c, 'Julie, ma sœur : 514 555-0123');
    const step5 = await sayOne(c, done);
    expect(step5.text).toContain(header(locale, 4));
    expect(step5.text).toContain(t(locale, 'safetyPlan.steps.professionals.alwaysThere'));
    for (const contact of ['1 866 APPELLE', '535353', '811, option 2', '911']) expect(step5.text).toContain(contact);

    await sayOne(c, 'Mon intervenante au CLSC : 418 555-0199');
    const step6 = await sayOne(c, done);
    expect(step6.text).toContain(header(locale, 5));
    expect(step6.text).toContain(t(locale, 'safetyPlan.steps.safeEnvironment.explain'));

    await sayOne(c, 'Demander à mon frère de garder certaines choses');
    const [plan, end] = await say(c, done);
    expect(plan.text).toContain(`**${t(locale, 'safetyPlan.title')}**`);
    expect(plan.text).toContain('- Je dors mal');
    expect(plan.text).toContain('- Demander à mon frère de garder certaines choses');
    expect(plan.textFormat).toBe('markdown');
    expect(end.text).toBe(t(locale, 'safetyPlan.end.done'));
    expect(end.text).toContain('« mon plan de sécurité »');
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);

    expect((await stored(repository))?.steps).toEqual({
      warningSigns: ["Je m'isole dans ma chambre", 'Je dors mal'],
      copingStrategies: ['Marcher dehors 10 minutes'],
      distractions: ['Aller au café du coin'],
      helpers: ['Julie, ma sœur : 514 555-0123'],
      professionals: ['Mon intervenante au CLSC : 418 555-0199'],
      safeEnvironment: ['Demander à mon frère de garder certaines choses'],
    });
  });

  it('walks the six steps in English with buttons and free text', async () => {
    const { repository } = setup();
    const locale = 'en-CA';
    const c = client(locale, repository, { mode: 'edit' });
    const [intro, step1] = await say(c, 'hi');
    expect(intro.text).toBe(t(locale, 'safetyPlan.intro.new'));
    expect(step1.text).toContain('Step 1 of 6: My warning signs');
    expect(titles(step1)).toEqual(["That's all for this step", 'Skip']);

    const inputs: [string, string][] = [
      ['I stop answering my phone', "That's all for this step"],
      ['Listen to my music', 'done'],
      ['Go to the library', 'next'],
      ['Sam, my friend: 514-555-0142', "That's all for this step"],
      ['My doctor: 418-555-0199', "that's all"],
      ['Ask my sister to keep some things for me', "That's all for this step"],
    ];
    for (const [index, [item, finish]] of inputs.entries()) {
      const reply = await sayOne(c, item);
      expect(reply.text).toContain(t(locale, 'safetyPlan.step.added', { item }));
      const replies = await say(c, finish);
      if (index < 5) expect(replies[0].text).toContain(header(locale, index + 1));
      else {
        expect(replies.map((r) => r.text)).toEqual([renderSafetyPlan(texts, locale, await stored(repository)).text, t(locale, 'safetyPlan.end.done')]);
        expect(replies[1].text).toContain('"safety plan"');
      }
    }
    const plan = await stored(repository);
    expect(plan?.steps.helpers).toEqual(['Sam, my friend: 514-555-0142']);
    expect(plan?.steps.safeEnvironment).toEqual(['Ask my sister to keep some things for me']);
    const rendered = renderSafetyPlan(texts, locale, plan).text ?? '';
    expect(rendered).toContain('**5. Professionals and crisis lines**');
    expect(rendered).toContain('- My doctor: 418-555-0199');
    expect(rendered).toContain('1-866-APPELLE');
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('skips every step: nothing is saved and the person is told where to come back', async () => {
    const { store, repository } = setup();
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    for (let i = 1; i < 6; i++) expect((await sayOne(c, 'Passer')).text).toContain(header('fr-CA', i));
    const end = await sayOne(c, 'passer');
    expect(end.text).toBe(t('fr-CA', 'safetyPlan.end.empty'));
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(store.count('people')).toBe(0);
  });

  it('skips some steps: the plan shows the filled ones, plus the crisis lines in step 5', async () => {
    const { repository } = setup();
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    await sayOne(c, 'Je dors mal');
    await sayOne(c, "C'est tout pour cette étape");
    for (let i = 0; i < 4; i++) await sayOne(c, 'Passer');
    await sayOne(c, 'Donner certaines choses à garder à mon frère');
    const [plan] = await say(c, 'Passer'); // "Passer" after adding also moves on
    expect(plan.text).toContain(`**1. ${stepTitle('fr-CA', 'warningSigns')}**`);
    expect(plan.text).not.toContain(stepTitle('fr-CA', 'copingStrategies'));
    expect(plan.text).toContain(`**5. ${stepTitle('fr-CA', 'professionals')}**`);
    expect(plan.text).toContain('535353');
    expect(plan.text).toContain(`**6. ${stepTitle('fr-CA', 'safeEnvironment')}**`);
  });

  it('"oui" to "anything else?" invites the next item instead of saving "oui"', async () => {
    const { repository } = setup();
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    await sayOne(c, 'Je dors mal');
    const reply = await sayOne(c, 'Oui');
    expect(reply.text).toBe(t('fr-CA', 'safetyPlan.step.goAhead'));
    expect(titles(reply)).toContain('Passer');
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal']);
  });

  it('ignores a duplicate and says so; refuses an eleventh item in a step', async () => {
    const { repository } = setup();
    await seed(repository, { copingStrategies: Array.from({ length: MAX_ITEMS_PER_STEP }, (_, i) => `chose ${i + 1}`), warningSigns: ['Je dors mal'] });
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    const duplicate = await sayOne(c, 'je DORS mal.');
    expect(duplicate.text).toContain(t('fr-CA', 'safetyPlan.step.duplicate', { item: 'je DORS mal.' }));
    await sayOne(c, 'Passer');
    const full = await sayOne(c, 'encore une chose');
    expect(full.text).toContain(t('fr-CA', 'safetyPlan.step.full', { max: MAX_ITEMS_PER_STEP }));
    const plan = await stored(repository);
    expect(plan?.steps.warningSigns).toEqual(['Je dors mal']);
    expect(plan?.steps.copingStrategies).toHaveLength(MAX_ITEMS_PER_STEP);
  });

  it('can start edit mode at a given step', async () => {
    const { repository } = setup();
    const c = client('en-CA', repository, { mode: 'edit', step: 'professionals' });
    const [, step] = await say(c, 'hi');
    expect(step.text).toContain(header('en-CA', 4));
  });
});

describe('SafetyPlanDialog — view mode', () => {
  it('when there is no plan, offers to build it; "Pas maintenant" ends kindly', async () => {
    const { repository } = setup();
    const c = client('fr-CA', repository, { mode: 'view' });
    const reply = await sayOne(c, 'mon plan de sécurité');
    expect(reply.text).toBe(t('fr-CA', 'safetyPlan.view.empty'));
    expect(titles(reply)).toEqual(['On le fait', 'Pas maintenant']);
    const end = await sayOne(c, 'Pas maintenant');
    expect(end.text).toBe(t('fr-CA', 'safetyPlan.view.notNow'));
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('when there is no plan, "On le fait" starts building it (view is the default mode)', async () => {
    const { repository } = setup();
    const c = client('en-CA', repository);
    expect((await sayOne(c, 'safety plan')).text).toBe(t('en-CA', 'safetyPlan.view.empty'));
    const [intro, step1] = await say(c, "Let's do it");
    expect(intro.text).toBe(t('en-CA', 'safetyPlan.intro.new'));
    expect(step1.text).toContain(header('en-CA', 0));
  });

  it('shows a filled plan and offers to edit it; re-prompts on anything else', async () => {
    const { repository } = setup();
    await seed(repository, { warningSigns: ['Je dors mal'], helpers: ['Julie : 514 555-0123'] });
    const c = client('fr-CA', repository, { mode: 'view' });
    const [plan, ask] = await say(c, 'mon plan de sécurité');
    expect(plan.text).toBe(renderSafetyPlan(texts, 'fr-CA', await stored(repository)).text);
    expect(plan.text).toContain('- Je dors mal');
    expect(plan.text).toContain('- Julie : 514 555-0123');
    expect(plan.text).toContain('Ligne québécoise de prévention du suicide : 1 866 APPELLE');
    expect(ask.text).toBe(t('fr-CA', 'safetyPlan.view.askEdit'));
    expect(titles(ask)).toEqual(['Modifier', "C'est correct comme ça"]);

    const reprompt = await sayOne(c, 'bof 🤷');
    expect(reprompt.text).toBe(t('fr-CA', 'safetyPlan.reprompt.choose'));
    expect(titles(reprompt)).toEqual(['Modifier', "C'est correct comme ça"]);

    const closed = await sayOne(c, 'non merci');
    expect(closed.text).toBe(t('fr-CA', 'safetyPlan.view.closed'));
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('"Modifier" opens the existing plan, step by step, showing what is already there', async () => {
    const { repository } = setup();
    await seed(repository, { warningSigns: ['Je dors mal', "Je m'isole"] });
    const c = client('fr-CA', repository, { mode: 'view' });
    await say(c, 'mon plan');
    const [intro, step1] = await say(c, 'Modifier');
    expect(intro.text).toBe(t('fr-CA', 'safetyPlan.intro.existing'));
    expect(step1.text).toContain(t('fr-CA', 'safetyPlan.step.already'));
    expect(step1.text).toContain('- Je dors mal\n- Je m\'isole');
    expect(step1.text).toContain(t('fr-CA', 'safetyPlan.step.askWithItems', { done: button('fr-CA', 'done') }));
    expect(titles(step1)).toContain('Enlever quelque chose');
  });

  it('renders an empty or missing plan as one short sentence', () => {
    expect(renderSafetyPlan(texts, 'fr-CA', undefined)).toEqual({ type: ActivityTypes.Message, text: t('fr-CA', 'safetyPlan.render.empty') });
    expect(renderSafetyPlan(texts, 'en-CA', emptySafetyPlan(NOW)).text).toBe("You don't have a safety plan yet.");
  });
});

describe('SafetyPlanDialog — editing an existing plan', () => {
  it('adds to an existing step and removes an item by its number', async () => {
    const { repository } = setup();
    await seed(repository, { warningSigns: ['Je dors mal', "Je m'isole"], copingStrategies: ['Marcher'] });
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    await sayOne(c, 'Je pleure souvent');
    const list = await sayOne(c, 'Enlever quelque chose');
    expect(list.text).toContain(t('fr-CA', 'safetyPlan.remove.ask'));
    expect(list.text).toContain("1. Je dors mal\n2. Je m'isole\n3. Je pleure souvent");
    expect(titles(list)).toEqual(['1', '2', '3', 'Garder tout']);

    const wrong = await sayOne(c, '7');
    expect(wrong.text).toContain(t('fr-CA', 'safetyPlan.remove.unknown', { keepAll: 'Garder tout' }));

    const removed = await sayOne(c, '2');
    expect(removed.text).toContain(t('fr-CA', 'safetyPlan.remove.removed', { item: "Je m'isole" }));
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal', 'Je pleure souvent']);

    await sayOne(c, 'Enlever quelque chose');
    const kept = await sayOne(c, 'Garder tout');
    expect(kept.text).toContain(t('fr-CA', 'safetyPlan.remove.kept'));

    const step2 = await sayOne(c, "C'est tout pour cette étape");
    expect(step2.text).toContain('- Marcher');
    expect((await stored(repository))?.steps).toMatchObject({ warningSigns: ['Je dors mal', 'Je pleure souvent'], copingStrategies: ['Marcher'] });
  });

  it('keeps an item written on another device meanwhile', async () => {
    const { repository } = setup();
    await seed(repository, { warningSigns: ['Je dors mal'] });
    const c = client('fr-CA', repository, { mode: 'edit' });
    await say(c, 'salut');
    // Another device adds an item while this conversation waits for the next message.
    const other = await repository.load(PERSON);
    if (!other) throw new Error('plan missing');
    await repository.save(PERSON, addItem(other.plan, 'helpers', 'Julie', NOW).plan, other);
    await sayOne(c, 'Je pleure souvent');
    expect((await stored(repository))?.steps).toMatchObject({ warningSigns: ['Je dors mal', 'Je pleure souvent'], helpers: ['Julie'] });
  });
});

describe('SafetyPlanDialog — stopping midway and coming back', () => {
  it('keeps every item saved so far, read back by a fresh conversation', async () => {
    const { repository } = setup();
    const first = client('fr-CA', repository, { mode: 'edit' });
    await say(first, 'salut');
    await sayOne(first, 'Je dors mal');
    await sayOne(first, "Je m'isole");
    await sayOne(first, "C'est tout pour cette étape");
    await sayOne(first, 'Écouter ma musique');
    // The person writes "annuler" (handled by the bot, which cancels the dialog) or just leaves.
    expect(first.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);

    const again = client('fr-CA', repository, { mode: 'edit' });
    const [intro, step1] = await say(again, 'mon plan de sécurité');
    expect(intro.text).toBe(t('fr-CA', 'safetyPlan.intro.existing'));
    expect(step1.text).toContain("- Je dors mal\n- Je m'isole");
    const step2 = await sayOne(again, 'Passer');
    expect(step2.text).toContain('- Écouter ma musique');

    const viewer = client('fr-CA', repository, { mode: 'view' });
    const [plan] = await say(viewer, 'mon plan de sécurité');
    expect(plan.text).toContain('- Je dors mal');
    expect(plan.text).toContain('- Écouter ma musique');
  });

  it('keeps one person’s plan apart from another’s', async () => {
    const { repository } = setup();
    const alice = client('fr-CA', repository, { mode: 'edit' }, 'alice');
    await say(alice, 'salut');
    await sayOne(alice, 'Je dors mal');
    const bob = client('fr-CA', repository, { mode: 'view' }, 'bob');
    expect((await sayOne(bob, 'mon plan')).text).toBe(t('fr-CA', 'safetyPlan.view.empty'));
  });
});

describe('SafetyPlanDialog — unexpected input', () => {
  async function startWithOneItem(locale: Locale = 'fr-CA') {
    const { store, repository } = setup();
    const c = client(locale, repository, { mode: 'edit' });
    await say(c, 'salut');
    await sayOne(c, 'Je dors mal');
    return { store, repository, c };
  }

  it('re-prompts on an empty message, with the options', async () => {
    const { repository, c } = await startWithOneItem();
    const reply = await sayOne(c, '');
    expect(reply.text).toContain(t('fr-CA', 'safetyPlan.reprompt.empty'));
    expect(reply.text).toContain(t('fr-CA', 'safetyPlan.reprompt.hint'));
    expect(titles(reply)).toEqual([button('fr-CA', 'done'), 'Passer', 'Enlever quelque chose']);
    expect((await sayOne(c, '   ')).text).toContain(t('fr-CA', 'safetyPlan.reprompt.empty'));
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal']);
  });

  it('re-prompts on emoji only, saving nothing', async () => {
    const { repository, c } = await startWithOneItem('en-CA');
    const reply = await sayOne(c, '😢😢🙏');
    expect(reply.text).toContain(t('en-CA', 'safetyPlan.reprompt.noWords'));
    expect(titles(reply)).toContain('Skip');
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal']);
  });

  it('cuts a 5,000-character message, says so, and keeps the plan', async () => {
    const { repository, c } = await startWithOneItem();
    const long = `Quand ${'je tourne en rond dans ma tête '.repeat(200)}`.slice(0, 5000);
    expect(long).toHaveLength(5000);
    const reply = await sayOne(c, long);
    expect(reply.text).toContain(t('fr-CA', 'safetyPlan.step.cut', { limit: MAX_ITEM_LENGTH }));
    expect(reply.text).toContain(t('fr-CA', 'safetyPlan.step.askMore', { done: button('fr-CA', 'done') }));
    expect(titles(reply)).toContain('Passer');
    const items = (await stored(repository))?.steps.warningSigns ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]).toBe('Je dors mal');
    expect(Array.from(items[1]).length).toBeLessThanOrEqual(MAX_ITEM_LENGTH);
  });

  it('explains that pictures and files cannot go in the plan', async () => {
    const { repository, c } = await startWithOneItem();
    const reply = await sayOne(c, {
      type: ActivityTypes.Message,
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/photo.png' }],
    });
    expect(reply.text).toContain(t('fr-CA', 'safetyPlan.reprompt.notText'));
    expect(titles(reply)).toContain('Passer');
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal']);
  });

  it('ignores non-message activities', async () => {
    const { c } = await startWithOneItem();
    expect(await say(c, { type: ActivityTypes.Typing })).toEqual([]);
    const reply = await sayOne(c, 'Passer');
    expect(reply.text).toContain(header('fr-CA', 1));
  });

  it('re-prompts on junk in the remove list', async () => {
    const { repository, c } = await startWithOneItem();
    await sayOne(c, 'Enlever quelque chose');
    expect((await sayOne(c, '🙃')).text).toContain(t('fr-CA', 'safetyPlan.remove.unknown', { keepAll: 'Garder tout' }));
    expect((await sayOne(c, '')).text).toContain(t('fr-CA', 'safetyPlan.remove.unknown', { keepAll: 'Garder tout' }));
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal']);
  });

  it('when the store is down, keeps what was written and saves it with the next message', async () => {
    const { store, repository, c } = await startWithOneItem();
    store.unavailable = true;
    const down = await sayOne(c, "Je m'isole");
    expect(down.text).toContain(t('fr-CA', 'safetyPlan.errors.saveFailed'));
    expect(titles(down)).toContain('Passer');
    store.unavailable = false;
    await sayOne(c, 'Je pleure souvent');
    expect((await stored(repository))?.steps.warningSigns).toEqual(['Je dors mal', "Je m'isole", 'Je pleure souvent']);
  });

  it('when the store is down at the end, shows what could not be saved', async () => {
    const { store, c } = await startWithOneItem();
    for (let i = 0; i < 5; i++) await sayOne(c, 'Passer');
    store.unavailable = true;
    await sayOne(c, 'Ranger certaines choses ailleurs');
    const end = await sayOne(c, 'Passer');
    expect(end.text).toContain(t('fr-CA', 'safetyPlan.errors.unsavedAtEnd'));
    expect(end.text).toContain('- Ranger certaines choses ailleurs');
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('says so kindly when the plan cannot be opened', async () => {
    const { store, repository } = setup();
    store.unavailable = true;
    const c = client('fr-CA', repository, { mode: 'view' });
    const reply = await sayOne(c, 'mon plan de sécurité');
    expect(reply.text).toBe(t('fr-CA', 'safetyPlan.errors.loadFailed'));
    expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });
});
