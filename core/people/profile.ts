import type { Consents } from '../consent/consent';
import type { Locale } from '../i18n/locale';

/** What Petits pas keeps about a person between turns (besides their plan and measures). */
export interface PersonProfile {
  locale?: Locale;
  timeZone?: string;
  consents?: Consents;
  welcomedAt?: string;
  onboardedAt?: string;
  /** Start of the guided programme (week 1). */
  programmeStartedAt?: string;
  /** What the person reported at the eligibility check (for orientation, never a diagnosis). */
  reported?: Array<'ptsd' | 'ocd' | 'social_anxiety'>;
  lastActiveAt?: string;
}

/** Time zones offered as buttons; any valid IANA zone typed freely is accepted too. */
export const CANADIAN_TIME_ZONES = [
  'America/St_Johns',
  'America/Halifax',
  'America/Toronto',
  'America/Winnipeg',
  'America/Regina',
  'America/Edmonton',
  'America/Vancouver',
] as const;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
}
