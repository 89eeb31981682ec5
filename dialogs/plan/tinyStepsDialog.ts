import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { simplify } from '../../core/conversation/globalCommands';
import type { Locale } from '../../core/i18n/locale';
import { readConfidence } from '../../core/plan/confidence';
import {
  MAX_ACTIVE_ACTIONS,
  TINY_STEP_FIELDS,
  activeActions,
  chooseAction,
  currentConfidence,
  discardEmptyAction,
  endAction,
  findAction,
  findMean,
  meansByCategory,
  needsSmallerStep,
  nextMissingField,
  rateConfidence,
  setStepField,
  type ChooseActionResult,
  type Plan,
  type PlanAction,
  type TinyStepField,
} from '../../core/plan/plan';
import { DialogIds } from '../dialogIds';
import { MyMeansDialog, type MyMeansDialogOptions } from './myMeansDialog';
import { PlanDialogBase, pick, type Choice, type Notice, type PlanDialogDeps, type Prompt, type QuestionOptions, type TextInput } from './planDialogBase';
import { actionLine, actionTitle, meanLabel, statusLabel } from './render';
import { turnLocale } from '../turnLocale';

export interface TinyStepsDialogOptions {
  /** 'choose' (default): pick a mean and build its tiny step. 'edit': change the step `actionId`. */
  readonly mode?: 'choose' | 'edit';
  readonly actionId?: string;
}

interface NeedMeansOptions extends QuestionOptions {
  /** Every mean already has a tiny step in progress. */
  readonly allInUse?: boolean;
}

type FullOptions = QuestionOptions;

interface ChooseOptions extends QuestionOptions {
  readonly intro?: boolean;
}

/** Why a part of the step is asked: building it, making it smaller, or editing it. */
type FieldMode = 'new' | 'smaller' | 'edit';

interface FieldOptions extends QuestionOptions {
  readonly actionId: string;
  readonly field: TinyStepField;
  readonly mode: FieldMode;
  /** The confidence that led to "smaller" (to go back to that question). */
  readonly value?: number;
}

interface ConfidenceOptions extends QuestionOptions {
  readonly actionId: string;
  /** 'new': a new step (a second one may follow); 'edit': a change to an existing step. */
  readonly origin: 'new' | 'edit';
}

interface SmallerOptions extends QuestionOptions {
  readonly actionId: string;
  readonly value: number;
  readonly origin: 'new' | 'edit';
}

interface EditOptions extends QuestionOptions {
  readonly actionId: string;
}

type AnotherOptions = QuestionOptions;

/**
 * "Mes petits pas" / "My tiny steps": the person chooses 1 or 2 means to act on (any mean: their
 * choice is respected); for each, a concrete tiny step — what, when, where, how often, one
 * question at a time with example buttons — then how confident they feel, 0 to 10. Below 7 we
 * help make the step smaller until they feel confident, or they keep it as it is: their call.
 */
export class TinyStepsDialog extends PlanDialogBase {
  constructor(deps: PlanDialogDeps) {
    super(DialogIds.planSteps, deps);
    this.addDialog(new MyMeansDialog(deps));
    this.addRoute<TinyStepsDialogOptions>(DialogIds.planStepsEntry, (s, o) => this.entry(s, o));
    this.addQuestion<NeedMeansOptions>(DialogIds.planStepsNeedMeans, async (_s, o, l) => this.askNeedMeans(o, l), (s, o, i, l) => this.answerNeedMeans(s, o, i, l));
    this.addQuestion<FullOptions>(DialogIds.planStepsFull, (s, o, l) => this.askFull(s, o, l), (s, o, i, l) => this.answerFull(s, o, i, l));
    this.addQuestion<ChooseOptions>(DialogIds.planStepsChoose, (s, o, l) => this.askChoose(s, o, l), (s, o, i, l) => this.answerChoose(s, o, i, l));
    this.addQuestion<FieldOptions>(DialogIds.planStepsField, (s, o, l) => this.askField(s, o, l), (s, o, i, l) => this.answerField(s, o, i, l));
    this.addQuestion<ConfidenceOptions>(DialogIds.planStepsConfidence, (s, o, l) => this.askConfidence(s, o, l), (s, o, i) => this.answerConfidence(s, o, i));
    this.addQuestion<SmallerOptions>(DialogIds.planStepsSmaller, async (_s, o, l) => this.askSmaller(o, l), (s, o, i, l) => this.answerSmaller(s, o, i, l));
    this.addQuestion<AnotherOptions>(DialogIds.planStepsAnother, async (_s, _o, l) => this.askAnother(l), (s, o, i, l) => this.answerAnother(s, o, i, l));
    this.addQuestion<EditOptions>(DialogIds.planStepsEdit, (s, o, l) => this.askEdit(s, o, l), (s, o, i, l) => this.answerEdit(s, o, i, l));
    this.initialDialogId = DialogIds.planStepsEntry;
  }

