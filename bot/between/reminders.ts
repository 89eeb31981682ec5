/**
 * The reminders' words and buttons, and how to recognise a click on them later.
 *
 * Buttons send their own title back (imBack), like every button of Petits pas:
 * - "Faire le point" / "Check in" — the same words as the main menu's check-in option;
 * - "Répondre au questionnaire" / "Answer the questionnaire";
 * - "Plus tard" / "Later" — a snooze, but only right after a reminder (see BetweenSessions.snooze):
 *   the same word answers many other questions.
 */
import type { Activity } from 'botbuilder';
import type { Texts } from '../../content/texts';
import { simplify } from '../../core/conversation/globalCommands';
import { SUPPORTED_LOCALES, type Locale } from '../../core/i18n/locale';
import { formatMoment } from '../../dialogs/measures/betweenDialogBase';
import { withButtons } from '../../dialogs/replies';

export type ReminderKind = 'checkin' | 'measure';
export type ReminderReply = 'checkin' | 'measure' | 'later';

export function checkinReminder(texts: Texts, locale: Locale, options: { sooner?: boolean } = {}): Partial<Activity>[] {
  const text = texts.t(locale, options.sooner ? 'checkin.reminder.sooner' : 'checkin.reminder.text');
  return [withButtons(text, [texts.t(locale, 'checkin.reminder.go'), texts.t(locale, 'checkin.reminder.later')])];
}

/** The questionnaire reminder also offers the check-in (it replaces the check-in reminder of that slot). */
export function measureReminder(texts: Texts, locale: Locale): Partial<Activity>[] {
  const buttons = [texts.t(locale, 'measures.reminder.go'), texts.t(locale, 'checkin.reminder.go'), texts.t(locale, 'measures.reminder.later')];
  return [withButtons(texts.t(locale, 'measures.reminder.text'), buttons)];
}

/** Which reminder button a message is (in either language), if any. Exact words only. */
export function matchReminderReply(texts: Texts, text: string | undefined): ReminderReply | undefined {
  if (typeof text !== 'string' || text.length > 60) return undefined;
  const said = simplify(text);
  if (!said) return undefined;
  for (const locale of SUPPORTED_LOCALES) {
    if (said === simplify(texts.t(locale, 'measures.reminder.go'))) return 'measure';
    if (said === simplify(texts.t(locale, 'checkin.reminder.go'))) return 'checkin';
    if (said === simplify(texts.t(locale, 'checkin.reminder.later')) || said === simplify(texts.t(locale, 'measures.reminder.later'))) return 'later';
  }
  return undefined;
}

/** "D'accord, je te le rappelle mardi 11 mars à 20 h." */
export function snoozedText(texts: Texts, locale: Locale, at: Date, timeZone: string): string {
  return texts.t(locale, 'checkin.reminder.snoozed', { when: formatMoment(locale, at, timeZone) });
}
