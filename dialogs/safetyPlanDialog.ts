import { ActivityTypes, TextFormatTypes, type Activity, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { TextVars, Texts } from '../content/texts';
import { simplify } from '../core/conversation/globalCommands';
import type { Locale } from '../core/i18n/locale';
import {
  MAX_ITEM_LENGTH,
  MAX_ITEMS_PER_STEP,
  SAFETY_PLAN_STEP_IDS,
  SafetyPlanSteps,
  addItem,
  emptySafetyPlan,
  formatSafetyPlan,
  hasWords,
  isEmpty,
  itemKey,
  prepareItem,
  removeItem,
  type AddItemResult,
  type SafetyPlan,
  type SafetyPlanStepId,
} from '../core/safetyPlan/safetyPlan';
import type { SafetyPlanRepository } from '../core/ports/safetyPlanRepository';
import { DialogIds } from './dialogIds';
import { withButtons } from './replies';
import { turnLocale } from './turnLocale';

export type SafetyPlanDialogMode = 'view' | 'edit';

export interface SafetyPlanDialogOptions {
  /** 'view' (default) shows the plan and offers to edit it (or to build it when empty); 'edit' walks the steps. */
  readonly mode?: SafetyPlanDialogMode;
  /** Edit mode only: the step to start at (default: the first). */
  readonly step?: SafetyPlanStepId;
}

/** Whose plan this turn is about: the caller decides (pseudonymous person id). */
export type PersonKeyOf = (context: TurnContext) => string;

export interface SafetyPlanDialogSettings {
  readonly now?: () => Date;
}

/** Something the person wrote that could not be saved yet (store down); retried on the next save. */
interface PendingItem {
  readonly stepId: SafetyPlanStepId;
  readonly text: string;
}

interface Notice {
  readonly key: string;
  readonly vars?: TextVars;
}

/** How a step's message ends: the full explanation, a short "anything else?", a re-prompt hint, or the notices alone. */
type StepForm = 'enter' | 'more' | 'reprompt' | 'quiet';

interface StepOptions {
  readonly index: number;
  readonly form: StepForm;
  readonly notices?: readonly Notice[];
  readonly pending?: readonly PendingItem[];
}

interface RemoveOptions {
  readonly index: number;
  readonly pending?: readonly PendingItem[];
  readonly reprompt?: boolean;
}

interface ViewOptions {
  readonly reprompt?: boolean;
  readonly empty?: boolean;
}

type Loaded = { readonly ok: true; readonly plan: SafetyPlan | undefined } | { readonly ok: false };
type Changed = { readonly ok: true; readonly plan: SafetyPlan } | { readonly ok: false };

const TOTAL_STEPS = SAFETY_PLAN_STEP_IDS.length;

/**
 * The personal safety plan (Stanley & Brown), built with the person one step at a time and shown
 * whenever they ask. Every added or removed item is saved at once (load → change → save with the
 * ETag), so a person who stops midway — "annuler", a closed window — keeps everything so far.
 * Only positions and not-yet-saved items (store down) live in dialog state; the plan itself
 * lives in the repository.
 */
export class SafetyPlanDialog extends ComponentDialog {
  private readonly now: () => Date;

  constructor(
    private readonly texts: Texts,
    private readonly repository: SafetyPlanRepository,
    private readonly personKey: PersonKeyOf,
    settings: SafetyPlanDialogSettings = {},
  ) {
    super(DialogIds.safetyPlan);
    this.now = settings.now ?? (() => new Date());
    this.addDialog(new WaterfallDialog(DialogIds.safetyPlanEntry, [this.entry.bind(this)]));
    this.addDialog(new WaterfallDialog(DialogIds.safetyPlanView, [this.showView.bind(this), this.routeView.bind(this)]));
    this.addDialog(new WaterfallDialog(DialogIds.safetyPlanEdit, [this.beginEdit.bind(this)]));
    this.addDialog(new WaterfallDialog(DialogIds.safetyPlanStep, [this.promptStep.bind(this), this.handleStep.bind(this)]));
    this.addDialog(new WaterfallDialog(DialogIds.safetyPlanRemove, [this.promptRemove.bind(this), this.handleRemove.bind(this)]));
    this.initialDialogId = DialogIds.safetyPlanEntry;
  }

  /** Typing indicators, reactions and other non-message activities leave the conversation where it is. */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    return super.continueDialog(dc);
  }

  // ── Entry ────────────────────────────────────────────────────────────────────────────────────

  private async entry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as SafetyPlanDialogOptions;
    if (options.mode === 'edit') return step.replaceDialog(DialogIds.safetyPlanEdit, options);
    return step.replaceDialog(DialogIds.safetyPlanView, {} satisfies ViewOptions);
  }

  // ── View ─────────────────────────────────────────────────────────────────────────────────────

  private async showView(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = (step.options ?? {}) as ViewOptions;
    if (options.reprompt) {
      viewValues(step).empty = options.empty === true;
      await step.context.sendActivity(withButtons(this.t(locale, 'safetyPlan.reprompt.choose'), this.viewButtons(locale, options.empty === true)));
      return Dialog.EndOfTurn;
    }
    const loaded = await this.load(step.context);
    if (!loaded.ok) {
      await step.context.sendActivity(this.t(locale, 'safetyPlan.errors.loadFailed'));
      return step.endDialog();
    }
    const empty = isEmpty(loaded.plan);
    viewValues(step).empty = empty;
    if (empty) {
      await step.context.sendActivity(withButtons(this.t(locale, 'safetyPlan.view.empty'), this.viewButtons(locale, true)));
    } else {
      await step.context.sendActivity(renderSafetyPlan(this.texts, locale, loaded.plan));
      await step.context.sendActivity(withButtons(this.t(locale, 'safetyPlan.view.askEdit'), this.viewButtons(locale, false)));
    }
    return Dialog.EndOfTurn;
  }

  private async routeView(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const empty = viewValues(step).empty === true;
    const said = simplify(step.context.activity.text ?? '');
    const yes = [this.t(locale, 'safetyPlan.buttons.start'), this.t(locale, 'safetyPlan.buttons.edit'), ...this.words(locale, 'safetyPlan.words.yes')];
    const no = [this.t(locale, 'safetyPlan.buttons.later'), this.t(locale, 'safetyPlan.buttons.close'), ...this.words(locale, 'safetyPlan.words.no')];
    if (said && yes.map(simplify).includes(said)) return step.replaceDialog(DialogIds.safetyPlanEdit, { mode: 'edit' } satisfies SafetyPlanDialogOptions);
    if (said && no.map(simplify).includes(said)) {
      await step.context.sendActivity(this.t(locale, empty ? 'safetyPlan.view.notNow' : 'safetyPlan.view.closed'));
      return step.endDialog();
    }
    return step.replaceDialog(DialogIds.safetyPlanView, { reprompt: true, empty } satisfies ViewOptions);
  }

  private viewButtons(locale: Locale, empty: boolean): string[] {
    return empty
      ? [this.t(locale, 'safetyPlan.buttons.start'), this.t(locale, 'safetyPlan.buttons.later')]
      : [this.t(locale, 'safetyPlan.buttons.edit'), this.t(locale, 'safetyPlan.buttons.close')];
  }

  // ── Edit: intro, then one step at a time ─────────────────────────────────────────────────────

  private async beginEdit(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = (step.options ?? {}) as SafetyPlanDialogOptions;
    const loaded = await this.load(step.context);
    if (!loaded.ok) {
      await step.context.sendActivity(this.t(locale, 'safetyPlan.errors.loadFailed'));
      return step.endDialog();
    }
    await step.context.sendActivity(this.t(locale, isEmpty(loaded.plan) ? 'safetyPlan.intro.new' : 'safetyPlan.intro.existing'));
    const index = options.step ? Math.max(0, SAFETY_PLAN_STEP_IDS.indexOf(options.step)) : 0;
    return step.replaceDialog(DialogIds.safetyPlanStep, { index, form: 'enter' } satisfies StepOptions);
  }

  private async promptStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = step.options as StepOptions;
    const stepId = SAFETY_PLAN_STEP_IDS[options.index];
    // Reading is best effort here: when the store is down the step is still asked, without the list.
    const loaded = await this.load(step.context);
    const pendingHere = (options.pending ?? []).filter((p) => p.stepId === stepId).map((p) => p.text);
    const items = [...(loaded.ok && loaded.plan ? loaded.plan.steps[stepId] : []), ...pendingHere];
    const done = this.t(locale, 'safetyPlan.buttons.done');

    const parts = (options.notices ?? []).map((notice) => this.t(locale, notice.key, notice.vars));
    if (options.form === 'enter') {
      parts.push(`**${this.t(locale, 'safetyPlan.step.header', { number: options.index + 1, total: TOTAL_STEPS, title: this.stepText(locale, stepId, 'title') })}**`);
      if (stepId === SafetyPlanSteps.professionals) {
        parts.push([this.t(locale, 'safetyPlan.steps.professionals.alwaysThere'), ...crisisLines(this.texts, locale).map(bullet)].join('\n'));
      }
      parts.push(`${this.stepText(locale, stepId, 'explain')}\n${this.stepText(locale, stepId, 'example')}`);
      if (items.length) parts.push([this.t(locale, 'safetyPlan.step.already'), ...items.map(bullet)].join('\n'));
      parts.push(this.t(locale, items.length ? 'safetyPlan.step.askWithItems' : 'safetyPlan.step.ask', { done }));
    } else if (options.form === 'more') {
      parts.push(this.t(locale, 'safetyPlan.step.askMore', { done }));
    } else if (options.form === 'reprompt') {
      parts.push(this.t(locale, 'safetyPlan.reprompt.hint'));
    }

    const buttons = [done, this.t(locale, 'safetyPlan.buttons.skip')];
    if (items.length) buttons.push(this.t(locale, 'safetyPlan.buttons.remove'));
    await step.context.sendActivity(markdown(withButtons(parts.join('\n\n'), buttons)));
    return Dialog.EndOfTurn;
  }

  private async handleStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = step.options as StepOptions;
    const stepId = SAFETY_PLAN_STEP_IDS[options.index];
    const pending = options.pending ?? [];
    const again = (form: StepForm, notices: Notice[], nextPending: readonly PendingItem[] = pending) =>
      step.replaceDialog(DialogIds.safetyPlanStep, { index: options.index, form, notices, pending: nextPending } satisfies StepOptions);

    const activity = step.context.activity;
    const text = (activity.text ?? '').trim();
    if (!text) {
      return again('reprompt', [{ key: activity.attachments?.length ? 'safetyPlan.reprompt.notText' : 'safetyPlan.reprompt.empty' }]);
    }
    const said = simplify(text);
    const next = [this.t(locale, 'safetyPlan.buttons.done'), this.t(locale, 'safetyPlan.buttons.skip'), ...this.words(locale, 'safetyPlan.words.next')];
    if (next.map(simplify).includes(said)) return this.nextStep(step, options.index, pending);
    if (said === simplify(this.t(locale, 'safetyPlan.buttons.remove'))) {
      return step.replaceDialog(DialogIds.safetyPlanRemove, { index: options.index, pending } satisfies RemoveOptions);
    }
    if (this.words(locale, 'safetyPlan.words.yes').map(simplify).includes(said)) return again('quiet', [{ key: 'safetyPlan.step.goAhead' }]);
    if (!hasWords(text)) return again('reprompt', [{ key: 'safetyPlan.reprompt.noWords' }]);

    let result: AddItemResult | undefined;
    const saved = await this.change(step.context, pending, (plan) => {
      result = addItem(plan, stepId, text, this.now());
      return result.plan;
    });
    if (!saved.ok || !result) {
      return again('more', [{ key: 'safetyPlan.errors.saveFailed' }], [...pending, { stepId, text: prepareItem(text)?.text ?? text }]);
    }
    const notices: Notice[] = [];
    switch (result.outcome) {
      case 'added':
        notices.push({ key: 'safetyPlan.step.added', vars: { item: result.item } });
        if (result.truncated) notices.push({ key: 'safetyPlan.step.cut', vars: { limit: MAX_ITEM_LENGTH } });
        break;
      case 'duplicate':
        notices.push({ key: 'safetyPlan.step.duplicate', vars: { item: result.item } });
        break;
      case 'full':
        notices.push({ key: 'safetyPlan.step.full', vars: { max: MAX_ITEMS_PER_STEP } });
        break;
      case 'empty':
        return again('reprompt', [{ key: 'safetyPlan.reprompt.noWords' }], []);
    }
    return again('more', notices, []);
  }

  private async nextStep(step: WaterfallStepContext, index: number, pending: readonly PendingItem[]): Promise<DialogTurnResult> {
    if (index + 1 < TOTAL_STEPS) {
      return step.replaceDialog(DialogIds.safetyPlanStep, { index: index + 1, form: 'enter', pending } satisfies StepOptions);
    }
    return this.finish(step, pending);
  }

  /** The whole plan, and where to find it again. */
  private async finish(step: WaterfallStepContext, pending: readonly PendingItem[]): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const result = await this.change(step.context, pending);
    if (!result.ok) {
      if (pending.length) {
        await step.context.sendActivity(markdown({ type: ActivityTypes.Message, text: [this.t(locale, 'safetyPlan.errors.unsavedAtEnd'), ...pending.map((p) => bullet(p.text))].join('\n') }));
      } else {
        await step.context.sendActivity(this.t(locale, 'safetyPlan.errors.loadFailed'));
      }
      return step.endDialog();
    }
    if (isEmpty(result.plan)) {
      await step.context.sendActivity(this.t(locale, 'safetyPlan.end.empty'));
    } else {
      await step.context.sendActivity(renderSafetyPlan(this.texts, locale, result.plan));
      await step.context.sendActivity(this.t(locale, 'safetyPlan.end.done'));
    }
    return step.endDialog();
  }

  // ── Removing an item ─────────────────────────────────────────────────────────────────────────

  private async promptRemove(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = step.options as RemoveOptions;
    const stepId = SAFETY_PLAN_STEP_IDS[options.index];
    const loaded = await this.load(step.context);
    const back = (key: string) =>
      step.replaceDialog(DialogIds.safetyPlanStep, { index: options.index, form: 'more', notices: [{ key }], pending: options.pending } satisfies StepOptions);
    if (!loaded.ok) return back('safetyPlan.errors.notSaved');
    const items = loaded.plan?.steps[stepId] ?? [];
    if (!items.length) return back('safetyPlan.remove.nothing');
    const keepAll = this.t(locale, 'safetyPlan.buttons.keepAll');
    const intro = options.reprompt ? this.t(locale, 'safetyPlan.remove.unknown', { keepAll }) : this.t(locale, 'safetyPlan.remove.ask');
    const list = items.map((item, i) => `${i + 1}. ${item}`).join('\n');
    await step.context.sendActivity(markdown(withButtons(`${intro}\n\n${list}`, [...items.map((_, i) => String(i + 1)), keepAll])));
    return Dialog.EndOfTurn;
  }

  private async handleRemove(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const options = step.options as RemoveOptions;
    const stepId = SAFETY_PLAN_STEP_IDS[options.index];
    const pending = options.pending ?? [];
    const back = (notices: Notice[], nextPending: readonly PendingItem[] = pending) =>
      step.replaceDialog(DialogIds.safetyPlanStep, { index: options.index, form: 'more', notices, pending: nextPending } satisfies StepOptions);
    const retry = () => step.replaceDialog(DialogIds.safetyPlanRemove, { index: options.index, pending, reprompt: true } satisfies RemoveOptions);

    const text = (step.context.activity.text ?? '').trim();
    const said = simplify(text);
    const keep = [this.t(locale, 'safetyPlan.buttons.keepAll'), ...this.words(locale, 'safetyPlan.words.no'), ...this.words(locale, 'safetyPlan.words.next')];
    if (said && keep.map(simplify).includes(said)) return back([{ key: 'safetyPlan.remove.kept' }]);

    const number = /^(?:#|n|no|numero|number)?\s*(\d{1,3})$/.exec(said.replace(/^#\s*/, ''))?.[1];
    const which: number | string | undefined = number !== undefined ? Number(number) - 1 : hasWords(text) ? text : undefined;
    if (which === undefined) return retry();

    let removed: string | undefined;
    const saved = await this.change(step.context, pending, (plan) => {
      const items = plan.steps[stepId];
      const index = typeof which === 'number' ? which : items.findIndex((item) => itemKey(item) === itemKey(which));
      const next = index >= 0 ? removeItem(plan, stepId, index, this.now()) : plan;
      if (next !== plan) removed = items[index];
      return next;
    });
    if (!saved.ok) return back([{ key: 'safetyPlan.errors.notSaved' }]);
    if (removed === undefined) return retry();
    return back([{ key: 'safetyPlan.remove.removed', vars: { item: removed } }], []);
  }

  // ── Storage, best effort and never throwing at the person ───────────────────────────────────

  private async load(context: TurnContext): Promise<Loaded> {
    try {
      const stored = await this.repository.load(this.personKey(context));
      return { ok: true, plan: stored?.plan };
    } catch {
      return { ok: false };
    }
  }

  /**
   * Reads the freshest plan, adds what is still pending, applies `change`, and saves when anything
   * changed (the repository merges a concurrent write). `{ ok: false }` when the store failed: the
   * caller keeps what the person wrote and says so.
   */
  private async change(context: TurnContext, pending: readonly PendingItem[], change?: (plan: SafetyPlan) => SafetyPlan): Promise<Changed> {
    try {
      const key = this.personKey(context);
      const stored = await this.repository.load(key);
      const current = stored?.plan ?? emptySafetyPlan(this.now());
      let next = current;
      for (const item of pending) next = addItem(next, item.stepId, item.text, this.now()).plan;
      if (change) next = change(next);
      if (next === current) return { ok: true, plan: current };
      const saved = await this.repository.save(key, next, stored);
      return { ok: true, plan: saved.plan };
    } catch {
      return { ok: false };
    }
  }

  // ── Texts ────────────────────────────────────────────────────────────────────────────────────

  private t(locale: Locale, key: string, vars?: TextVars): string {
    return this.texts.t(locale, key, vars);
  }

  private stepText(locale: Locale, stepId: SafetyPlanStepId, part: 'title' | 'explain' | 'example'): string {
    return this.texts.t(locale, `safetyPlan.steps.${stepId}.${part}`);
  }

  /** A "words" text: things a person may type, separated by "|". */
  private words(locale: Locale, key: string): string[] {
    return this.t(locale, key)
      .split('|')
      .map((word) => word.trim())
      .filter(Boolean);
  }
}

