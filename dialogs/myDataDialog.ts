import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { readYesNo } from '../core/conversation/yesNo';
import type { Locale } from '../core/i18n/locale';
import type { DataSummary, PersonDataService, PersonRef } from '../core/ports/personData';
import { DialogIds } from './dialogIds';
import { BUTTON_PROMPT, ButtonPrompt, buttonPromptOptions, chosenIndex } from './prompts/buttonPrompt';
import { turnLocale } from './turnLocale';

export interface MyDataDeps {
  readonly texts: Texts;
  readonly data: PersonDataService;
  readonly personRefOf: (context: TurnContext) => PersonRef;
}

export interface MyDataOptions {
  /** 'summary' shows what is kept (and offers download and erasure); 'forget' goes to erasure. */
  readonly mode?: 'summary' | 'forget';
}

const KNOWN_KINDS = ['profile', 'plan', 'safetyPlan', 'measures', 'conversationReference'] as const;

/** Erasure happened this turn: the bot must not save the turn's state back. */
const ERASED = Symbol('petitsPas.erased');
export function wasErased(context: TurnContext): boolean {
  return context.turnState.get(ERASED) === true;
}

/**
 * "Mes données" / "ce que tu sais sur moi" / "oublie-moi": a readable summary, a one-time
 * download link for the full export, and erasure after an explicit confirmation that says what
 * was deleted. Storage trouble is told plainly and changes nothing.
 */
export class MyDataDialog extends ComponentDialog {
  constructor(private readonly deps: MyDataDeps) {
    super(DialogIds.myData);
    this.addDialog(new ButtonPrompt({ yesNo: (text) => readYesNo(text) !== 'unknown' }));
    this.addDialog(new WaterfallDialog(DialogIds.myDataWaterfall, [this.show.bind(this), this.act.bind(this), this.confirmErase.bind(this)]));
    this.initialDialogId = DialogIds.myDataWaterfall;
  }

  private optionTitles(locale: Locale): string[] {
    return ['download', 'forget', 'menu'].map((key) => this.deps.texts.t(locale, `myData.options.${key}`));
  }

  private forgetTitles(locale: Locale): string[] {
    return [this.deps.texts.t(locale, 'myData.forgetYes'), this.deps.texts.t(locale, 'myData.forgetNo')];
  }

  private async show(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    if ((step.options as MyDataOptions | undefined)?.mode === 'forget') return step.next('forget');
    let summary: DataSummary;
    try {
      summary = await this.deps.data.summary(this.deps.personRefOf(step.context));
    } catch {
      await step.context.sendActivity(this.deps.texts.t(locale, 'myData.unavailable'));
      return step.endDialog();
    }
    await step.context.sendActivity({ type: 'message', text: this.describe(locale, summary), textFormat: 'markdown' });
    return step.prompt(BUTTON_PROMPT, buttonPromptOptions(this.deps.texts.t(locale, 'menu.prompt'), this.optionTitles(locale), this.deps.texts.t(locale, 'menu.unknown')));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const choice = step.result === 'forget' ? 1 : chosenIndex(step.result, this.optionTitles(locale));
    if (choice === 0) {
      try {
        const url = await this.deps.data.createExportLink(this.deps.personRefOf(step.context));
        await step.context.sendActivity(this.deps.texts.t(locale, 'myData.link', { url }));
      } catch {
        await step.context.sendActivity(this.deps.texts.t(locale, 'myData.unavailable'));
      }
      return step.endDialog();
    }
    if (choice !== 1) return step.endDialog();
    return step.prompt(
      BUTTON_PROMPT,
      buttonPromptOptions(this.deps.texts.t(locale, 'myData.forgetAsk'), this.forgetTitles(locale), this.deps.texts.t(locale, 'menu.unknown'), 'yesNo'),
    );
  }

  private async confirmErase(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const index = chosenIndex(step.result, this.forgetTitles(locale));
    // Erasure is final: only an explicit yes does it.
    const confirmed = index === 0 || (index === -1 && readYesNo(String(step.result ?? '')) === 'yes');
    if (!confirmed) {
      await step.context.sendActivity(this.deps.texts.t(locale, 'myData.kept'));
      return step.endDialog();
    }
    try {
      const report = await this.deps.data.erase(this.deps.personRefOf(step.context));
      const what = this.kindsInWords(locale, report.deleted);
      step.context.turnState.set(ERASED, true);
      await step.context.sendActivity(what ? this.deps.texts.t(locale, 'myData.forgotten', { what }) : this.deps.texts.t(locale, 'myData.forgottenNothing'));
    } catch {
      await step.context.sendActivity(this.deps.texts.t(locale, 'myData.unavailable'));
      return step.endDialog();
    }
    return step.cancelAllDialogs();
  }

  private describe(locale: Locale, summary: DataSummary): string {
    const kinds = Object.entries(summary.kinds).filter(([, count]) => count > 0);
    if (kinds.length === 0) return this.deps.texts.t(locale, 'myData.nothing');
    const yesNo = (granted: boolean | undefined) => this.deps.texts.t(locale, granted ? 'myData.granted' : 'myData.notGranted');
    return [
      this.deps.texts.t(locale, 'myData.summaryIntro'),
      ...kinds.map(([kind, count]) => `- ${this.kindInWords(locale, kind, count)}`),
      '',
      this.deps.texts.t(locale, 'myData.consentLine', { store: yesNo(summary.consents.store?.granted), share: yesNo(summary.consents.share?.granted) }),
    ].join('\n');
  }

  private kindInWords(locale: Locale, kind: string, count: number): string {
    if (kind === 'escalations') return this.deps.texts.t(locale, 'myData.kinds.escalations', { count });
    if ((KNOWN_KINDS as readonly string[]).includes(kind)) return this.deps.texts.t(locale, `myData.kinds.${kind}`);
    return this.deps.texts.t(locale, 'myData.kinds.other', { count });
  }

  private kindsInWords(locale: Locale, deleted: Readonly<Record<string, number>>): string {
    return Object.entries(deleted)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => this.kindInWords(locale, kind, count))
      .join('; ');
  }
}
