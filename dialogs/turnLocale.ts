import type { TurnContext } from 'botbuilder';
import { FALLBACK_LOCALE, type Locale } from '../core/i18n/locale';

const LOCALE_KEY = Symbol('petitsPas.locale');

/** The locale resolved once at the start of a turn, readable by middleware and dialogs alike. */
export function setTurnLocale(context: TurnContext, locale: Locale): void {
  context.turnState.set(LOCALE_KEY, locale);
}

export function turnLocale(context: TurnContext): Locale {
  return (context.turnState.get(LOCALE_KEY) as Locale | undefined) ?? FALLBACK_LOCALE;
}