/**
 * The plan as one readable message (Markdown: bold headings, one bullet per item), for the
 * "safety plan" global word, the crisis flow and the end of the dialog. Steps the person left
 * empty are left out; step 5 always lists the crisis lines from the content, in the person's
 * language. A plan with nothing written yet gives a one-line "no plan yet".
 */
export function renderSafetyPlan(texts: Texts, locale: Locale, plan: SafetyPlan | undefined): Partial<Activity> {
  if (!plan || isEmpty(plan)) return { type: ActivityTypes.Message, text: texts.t(locale, 'safetyPlan.render.empty') };
  const blocks = [`**${texts.t(locale, 'safetyPlan.title')}**`];
  formatSafetyPlan(plan).forEach((section, index) => {
    const lines = [...section.items];
    if (section.stepId === SafetyPlanSteps.professionals) lines.push(...crisisLines(texts, locale));
    if (!lines.length) return;
    const heading = texts.t(locale, 'safetyPlan.render.stepHeading', { number: index + 1, title: texts.t(locale, `safetyPlan.steps.${section.stepId}.title`) });
    blocks.push([`**${heading}**`, ...lines.map(bullet)].join('\n'));
  });
  return markdown({ type: ActivityTypes.Message, text: blocks.join('\n\n') });
}

/** What the view remembers between showing the plan and reading the answer. */
function viewValues(step: WaterfallStepContext): { empty?: boolean } {
  return step.values as { empty?: boolean };
}

function crisisLines(texts: Texts, locale: Locale): string[] {
  return texts.crisisResources(locale).resources.map((resource) => texts.t(locale, 'safetyPlan.render.resource', { name: resource.name, contact: resource.contact }));
}

function bullet(text: string): string {
  return `- ${text}`;
}

function markdown(activity: Partial<Activity>): Partial<Activity> {
  return { ...activity, textFormat: TextFormatTypes.Markdown };
}
