import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { MeasuresRepository } from '../../bot/people/measuresRepository';
import type { ScheduleRepository } from '../../bot/people/scheduleRepository';
import { isSatisfactionDue, makeSatisfaction } from '../../core/measures/checkins';
import { addCheckinOutcome, addSatisfaction, commentSatisfaction, setCheckinMotivation, totalCheckins, type MeasuresRecord } from '../../core/measures/record';
import { clearPrompt, setLocale } from '../../core/measures/settings';
import { readConfidence } from '../../core/plan/confidence';
import { activeActions, addReview, decideReview, explainReview, findAction, isStepComplete, type Plan, type PlanAction, type ReviewOutcome } from '../../core/plan/plan';
import { cleanText, hasWords } from '../../core/plan/text';
import { DialogIds } from '../dialogIds';
import { answerText, BetweenDialogBase, type BetweenDialogResult } from '../measures/betweenDialogBase';
import type { PlanDialogDeps, PlanDialogResult } from '../plan/planDialogBase';
import { actionTitle } from '../plan/render';
import { TinyStepsDialog, type TinyStepsDialogOptions } from '../plan/tinyStepsDialog';

export interface CheckinDialogDeps extends PlanDialogDeps {
  readonly measures: MeasuresRepository;
  /** To note the person's language for reminders and that they answered the last one. */
  readonly schedule?: ScheduleRepository;
}

export interface CheckinDialogOptions {
  /** Opened from a reminder (a word of welcome first). */
  readonly fromReminder?: boolean;
}

interface StepOptions {
  /** When this check-in started: its id in the check-in log. */
  readonly at: string;
  /** The tiny steps to review, in order, and which one now. */
  readonly ids: readonly string[];
  readonly index: number;
}

type Decision = 'keep' | 'smaller' | 'another';
const OUTCOMES: readonly ReviewOutcome[] = ['worked', 'partly', 'didnt'];
const DECISIONS: readonly Decision[] = ['smaller', 'another', 'keep'];
const RULER = Array.from({ length: 11 }, (_, i) => String(i));

/**
 * "Faire le point" between sessions: for each tiny step in progress (0, 1 or 2), did you do it
 * (yes / partly / not this time)? Progress is celebrated; a setback is met with self-compassion (not
 * a failure, a chance to learn); what helped or got in the way (optional); then make the step
 * smaller, pick another mean, or keep it as it is. Then the motivation ruler (0–10) and, at
 * progress points (at most every two weeks), "is Petits pas helping you?". No step yet → an offer
 * to choose one. Reviews go to the plan (core/plan); motivation and satisfaction to the measures.
 */
export class CheckinDialog extends BetweenDialogBase {
  private readonly now: () => Date;

