import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { MyMeansDialog } from '../../dialogs/plan/myMeansDialog';
import { MyPlanDialog } from '../../dialogs/plan/myPlanDialog';
import { ProgrammeDialog } from '../../dialogs/plan/programmeDialog';
import { ReviewDialog } from '../../dialogs/plan/reviewDialog';
import { TinyStepsDialog } from '../../dialogs/plan/tinyStepsDialog';
import { createPlanDialogs, PlanDialogIds } from '../../dialogs/plan';
import { pick, readInput } from '../../dialogs/plan/planDialogBase';
import { DialogIds } from '../../dialogs/dialogIds';
import { setTurnLocale } from '../../dialogs/turnLocale';
import { simplify } from '../../core/conversation/globalCommands';
import { addMean, chooseAction, rateConfidence, setStepField, type Plan } from '../../core/plan/plan';
import type { PlanDialogDeps } from '../../dialogs/plan/planDialogBase';
import { ask, buttons, client, send, sharedConversationState, START, t, world, type World } from './support';

const LONG = 'très '.repeat(3000);
const JUNK: Array<[string, Partial<Activity>, string]> = [
  ['empty text', { type: ActivityTypes.Message, text: '' }, 'plan.reprompt.empty'],
  ['spaces only', { type: ActivityTypes.Message, text: '   \n\t ' }, 'plan.reprompt.empty'],
  ['emoji only', { type: ActivityTypes.Message, text: '🙂🙂🙂' }, 'plan.reprompt.noWords'],
  ['punctuation only', { type: ActivityTypes.Message, text: '?!…' }, 'plan.reprompt.noWords'],
  ['an attachment', { type: ActivityTypes.Message, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/x.png' }] }, 'plan.reprompt.notText'],
  ['a card payload', { type: ActivityTypes.Message, value: { action: 'submit', choice: 7, nested: { evil: true } } }, 'plan.reprompt.card'],
  ['a card payload that is a string', { type: ActivityTypes.Message, value: 'boom' }, 'plan.reprompt.card'],
];

function fullPlan(plan: Plan): Plan {
  let next = addMean(plan, { kind: 'catalogue', id: 'walk-outside', category: 'habits' }, 'now', START).plan;
  next = addMean(next, { kind: 'catalogue', id: 'breathing', category: 'habits' }, 'explore', START).plan;
  next = chooseAction(next, 'walk-outside', START).plan;
  for (const [field, text] of [['what', 'Marcher'], ['when', 'Le matin'], ['where', 'Dehors'], ['howOften', 'Une fois']] as const) next = setStepField(next, 'a1', field, text, START).plan;
  return rateConfidence(next, 'a1', 8, START).plan;
}

type Factory = (deps: PlanDialogDeps) => Dialog;
const DIALOGS: Array<[string, Factory]> = [
  ['MyMeansDialog', (deps) => new MyMeansDialog(deps)],
  ['MyPlanDialog', (deps) => new MyPlanDialog(deps)],
  ['TinyStepsDialog', (deps) => new TinyStepsDialog(deps)],
  ['ReviewDialog', (deps) => new ReviewDialog(deps)],
  ['ProgrammeDialog', (deps) => new ProgrammeDialog(deps)],
];

async function seeded(): Promise<World> {
  const w = world();
  await w.plans.update(w.personKey, fullPlan, { now: START });
  return w;
}

describe('every plan dialog survives junk input', () => {
  describe.each(DIALOGS)('%s', (_name, make) => {
    it.each(JUNK)('re-prompts %s with the same options, keeping the plan', async (_what, activity, reason) => {
      const w = await seeded();
      const before = JSON.stringify((await w.plans.load(w.personKey))!.plan);
      const c = client(make(w.deps), 'fr-CA');
      const question = await ask(c, 'salut');
      const reply = await ask(c, activity);
      expect(reply.text?.startsWith(t('fr-CA', reason))).toBe(true);
      expect(buttons(reply)).toEqual(buttons(question));
      expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
      expect(JSON.stringify((await w.plans.load(w.personKey))!.plan)).toBe(before);
    });

    it('handles very long text without a crash', async () => {
      const w = await seeded();
      const c = client(make(w.deps), 'en-CA');
      await ask(c, 'hi');
      const reply = await ask(c, LONG);
      expect(reply.text).toBeTruthy();
      expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
      expect((await w.plans.load(w.personKey))!.plan.means.length).toBeGreaterThanOrEqual(2);
    });

    it('ignores typing indicators and other non-message activities', async () => {
      const w = await seeded();
      const c = client(make(w.deps), 'fr-CA');
      await ask(c, 'salut');
      const replies = await send(c, { type: ActivityTypes.Typing });
      expect(replies).toEqual([]);
      expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
    });

    it('offers the menu after two misses and ends gently after five (never a loop)', async () => {
      const w = await seeded();
      const c = client(make(w.deps), 'en-CA');
      await ask(c, 'hi');
      const first = await ask(c, 'zzz qqq');
      expect(buttons(first)).not.toContain('Menu');
      const second = await ask(c, 'www vvv');
      expect(buttons(second)).toContain('Menu');
      expect(second.text).toContain(t('en-CA', 'plan.reprompt.menuHint'));
      await ask(c, { type: ActivityTypes.Message, text: '' });
      await ask(c, '🙃');
      const last = await send(c, 'xxx yyy');
      expect(last.map((r) => r.text)).toEqual([t('en-CA', 'plan.reprompt.giveUp')]);
      expect(c.dialogTurnResult.result).toEqual({ toMenu: true });
    });

    it('does not throw when the store is down: says so and ends, or asks without the plan', async () => {
      const w = await seeded();
      w.store.unavailable = true;
      const c = client(make(w.deps), 'fr-CA');
      const replies = await send(c, 'salut');
      if (make === DIALOGS[0][1]) {
        // "What helps me" needs nothing stored to ask its first question; saving later says so.
        expect(replies[0].text).toContain(t('fr-CA', 'plan.means.intro'));
      } else {
        expect(replies.map((r) => r.text).join('\n')).toContain(t('fr-CA', 'plan.errors.loadFailed'));
        expect(c.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
      }
    });
  });

  it('in the middle of a flow, a store failure on save keeps the conversation going and the plan intact', async () => {
    const w = await seeded();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA', { initial: { category: 'habits' } });
    await ask(c, 'salut');
    await ask(c, 'Bouger mon corps');
    w.store.unavailable = true;
    const reply = await ask(c, 'Je le fais déjà');
    expect(reply.text).toContain(t('fr-CA', 'plan.errors.saveFailed'));
    w.store.unavailable = false;
    expect((await w.plans.load(w.personKey))!.plan.means.map((m) => m.id)).toEqual(['walk-outside', 'breathing']);
    await ask(c, 'Bouger mon corps');
    await ask(c, 'Je le fais déjà');
    expect((await w.plans.load(w.personKey))!.plan.means.map((m) => m.id)).toEqual(['walk-outside', 'breathing', 'move-body']);
  });

  it('treats a card payload sent together with text as the text (a button that also sends a value)', async () => {
    const w = world();
    const c = client(new MyMeansDialog(w.deps), 'fr-CA');
    await ask(c, 'salut');
    const ideas = await ask(c, { type: ActivityTypes.Message, text: 'Relations', value: { some: 'payload' } });
    expect(ideas.text).toContain('**Être en lien avec les autres**');
  });
});

describe('state across turns and restarts', () => {
  it('resumes mid-question after a restart when the conversation state is stored', async () => {
    const w = world();
    await w.plans.update(w.personKey, fullPlan, { now: START });
    const storage = new MemoryStorage();
    const first = client(new TinyStepsDialog(w.deps), 'fr-CA', { conversationState: new ConversationState(storage) });
    await ask(first, 'salut');
    await ask(first, 'Respirer calmement');
    const when = await ask(first, 'Respirer 5 minutes');
    expect(when.text).toBe(t('fr-CA', 'plan.steps.ask.when'));

    // A new process: new dialog objects, new state objects, the same storage.
    const second = client(new TinyStepsDialog(world({ store: w.store }).deps), 'fr-CA', { conversationState: new ConversationState(storage) });
    const where = await ask(second, 'Le soir');
    expect(where.text).toBe(t('fr-CA', 'plan.steps.ask.where'));
    expect((await w.plans.load(w.personKey))!.plan.actions[1].step).toEqual({ what: 'Respirer 5 minutes', when: 'Le soir' });
  });

  it('keeps the plan when the conversation state is lost: a fresh client picks the step up from the plan', async () => {
    const w = world();
    await w.plans.update(w.personKey, fullPlan, { now: START });
    const first = client(new TinyStepsDialog(w.deps), 'en-CA');
    await ask(first, 'hi');
    await ask(first, 'Breathe slowly');
    await ask(first, 'Breathe for 5 minutes');
    await ask(first, 'In the evening');

    const fresh = client(new TinyStepsDialog(w.deps), 'en-CA', { conversationState: sharedConversationState() });
    const resumed = await ask(fresh, 'hello again');
    expect(resumed.text).toContain(t('en-CA', 'plan.steps.resume', { step: 'Breathe for 5 minutes' }));
    expect(resumed.text).toContain(t('en-CA', 'plan.steps.ask.where'));
  });

  it('keeps every change of two people-facing turns racing on the same plan', async () => {
    const w = world();
    const a = client(new MyMeansDialog(w.deps), 'fr-CA', { initial: { category: 'habits' } });
    const b = client(new MyMeansDialog(w.deps), 'en-CA', { initial: { category: 'relationships' } });
    await Promise.all([ask(a, 'salut'), ask(b, 'hi')]);
    await Promise.all([ask(a, 'Marcher dehors'), ask(b, 'Volunteer')]);
    await Promise.all([ask(a, 'Je le fais déjà'), ask(b, "I'd like to try")]);
    const plan = (await w.plans.load(w.personKey))!.plan;
    expect(plan.means.map((m) => m.id).sort()).toEqual(['volunteer', 'walk-outside']);
  });

  it('asks the current question again when the bot reprompts (after "aide" or a crisis interruption)', async () => {
    const w = await seeded();
    const plans = createPlanDialogs(w.deps);
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    for (const dialog of plans.dialogs) dialogs.add(dialog);
    const adapter = new TestAdapter(async (context) => {
      setTurnLocale(context, 'fr-CA');
      const dc = await dialogs.createContext(context);
      if (context.activity.text === 'aide') await dc.repromptDialog();
      else if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog(PlanDialogIds.review);
      await state.saveChanges(context);
    });
    const question = t('fr-CA', 'plan.review.ask', { step: 'Marcher — Le matin, Dehors, Une fois (confiance : 8/10)' });
    await adapter
      .send('salut')
      .assertReply(question)
      .send('xyz abc')
      .assertReply(`${t('fr-CA', 'plan.reprompt.unknown')}\n\n${question}`)
      .send('aide')
      .assertReply(question)
      .send('Ça a marché')
      .assertReply((reply) => expect(reply.text).toContain(t('fr-CA', 'plan.review.askDecision')))
      .startTest();
  });
});

describe('createPlanDialogs', () => {
  it('returns the five dialogs and their ids, ready to add to the main menu', () => {
    const w = world();
    const created = createPlanDialogs(w.deps);
    expect(created.ids).toEqual({
      means: DialogIds.planMeans,
      plan: DialogIds.planMine,
      tinySteps: DialogIds.planSteps,
      review: DialogIds.planReview,
      programme: DialogIds.planProgramme,
    });
    expect(created.dialogs.map((d) => d.id)).toEqual(Object.values(created.ids));
    const main = new (class extends ComponentDialog {
      constructor() {
        super('test.main');
        for (const dialog of created.dialogs) this.addDialog(dialog);
      }
    })();
    for (const id of Object.values(created.ids)) expect(main.findDialog(id)).toBeDefined();
  });
});

describe('input helpers', () => {
  it.each([
    [{ text: 'Oui' }, { kind: 'text', text: 'Oui', said: 'oui' }],
    [{ text: '  ' }, { kind: 'empty' }],
    [{}, { kind: 'empty' }],
    [{ text: '🙂' }, { kind: 'noWords' }],
    [{ attachments: [{ contentType: 'image/png' }] }, { kind: 'attachment' }],
    [{ value: { a: 1 } }, { kind: 'card' }],
    [{ value: 0 }, { kind: 'card' }],
    [{ text: 42 as unknown as string }, { kind: 'empty' }],
  ])('readInput(%p)', (activity, expected) => {
    expect(readInput(activity as Partial<Activity>)).toEqual(expected);
  });

  const choices = [
    { value: 'worked', titles: ['Ça a marché', 'réussi'] },
    { value: 'partly', titles: ['En partie', 'un peu'] },
    { value: 'clinician', titles: ['En parler à mon intervenant·e', 'mon intervenante'] },
  ];
  it.each([
    ['ça a marché', false, false, 'worked'],
    ['CA A MARCHE !', false, false, 'worked'],
    ['2', true, false, 'partly'],
    ['2', false, false, undefined],
    ['4', true, false, undefined],
    ['je veux en parler a mon intervenante', false, true, 'clinician'],
    ['je veux en parler a mon intervenante', false, false, undefined],
    ['pas reussi', false, true, undefined],
    ['reussi un peu', false, true, undefined],
    ['rien', false, true, undefined],
  ])('pick(%p, numbered %p, loose %p) = %p', (said, numbered, loose, expected) => {
    expect(pick(simplify(said), choices, numbered, loose)).toBe(expected);
  });
});
