import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts } from '../../content/texts';
import type { Locale } from '../../core/i18n/locale';
import { ORIENTATIONS, SATISFACTION_LEVELS, chooseOrientation, recordSatisfaction, type Orientation, type Plan, type SatisfactionLevel } from '../../core/plan/plan';
import { ProgrammeStages, programmeStatus, weekOf, type ProgrammeStage, type ProgrammeStatus } from '../../core/plan/programme';
import { DialogIds } from '../dialogIds';
import { MyMeansDialog } from './myMeansDialog';
import { MyPlanDialog } from './myPlanDialog';
import { PlanDialogBase, markdown, pick, type Choice, type PlanDialogDeps, type Prompt, type QuestionOptions, type TextInput } from './planDialogBase';
import { renderJourney } from './render';
import { ReviewDialog } from './reviewDialog';
import { TinyStepsDialog } from './tinyStepsDialog';

type StartOptions = QuestionOptions;

interface StageOptions extends QuestionOptions {
  /** Stage 3, once the satisfaction question has been answered this week. */
  readonly afterSatisfaction?: boolean;
}

type SatisfactionOptions = QuestionOptions;
type FinalOptions = QuestionOptions;
type DoneOptions = QuestionOptions;

type StageAction = 'means' | 'steps' | 'plan' | 'review' | 'later';

const STAGE_NAMES: Readonly<Record<ProgrammeStage, 'assess' | 'support' | 'measure' | 'finalReview'>> = {
  1: 'assess',
  2: 'support',
  3: 'measure',
  4: 'finalReview',
};

/**
 * "Faire le point" on the programme: the week counter and a prompt fit for the stage (1 assess and
 * set goals, 2 support, 3 measure progress and satisfaction, 4 final review). At the end (8 weeks
 * by default, up to 10) a final review: the journey so far, every step counted, then what next —
 * continue alone, a group, talk to my clinician, or other services (Info-Social 811, option 2).
 */
export class ProgrammeDialog extends PlanDialogBase {
  constructor(deps: PlanDialogDeps) {
    super(DialogIds.planProgramme, deps);
    this.addDialog(new MyMeansDialog(deps));
    this.addDialog(new TinyStepsDialog(deps));
    this.addDialog(new ReviewDialog(deps));
    this.addDialog(new MyPlanDialog(deps));
    this.addRoute(DialogIds.planProgrammeEntry, (s) => this.entry(s));
    this.addQuestion<StartOptions>(DialogIds.planProgrammeStart, async (_s, _o, l) => this.askStart(l), (s, o, i, l) => this.answerStart(s, o, i, l));
    this.addQuestion<StageOptions>(DialogIds.planProgrammeStage, (s, o, l) => this.askStage(s, o, l), (s, o, i, l) => this.answerStage(s, o, i, l));
    this.addQuestion<SatisfactionOptions>(DialogIds.planProgrammeSatisfaction, (s, o, l) => this.askSatisfaction(s, o, l), (s, o, i, l) => this.answerSatisfaction(s, o, i, l));
    this.addQuestion<FinalOptions>(DialogIds.planProgrammeFinal, (s, o, l) => this.askFinal(s, o, l), (s, o, i, l) => this.answerFinal(s, o, i, l));
    this.addQuestion<DoneOptions>(DialogIds.planProgrammeDone, (s, o, l) => this.askDone(s, o, l), (s, o, i, l) => this.answerDone(s, o, i, l));
    this.initialDialogId = DialogIds.planProgrammeEntry;
  }