  // ── Where to start ──────────────────────────────────────────────────────────────────────────

  private async entry(step: WaterfallStepContext, options: TinyStepsDialogOptions): Promise<DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const plan = loaded.plan;
    const active = plan ? activeActions(plan) : [];
    if (options.mode === 'edit' && options.actionId && active.some((action) => action.id === options.actionId)) {
      return step.replaceDialog(DialogIds.planStepsEdit, { actionId: options.actionId } satisfies EditOptions);
    }
    if (!plan || plan.means.length === 0) return step.replaceDialog(DialogIds.planStepsNeedMeans, {} satisfies NeedMeansOptions);
    // A step left half-built last time is picked up where it was.
    const unfinished = active.find((action) => nextMissingField(action.step) !== undefined || currentConfidence(action) === undefined);
    if (unfinished) {
      const notices: Notice[] = [{ key: 'plan.steps.resume', vars: { step: actionTitle(this.catalogue, turnLocaleOf(step), plan, unfinished) } }];
      return this.continueBuilding(step, unfinished, notices);
    }
    if (active.length >= MAX_ACTIVE_ACTIONS) return step.replaceDialog(DialogIds.planStepsFull, {} satisfies FullOptions);
    return step.replaceDialog(DialogIds.planStepsChoose, { intro: true } satisfies ChooseOptions);
  }

  private continueBuilding(step: WaterfallStepContext, action: PlanAction, notices: Notice[] = []): Promise<DialogTurnResult> {
    const field = nextMissingField(action.step);
    if (field) return step.replaceDialog(DialogIds.planStepsField, { actionId: action.id, field, mode: 'new', notices } satisfies FieldOptions);
    return step.replaceDialog(DialogIds.planStepsConfidence, { actionId: action.id, origin: 'new', notices } satisfies ConfidenceOptions);
  }

  // ── No means yet ────────────────────────────────────────────────────────────────────────────

  private askNeedMeans(options: NeedMeansOptions, locale: Locale): Prompt {
    return {
      text: this.t(locale, options.allInUse ? 'plan.steps.allInUse' : 'plan.steps.needMeans'),
      buttons: [this.t(locale, 'plan.steps.buttons.toMeans'), this.t(locale, 'plan.buttons.later')],
    };
  }

  private async answerNeedMeans(step: WaterfallStepContext, _options: NeedMeansOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: [...this.titles(locale, 'plan.steps.buttons.toMeans', 'plan.words.yes'), ...this.words(locale, 'plan.words.addMean')] }])) {
      return this.child(step, DialogIds.planMeans, {} satisfies MyMeansDialogOptions, { id: DialogIds.planStepsEntry, options: {} });
    }
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.steps.later');
    return undefined;
  }

  // ── Already two steps ───────────────────────────────────────────────────────────────────────

  private async askFull(step: WaterfallStepContext, _options: FullOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return this.finish(step, 'plan.errors.loadFailed');
    const plan = loaded.plan;
    const active = activeActions(plan);
    (step.values as { ids?: string[] }).ids = active.map((action) => action.id);
    const list = active.map((action, i) => `${i + 1}. ${actionLine(this.texts, this.catalogue, locale, plan, action)}`).join('\n');
    return {
      text: `${this.t(locale, 'plan.steps.full', { max: MAX_ACTIVE_ACTIONS })}\n\n${list}\n\n${this.t(locale, 'plan.steps.fullAsk')}`,
      buttons: [...active.map((action) => actionTitle(this.catalogue, locale, plan, action)), this.t(locale, 'plan.buttons.done')],
    };
  }

  private async answerFull(step: WaterfallStepContext, _options: FullOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.steps.end');
    const actionId = await this.pickAction(step, input, locale);
    if (actionId) return step.replaceDialog(DialogIds.planStepsEdit, { actionId } satisfies EditOptions);
    return undefined;
  }

  private async pickAction(step: WaterfallStepContext, input: TextInput, locale: Locale): Promise<string | undefined> {
    const ids = (step.values as { ids?: string[] }).ids ?? [];
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return undefined;
    const plan = loaded.plan;
    const choices = ids.flatMap((id) => {
      const action = findAction(plan, id);
      return action ? [{ value: id, titles: [actionTitle(this.catalogue, locale, plan, action)] }] : [];
    });
    return pick(input.said, choices, true);
  }

  // ── Which mean to act on ────────────────────────────────────────────────────────────────────

  private async askChoose(step: WaterfallStepContext, options: ChooseOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const candidates = this.candidates(loaded.plan);
    if (!candidates.length) return step.replaceDialog(DialogIds.planStepsNeedMeans, { allInUse: Boolean(loaded.plan?.means.length) } satisfies NeedMeansOptions);
    (step.values as { ids?: string[] }).ids = candidates.map((mean) => mean.id);
    const list = candidates.map((mean, i) => `${i + 1}. ${meanLabel(this.catalogue, locale, mean)} (${statusLabel(this.texts, locale, mean.status)})`).join('\n');
    const parts = [...(options.intro ? [this.t(locale, 'plan.steps.intro')] : []), this.t(locale, 'plan.steps.chooseMean'), list];
    return { text: parts.join('\n\n'), buttons: [...candidates.map((mean) => meanLabel(this.catalogue, locale, mean)), this.t(locale, 'plan.buttons.later')] };
  }

  private candidates(plan: Plan | undefined): Plan['means'][number][] {
    if (!plan) return [];
    const busy = new Set(activeActions(plan).map((action) => action.meanId));
    return meansByCategory(plan)
      .flatMap((group) => group.means)
      .filter((mean) => !busy.has(mean.id));
  }

  private async answerChoose(step: WaterfallStepContext, _options: ChooseOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: [...this.laterTitles(locale), ...this.titles(locale, 'plan.buttons.back', 'plan.words.back')] }])) {
      return this.finish(step, 'plan.steps.later');
    }
    const ids = (step.values as { ids?: string[] }).ids ?? [];
    const loaded = await this.load(step.context);
    const plan = loaded.ok ? loaded.plan : undefined;
    const choices: Choice<string>[] = ids.map((id) => ({ value: id, titles: [meanLabel(this.catalogue, locale, plan ? findMean(plan, id) : undefined, id)] }));
    const meanId = pick(input.said, choices, true);
    if (!meanId) return undefined;
    let result: ChooseActionResult | undefined;
    const saved = await this.change(step.context, (current) => {
      result = chooseAction(current, meanId, this.now());
      return result.plan;
    });
    if (!saved.ok || !result) return step.replaceDialog(DialogIds.planStepsChoose, { notices: [{ key: 'plan.errors.saveFailed' }] } satisfies ChooseOptions);
    switch (result.outcome) {
      case 'chosen':
        return step.replaceDialog(DialogIds.planStepsField, {
          actionId: result.action.id,
          field: 'what',
          mode: 'new',
          notices: [{ key: 'plan.steps.chosen', vars: { mean: choices.find((c) => c.value === meanId)?.titles[0] ?? '' } }],
        } satisfies FieldOptions);
      case 'alreadyActive':
        return this.continueBuilding(step, result.action);
      case 'full':
        return step.replaceDialog(DialogIds.planStepsFull, {} satisfies FullOptions);
      case 'unknownMean':
        return undefined;
    }
  }

  // ── What, when, where, how often ────────────────────────────────────────────────────────────

  private async askField(step: WaterfallStepContext, options: FieldOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const action = loaded.plan ? findAction(loaded.plan, options.actionId) : undefined;
    if (!loaded.plan || !action || action.status !== 'active') return step.replaceDialog(DialogIds.planStepsEntry, {});
    const parts: string[] = [];
    if (options.mode === 'smaller') parts.push(this.t(locale, `plan.steps.smallerTip.${options.field}`));
    const current = action.step[options.field];
    if (current) parts.push(this.t(locale, 'plan.steps.current', { value: current }));
    parts.push(this.t(locale, `plan.steps.ask.${options.field}`));
    const examples = this.words(locale, `plan.steps.examples.${options.field}`);
    if (options.field === 'what') {
      const mean = findMean(loaded.plan, action.meanId);
      if (mean) examples.unshift(meanLabel(this.catalogue, locale, mean));
    }
    return { text: parts.join('\n\n'), buttons: [...examples, this.t(locale, 'plan.buttons.back')] };
  }

  private async answerField(step: WaterfallStepContext, options: FieldOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.buttons.back', 'plan.words.back') }])) return this.backFromField(step, options);
    if (this.isTooVague(locale, input)) return undefined;
    let truncated = false;
    let updated: PlanAction | undefined;
    const saved = await this.change(step.context, (plan) => {
      const result = setStepField(plan, options.actionId, options.field, input.text, this.now());
      truncated = result.truncated ?? false;
      updated = result.outcome === 'changed' || result.outcome === 'unchanged' ? result.action : undefined;
      return result.plan;
    });
    if (!saved.ok) return step.replaceDialog(DialogIds.planStepsField, { ...options, misses: 0, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies FieldOptions);
    if (!updated) return step.replaceDialog(DialogIds.planStepsEntry, {});
    const notices: Notice[] = truncated ? [{ key: 'plan.reprompt.cut' }] : [];
    if (options.mode === 'new') return this.continueBuilding(step, updated, notices);
    return step.replaceDialog(DialogIds.planStepsConfidence, { actionId: options.actionId, origin: options.mode === 'edit' ? 'edit' : 'new', notices } satisfies ConfidenceOptions);
  }

  private async backFromField(step: WaterfallStepContext, options: FieldOptions): Promise<DialogTurnResult> {
    if (options.mode === 'edit') return step.replaceDialog(DialogIds.planStepsEdit, { actionId: options.actionId } satisfies EditOptions);
    if (options.mode === 'smaller') {
      return step.replaceDialog(DialogIds.planStepsSmaller, { actionId: options.actionId, value: options.value ?? 0, origin: 'new' } satisfies SmallerOptions);
    }
    const index = TINY_STEP_FIELDS.indexOf(options.field);
    if (index > 0) {
      return step.replaceDialog(DialogIds.planStepsField, { actionId: options.actionId, field: TINY_STEP_FIELDS[index - 1], mode: 'new' } satisfies FieldOptions);
    }
    // Back from the very first question: the mean was chosen a moment ago; choose again.
    await this.change(step.context, (plan) => discardEmptyAction(plan, options.actionId, this.now()));
    return step.replaceDialog(DialogIds.planStepsChoose, {} satisfies ChooseOptions);
  }

  // ── Confidence, 0 to 10 ─────────────────────────────────────────────────────────────────────

  private async askConfidence(step: WaterfallStepContext, options: ConfidenceOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const action = loaded.plan ? findAction(loaded.plan, options.actionId) : undefined;
    if (!loaded.plan || !action || action.status !== 'active') return step.replaceDialog(DialogIds.planStepsEntry, {});
    const summary = this.t(locale, 'plan.steps.summary', { step: actionLine(this.texts, this.catalogue, locale, loaded.plan, { ...action, confidence: [] }) });
    return { text: `${summary}\n\n${this.t(locale, 'plan.steps.askConfidence')}`, buttons: Array.from({ length: 11 }, (_, i) => String(i)) };
  }

  private async answerConfidence(step: WaterfallStepContext, options: ConfidenceOptions, input: TextInput): Promise<DialogTurnResult | undefined> {
    const value = readConfidence(input.text);
    if (value === undefined) return undefined;
    let ok = false;
    const saved = await this.change(step.context, (plan) => {
      const result = rateConfidence(plan, options.actionId, value, this.now());
      ok = result.outcome === 'changed';
      return result.plan;
    });
    if (!saved.ok) return step.replaceDialog(DialogIds.planStepsConfidence, { ...options, misses: 0, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies ConfidenceOptions);
    if (!ok) return step.replaceDialog(DialogIds.planStepsEntry, {});
    if (needsSmallerStep(value)) {
      return step.replaceDialog(DialogIds.planStepsSmaller, { actionId: options.actionId, value, origin: options.origin } satisfies SmallerOptions);
    }
    return this.afterStep(step, options.origin, saved.plan, [{ key: 'plan.steps.confident', vars: { value }, seed: value }]);
  }

  /** A step is ready: a second one may follow (never more than two), else the end. */
  private async afterStep(step: WaterfallStepContext, origin: 'new' | 'edit', plan: Plan, notices: Notice[]): Promise<DialogTurnResult> {
    const locale = turnLocaleOf(step);
    if (origin === 'new' && activeActions(plan).length < MAX_ACTIVE_ACTIONS && this.candidates(plan).length > 0) {
      return step.replaceDialog(DialogIds.planStepsAnother, { notices } satisfies AnotherOptions);
    }
    const said = notices.map((notice) => this.say(locale, notice));
    said.push(this.t(locale, origin === 'edit' ? 'plan.steps.updated' : 'plan.steps.end'));
    await step.context.sendActivity(said.join('\n\n'));
    return step.endDialog({});
  }

  // ── Making it smaller (or keeping it: their choice) ─────────────────────────────────────────

  private askSmaller(options: SmallerOptions, locale: Locale): Prompt {
    const fields: TinyStepField[] = ['what', 'howOften', 'when', 'where'];
    return {
      text: this.t(locale, 'plan.steps.smaller', { value: options.value }),
      buttons: [...fields.map((field) => this.t(locale, `plan.steps.smallerOptions.${field}`)), this.t(locale, 'plan.steps.smallerOptions.keep')],
    };
  }

  private async answerSmaller(step: WaterfallStepContext, options: SmallerOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const fields: TinyStepField[] = ['what', 'howOften', 'when', 'where'];
    const choice = pick(input.said, [
      ...fields.map((field) => ({ value: field as TinyStepField | 'keep', titles: [this.t(locale, `plan.steps.smallerOptions.${field}`)] })),
      { value: 'keep' as const, titles: [...this.titles(locale, 'plan.steps.smallerOptions.keep', 'plan.words.keep'), ...this.words(locale, 'plan.words.no')] },
    ], true);
    if (choice === 'keep') {
      const loaded = await this.load(step.context);
      const plan = loaded.ok && loaded.plan ? loaded.plan : undefined;
      if (!plan) return this.finish(step, 'plan.steps.kept');
      return this.afterStep(step, options.origin, plan, [{ key: 'plan.steps.kept' }]);
    }
    if (choice) return step.replaceDialog(DialogIds.planStepsField, { actionId: options.actionId, field: choice, mode: 'smaller', value: options.value } satisfies FieldOptions);
    // Their own smaller version, in their words: it becomes the "what".
    if (this.isTooVague(locale, input)) return undefined;
    const saved = await this.change(step.context, (plan) => setStepField(plan, options.actionId, 'what', input.text, this.now()).plan);
    if (!saved.ok) return step.replaceDialog(DialogIds.planStepsSmaller, { ...options, misses: 0, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies SmallerOptions);
    return step.replaceDialog(DialogIds.planStepsConfidence, { actionId: options.actionId, origin: options.origin, notices: [{ key: 'plan.steps.newVersion' }] } satisfies ConfidenceOptions);
  }

  // ── A second step? ──────────────────────────────────────────────────────────────────────────

  private askAnother(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.steps.askAnother'), buttons: [this.t(locale, 'plan.steps.buttons.anotherYes'), this.t(locale, 'plan.steps.buttons.anotherNo')] };
  }

  private async answerAnother(step: WaterfallStepContext, _options: AnotherOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const answer = pick(input.said, [
      { value: 'yes' as const, titles: this.titles(locale, 'plan.steps.buttons.anotherYes', 'plan.words.yes') },
      { value: 'no' as const, titles: [...this.titles(locale, 'plan.steps.buttons.anotherNo', 'plan.words.no'), ...this.laterTitles(locale)] },
    ]);
    if (answer === 'yes') return step.replaceDialog(DialogIds.planStepsChoose, {} satisfies ChooseOptions);
    if (answer === 'no') return this.finish(step, 'plan.steps.end');
    return undefined;
  }

  // ── Changing a step ─────────────────────────────────────────────────────────────────────────

  private async askEdit(step: WaterfallStepContext, options: EditOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const action = loaded.plan ? findAction(loaded.plan, options.actionId) : undefined;
    if (!loaded.plan || !action || action.status !== 'active') return step.replaceDialog(DialogIds.planStepsEntry, {});
    const line = actionLine(this.texts, this.catalogue, locale, loaded.plan, action);
    return {
      text: `${this.t(locale, 'plan.steps.summary', { step: line })}\n\n${this.t(locale, 'plan.steps.editAsk')}`,
      buttons: [...TINY_STEP_FIELDS.map((field) => this.t(locale, `plan.steps.fields.${field}`)), this.t(locale, 'plan.steps.buttons.stop'), this.t(locale, 'plan.steps.buttons.nothing')],
    };
  }

  private async answerEdit(step: WaterfallStepContext, options: EditOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const choice = pick(input.said, [
      ...TINY_STEP_FIELDS.map((field) => ({ value: field as TinyStepField | 'stop' | 'nothing', titles: [this.t(locale, `plan.steps.fields.${field}`)] })),
      { value: 'stop' as const, titles: this.titles(locale, 'plan.steps.buttons.stop', 'plan.words.stopStep') },
      { value: 'nothing' as const, titles: [...this.titles(locale, 'plan.steps.buttons.nothing', 'plan.words.no'), ...this.laterTitles(locale), ...this.titles(locale, 'plan.buttons.back', 'plan.words.back')] },
    ], true);
    if (!choice) return undefined;
    if (choice === 'nothing') return this.finish(step, 'plan.steps.unchanged');
    if (choice === 'stop') {
      const saved = await this.change(step.context, (plan) => endAction(plan, options.actionId, this.now(), 'stopped').plan);
      return this.finish(step, saved.ok ? 'plan.steps.stopped' : 'plan.errors.saveFailed');
    }
    return step.replaceDialog(DialogIds.planStepsField, { actionId: options.actionId, field: choice, mode: 'edit' } satisfies FieldOptions);
  }

  // ── Words ───────────────────────────────────────────────────────────────────────────────────

  private laterTitles(locale: Locale): string[] {
    return [...this.titles(locale, 'plan.buttons.later', 'plan.words.later'), ...this.titles(locale, 'plan.buttons.done', 'plan.words.done')];
  }

  private isTooVague(locale: Locale, input: TextInput): boolean {
    if (input.said.replace(/\s/g, '').length < 2) return true;
    const vague = [...this.words(locale, 'plan.words.yes'), ...this.words(locale, 'plan.words.no'), ...this.words(locale, 'plan.words.dontKnow')].map(simplify);
    return vague.includes(input.said);
  }
}

function turnLocaleOf(step: WaterfallStepContext): Locale {
  return turnLocale(step.context);
}
