import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Locale } from '../../core/i18n/locale';
import { activeActions, addPride, isPlanEmpty, meansByCategory, removeMean, type AddPrideResult, type PlanAction, type PlanMean } from '../../core/plan/plan';
import { DialogIds } from '../dialogIds';
import { MyMeansDialog, type MyMeansDialogOptions } from './myMeansDialog';
import { PlanDialogBase, markdown, pick, type Choice, type Notice, type PlanDialogDeps, type Prompt, type QuestionOptions, type TextInput } from './planDialogBase';
import { meanLabel, renderPlan } from './render';
import { ReviewDialog, type ReviewDialogOptions } from './reviewDialog';
import { TinyStepsDialog, type TinyStepsDialogOptions } from './tinyStepsDialog';

type HubOptions = QuestionOptions;
type RemoveOptions = QuestionOptions;
type PrideOptions = QuestionOptions;

type HubAction = 'addMean' | 'removeMean' | 'steps' | 'review' | 'addPride' | 'start' | 'done';

/**
 * "Mon plan" / "My plan": the whole plan grouped by category, with prides and good moves and the
 * tiny steps in progress. From here the person adds or removes means at any time, adds a pride,
 * goes to tiny steps, or reviews them; every branch comes back to the plan.
 */
export class MyPlanDialog extends PlanDialogBase {
  constructor(deps: PlanDialogDeps) {
    super(DialogIds.planMine, deps);
    this.addDialog(new MyMeansDialog(deps));
    this.addDialog(new TinyStepsDialog(deps));
    this.addDialog(new ReviewDialog(deps));
    this.addQuestion<HubOptions>(DialogIds.planMineHub, (s, o, l) => this.askHub(s, o, l), (s, o, i, l) => this.answerHub(s, o, i, l));
    this.addQuestion<RemoveOptions>(DialogIds.planMineRemove, (s, o, l) => this.askRemove(s, o, l), (s, o, i, l) => this.answerRemove(s, o, i, l));
    this.addQuestion<PrideOptions>(DialogIds.planMinePride, async (_s, _o, l) => this.askPride(l), (s, o, i, l) => this.answerPride(s, o, i, l));
    this.initialDialogId = DialogIds.planMineHub;
  }

  // ── The plan and what to do with it ─────────────────────────────────────────────────────────

  private async askHub(step: WaterfallStepContext, options: HubOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const plan = loaded.plan;
    (step.values as { empty?: boolean }).empty = isPlanEmpty(plan);
    if (!plan || isPlanEmpty(plan)) {
      return { text: this.t(locale, 'plan.mine.empty'), buttons: [this.t(locale, 'plan.mine.buttons.start'), this.t(locale, 'plan.buttons.later')] };
    }
    const before = options.misses ? [] : [markdown({ type: 'message', text: renderPlan(this.texts, this.catalogue, locale, plan, this.now()) })];
    return { text: this.t(locale, 'plan.mine.ask'), buttons: this.hubChoices(locale, activeActions(plan)).map((choice) => choice.titles[0]), before };
  }

  private hubChoices(locale: Locale, active: readonly PlanAction[]): Choice<HubAction>[] {
    const choices: Choice<HubAction>[] = [
      { value: 'addMean', titles: this.titles(locale, 'plan.mine.buttons.addMean', 'plan.words.addMean') },
      { value: 'removeMean', titles: this.titles(locale, 'plan.mine.buttons.removeMean', 'plan.words.removeMean') },
      { value: 'steps', titles: this.titles(locale, 'plan.mine.buttons.steps', 'plan.words.steps') },
    ];
    if (active.length) choices.push({ value: 'review', titles: this.titles(locale, 'plan.mine.buttons.review', 'plan.words.review') });
    choices.push({ value: 'addPride', titles: this.titles(locale, 'plan.mine.buttons.addPride', 'plan.words.addPride') });
    choices.push({ value: 'done', titles: [...this.titles(locale, 'plan.buttons.done', 'plan.words.done'), ...this.titles(locale, 'plan.buttons.later', 'plan.words.later')] });
    return choices;
  }