  private async entry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok) return this.finish(step, 'plan.errors.loadFailed');
    const plan = loaded.plan;
    if (!plan) return step.replaceDialog(DialogIds.planProgrammeStart, {} satisfies StartOptions);
    const status = programmeStatus(plan.programme, this.now());
    if (status.stage === ProgrammeStages.finalReview) {
      return step.replaceDialog(status.finalReviewDone ? DialogIds.planProgrammeDone : DialogIds.planProgrammeFinal, {});
    }
    if (status.stage === ProgrammeStages.measure && !this.answeredThisWeek(plan, status)) {
      return step.replaceDialog(DialogIds.planProgrammeSatisfaction, {} satisfies SatisfactionOptions);
    }
    return step.replaceDialog(DialogIds.planProgrammeStage, { afterSatisfaction: status.stage === ProgrammeStages.measure } satisfies StageOptions);
  }

  private answeredThisWeek(plan: Plan, status: ProgrammeStatus): boolean {
    const last = plan.programme.satisfaction[plan.programme.satisfaction.length - 1];
    return Boolean(last) && weekOf(plan.programme.startedAt, new Date(last.at)) === status.week;
  }

  // ── Not started ─────────────────────────────────────────────────────────────────────────────

  private askStart(locale: Locale): Prompt {
    return { text: this.t(locale, 'plan.programme.noPlan'), buttons: [this.t(locale, 'plan.mine.buttons.start'), this.t(locale, 'plan.buttons.later')] };
  }

  private async answerStart(step: WaterfallStepContext, _options: StartOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.titles(locale, 'plan.mine.buttons.start', 'plan.words.yes') }])) return this.child(step, DialogIds.planMeans, {});
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.programme.later');
    return undefined;
  }

  // ── Stages 1 to 3 ───────────────────────────────────────────────────────────────────────────

  private async header(step: WaterfallStepContext, locale: Locale): Promise<{ status: ProgrammeStatus; text: string } | undefined> {
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return undefined;
    const status = programmeStatus(loaded.plan.programme, this.now());
    return { status, text: `**${this.t(locale, 'plan.programme.header', { week: Math.min(status.week, status.totalWeeks), total: status.totalWeeks })}**` };
  }

  private stageChoices(locale: Locale, stage: ProgrammeStage): Choice<StageAction>[] {
    const choice = (value: StageAction, key: string, words: string): Choice<StageAction> => ({ value, titles: this.titles(locale, key, words) });
    const means = choice('means', 'plan.programme.buttons.means', 'plan.words.addMean');
    const steps = choice('steps', 'plan.programme.buttons.steps', 'plan.words.steps');
    const plan = choice('plan', 'plan.programme.buttons.plan', 'plan.words.plan');
    const review = choice('review', 'plan.programme.buttons.review', 'plan.words.review');
    const later: Choice<StageAction> = { value: 'later', titles: this.laterTitles(locale) };
    if (stage === ProgrammeStages.assess) return [means, steps, plan, later];
    if (stage === ProgrammeStages.support) return [review, steps, plan, later];
    return [review, plan, later];
  }

  private async askStage(step: WaterfallStepContext, options: StageOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const header = await this.header(step, locale);
    if (!header) return this.finish(step, 'plan.errors.loadFailed');
    const stage = Math.min(header.status.stage, ProgrammeStages.measure) as ProgrammeStage;
    const key = stage === ProgrammeStages.measure && options.afterSatisfaction ? 'plan.programme.stage.measureNext' : `plan.programme.stage.${STAGE_NAMES[stage]}`;
    (step.values as { stage?: ProgrammeStage }).stage = stage;
    return { text: `${header.text}\n\n${this.t(locale, key)}`, buttons: this.stageChoices(locale, stage).map((choice) => choice.titles[0]) };
  }

  private async answerStage(step: WaterfallStepContext, _options: StageOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const stage = (step.values as { stage?: ProgrammeStage }).stage ?? ProgrammeStages.support;
    switch (pick(input.said, this.stageChoices(locale, stage), false, true)) {
      case 'means':
        return this.child(step, DialogIds.planMeans, {});
      case 'steps':
        return this.child(step, DialogIds.planSteps, {});
      case 'plan':
        return this.child(step, DialogIds.planMine, {});
      case 'review':
        return this.child(step, DialogIds.planReview, {});
      case 'later':
        return this.finish(step, 'plan.programme.later');
      default:
        return undefined;
    }
  }

  // ── Stage 3: how satisfied so far ───────────────────────────────────────────────────────────

  private async askSatisfaction(step: WaterfallStepContext, _options: SatisfactionOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const header = await this.header(step, locale);
    if (!header) return this.finish(step, 'plan.errors.loadFailed');
    return {
      text: `${header.text}\n\n${this.t(locale, 'plan.programme.stage.measure')}`,
      buttons: [...SATISFACTION_LEVELS.map((level) => this.t(locale, `plan.programme.satisfaction.${level}`)), this.t(locale, 'plan.buttons.later')],
    };
  }

  private async answerSatisfaction(step: WaterfallStepContext, _options: SatisfactionOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.programme.later');
    const level = pick<SatisfactionLevel>(
      input.said,
      SATISFACTION_LEVELS.map((value) => ({ value, titles: this.titles(locale, `plan.programme.satisfaction.${value}`, `plan.programme.satisfactionWords.${value}`) })),
      true,
      true,
    );
    if (!level) return undefined;
    const saved = await this.change(step.context, (plan) => recordSatisfaction(plan, level, this.now()));
    const notices = saved.ok ? [{ key: `plan.programme.satisfactionReply.${level}` }, { key: 'plan.programme.measures' }] : [{ key: 'plan.errors.saveFailed' }];
    return step.replaceDialog(DialogIds.planProgrammeStage, { afterSatisfaction: true, notices } satisfies StageOptions);
  }

  // ── Stage 4: the final review ───────────────────────────────────────────────────────────────

  private async askFinal(step: WaterfallStepContext, options: FinalOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return this.finish(step, 'plan.errors.loadFailed');
    const before = options.misses ? [] : [markdown({ type: 'message', text: renderJourney(this.texts, locale, loaded.plan, this.now()) })];
    return {
      text: this.t(locale, 'plan.programme.final.askOrientation'),
      buttons: [...ORIENTATIONS.map((orientation) => this.t(locale, `plan.programme.orientations.${orientation}`)), this.t(locale, 'plan.buttons.later')],
      before,
    };
  }

  private async answerFinal(step: WaterfallStepContext, _options: FinalOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    if (pick(input.said, [{ value: true, titles: this.laterTitles(locale) }])) return this.finish(step, 'plan.programme.later');
    const orientation = pick<Orientation>(
      input.said,
      ORIENTATIONS.map((value) => ({ value, titles: this.titles(locale, `plan.programme.orientations.${value}`, `plan.programme.orientationWords.${value}`) })),
      true,
      true,
    );
    if (!orientation) return undefined;
    const saved = await this.change(step.context, (plan) => chooseOrientation(plan, orientation, this.now()));
    await step.context.sendActivity(orientationReply(this.texts, locale, orientation));
    return this.finish(step, saved.ok ? 'plan.programme.final.thanks' : 'plan.errors.saveFailed');
  }

  // ── After the final review ──────────────────────────────────────────────────────────────────

  private async askDone(step: WaterfallStepContext, _options: DoneOptions, locale: Locale): Promise<Prompt | DialogTurnResult> {
    const loaded = await this.load(step.context);
    if (!loaded.ok || !loaded.plan) return this.finish(step, 'plan.errors.loadFailed');
    const orientation = loaded.plan.programme.orientation;
    const choice = orientation ? this.t(locale, `plan.programme.orientations.${orientation}`) : '';
    return {
      text: this.t(locale, 'plan.programme.done', { total: loaded.plan.programme.totalWeeks, choice }),
      buttons: [this.t(locale, 'plan.programme.buttons.plan'), this.t(locale, 'plan.programme.buttons.revisit'), this.t(locale, 'plan.buttons.done')],
    };
  }

  private async answerDone(step: WaterfallStepContext, _options: DoneOptions, input: TextInput, locale: Locale): Promise<DialogTurnResult | undefined> {
    const answer = pick(input.said, [
      { value: 'plan' as const, titles: this.titles(locale, 'plan.programme.buttons.plan', 'plan.words.plan') },
      { value: 'revisit' as const, titles: this.titles(locale, 'plan.programme.buttons.revisit', 'plan.words.revisit') },
      { value: 'done' as const, titles: this.laterTitles(locale) },
    ]);
    if (answer === 'plan') return this.child(step, DialogIds.planMine, {});
    if (answer === 'revisit') return step.replaceDialog(DialogIds.planProgrammeFinal, {} satisfies FinalOptions);
    if (answer === 'done') return this.finish(step, 'plan.programme.later');
    return undefined;
  }

  private laterTitles(locale: Locale): string[] {
    return [...this.titles(locale, 'plan.buttons.later', 'plan.words.later'), ...this.titles(locale, 'plan.buttons.done', 'plan.words.done')];
  }
}

/** What each orientation means in practice; other services point to Info-Social from the crisis resources. */
export function orientationReply(texts: Texts, locale: Locale, orientation: Orientation): string {
  if (orientation !== 'services') return texts.t(locale, `plan.programme.final.replies.${orientation}`);
  const infoSocial = texts.crisisResources(locale).resources.find((resource) => resource.id === 'info-social');
  return texts.t(locale, 'plan.programme.final.replies.services', {
    name: infoSocial?.name ?? 'Info-Social',
    contact: infoSocial?.contact ?? '811, option 2',
  });
}
