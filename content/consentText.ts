import { consentVersion } from '../core/consent/consent';
import { SUPPORTED_LOCALES } from '../core/i18n/locale';
import type { Content } from './loader';
import type { MessageTree } from './schema';

/** The version of the consent texts as people read them now, in every locale. */
export function consentVersionOf(content: Content): string {
  const texts = SUPPORTED_LOCALES.flatMap((locale) => leavesOf(((content.locales[locale].messages.onboarding as MessageTree | undefined)?.consent ?? {}) as MessageTree));
  return consentVersion(texts);
}

function leavesOf(tree: MessageTree | string | string[]): string[] {
  if (typeof tree === 'string') return [tree];
  if (Array.isArray(tree)) return tree;
  return Object.keys(tree)
    .sort()
    .flatMap((key) => leavesOf(tree[key]));
}
