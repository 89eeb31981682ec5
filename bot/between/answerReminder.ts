import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { Texts } from '../../content/texts';
import { DialogIds } from '../../dialogs/dialogIds';
import { turnLocale } from '../../dialogs/turnLocale';
import type { BetweenSessions } from './betweenSessions';
import { matchReminderReply, snoozedText } from './reminders';

/**
 * A click on a reminder's button ("Faire le point", "Répondre au questionnaire", "Plus tard"),
 * possibly hours after the reminder: opens the right dialog, or snoozes. Returns true when handled.
 * "Plus tard" only counts within a day of a reminder, so the word stays free in other dialogs.
 */
export async function answerReminder(
  context: TurnContext,
  dc: DialogContext,
  deps: { texts: Texts; between: BetweenSessions | undefined; personKeyOf: (context: TurnContext) => string },
): Promise<boolean> {
  const reply = matchReminderReply(deps.texts, context.activity.text);
  if (!reply || !deps.between) return false;
  const personKey = deps.personKeyOf(context);
  if (reply !== 'measure' && !(await deps.between.recentPrompt(personKey))) return false;
  if (reply === 'later') {
    const snoozed = await deps.between.snooze(personKey, new Date());
    if (!snoozed) return false;
    await context.sendActivity(snoozedText(deps.texts, turnLocale(context), snoozed.at, snoozed.timeZone));
    return true;
  }
  await dc.cancelAllDialogs();
  await dc.beginDialog(DialogIds.main, reply === 'checkin' ? { startWith: 'checkin', startOptions: { fromReminder: true } } : { startWith: 'measures', startOptions: { battery: true } });
  return true;
}
