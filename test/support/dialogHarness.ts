import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, UserState, type Middleware, type TurnContext } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import type { PersonProfile } from '../../core/people/profile';
import { setTurnLocale } from '../../dialogs/turnLocale';

/**
 * A DialogTestClient with the person's profile in UserState, saved after every turn like in the
 * bot, and the turn locale taken from the profile (else the given default).
 */
export function dialogHarness(makeDialog: (profile: ReturnType<UserState['createProperty']>) => Dialog, defaultLocale: 'fr-CA' | 'en-CA' = 'fr-CA', storage = new MemoryStorage(), conversationStorage = storage) {
  const userState = new UserState(storage);
  const conversationState = new ConversationState(conversationStorage);
  const profile = userState.createProperty<PersonProfile>('profile');
  const locale: Middleware = {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      const saved = await profile.get(context, {});
      setTurnLocale(context, saved.locale ?? defaultLocale);
      await next();
    },
  };
  const dialog = makeDialog(profile);
  const client = new DialogTestClient('test', dialog, undefined, [locale, new AutoSaveStateMiddleware(userState)], conversationState);
  return { client, profile, userState, storage };
}
