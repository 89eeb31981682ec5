import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, TextPrompt, type DialogContext, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TextVars, Texts } from '../../content/texts';
import { simplify } from '../../core/conversation/globalCommands';
import type { Locale } from '../../core/i18n/locale';
import { hasWords } from '../../core/plan/text';
import { buttonPromptOptions, chosenIndex, MAX_MISSES } from '../prompts/buttonPrompt';
import { withButtons } from '../replies';
import { turnLocale } from '../turnLocale';

/** Free text a question understands besides its buttons: (turn, text, the question's data) → accepted? */
export type Acceptor = (context: TurnContext, text: string, data: unknown) => boolean;

export const BETWEEN_PROMPT = 'petitsPas.between.prompt';

interface NamedValidations {
  readonly titles: readonly string[];
  /** The name of a registered acceptor, and its data: plain JSON, so it survives the dialog state's storage. */
  readonly acceptor?: string;
  readonly data?: unknown;
}

/**
 * The ButtonPrompt (dialogs/prompts/buttonPrompt.ts: buttons + free text, re-asked as it was when a
 * dialog resumes), with its free-text rule named instead of held as a function: prompt options are
 * stored with the dialog state between turns (JSON), where a function would be lost and free text
 * refused until the prompt gives up.
 */
export class BetweenPrompt extends TextPrompt {
  constructor(acceptorOf: (name: string) => Acceptor | undefined) {
    super(BETWEEN_PROMPT, async (prompt: PromptValidatorContext<string>) => {
      const validations = prompt.options.validations as NamedValidations | undefined;
      const text = prompt.recognized.succeeded ? (prompt.recognized.value ?? '') : '';
      if (text.trim() && validations) {
        const said = simplify(text);
        if (validations.titles.some((title) => simplify(title) === said)) return true;
        const accept = validations.acceptor ? acceptorOf(validations.acceptor) : undefined;
        if (accept?.(prompt.context, text, validations.data)) return true;
      }
      return prompt.attemptCount > MAX_MISSES;
    });
  }
}

/** Whose data this turn is about: the caller decides (a pseudonymous person key). */
export type PersonKeyOf = (context: TurnContext) => string;

/** What the between-sessions dialogs (measures, check-in, schedule) end with. */
export interface BetweenDialogResult {
  /** The person stopped for now ("plus tard"); what they answered is kept. */
  readonly later?: boolean;
}

/** A choice: its button title first, then other words that mean the same. */
export interface Choice<V> {
  readonly value: V;
  readonly titles: readonly string[];
}

/**
 * The common ground of the between-sessions dialogs: texts in the turn's language, questions asked
 * with the ButtonPrompt (buttons + free text, re-asked as they were when the dialog resumes after
 * an interruption), word lists from content ("a | b | c"), and typing indicators or reactions
 * ignored (only messages move a conversation on).
 */
export abstract class BetweenDialogBase extends ComponentDialog {
  private readonly acceptors = new Map<string, Acceptor>();

  protected constructor(
    id: string,
    protected readonly texts: Texts,
  ) {
    super(id);
    this.addDialog(new BetweenPrompt((name) => this.acceptors.get(name)));
    this.acceptor('later', (context, text) => this.matches(text, this.laterWords(context)));
    this.acceptor('words', (_context, text) => hasWords(text));
    this.acceptor('yesNoLater', (context, text) =>
      this.matches(text, [...this.words(context, 'measures.common.yesWords'), ...this.words(context, 'measures.common.noWords'), ...this.laterWords(context)]),
    );
  }

  /** Registers a named free-text rule for questions (see BetweenPrompt). */
  protected acceptor(name: string, accept: Acceptor): void {
    this.acceptors.set(name, accept);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    return super.continueDialog(dc);
  }

  protected locale(context: TurnContext): Locale {
    return turnLocale(context);
  }

  protected t(context: TurnContext, key: string, vars?: TextVars): string {
    return this.texts.t(turnLocale(context), key, vars);
  }

  protected variant(context: TurnContext, key: string, seed: number, vars?: TextVars): string {
    return this.texts.variant(turnLocale(context), key, seed, vars);
  }

  /** A word list from content: "a | b | c". */
  protected words(context: TurnContext, key: string): string[] {
    return this.t(context, key)
      .split('|')
      .map((word) => word.trim())
      .filter(Boolean);
  }

  /**
   * Asks a question with buttons. The acceptor named `accept` (with `data`) lets free text through
   * (anything else gets the question again with its buttons); after two misses the step receives
   * what was said and decides.
   */
  protected ask(step: WaterfallStepContext, text: string, titles: readonly string[], accept?: string | { name: string; data?: unknown }, retry?: string): Promise<DialogTurnResult> {
    const options = buttonPromptOptions(text, titles, retry ?? this.t(step.context, 'measures.common.unknown'));
    const named = typeof accept === 'string' ? { name: accept } : accept;
    const validations: NamedValidations = { titles, ...(named ? { acceptor: named.name, data: named.data } : {}) };
    return step.prompt(BETWEEN_PROMPT, { ...options, validations });
  }

  /** The value whose title or words match the answer exactly (after simplification), if any. */
  protected pick<V>(answer: unknown, choices: ReadonlyArray<Choice<V>>): V | undefined {
    const said = simplify(typeof answer === 'string' ? answer : '');
    if (!said) return undefined;
    for (const choice of choices) if (choice.titles.some((title) => simplify(title) === said)) return choice.value;
    return undefined;
  }

  protected matches(answer: unknown, titles: readonly string[]): boolean {
    return chosenIndex(answer, titles) >= 0;
  }

  /** Words that mean "later / stop for now" in this dialog's language. */
  protected laterWords(context: TurnContext): string[] {
    return [this.t(context, 'measures.common.later'), ...this.words(context, 'measures.common.laterWords')];
  }

  protected say(context: TurnContext, text: string, buttons?: readonly string[]): Promise<unknown> {
    const activity: Partial<Activity> = buttons?.length ? withButtons(text, buttons) : { type: ActivityTypes.Message, text };
    return context.sendActivity({ ...activity, textFormat: 'markdown' });
  }
}

/** The text of the turn's message, trimmed ('' for anything else). */
export function answerText(answer: unknown): string {
  return typeof answer === 'string' ? answer.trim() : '';
}

/** "3 mars" / "March 3" in the person's language (and time zone, when known). */
export function formatDay(locale: Locale, at: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', ...(timeZone ? { timeZone } : {}) }).format(new Date(at));
}

/** "mardi 11 mars à 18 h" / "Tuesday, March 11 at 6:00 p.m." in the given time zone. */
export function formatMoment(locale: Locale, at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit', timeZone }).format(at);
  return locale === 'fr-CA' ? text.replace(/ h 00\b/, ' h') : text;
}

/** "18 h" / "18 h 30" / "6:00 p.m." for an 'HH:MM' wall time. */
export function formatTime(locale: Locale, time: string): string {
  const [hour, minute] = time.split(':').map(Number);
  const text = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hour, minute)));
  return locale === 'fr-CA' ? text.replace(/ h 00\b/, ' h') : text;
}
