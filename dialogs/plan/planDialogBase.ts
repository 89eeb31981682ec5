import { ActivityTypes, TextFormatTypes, type Activity, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { PlanRepository } from '../../bot/people/planRepository';
import type { TextVars, Texts } from '../../content/texts';
import { simplify } from '../../core/conversation/globalCommands';
import type { Locale } from '../../core/i18n/locale';
import type { MeansCatalogue } from '../../core/plan/catalogue';
import { emptyPlan, type Plan } from '../../core/plan/plan';
import { hasWords } from '../../core/plan/text';
import { withButtons } from '../replies';
import { turnLocale } from '../turnLocale';

/** Whose plan this turn is about: the caller decides (a pseudonymous person key). */
export type PersonKeyOf = (context: TurnContext) => string;

/** What every plan dialog needs; `createPlanDialogs` takes the same. */
export interface PlanDialogDeps {
  readonly texts: Texts;
  readonly plans: PlanRepository;
  readonly catalogue: MeansCatalogue;
  readonly personKeyOf: PersonKeyOf;
  readonly now?: () => Date;
}

/** What a plan dialog ends with. `toMenu`: the person asked for the menu (or we gently brought them back). */
export interface PlanDialogResult {
  readonly toMenu?: boolean;
}

/** A short text said before a question ("C'est noté ✔"). With `seed`, the key holds variants. */
export interface Notice {
  readonly key: string;
  readonly vars?: TextVars;
  readonly seed?: number;
}

/** Every question's options: how many answers were not understood, and what to say first. */
export interface QuestionOptions {
  readonly misses?: number;
  readonly notices?: readonly Notice[];
}

/** A question: its text and buttons. `before` is sent first, only the first time it is asked. */
export interface Prompt {
  readonly text: string;
  readonly buttons: readonly string[];
  readonly before?: ReadonlyArray<Partial<Activity>>;
}

/** A message with words in it (other inputs are re-prompted before reaching the answer handler). */
export interface TextInput {
  readonly text: string;
  /** The text simplified for matching (case, accents, apostrophes, punctuation). */
  readonly said: string;
}

type Input = ({ readonly kind: 'text' } & TextInput) | { readonly kind: 'empty' | 'attachment' | 'card' | 'noWords' };

export type Loaded = { readonly ok: true; readonly plan: Plan | undefined } | { readonly ok: false };
export type Changed = { readonly ok: true; readonly plan: Plan } | { readonly ok: false };

export interface Choice<V> {
  readonly value: V;
  /** The button title first, then any other words that mean the same. */
  readonly titles: readonly string[];
}

/** After this many answers not understood in a row, the menu is offered. */
export const OFFER_MENU_AFTER = 2;
/** After this many, the dialog ends gently (the plan is saved) rather than loop. */
export const GIVE_UP_AFTER = 5;
/** Longer messages are cut before any matching (a pasted book is not an answer). */
const MAX_INPUT = 5000;

const REASONS = {
  empty: 'plan.reprompt.empty',
  attachment: 'plan.reprompt.notText',
  card: 'plan.reprompt.card',
  noWords: 'plan.reprompt.noWords',
  unknown: 'plan.reprompt.unknown',
} as const;
export type MissReason = keyof typeof REASONS;

export function readInput(activity: Partial<Activity>): Input {
  const text = (typeof activity.text === 'string' ? activity.text.slice(0, MAX_INPUT) : '').trim();
  if (!text) {
    if (Array.isArray(activity.attachments) && activity.attachments.length) return { kind: 'attachment' };
    if (activity.value !== undefined && activity.value !== null) return { kind: 'card' };
    return { kind: 'empty' };
  }
  if (!hasWords(text)) return { kind: 'noWords' };
  return { kind: 'text', text, said: simplify(text) };
}

/** Words that turn a sentence around: a loose match is never trusted when one is there. */
const NEGATIONS = new Set(['pas', 'non', 'ne', 'n', 'jamais', 'pantoute', 'not', 'no', 'never', 'didn', 'don', 'doesn', 'isn', 'wasn', 't']);

/**
 * The choice whose title (or word) matches; with `numbered`, "2" picks the second. With `loose`, a
 * sentence holding exactly one choice's words ("je veux en parler à mon intervenante") picks it,
 * unless it holds a negation or several choices' words.
 */
export function pick<V>(said: string, choices: ReadonlyArray<Choice<V>>, numbered = false, loose = false): V | undefined {
  for (const choice of choices) if (choice.titles.some((title) => simplify(title) === said)) return choice.value;
  if (numbered) {
    const number = /^(?:#|no|n|numero|number|le|la)?\s*(\d{1,3})$/.exec(said)?.[1];
    if (number !== undefined) {
      const index = Number(number) - 1;
      if (index >= 0 && index < choices.length) return choices[index].value;
    }
  }
  if (loose && said.length <= 200 && !said.split(' ').some((word) => NEGATIONS.has(word))) {
    const padded = ` ${said} `;
    const found = choices.filter((choice) =>
      choice.titles.some((title) => {
        const words = simplify(title);
        return words.length >= 4 && padded.includes(` ${words} `);
      }),
    );
    if (found.length === 1) return found[0].value;
  }
  return undefined;
}

export function markdown(activity: Partial<Activity>): Partial<Activity> {
  return { ...activity, textFormat: TextFormatTypes.Markdown };
}

/**
 * A question's waterfall: ask, answer, and (when the answer started another dialog) come back.
 * It remembers the question it asked, so a reprompt (after "aide", or after a crisis interrupted
 * the conversation) asks it again.
 */
class QuestionDialog extends WaterfallDialog {
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as { stepIndex?: number; values?: { lastPrompt?: Partial<Activity> } };
    // Step 0 asked and is waiting for the answer (a child dialog, when running, is reprompted itself).
    if (state.stepIndex === 0 && state.values?.lastPrompt) await context.sendActivity(state.values.lastPrompt);
  }
}

interface AfterChild {
  readonly id: string;
  readonly options: object;
}

/**
 * The shared machinery of the plan dialogs: questions with buttons that also accept free text;
 * junk (empty, attachment, card payload, emoji only) and unknown answers re-prompted with the
 * options; after two misses the menu is offered, after five the dialog ends gently (never a dead
 * end, never a loop); reads and writes through the repository that never throw at the person.
 */
export abstract class PlanDialogBase extends ComponentDialog {
  protected readonly texts: Texts;
  protected readonly plans: PlanRepository;
  protected readonly catalogue: MeansCatalogue;
  protected readonly personKeyOf: PersonKeyOf;
  protected readonly now: () => Date;

  protected constructor(id: string, deps: PlanDialogDeps) {
    super(id);
    this.texts = deps.texts;
    this.plans = deps.plans;
    this.catalogue = deps.catalogue;
    this.personKeyOf = deps.personKeyOf;
    this.now = deps.now ?? (() => new Date());
  }

  /** Typing indicators, reactions and other non-message activities leave the conversation where it is. */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    return super.continueDialog(dc);
  }

  // ── Building blocks ─────────────────────────────────────────────────────────────────────────

  /** A step that only decides where to go (no question). */
  protected addRoute<O extends object>(id: string, run: (step: WaterfallStepContext, options: O, locale: Locale) => Promise<DialogTurnResult>): void {
    this.addDialog(new WaterfallDialog(id, [(step) => run(step, (step.options ?? {}) as O, turnLocale(step.context))]));
  }

  /**
   * A question. `ask` returns the prompt (or redirects); `answer` gets only messages with words
   * (menu words already handled); returning undefined from `answer` counts as "not understood".
   */
  protected addQuestion<O extends QuestionOptions>(
    id: string,
    ask: (step: WaterfallStepContext, options: O, locale: Locale) => Promise<Prompt | DialogTurnResult>,
    answer: (step: WaterfallStepContext, options: O, input: TextInput, locale: Locale) => Promise<DialogTurnResult | undefined>,
  ): void {
    this.addDialog(
      new QuestionDialog(id, [
        async (step) => {
          const options = (step.options ?? {}) as O;
          const locale = turnLocale(step.context);
          const prompt = await ask(step, options, locale);
          if (!isPrompt(prompt)) return prompt;
          const misses = options.misses ?? 0;
          if (!misses) for (const activity of prompt.before ?? []) await step.context.sendActivity(activity);
          const parts = (options.notices ?? []).map((notice) => this.say(locale, notice));
          parts.push(prompt.text);
          const buttons = [...prompt.buttons];
          if (misses >= OFFER_MENU_AFTER) {
            parts.push(this.t(locale, 'plan.reprompt.menuHint'));
            buttons.push(this.t(locale, 'plan.buttons.menu'));
          }
          const activity = markdown(withButtons(parts.filter(Boolean).join('\n\n'), buttons));
          // Asked again as is on a reprompt, without this turn's notices ("c'est noté", "je n'ai pas compris").
          (step.values as { lastPrompt?: Partial<Activity> }).lastPrompt = markdown(withButtons(prompt.text, buttons));
          await step.context.sendActivity(activity);
          return Dialog.EndOfTurn;
        },
        async (step) => {
          const options = (step.options ?? {}) as O;
          const locale = turnLocale(step.context);
          const input = readInput(step.context.activity);
          if (input.kind !== 'text') return this.miss(step, id, options, input.kind);
          if (this.isMenu(locale, input.said)) return step.endDialog({ toMenu: true } satisfies PlanDialogResult);
          const result = await answer(step, options, input, locale);
          return result ?? this.miss(step, id, options, 'unknown');
        },
        async (step) => {
          const result = step.result as PlanDialogResult | undefined;
          if (result?.toMenu) return step.endDialog(result);
          const after = (step.values as { after?: AfterChild }).after;
          if (!after) return step.endDialog({} satisfies PlanDialogResult);
          return step.replaceDialog(after.id, after.options);
        },
      ]),
    );
  }

  /**
   * Starts another dialog from an answer; when it ends, `then` is asked (unless the person asked
   * for the menu). Without `then`, this plan dialog ends with it.
   */
  protected async child(step: WaterfallStepContext, dialogId: string, options: object, then?: AfterChild): Promise<DialogTurnResult> {
    if (then) (step.values as { after?: AfterChild }).after = then;
    return step.beginDialog(dialogId, options);
  }

  /** Asks the same question again, saying why; offers the menu after two misses and ends gently after five. */
  protected async miss<O extends QuestionOptions>(step: WaterfallStepContext, id: string, options: O, reason: MissReason): Promise<DialogTurnResult> {
    const misses = (options.misses ?? 0) + 1;
    if (misses >= GIVE_UP_AFTER) {
      await step.context.sendActivity(this.t(turnLocale(step.context), 'plan.reprompt.giveUp'));
      return step.endDialog({ toMenu: true } satisfies PlanDialogResult);
    }
    return step.replaceDialog(id, { ...options, misses, notices: [{ key: REASONS[reason] }] });
  }

  /** Ends this plan dialog with a last word. */
  protected async finish(step: WaterfallStepContext, key?: string, vars?: TextVars): Promise<DialogTurnResult> {
    if (key) await step.context.sendActivity(this.t(turnLocale(step.context), key, vars));
    return step.endDialog({} satisfies PlanDialogResult);
  }

  // ── Storage, best effort and never throwing at the person ───────────────────────────────────

  protected async load(context: TurnContext): Promise<Loaded> {
    try {
      const stored = await this.plans.load(this.personKeyOf(context));
      return { ok: true, plan: stored?.plan };
    } catch {
      return { ok: false };
    }
  }

  /**
   * Applies a pure change to the freshest plan and saves it (the repository re-applies it after a
   * concurrent write). `{ ok: false }` when the store failed: the caller says so and goes on.
   */
  protected async change(context: TurnContext, change: (plan: Plan) => Plan): Promise<Changed> {
    try {
      const now = this.now();
      const stored = await this.plans.update(this.personKeyOf(context), change, { now });
      return { ok: true, plan: stored?.plan ?? emptyPlan(now) };
    } catch {
      return { ok: false };
    }
  }

  // ── Texts ───────────────────────────────────────────────────────────────────────────────────

  protected t(locale: Locale, key: string, vars?: TextVars): string {
    return this.texts.t(locale, key, vars);
  }

  protected say(locale: Locale, notice: Notice): string {
    return notice.seed === undefined ? this.t(locale, notice.key, notice.vars) : this.texts.variant(locale, notice.key, notice.seed, notice.vars);
  }

  /** A "words" text: things a person may type, separated by "|". */
  protected words(locale: Locale, key: string): string[] {
    return this.t(locale, key)
      .split('|')
      .map((word) => word.trim())
      .filter(Boolean);
  }

  /** A button title plus its words, for `pick`. */
  protected titles(locale: Locale, buttonKey: string, wordsKey?: string): string[] {
    return [this.t(locale, buttonKey), ...(wordsKey ? this.words(locale, wordsKey) : [])];
  }

  protected isMenu(locale: Locale, said: string): boolean {
    return pick(said, [{ value: true, titles: this.titles(locale, 'plan.buttons.menu', 'plan.words.menu') }]) === true;
  }
}

function isPrompt(value: Prompt | DialogTurnResult): value is Prompt {
  return typeof (value as Prompt).text === 'string' && Array.isArray((value as Prompt).buttons);
}
