import type { Activity } from 'botbuilder';
import type { Texts } from '../content/texts';
import type { Locale } from '../core/i18n/locale';
import { withButtons } from './replies';

/**
 * The crisis replies. Built from content already in memory: sending them never touches storage,
 * so they go out even when the database is down.
 */
export function crisisResourcesText(texts: Texts, locale: Locale): string {
  const resources = texts.crisisResources(locale);
  const line = (r: { name: string; contact: string; detail: string }) => `- ${texts.t(locale, 'crisis.resourceLine', r)}`;
  return [`**${texts.t(locale, 'crisis.resourcesTitle')}**`, ...resources.resources.map(line), line(resources.elsewhere)].join('\n');
}

export function askSafeActivity(texts: Texts, locale: Locale, key: 'crisis.askSafe' | 'crisis.unclearSafe' = 'crisis.askSafe'): Partial<Activity> {
  return withButtons(texts.t(locale, key), [texts.t(locale, 'crisis.safeYes'), texts.t(locale, 'crisis.safeNo')]);
}

/** Crisis lines first, then "are you safe right now?". */
export function crisisOpening(texts: Texts, locale: Locale, introKey: 'crisis.intro' | 'crisis.emergencyIntro'): Partial<Activity>[] {
  return [
    { type: 'message', text: texts.t(locale, introKey) },
    { type: 'message', text: crisisResourcesText(texts, locale), textFormat: 'markdown' },
    askSafeActivity(texts, locale),
  ];
}

export function askSuicideActivity(texts: Texts, locale: Locale): Partial<Activity>[] {
  return [
    { type: 'message', text: texts.t(locale, 'crisis.concernReflect') },
    withButtons(texts.t(locale, 'crisis.askSuicide'), [texts.t(locale, 'crisis.yes'), texts.t(locale, 'crisis.no')]),
  ];
}

export function resumeOfferActivity(texts: Texts, locale: Locale): Partial<Activity> {
  return withButtons(texts.t(locale, 'crisis.resumeOffer'), [texts.t(locale, 'crisis.resume'), texts.t(locale, 'menu.options.safetyPlan'), texts.t(locale, 'crisis.menu')]);
}
