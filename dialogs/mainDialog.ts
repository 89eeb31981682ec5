import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { mayStore, needsConsentQuestion } from '../core/consent/consent';
import { simplify } from '../core/conversation/globalCommands';
import type { PersonProfile } from '../core/people/profile';
import { DialogIds } from './dialogIds';
import { OnboardingDialog, type OnboardingResult } from './onboardingDialog';
import { withButtons } from './replies';
import { turnLocale } from './turnLocale';

export const MENU_OPTIONS = ['means', 'plan', 'checkin', 'measures', 'reminders', 'safetyPlan', 'data', 'help'] as const;
export type MenuOption = (typeof MENU_OPTIONS)[number];

export interface MainDialogDeps {
  readonly texts: Texts;
  readonly profile: StatePropertyAccessor<PersonProfile>;
  readonly consentVersion: string;
  readonly defaultTimeZone: string;
  /** Dialogs behind menu options; an option without one says it is coming. */
  readonly routes?: Partial<Record<MenuOption, { dialogId: string; dialog: Dialog; options?: object }>>;
  /** Dialogs the routed ones start in turn (e.g. tiny steps from the plan). */
  readonly extraDialogs?: readonly Dialog[];
  /** Called once onboarding has just ended with consent (e.g. to start check-in reminders). */
  readonly onOnboarded?: (context: TurnContext) => Promise<void>;
  readonly now?: () => Date;
}

export interface MainDialogOptions {
  readonly reprompt?: boolean;
  readonly skipOnboarding?: boolean;
  /** Open this option's dialog right away (global words), with these options instead of the route's. */
  readonly startWith?: MenuOption;
  readonly startOptions?: object;
}

/** Onboarding (or consent again) when needed, then the menu; each option opens its own dialog. */
export function needsOnboarding(profile: PersonProfile, consentVersion: string): boolean {
  return needsConsentQuestion(profile.consents, consentVersion) || (mayStore(profile.consents, consentVersion) && !profile.onboardedAt);
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(DialogIds.main);
    this.addDialog(new OnboardingDialog({ texts: deps.texts, profile: deps.profile, consentVersion: deps.consentVersion, defaultTimeZone: deps.defaultTimeZone, now: deps.now }));
    const added = new Set<string>();
    for (const dialog of [...Object.values(deps.routes ?? {}).map((route) => route?.dialog), ...(deps.extraDialogs ?? [])]) {
      if (!dialog || added.has(dialog.id)) continue;
      added.add(dialog.id);
      this.addDialog(dialog);
    }
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.ensureOnboarded.bind(this), this.showMenu.bind(this), this.route.bind(this), this.backToMenu.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  private menuTitles(step: WaterfallStepContext): string[] {
    const locale = turnLocale(step.context);
    return MENU_OPTIONS.map((option) => this.deps.texts.t(locale, `menu.options.${option}`));
  }

  private async ensureOnboarded(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as MainDialogOptions | undefined;
    if (options?.skipOnboarding) return step.next({ consented: true });
    const profile = await this.deps.profile.get(step.context, {});
    if (needsOnboarding(profile, this.deps.consentVersion)) return step.beginDialog(DialogIds.onboarding);
    const consented = mayStore(profile.consents, this.deps.consentVersion);
    const route = options?.startWith ? this.deps.routes?.[options.startWith] : undefined;
    if (consented && route) {
      // A global word ("mon plan de sécurité") opens its dialog directly; the menu follows it.
      step.activeDialog!.state['stepIndex'] = 2;
      return step.beginDialog(route.dialogId, options?.startOptions ?? route.options);
    }
    return step.next({ consented, already: true });
  }

  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    if (!(step.result as OnboardingResult | undefined)?.consented) {
      // Without consent nothing is kept: help and crisis lines stay available, the menu does not.
      await step.context.sendActivity(withButtons(this.deps.texts.t(locale, 'onboarding.consent.refused'), [this.deps.texts.t(locale, 'menu.options.help')]));
      return step.endDialog();
    }
    const result = step.result as (OnboardingResult & { already?: boolean }) | undefined;
    if (result?.consented && !result.already && !(step.options as MainDialogOptions | undefined)?.skipOnboarding) await this.deps.onOnboarded?.(step.context);
    const intro = (step.options as { reprompt?: boolean } | undefined)?.reprompt ? 'menu.unknown' : 'menu.prompt';
    await step.context.sendActivity(withButtons(this.deps.texts.t(locale, intro), this.menuTitles(step)));
    return Dialog.EndOfTurn;
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const locale = turnLocale(step.context);
    const said = simplify(typeof step.context.activity.text === 'string' ? step.context.activity.text : '');
    const index = this.menuTitles(step).map(simplify).findIndex((title) => title === said);
    const chosen: MenuOption | undefined = index >= 0 ? MENU_OPTIONS[index] : undefined;
    if (!chosen) return step.replaceDialog(DialogIds.mainWaterfall, { reprompt: true, skipOnboarding: true });
    const route = this.deps.routes?.[chosen];
    if (route) return step.beginDialog(route.dialogId, route.options);
    if (chosen === 'help') await step.context.sendActivity(this.deps.texts.t(locale, 'help.text'));
    else await step.context.sendActivity(this.deps.texts.t(locale, 'menu.comingSoon'));
    return step.replaceDialog(DialogIds.mainWaterfall, { skipOnboarding: true });
  }

  /** A routed dialog ended: back to the menu, so nobody is left at a dead end. */
  private async backToMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(DialogIds.mainWaterfall, { skipOnboarding: true });
  }
}
