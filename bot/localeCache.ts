import type { TurnContext } from 'botbuilder';
import { resolveLocale, type Locale } from '../core/i18n/locale';
import { personKeyOf } from './turnKeys';

/**
 * The person's language without a storage read: the bot records the resolved locale each turn,
 * and the safety middleware (which must not wait on storage) reads it from here, falling back to
 * the channel's locale and the default. Bounded, least recently used first out.
 */
export class LocaleCache {
  private readonly byPerson = new Map<string, Locale>();

  constructor(private readonly fallback: Locale, private readonly limit = 10_000) {}

  remember(context: TurnContext, locale: Locale): void {
    const key = personKeyOf(context);
    this.byPerson.delete(key);
    this.byPerson.set(key, locale);
    if (this.byPerson.size > this.limit) this.byPerson.delete(this.byPerson.keys().next().value as string);
  }

  localeOf(context: TurnContext): Locale {
    return resolveLocale(this.byPerson.get(personKeyOf(context)), context.activity.locale, this.fallback);
  }
}