  constructor(private readonly deps: CheckinDialogDeps) {
    super(DialogIds.checkin, deps.texts);
    this.now = deps.now ?? (() => new Date());
    this.addDialog(new TinyStepsDialog(deps));
    this.addDialog(new WaterfallDialog(DialogIds.checkinEntry, [(s) => this.entry(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.checkinNoStep, [(s) => this.askNoStep(s), (s) => this.readNoStep(s), (s) => this.afterChoosing(s)]));
    this.addDialog(
      new WaterfallDialog(DialogIds.checkinStep, [
        (s) => this.askOutcome(s),
        (s) => this.readOutcome(s),
        (s) => this.readWhy(s),
        (s) => this.readDecision(s),
        (s) => this.afterAdjusting(s),
      ]),
    );
    this.addDialog(new WaterfallDialog(DialogIds.checkinMotivation, [(s) => this.askMotivation(s), (s) => this.readMotivation(s)]));
    this.addDialog(new WaterfallDialog(DialogIds.checkinSatisfaction, [(s) => this.askSatisfaction(s), (s) => this.readSatisfaction(s), (s) => this.readComment(s)]));
    this.acceptor('outcome', (context, text) => this.readOutcomeText(context, text) !== undefined || this.matches(text, this.laterWords(context)));
    this.acceptor('decision', (context, text) => this.readDecisionText(context, text) !== undefined);
    this.acceptor('ruler', (context, text) => readConfidence(text) !== undefined || this.matches(text, this.skipWords(context)));
    this.initialDialogId = DialogIds.checkinEntry;
  }

  // ── Storage, never throwing at the person ───────────────────────────────────────────────────

  private key(context: TurnContext): string {
    return this.deps.personKeyOf(context);
  }

  private async loadPlan(context: TurnContext): Promise<Plan | undefined | null> {
    try {
      return (await this.deps.plans.load(this.key(context)))?.plan;
    } catch {
      return null;
    }
  }

  private async changePlan(context: TurnContext, change: (plan: Plan) => Plan): Promise<boolean> {
    try {
      await this.deps.plans.update(this.key(context), change);
      return true;
    } catch {
      return false;
    }
  }

  private async changeMeasures(context: TurnContext, change: (record: MeasuresRecord) => MeasuresRecord): Promise<boolean> {
    try {
      await this.deps.measures.update(this.key(context), change);
      return true;
    } catch {
      return false;
    }
  }

  private async notePresence(context: TurnContext): Promise<void> {
    if (!this.deps.schedule) return;
    const locale = this.locale(context);
    const now = this.now();
    try {
      const current = await this.deps.schedule.load(this.key(context));
      if (current && (current.locale !== locale || current.lastPrompt)) {
        await this.deps.schedule.update(this.key(context), (settings) => clearPrompt(setLocale(settings, locale, now), now));
      }
    } catch {
      // Best effort.
    }
  }

  // ── Where to start ──────────────────────────────────────────────────────────────────────────

  private async entry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as CheckinDialogOptions;
    await this.notePresence(step.context);
    const plan = await this.loadPlan(step.context);
    if (plan === null) {
      await this.say(step.context, this.t(step.context, 'checkin.errors.loadFailed'));
      return step.endDialog({ later: true } satisfies BetweenDialogResult);
    }
    const ready = plan ? activeActions(plan).filter((action) => isStepComplete(action.step)) : [];
    if (!ready.length) return step.replaceDialog(DialogIds.checkinNoStep, { unfinished: Boolean(plan && activeActions(plan).length) });
    if (options.fromReminder) await this.say(step.context, this.t(step.context, 'checkin.welcome'));
    return step.replaceDialog(DialogIds.checkinStep, { at: this.now().toISOString(), ids: ready.map((action) => action.id), index: 0 } satisfies StepOptions);
  }

  // ── No tiny step yet ────────────────────────────────────────────────────────────────────────

  private noStepTitles(context: TurnContext): string[] {
    return [this.t(context, 'checkin.buttons.choose'), this.t(context, 'measures.common.later')];
  }

  private async askNoStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const unfinished = (step.options as { unfinished?: boolean } | undefined)?.unfinished;
    return this.ask(step, this.t(step.context, unfinished ? 'checkin.unfinished' : 'checkin.noStep'), this.noStepTitles(step.context), 'yesNoLater');
  }

