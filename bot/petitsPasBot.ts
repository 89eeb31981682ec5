import { TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { matchGlobalCommand, simplify, type GlobalCommand } from '../core/conversation/globalCommands';
import { resolveLocale, type Locale } from '../core/i18n/locale';
import { DialogIds } from '../dialogs/dialogIds';
import { needsOnboarding, type MainDialog, type MainDialogOptions } from '../dialogs/mainDialog';
import { wasErased } from '../dialogs/myDataDialog';
import { askAgain } from '../dialogs/resume';
import { readLinkRequest, type LinkCodeDialog } from '../dialogs/linkCodeDialog';
import type { ClinicianHandler } from './clinicians';
import { installCrisisHook, type DeclareCrisis } from '../dialogs/safetyHooks';
import type { PersonProfile } from '../core/people/profile';
import { setTurnLocale, turnLocale } from '../dialogs/turnLocale';
import type { LocaleCache } from './localeCache';
import { safetyTurnOf } from './middleware/safetyMiddleware';

export interface PetitsPasBotDeps {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly profile: StatePropertyAccessor<PersonProfile>;
  readonly mainDialog: MainDialog;
  /** Installed on each turn for dialogs that meet a crisis (see dialogs/safetyHooks). */
  readonly declareCrisis?: DeclareCrisis;
  readonly declareConcern?: DeclareCrisis;
  readonly texts: Texts;
  readonly defaultLocale: Locale;
  readonly consentVersion: string;
  readonly localeCache?: LocaleCache;
  /** A click on a check-in or questionnaire reminder's button; true when it was one and is handled. */
  readonly reminderReply?: (context: TurnContext, dc: DialogContext) => Promise<boolean>;
  /** Clinician turns (commands, card acknowledgements); person turns when it answers false. */
  readonly clinicians?: Pick<ClinicianHandler, 'onMessage' | 'onAdaptiveCardInvoke'>;
  /** Linking to a clinician with a code ("j'ai un code", "délier"). */
  readonly linkCodeDialog?: LinkCodeDialog;
  /** The person wrote (retention counts inactivity from here). Must not throw or block. */
  readonly onActive?: (context: TurnContext) => void;
  /** Forget in-memory copies (caches) after an erasure. */
  readonly onErased?: (context: TurnContext) => Promise<void>;
  readonly now?: () => Date;
}

/**
 * The activity handler: welcomes, resolves the turn's locale, handles words that work anywhere,
 * and hands everything else to the dialogs. Nothing clinical lives here; safety runs before it
 * as middleware.
 */
export class PetitsPasBot extends TeamsActivityHandler {
  private readonly profile: StatePropertyAccessor<PersonProfile>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;
  private readonly now: () => Date;

  constructor(private readonly deps: PetitsPasBotDeps) {
    super();
    this.now = deps.now ?? (() => new Date());
    this.profile = deps.profile;
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(deps.mainDialog);
    if (deps.linkCodeDialog) this.dialogs.add(deps.linkCodeDialog);

    this.onMessage(async (context, next) => {
      if (!(await this.deps.clinicians?.onMessage(context))) await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const humans = (context.activity.membersAdded ?? []).filter((member) => member.id !== botId);
      if (humans.length > 0) {
        const profile = await this.prepareTurn(context);
        if (!profile.welcomedAt) await this.welcome(context, profile);
      }
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return (await this.deps.clinicians?.onAdaptiveCardInvoke(context, invokeValue)) ?? super.onAdaptiveCardInvoke(context, invokeValue);
  }

  /** Saves state after every turn, whatever the handlers did. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    if (wasErased(context)) {
      // The person's data was just erased: saving this turn's state would bring some of it back.
      this.deps.conversationState.clear(context);
      this.deps.userState.clear(context);
      await this.deps.onErased?.(context);
      return;
    }
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  private async prepareTurn(context: TurnContext): Promise<PersonProfile> {
    if (this.deps.declareCrisis) installCrisisHook(context, this.deps.declareCrisis, this.deps.declareConcern);
    const profile = await this.profile.get(context, {});
    const locale = resolveLocale(profile.locale, context.activity.locale, this.deps.defaultLocale);
    setTurnLocale(context, locale);
    // Only an explicit choice is cached: the channel's locale is read fresh on every turn anyway.
    if (profile.locale) this.deps.localeCache?.remember(context, profile.locale);
    return profile;
  }

  private async welcome(context: TurnContext, profile: PersonProfile): Promise<void> {
    const locale = turnLocale(context);
    const { t } = this.deps.texts;
    await context.sendActivities(
      ['welcome.hello', 'welcome.whatItIs', 'welcome.whatItIsNot'].map((key) => ({ type: 'message', text: t(locale, key) })),
    );
    profile.welcomedAt = this.now().toISOString();
    await this.profile.set(context, profile);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const profile = await this.prepareTurn(context);
    this.deps.onActive?.(context);
    const dc = await this.dialogs.createContext(context);
    if (!profile.welcomedAt) {
      await this.welcome(context, profile);
      await dc.cancelAllDialogs();
      await dc.beginDialog(DialogIds.main);
      return;
    }
    const locale = turnLocale(context);
    if (safetyTurnOf(context)?.resumePending && simplify(context.activity.text ?? '') === simplify(this.deps.texts.t(locale, 'crisis.resume'))) {
      // The person chose to pick up the dialog a crisis interrupted: ask its question again.
      if (dc.activeDialog) await askAgain(dc);
      else await dc.beginDialog(DialogIds.main);
      return;
    }
    const command = matchGlobalCommand(context.activity.text);
    const opens = command ? OPENS_FROM_ANYWHERE[command] : undefined;
    if (opens) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(DialogIds.main, opens);
      return;
    }
    switch (command) {
      case 'restart':
        // Restarting is also how someone who said no to consent changes their mind.
        if (profile.consents?.store && !profile.consents.store.granted) {
          profile.consents = {};
          await this.profile.set(context, profile);
        }
        await dc.cancelAllDialogs();
        await dc.beginDialog(DialogIds.main);
        return;
      case 'language': {
        const next: Locale = locale === 'fr-CA' ? 'en-CA' : 'fr-CA';
        profile.locale = next;
        await this.profile.set(context, profile);
        setTurnLocale(context, next);
        this.deps.localeCache?.remember(context, next);
        await context.sendActivity(this.deps.texts.t(next, 'settings.languageChanged'));
        if (dc.activeDialog) await askAgain(dc);
        else await dc.beginDialog(DialogIds.main);
        return;
      }
      case 'help':
        await context.sendActivity(this.deps.texts.t(locale, 'help.text'));
        if (dc.activeDialog) await askAgain(dc);
        else await dc.beginDialog(DialogIds.main);
        return;
      default:
        break;
    }
    if (needsOnboarding(profile, this.deps.consentVersion) && !isOnboarding(dc)) {
      // New, or the consent text changed since this person agreed: nothing goes on until they answer.
      await dc.cancelAllDialogs();
      await dc.beginDialog(DialogIds.main);
      return;
    }
    if (await this.deps.reminderReply?.(context, dc)) return;
    const linkRequest = readLinkRequest(context.activity.text);
    if (linkRequest && this.deps.linkCodeDialog) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(DialogIds.linkCode, linkRequest);
      return;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(DialogIds.main);
  }
}

/** Global words that leave whatever is running and open the menu or one of its options. */
const OPENS_FROM_ANYWHERE: Partial<Record<GlobalCommand, MainDialogOptions>> = {
  menu: {},
  cancel: {},
  safetyPlan: { startWith: 'safetyPlan' },
  reminders: { startWith: 'reminders' },
  whatYouKnow: { startWith: 'data' },
  forgetMe: { startWith: 'data', startOptions: { mode: 'forget' } },
};

/** True when the onboarding dialog is somewhere on the stack (it runs inside the main dialog). */
function isOnboarding(dc: DialogContext): boolean {
  for (let child: DialogContext | undefined = dc; child; child = child.child) {
    if (child.activeDialog?.id === DialogIds.onboarding) return true;
  }
  return false;
}
