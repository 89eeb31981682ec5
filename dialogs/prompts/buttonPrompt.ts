import type { Activity } from 'botbuilder';
import { TextPrompt, type PromptOptions, type PromptValidatorContext } from 'botbuilder-dialogs';
import { simplify } from '../../core/conversation/globalCommands';
import { withButtons } from '../replies';

export const BUTTON_PROMPT = 'petitsPas.buttonPrompt';

/** After this many answers that match nothing, the prompt lets the step decide (a sensible default). */
export const MAX_MISSES = 2;

/** Free-text rules a prompt may name: answers the step understands beyond the button titles. */
export type AcceptRules = Readonly<Record<string, (text: string) => boolean>>;

interface ButtonValidations {
  readonly titles: readonly string[];
  /**
   * The name of a rule given to the prompt's constructor. A name, not a function: prompt options
   * are saved with the dialog state between turns, and a function would not survive the trip.
   */
  readonly accept?: string;
}

/**
 * A question with buttons that also takes free text. Being a prompt, it is re-asked as it was when
 * a dialog resumes after an interruption (a crisis, "aide"), which a bare waterfall step cannot do.
 * Text only: attachments, card payloads and empty messages get the question again with its buttons.
 */
export class ButtonPrompt extends TextPrompt {
  constructor(rules: AcceptRules = {}, id = BUTTON_PROMPT) {
    super(id, async (prompt: PromptValidatorContext<string>) => {
      const validations = prompt.options.validations as ButtonValidations | undefined;
      const text = prompt.recognized.succeeded ? (prompt.recognized.value ?? '') : '';
      if (text.trim() && validations) {
        const said = simplify(text);
        if (validations.titles.some((title) => simplify(title) === said)) return true;
        if (validations.accept && rules[validations.accept]?.(text)) return true;
      }
      // Never loop forever: past the misses the step gets what was said and picks the default.
      return prompt.attemptCount > MAX_MISSES;
    });
  }
}

export function buttonPromptOptions(
  text: string,
  titles: readonly string[],
  retryText: string,
  accept?: string,
): PromptOptions {
  return {
    prompt: withButtons(text, titles) as Activity,
    retryPrompt: withButtons(`${retryText}\n\n${text}`, titles) as Activity,
    validations: { titles, accept } satisfies ButtonValidations,
  };
}

/** Index of the button the answer matches, or -1. */
export function chosenIndex(answer: unknown, titles: readonly string[]): number {
  const said = simplify(typeof answer === 'string' ? answer : '');
  return titles.findIndex((title) => simplify(title) === said);
}
