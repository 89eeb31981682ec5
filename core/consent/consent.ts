import { createHash } from 'node:crypto';

/**
 * Consent as Quebec's Law 25 wants it: separate purposes (keeping data; sharing with a clinician),
 * each recorded with the version of the text the person saw and when. The version is derived from
 * the consent texts themselves, so editing them re-asks everyone without anyone bumping a number.
 */
export type ConsentPurpose = 'store' | 'share';

export interface ConsentRecord {
  readonly granted: boolean;
  readonly version: string;
  readonly at: string;
}

export type Consents = Partial<Record<ConsentPurpose, ConsentRecord>>;

/** A short, stable fingerprint of the consent texts in every locale. */
export function consentVersion(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text.normalize('NFC')).update('\u0000');
  return `c-${hash.digest('hex').slice(0, 12)}`;
}

/** Storing is allowed only with a granted consent to the current text. */
export function mayStore(consents: Consents | undefined, currentVersion: string): boolean {
  const store = consents?.store;
  return Boolean(store?.granted && store.version === currentVersion);
}

export function mayShare(consents: Consents | undefined, currentVersion: string): boolean {
  return mayStore(consents, currentVersion) && Boolean(consents?.share?.granted);
}

/** Ask (again) when never answered, or when the text changed since a grant. A refusal stands until the person asks to restart. */
export function needsConsentQuestion(consents: Consents | undefined, currentVersion: string): boolean {
  const store = consents?.store;
  if (!store) return true;
  return store.granted && store.version !== currentVersion;
}

export function record(granted: boolean, version: string, at: Date): ConsentRecord {
  return { granted, version, at: at.toISOString() };
}