  private async answerHub(step: WaterfallStepContext, _options: HubOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const back = { id: DialogIds.planMineHub, options: {} satisfies HubOptions };
    if ((step.values as { empty?: boolean }).empty) {
      const start = pick(input.said, [
        { value: 'start' as const, titles: [...this.titles(locale, 'plan.mine.buttons.start', 'plan.words.yes'), ...this.titles(locale, 'plan.mine.buttons.addMean', 'plan.words.addMean')] },
        { value: 'done' as const, titles: [...this.titles(locale, 'plan.buttons.later', 'plan.words.later'), ...this.titles(locale, 'plan.buttons.done', 'plan.words.done'), ...this.words(locale, 'plan.words.no')] },
      ]);
      if (start === 'start') return this.child(step, DialogIds.planMeans, {} satisfies MyMeansDialogOptions, back);
      if (start === 'done') return this.finish(step, 'plan.mine.later');
      return undefined;
    }
    const loaded = await this.load(step.context);
    const active = loaded.ok && loaded.plan ? activeActions(loaded.plan) : [];
    switch (pick(input.said, this.hubChoices(locale, active), false, true)) {
      case 'addMean':
        return this.child(step, DialogIds.planMeans, {} satisfies MyMeansDialogOptions, back);
      case 'removeMean':
        return step.replaceDialog(DialogIds.planMineRemove, {} satisfies RemoveOptions);
      case 'steps':
        return this.child(step, DialogIds.planSteps, {} satisfies TinyStepsDialogOptions, back);
      case 'review':
        return this.child(step, DialogIds.planReview, { showPlanAtEnd: false } satisfies ReviewDialogOptions, back);
      case 'addPride':
        return step.replaceDialog(DialogIds.planMinePride, {} satisfies PrideOptions);
      case 'done':
        return this.finish(step, 'plan.mine.end');
      default:
        return undefined;
    }
  }

  // ── Removing a mean ─────────────────────────────────────────────────────────────────────────

  private async askRemove(step: WaterfallStepContext, _options: RemoveOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return step.replaceDialog(DialogIds.planMineHub, { notices: [{ key: 'plan.errors.saveFailed' }] } satisfies HubOptions);
    const means = loaded.plan ? meansByCategory(loaded.plan).flatMap((group) => group.means) : [];
    if (!means.length) return step.replaceDialog(DialogIds.planMineHub, { notices: [{ key: 'plan.mine.nothingToRemove' }] } satisfies HubOptions);
    (step.values as { ids?: string[] }).ids = means.map((mean) => mean.id);
    const list = means.map((mean, i) => `${i + 1}. ${meanLabel(this.catalogue, locale, mean)}`).join('\n');
    return { text: `${this.t(locale, 'plan.mine.removeAsk')}\n\n${list}`, buttons: [...means.map((_, i) => String(i + 1)), this.t(locale, 'plan.buttons.back')] };
  }

  private async answerRemove(step: WaterfallStepContext, _options: RemoveOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: [...this.titles(locale, 'plan.buttons.back', 'plan.words.back'), ...this.words(locale, 'plan.words.no')] }])) {
      return step.replaceDialog(DialogIds.planMineHub, { notices: [{ key: 'plan.mine.keptAll' }] } satisfies HubOptions);
    }
    const ids = (step.values as { ids?: string[] }).ids ?? [];
    const loaded = await this.load(step.context);
    const means = loaded.ok && loaded.plan ? loaded.plan.means : [];
    const choices = ids.map((id) => ({ value: id, titles: [meanLabel(this.catalogue, locale, means.find((m) => m.id === id), id)] }));
    const meanId = pick(input.said, choices, true);
    if (!meanId) return undefined;
    let removed: PlanMean | undefined;
    let stopped = 0;
    const saved = await this.change(step.context, (plan) => {
      const result = removeMean(plan, meanId, this.now());
      removed = result.removed;
      stopped = result.stopped.length;
      return result.plan;
    });
    if (!saved.ok) return step.replaceDialog(DialogIds.planMineHub, { notices: [{ key: 'plan.errors.saveFailed' }] } satisfies HubOptions);
    const notices: Notice[] = removed
      ? [{ key: stopped ? 'plan.mine.removedWithStep' : 'plan.mine.removed', vars: { mean: meanLabel(this.catalogue, locale, removed) } }]
      : [{ key: 'plan.mine.keptAll' }];
    return step.replaceDialog(DialogIds.planMineHub, { notices } satisfies HubOptions);
  }

  // ── Prides and good moves ───────────────────────────────────────────────────────────────────

  private askPride(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.mine.prideAsk'), buttons: [this.t(locale, 'plan.buttons.back')] };
  }

  private async answerPride(step: WaterfallStepContext, _options: PrideOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.buttons.back', 'plan.words.back') }])) {
      return step.replaceDialog(DialogIds.planMineHub, {} satisfies HubOptions);
    }
    if (input.said.replace(/\s/g, '').length < 2) return undefined;
    let result: AddPrideResult | undefined;
    const saved = await this.change(step.context, (plan) => {
      result = addPride(plan, input.text, this.now());
      return result.plan;
    });
    if (!saved.ok || !result) return step.replaceDialog(DialogIds.planMineHub, { notices: [{ key: 'plan.errors.saveFailed' }] } satisfies HubOptions);
    const notices: Notice[] =
      result.outcome === 'added'
        ? [{ key: 'plan.mine.prideSaved', seed: saved.plan.prides.length }, ...(result.truncated ? [{ key: 'plan.reprompt.cut' }] : [])]
        : result.outcome === 'duplicate'
          ? [{ key: 'plan.mine.prideDuplicate' }]
          : [{ key: 'plan.reprompt.noWords' }];
    return step.replaceDialog(DialogIds.planMineHub, { notices } satisfies HubOptions);
  }
}
