import { TeamsActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { Texts } from '../content/texts';
import { matchGlobalCommand } from '../core/conversation/globalCommands';
import { resolveLocale, type Locale } from '../core/i18n/locale';
import { DialogIds } from '../dialogs/dialogIds';
import type { MainDialog } from '../dialogs/mainDialog';
import { setTurnLocale, turnLocale } from '../dialogs/turnLocale';

/** What the bot keeps about a person between turns (grows with later features). */
export interface PersonProfile {
  locale?: Locale;
  welcomedAt?: string;
}

export interface PetitsPasBotDeps {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly mainDialog: MainDialog;
  readonly texts: Texts;
  readonly defaultLocale: Locale;
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
    this.profile = deps.userState.createProperty<PersonProfile>('profile');
    this.dialogState = deps.conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(deps.mainDialog);

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
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

  /** Saves state after every turn, whatever the handlers did. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  private async prepareTurn(context: TurnContext): Promise<PersonProfile> {
    const profile = await this.profile.get(context, {});
    setTurnLocale(context, resolveLocale(profile.locale, context.activity.locale, this.deps.defaultLocale));
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
    const dc = await this.dialogs.createContext(context);
    if (!profile.welcomedAt) {
      await this.welcome(context, profile);
      await dc.cancelAllDialogs();
      await dc.beginDialog(DialogIds.main);
      return;
    }
    const locale = turnLocale(context);
    switch (matchGlobalCommand(context.activity.text)) {
      case 'menu':
      case 'cancel':
      case 'restart':
        await dc.cancelAllDialogs();
        await dc.beginDialog(DialogIds.main);
        return;
      case 'help':
        await context.sendActivity(this.deps.texts.t(locale, 'help.text'));
        if (dc.activeDialog) await dc.repromptDialog();
        else await dc.beginDialog(DialogIds.main);
        return;
      default:
        break;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(DialogIds.main);
  }
}