  private async readNoStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    if (this.matches(said, [this.noStepTitles(step.context)[0], ...this.words(step.context, 'measures.common.yesWords')])) {
      return step.beginDialog(DialogIds.planSteps, {} satisfies TinyStepsDialogOptions);
    }
    await this.say(step.context, this.t(step.context, 'checkin.later'));
    return step.endDialog({ later: true } satisfies BetweenDialogResult);
  }

  private async afterChoosing(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // The tiny-steps dialog has said its own last word.
    return step.endDialog({ toMenu: (step.result as PlanDialogResult | undefined)?.toMenu } satisfies PlanDialogResult);
  }

  // ── One tiny step: how did it go? ───────────────────────────────────────────────────────────

  private outcomeTitles(context: TurnContext): string[] {
    return OUTCOMES.map((outcome) => this.t(context, `checkin.buttons.${outcome}`));
  }

  private readOutcomeText(context: TurnContext, said: string): ReviewOutcome | undefined {
    return this.pick(
      said,
      OUTCOMES.map((outcome) => ({ value: outcome, titles: [this.t(context, `checkin.buttons.${outcome}`), ...this.words(context, `checkin.words.${outcome}`)] })),
    );
  }

  private async currentAction(step: WaterfallStepContext): Promise<{ plan: Plan; action: PlanAction } | undefined> {
    const options = step.options as StepOptions;
    const plan = await this.loadPlan(step.context);
    const action = plan ? findAction(plan, options.ids[options.index]) : undefined;
    return plan && action && action.status === 'active' ? { plan, action } : undefined;
  }

  private async askOutcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const found = await this.currentAction(step);
    if (!found) return this.nextStep(step);
    const title = actionTitle(this.deps.catalogue, this.locale(step.context), found.plan, found.action);
    return this.ask(step, this.t(step.context, 'checkin.ask', { step: title }), this.outcomeTitles(step.context), 'outcome');
  }

  private async readOutcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as StepOptions;
    const said = answerText(step.result);
    const outcome = this.readOutcomeText(step.context, said);
    if (!outcome) {
      await this.say(step.context, this.t(step.context, 'checkin.later'));
      return step.endDialog({ later: true } satisfies BetweenDialogResult);
    }
    const now = this.now();
    const actionId = options.ids[options.index];
    const saved = await this.changePlan(step.context, (plan) => addReview(plan, actionId, { outcome }, now).plan);
    await this.changeMeasures(step.context, (record) => addCheckinOutcome(record, options.at, outcome, now));
    (step.values as { outcome?: ReviewOutcome }).outcome = outcome;
    const seed = Math.floor(now.getTime() / 60_000);
    const reply = this.variant(step.context, `checkin.reply.${outcome}`, seed);
    const parts = [saved ? reply : this.t(step.context, 'checkin.errors.saveFailed'), this.t(step.context, `checkin.why.${outcome}`)];
    const skip = this.t(step.context, 'checkin.buttons.skip');
    return this.ask(step, parts.join('\n\n'), [skip], 'words');
  }

  private async readWhy(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as StepOptions;
    const outcome = (step.values as { outcome: ReviewOutcome }).outcome;
    const said = answerText(step.result);
    const skipped = !hasWords(said) || this.matches(said, [this.t(step.context, 'checkin.buttons.skip'), ...this.words(step.context, 'checkin.words.skip')]);
    const notice: string[] = [];
    if (!skipped && cleanText(said)) {
      const saved = await this.changePlan(step.context, (plan) => explainReview(plan, options.ids[options.index], said, this.now()).plan);
      notice.push(this.t(step.context, saved ? 'checkin.whyThanks' : 'checkin.errors.saveFailed'));
    }
    if (outcome === 'worked') {
      // It worked: the step stays as it is (it can always be changed in "Mon plan").
      await this.changePlan(step.context, (plan) => decideReview(plan, options.ids[options.index], 'keep', this.now()).plan);
      if (notice.length) await this.say(step.context, notice.join('\n\n'));
      return this.nextStep(step);
    }
    notice.push(this.t(step.context, 'checkin.decide'));
    return this.ask(step, notice.join('\n\n'), this.decisionTitles(step.context), 'decision');
  }

  private decisionTitles(context: TurnContext): string[] {
    return DECISIONS.map((decision) => this.t(context, `checkin.buttons.${decision}`));
  }

  private readDecisionText(context: TurnContext, said: string): Decision | undefined {
    return this.pick(said, DECISIONS.map((decision) => ({ value: decision, titles: [this.t(context, `checkin.buttons.${decision}`), ...this.words(context, `checkin.words.${decision}`)] })));
  }

  private async readDecision(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as StepOptions;
    const actionId = options.ids[options.index];
    const decision = this.readDecisionText(step.context, answerText(step.result)) ?? 'keep';
    const now = this.now();
    switch (decision) {
      case 'keep':
        await this.changePlan(step.context, (plan) => decideReview(plan, actionId, 'keep', now).plan);
        await this.say(step.context, this.t(step.context, 'checkin.kept'));
        return this.nextStep(step);
      case 'smaller':
        await this.changePlan(step.context, (plan) => decideReview(plan, actionId, 'adjust', now).plan);
        await this.say(step.context, this.t(step.context, 'checkin.smaller'));
        return step.beginDialog(DialogIds.planSteps, { mode: 'edit', actionId } satisfies TinyStepsDialogOptions);
      case 'another':
        await this.changePlan(step.context, (plan) => decideReview(plan, actionId, 'swap', now).plan);
        await this.say(step.context, this.t(step.context, 'checkin.another'));
        return step.beginDialog(DialogIds.planSteps, { mode: 'choose' } satisfies TinyStepsDialogOptions);
    }
  }

  private async afterAdjusting(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as PlanDialogResult | undefined)?.toMenu) return step.endDialog({ toMenu: true } satisfies PlanDialogResult);
    return this.nextStep(step);
  }

  /** The other tiny step, else the motivation ruler. */
  private async nextStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as StepOptions;
    if (options.index + 1 < options.ids.length) return step.replaceDialog(DialogIds.checkinStep, { ...options, index: options.index + 1 } satisfies StepOptions);
    return step.replaceDialog(DialogIds.checkinMotivation, { at: options.at });
  }

  // ── Motivation, 0 to 10 ─────────────────────────────────────────────────────────────────────

  private async askMotivation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, this.t(step.context, 'checkin.motivation.ask'), RULER, 'ruler');
  }

  private skipWords(context: TurnContext): string[] {
    return [this.t(context, 'checkin.buttons.skip'), ...this.words(context, 'checkin.words.skip'), ...this.laterWords(context)];
  }

  private async readMotivation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { at } = step.options as { at: string };
    const value = readConfidence(answerText(step.result));
    let record: MeasuresRecord | undefined;
    if (value !== undefined) {
      const level = value <= 3 ? 'low' : value <= 6 ? 'mid' : 'high';
      await this.say(step.context, this.t(step.context, `checkin.motivation.${level}`, { value }));
      try {
        record = await this.deps.measures.update(this.key(step.context), (current) => setCheckinMotivation(current, at, value, this.now()));
      } catch {
        record = undefined;
      }
    } else {
      try {
        record = await this.deps.measures.load(this.key(step.context));
      } catch {
        record = undefined;
      }
    }
    if (record && isSatisfactionDue(record.satisfaction, totalCheckins(record), this.now())) return step.replaceDialog(DialogIds.checkinSatisfaction);
    await this.say(step.context, this.t(step.context, 'checkin.end'));
    return step.endDialog({} satisfies BetweenDialogResult);
  }

  // ── Is Petits pas helping? ──────────────────────────────────────────────────────────────────

  private async askSatisfaction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const titles = [...RULER, this.t(step.context, 'checkin.buttons.skip')];
    return this.ask(step, this.t(step.context, 'checkin.satisfaction.ask'), titles, 'ruler');
  }

  private async readSatisfaction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const value = readConfidence(answerText(step.result));
    if (value === undefined) {
      await this.say(step.context, this.t(step.context, 'checkin.end'));
      return step.endDialog({} satisfies BetweenDialogResult);
    }
    await this.changeMeasures(step.context, (record) => addSatisfaction(record, makeSatisfaction(value, undefined, this.now()), this.now()));
    return this.ask(step, this.t(step.context, 'checkin.satisfaction.comment'), [this.t(step.context, 'checkin.buttons.skip')], 'words');
  }

  private async readComment(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = answerText(step.result);
    const skipped = !hasWords(said) || this.matches(said, this.skipWords(step.context));
    const comment = skipped ? undefined : makeSatisfaction(0, said, this.now()).comment;
    if (comment) await this.changeMeasures(step.context, (record) => commentSatisfaction(record, comment, this.now()));
    await this.say(step.context, [this.t(step.context, comment ? 'checkin.satisfaction.thanks' : 'checkin.satisfaction.thanksShort'), this.t(step.context, 'checkin.end')].join('\n\n'));
    return step.endDialog({} satisfies BetweenDialogResult);
  }
}
