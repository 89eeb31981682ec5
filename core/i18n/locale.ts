/** The locales Petits pas speaks. French first: it is the default everywhere. */
export const SUPPORTED_LOCALES = ['fr-CA', 'en-CA'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: Locale = 'fr-CA';

/**
 * Maps whatever a channel sends ("fr", "fr-ca", "FR_CA", "fr-FR", "en-us", "en") to a locale we
 * speak, or undefined when the language is not one of ours. Any French becomes fr-CA and any
 * English en-CA: the content is written for Quebec, and a close dialect beats a refusal.
 */
export function normalizeLocale(raw: string | undefined | null): Locale | undefined {
  if (typeof raw !== 'string') return undefined;
  const language = raw.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'fr') return 'fr-CA';
  if (language === 'en') return 'en-CA';
  return undefined;
}

/** The person's saved choice, else the channel's locale, else the configured default. */
export function resolveLocale(saved: string | undefined, activityLocale: string | undefined, fallback: Locale): Locale {
  return normalizeLocale(saved) ?? normalizeLocale(activityLocale) ?? fallback;
}
