import { ComponentDialog, Dialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { simplify } from '../core/conversation/globalCommands';
import { turnLocale } from './turnLocale';
import { DialogIds } from './dialogIds';
import { withButtons } from './replies';

const MENU_OPTIONS = ['means', 'plan', 'checkin', 'measures', 'safetyPlan', 'data', 'help'] as const;
type MenuOption = (typeof MENU_OPTIONS)[number];

/**
 * The main menu: what the person can do. Later issues give each option its own dialog; until then
 * an option says it is coming and the menu comes back, so nobody reaches a dead end.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly texts: Texts) {
    super(DialogIds.main);
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.showMenu.bind(this), this.route.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  private menuTitles(step: WaterfallStepContext): string[] {
    const locale = turnLocale(step.context);
    return MENU_OPTIONS.map((option) => this.texts.t(locale, `menu.options.${option}`));
  }

  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const intro = (step.options as { reprompt?: boolean } | undefined)?.reprompt ? 'menu.unknown' : 'menu.prompt';
    await step.context.sendActivity(withButtons(this.texts.t(locale, intro), this.menuTitles(step)));
    return Dialog.EndOfTurn;
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const said = simplify(step.context.activity.text ?? '');
    const titles = this.menuTitles(step).map(simplify);
    const index = titles.findIndex((title) => title === said);
    const chosen: MenuOption | undefined = index >= 0 ? MENU_OPTIONS[index] : undefined;
    if (!chosen) return step.replaceDialog(DialogIds.mainWaterfall, { reprompt: true });
    if (chosen === 'help') await step.context.sendActivity(this.texts.t(locale, 'help.text'));
    else await step.context.sendActivity(this.texts.t(locale, 'menu.comingSoon'));
    return step.replaceDialog(DialogIds.mainWaterfall);
  }
}
