import i18next, { type i18n } from 'i18next';
import { FALLBACK_LOCALE, SUPPORTED_LOCALES, type Locale } from '../core/i18n/locale';
import type { Content } from './loader';
import type { CrisisResources } from './schema';

export type TextVars = Record<string, string | number>;

/** What dialogs and middleware use to speak: a key and a locale in, the person's text out. */
export interface Texts {
  t(locale: Locale, key: string, vars?: TextVars): string;
  /** For keys holding a list of variants; `seed` picks one deterministically (tests stay stable). */
  variant(locale: Locale, key: string, seed: number, vars?: TextVars): string;
  crisisResources(locale: Locale): CrisisResources;
}

/**
 * Builds the i18next instance from validated content. Missing keys cannot happen after the content
 * check, but if one slips through the person sees the French text rather than a raw key.
 */
export function createTexts(content: Content, onMissingKey: (key: string) => void = () => undefined): Texts {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, { translation: content.locales[locale].messages }])),
    lng: FALLBACK_LOCALE,
    fallbackLng: FALLBACK_LOCALE,
    supportedLngs: [...SUPPORTED_LOCALES],
    load: 'currentOnly',
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => onMissingKey(key),
  });
  const fixed = new Map(SUPPORTED_LOCALES.map((locale) => [locale, instance.getFixedT(locale)]));
  const translate = (locale: Locale, key: string, options: Record<string, unknown>): unknown => (fixed.get(locale) ?? instance.t)(key, options);
  // A turn asks for about 25 texts, nearly all without variables: content never changes while the
  // bot runs, so each (locale, key) is translated once. Texts with variables go to i18next each time.
  const plain = new Map<string, string>();
  const lists = new Map<string, unknown>();
  const memo = <T>(cache: Map<string, T>, locale: Locale, key: string, compute: () => T): T => {
    const id = `${locale}\u0000${key}`;
    let value = cache.get(id);
    if (value === undefined && !cache.has(id)) {
      value = compute();
      // Only known keys are kept: a missing key must reach the missing-key handler every time.
      if (instance.exists(key, { lng: locale })) cache.set(id, value);
    }
    return value as T;
  };
  return {
    t(locale, key, vars) {
      if (vars && hasAny(vars)) return translate(locale, key, vars) as string;
      return memo(plain, locale, key, () => translate(locale, key, {}) as string);
    },
    variant(locale, key, seed, vars) {
      const list = vars && hasAny(vars) ? translate(locale, key, { ...vars, returnObjects: true }) : memo(lists, locale, key, () => translate(locale, key, { returnObjects: true }));
      if (Array.isArray(list) && list.length > 0) return String(list[Math.abs(Math.trunc(seed)) % list.length]);
      return String(list);
    },
    crisisResources(locale) {
      return content.locales[locale].crisisResources;
    },
  };
}

function hasAny(vars: TextVars): boolean {
  for (const _ in vars) return true;
  return false;
}
