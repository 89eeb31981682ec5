import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Locale } from '../../core/i18n/locale';
import {
  REVIEW_DECISIONS,
  REVIEW_OUTCOMES,
  activeActions,
  addReview,
  decideReview,
  explainReview,
  findAction,
  type ReviewDecision,
  type ReviewOutcome,
} from '../../core/plan/plan';
import { DialogIds } from '../dialogIds';
import { turnLocale } from '../turnLocale';
import { PlanDialogBase, markdown, pick, type PlanDialogDeps, type Prompt, type QuestionOptions, type TextInput } from './planDialogBase';
import { actionLine, actionTitle, renderPlan } from './render';
import { TinyStepsDialog, type TinyStepsDialogOptions } from './tinyStepsDialog';

export interface ReviewDialogOptions {
  /** Review this step first (else: the only one, or the person chooses). */
  readonly actionId?: string;
  /** Show the plan at the end ("back to the plan"). Default true; false when opened from the plan itself. */
  readonly showPlanAtEnd?: boolean;
}

interface ReviewState extends QuestionOptions {
  readonly showPlanAtEnd: boolean;
  /** Steps already reviewed in this conversation, so "your other step?" is asked once. */
  readonly reviewed: readonly string[];
  /** The steps active when the review started: one chosen since (after a swap) has nothing to review yet. */
  readonly known: readonly string[];
}

type NoneOptions = ReviewState;
type ChooseOptions = ReviewState;
type OtherOptions = ReviewState;

interface OutcomeOptions extends ReviewState {
  readonly actionId: string;
}

interface WhyOptions extends OutcomeOptions {
  readonly outcome: Exclude<ReviewOutcome, 'worked'>;
}

type DecisionOptions = OutcomeOptions;

/**
 * "Faire le point" / "Check in": for a tiny step, what worked, what didn't and why — without
 * judgement: a setback is information, not a failure; any progress is celebrated. Then keep the
 * step, adjust it (the tiny-step editor), or swap it for another; then back to the plan.
 */
export class ReviewDialog extends PlanDialogBase {
  constructor(deps: PlanDialogDeps) {
    super(DialogIds.planReview, deps);
    this.addDialog(new TinyStepsDialog(deps));
    this.addRoute<ReviewDialogOptions>(DialogIds.planReviewEntry, (s, o) => this.entry(s, o));
    this.addQuestion<NoneOptions>(DialogIds.planReviewNone, async (_s, _o, l) => this.askNone(l), (s, o, i, l) => this.answerNone(s, o, i, l));
    this.addQuestion<ChooseOptions>(DialogIds.planReviewChoose, (s, o, l) => this.askChoose(s, o, l), (s, o, i, l) => this.answerChoose(s, o, i, l));
    this.addQuestion<OutcomeOptions>(DialogIds.planReviewOutcome, (s, o, l) => this.askOutcome(s, o, l), (s, o, i, l) => this.answerOutcome(s, o, i, l));
    this.addQuestion<WhyOptions>(DialogIds.planReviewWhy, async (_s, o, l) => this.askWhy(o, l), (s, o, i, l) => this.answerWhy(s, o, i, l));
    this.addQuestion<DecisionOptions>(DialogIds.planReviewDecision, async (_s, _o, l) => this.askDecision(l), (s, o, i, l) => this.answerDecision(s, o, i, l));
    this.addQuestion<OtherOptions>(DialogIds.planReviewOther, (s, o, l) => this.askOther(s, o, l), (s, o, i, l) => this.answerOther(s, o, i, l));
    this.initialDialogId = DialogIds.planReviewEntry;
  }

  private async entry(step: WaterfallStepContext, options: ReviewDialogOptions): Promise<DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const active = loaded.plan ? activeActions(loaded.plan) : [];
    const state: ReviewState = { showPlanAtEnd: options.showPlanAtEnd !== false, reviewed: [], known: active.map((action) => action.id) };
    if (!active.length) return step.replaceDialog(DialogIds.planReviewNone, state satisfies NoneOptions);
    const first = active.find((action) => action.id === options.actionId) ?? (active.length === 1 ? active[0] : undefined);
    if (first) return step.replaceDialog(DialogIds.planReviewOutcome, { ...state, actionId: first.id } satisfies OutcomeOptions);
    return step.replaceDialog(DialogIds.planReviewChoose, state satisfies ChooseOptions);
  }

  // ── No step yet ─────────────────────────────────────────────────────────────────────────────

  private askNone(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.review.none'), buttons: [this.t(locale, 'plan.review.buttons.choose'), this.t(locale, 'plan.buttons.later')] };
  }

  private async answerNone(step: WaterfallStepContext, options: NoneOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.review.buttons.choose', 'plan.words.yes') }])) {
      // A step chosen now has nothing to review yet (it is not among `known`): then straight to the end.
      return this.child(step, DialogIds.planSteps, {} satisfies TinyStepsDialogOptions, { id: DialogIds.planReviewOther, options: stateOf(options) });
    }
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.review.later');
    return undefined;
  }

  // ── Which step ──────────────────────────────────────────────────────────────────────────────

  private async askChoose(step: WaterfallStepContext, options: ChooseOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return this.finish(step, 'plan.errors.loadFailed');
    const plan = loaded.plan;
    const active = activeActions(plan);
    if (!active.length) return step.replaceDialog(DialogIds.planReviewNone, stateOf(options));
    (step.values as { ids?: string[] }).ids = active.map((action) => action.id);
    const list = active.map((action, i) => `${i + 1}. ${actionLine(this.texts, this.catalogue, locale, plan, action)}`).join('\n');
    return { text: `${this.t(locale, 'plan.review.choose')}\n\n${list}`, buttons: [...active.map((a) => actionTitle(this.catalogue, locale, plan, a)), this.t(locale, 'plan.buttons.later')] };
  }

  private async answerChoose(step: WaterfallStepContext, options: ChooseOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.review.later');
    const ids = (step.values as { ids?: string[] }).ids ?? [];
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return undefined;
    const plan = loaded.plan;
    const choices = ids.flatMap((id) => {
      const action = findAction(plan, id);
      return action ? [{ value: id, titles: [actionTitle(this.catalogue, locale, plan, action)] }] : [];
    });
    const actionId = pick(input.said, choices, true);
    if (!actionId) return undefined;
    return step.replaceDialog(DialogIds.planReviewOutcome, { ...stateOf(options), actionId } satisfies OutcomeOptions);
  }

  // ── How did it go? ──────────────────────────────────────────────────────────────────────────

  private async askOutcome(step: WaterfallStepContext, options: OutcomeOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const action = loaded.plan ? findAction(loaded.plan, options.actionId) : undefined;
    if (!loaded.plan || !action || action.status !== 'active') return step.replaceDialog(DialogIds.planReviewOther, stateOf(options));
    return {
      text: this.t(locale, 'plan.review.ask', { step: actionLine(this.texts, this.catalogue, locale, loaded.plan, action) }),
      buttons: [...REVIEW_OUTCOMES.map((outcome) => this.t(locale, `plan.review.outcomes.${outcome}`)), this.t(locale, 'plan.buttons.later')],
    };
  }

  private async answerOutcome(step: WaterfallStepContext, options: OutcomeOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: [...this.laterTitles(locale), ...this.titles(locale, 'plan.buttons.back', 'plan.words.back')] }])) {
      return this.finish(step, 'plan.review.later');
    }
    const outcome = pick(
      input.said,
      REVIEW_OUTCOMES.map((value) => ({ value, titles: this.titles(locale, `plan.review.outcomes.${value}`, `plan.review.outcomeWords.${value}`) })),
      true,
      true,
    );
    if (!outcome) return undefined;
    let ok = false;
    const saved = await this.change(step.context, (plan) => {
      const result = addReview(plan, options.actionId, { outcome }, this.now());
      ok = result.outcome === 'changed';
      return result.plan;
    });
    const next = { ...stateOf(options), reviewed: [...options.reviewed, options.actionId], actionId: options.actionId };
    if (!saved.ok) return step.replaceDialog(DialogIds.planReviewOutcome, { ...next, reviewed: options.reviewed, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies OutcomeOptions);
    if (!ok) return step.replaceDialog(DialogIds.planReviewOther, stateOf(next));
    if (outcome === 'worked') {
      return step.replaceDialog(DialogIds.planReviewDecision, { ...next, notices: [{ key: 'plan.review.worked', seed: saved.plan.prides.length }] } satisfies DecisionOptions);
    }
    return step.replaceDialog(DialogIds.planReviewWhy, { ...next, outcome } satisfies WhyOptions);
  }

  // ── Why (optional) ──────────────────────────────────────────────────────────────────────────

  private askWhy(options: WhyOptions, locale: Locale): Prompt {
    return {
      text: this.t(locale, `plan.review.why.${options.outcome}`),
      buttons: [...this.words(locale, `plan.review.whyExamples.${options.outcome}`), this.t(locale, 'plan.buttons.skip')],
    };
  }

  private async answerWhy(step: WaterfallStepContext, options: WhyOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const decision = { ...stateOf(options), actionId: options.actionId };
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.buttons.skip', 'plan.words.skip') }])) {
      return step.replaceDialog(DialogIds.planReviewDecision, { ...decision, notices: [{ key: 'plan.review.okay' }] } satisfies DecisionOptions);
    }
    if (input.said.replace(/\s/g, '').length < 2) return undefined;
    const saved = await this.change(step.context, (plan) => explainReview(plan, options.actionId, input.text, this.now()).plan);
    const notices = saved.ok ? [{ key: 'plan.review.thanks' }] : [{ key: 'plan.errors.saveFailed' }];
    return step.replaceDialog(DialogIds.planReviewDecision, { ...decision, notices } satisfies DecisionOptions);
  }

  // ── Keep, adjust, or swap ───────────────────────────────────────────────────────────────────

  private askDecision(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.review.askDecision'), buttons: REVIEW_DECISIONS.map((decision) => this.t(locale, `plan.review.decisions.${decision}`)) };
  }

  private async answerDecision(step: WaterfallStepContext, options: DecisionOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const decision = pick<ReviewDecision>(
      input.said,
      REVIEW_DECISIONS.map((value) => ({ value, titles: this.titles(locale, `plan.review.decisions.${value}`, `plan.review.decisionWords.${value}`) })),
      true,
      true,
    );
    if (!decision) return undefined;
    const saved = await this.change(step.context, (plan) => decideReview(plan, options.actionId, decision, this.now()).plan);
    const state = stateOf(options);
    if (!saved.ok) return step.replaceDialog(DialogIds.planReviewDecision, { ...options, misses: 0, notices: [{ key: 'plan.errors.saveFailed' }] } satisfies DecisionOptions);
    const then = { id: DialogIds.planReviewOther, options: state };
    switch (decision) {
      case 'keep':
        return step.replaceDialog(DialogIds.planReviewOther, { ...state, notices: [{ key: 'plan.review.kept' }] } satisfies OtherOptions);
      case 'adjust':
        await step.context.sendActivity(this.t(locale, 'plan.review.adjust'));
        return this.child(step, DialogIds.planSteps, { mode: 'edit', actionId: options.actionId } satisfies TinyStepsDialogOptions, then);
      case 'swap':
        await step.context.sendActivity(this.t(locale, 'plan.review.swapped'));
        return this.child(step, DialogIds.planSteps, { mode: 'choose' } satisfies TinyStepsDialogOptions, then);
    }
  }

  // ── The other step, then back to the plan ───────────────────────────────────────────────────

  private async askOther(step: WaterfallStepContext, options: OtherOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    const plan = loaded.ok ? loaded.plan : undefined;
    const other = plan ? activeActions(plan).find((action) => !options.reviewed.includes(action.id) && options.known.includes(action.id)) : undefined;
    if (!plan || !other) return this.end(step, options);
    (step.values as { otherId?: string }).otherId = other.id;
    return {
      text: this.t(locale, 'plan.review.askOther', { step: actionTitle(this.catalogue, locale, plan, other) }),
      buttons: [this.t(locale, 'plan.buttons.yes'), this.t(locale, 'plan.buttons.no')],
    };
  }

  private async answerOther(step: WaterfallStepContext, options: OtherOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const otherId = (step.values as { otherId?: string }).otherId;
    const answer = pick(input.said, [
      { value: 'yes' as const, titles: this.titles(locale, 'plan.buttons.yes', 'plan.words.yes') },
      { value: 'no' as const, titles: [...this.titles(locale, 'plan.buttons.no', 'plan.words.no'), ...this.laterTitles(locale)] },
    ]);
    if (answer === 'yes' && otherId) return step.replaceDialog(DialogIds.planReviewOutcome, { ...stateOf(options), actionId: otherId } satisfies OutcomeOptions);
    if (answer === 'no') return this.end(step, options);
    return undefined;
  }

  /** Back to the plan: shown here unless the plan itself opened the review (it shows itself again). */
  private async end(step: WaterfallStepContext, options: ReviewState): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const notices = (options.notices ?? []).map((notice) => this.say(locale, notice));
    if (options.showPlanAtEnd) {
      const loaded = await this.load(step.context);
      if (loaded.ok && loaded.plan) {
        if (notices.length) await step.context.sendActivity(notices.join('\n\n'));
        await step.context.sendActivity(markdown({ type: 'message', text: renderPlan(this.texts, this.catalogue, locale, loaded.plan, this.now()) }));
        return this.finish(step, 'plan.review.end');
      }
    }
    await step.context.sendActivity([...notices, this.t(locale, 'plan.review.endShort')].join('\n\n'));
    return step.endDialog({});
  }

  private laterTitles(locale: Locale): string[] {
    return [...this.titles(locale, 'plan.buttons.later', 'plan.words.later'), ...this.titles(locale, 'plan.buttons.done', 'plan.words.done')];
  }
}

/** The review's running state, without the per-question bits (misses, notices). */
function stateOf(options: ReviewState): ReviewState {
  return { showPlanAtEnd: options.showPlanAtEnd, reviewed: options.reviewed, known: options.known };
}
