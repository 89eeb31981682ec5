/**
 * One-time codes that link a person to a clinician. Pure rules: the shape of a code, how it is
 * read back from what a person types, how it is hashed for storage, and its life cycle.
 *
 * - 8 characters from an alphabet without look-alikes (no I, L, O, 0, 1): 31^8 ≈ 8.5 × 10^11
 *   codes, shown as `ABCD-EFGH`, accepted with or without the dash, spaces or lower case.
 * - Stored only as a keyed digest (HMAC-SHA256 with the pseudonym secret): a copy of the database
 *   does not give the codes away, and nobody can test guesses offline without the secret.
 * - Single use, expiring (72 h by default); 'used' wins over 'expired' so the answer stays stable.
 *
 * Randomness is injected (the caller passes `crypto.randomInt`), so the rules stay reproducible.
 */
import { createHmac } from 'node:crypto';

export const LINK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LINK_CODE_LENGTH = 8;
export const DEFAULT_LINK_CODE_TTL_HOURS = 72;
export const MAX_LINK_CODE_TTL_HOURS = 14 * 24;

/** A uniformly random integer in [0, max): `crypto.randomInt` in production. */
export type RandomIndex = (max: number) => number;

export function generateLinkCode(randomIndex: RandomIndex): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) {
    const index = randomIndex(LINK_CODE_ALPHABET.length);
    if (!Number.isInteger(index) || index < 0 || index >= LINK_CODE_ALPHABET.length) throw new RangeError('randomIndex out of range');
    code += LINK_CODE_ALPHABET[index];
  }
  return code;
}

/**
 * The canonical code (8 upper-case characters) from what was typed — "abcd-efgh", "ABCD EFGH",
 * " abcdefgh " — or undefined when it cannot be a code (wrong length, a character outside the
 * alphabet). Never guesses: an O typed for a 0 is simply not a code (neither is in the alphabet).
 */
export function normalizeLinkCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined;
  const compact = input.replace(/[\s\-–—_.]/g, '').toUpperCase();
  if (compact.length !== LINK_CODE_LENGTH) return undefined;
  for (const char of compact) if (!LINK_CODE_ALPHABET.includes(char)) return undefined;
  return compact;
}

/** Finds a code inside a short message ("mon code : ABCD-EFGH", "code abcd efgh"). */
export function extractLinkCode(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length > 120) return undefined;
  const whole = normalizeLinkCode(text);
  if (whole) return whole;
  // Words separated by anything but letters and digits; a code is one 8-character word or two
  // 4-character words in a row ("abcd efgh", "ABCD-EFGH").
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const candidates: string[] = [];
  words.forEach((word, i) => {
    if (word.length === LINK_CODE_LENGTH) candidates.push(word);
    const next = words[i + 1];
    if (word.length === 4 && next?.length === 4) candidates.push(word + next);
  });
  const codes = [...new Set(candidates.map(normalizeLinkCode).filter((c): c is string => Boolean(c)))];
  // Two different candidates: we cannot tell which one the person meant.
  return codes.length === 1 ? codes[0] : undefined;
}

/** `ABCD-EFGH`, for display. */
export function formatLinkCode(code: string): string {
  const canonical = normalizeLinkCode(code);
  if (!canonical) throw new TypeError('not a link code');
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/** The storage key of a code: keyed, so the stored digest cannot be brute-forced without the secret. */
export function linkCodeDigest(secret: string, code: string): string {
  if (!secret) throw new TypeError('linkCodeDigest: a secret is required');
  const canonical = normalizeLinkCode(code);
  if (!canonical) throw new TypeError('linkCodeDigest: not a link code');
  return createHmac('sha256', secret).update(`linkcode\u0000${canonical}`, 'utf8').digest('hex');
}

/** What is stored for one code (no code in clear, no person key). */
export interface LinkCodeRecord {
  readonly kind: 'linkCode';
  readonly schemaVersion: 1;
  /** The clinician who asked for the code (Teams AAD object id). */
  readonly clinicianId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Set once, when a person redeems it. */
  readonly usedAt?: string;
  /** The person it linked (pseudonymous id), for the clinician's audit; set with usedAt. */
  readonly usedBy?: string;
}

export type LinkCodeState = 'valid' | 'expired' | 'used';

export function linkCodeState(record: Pick<LinkCodeRecord, 'expiresAt' | 'usedAt'>, now: Date): LinkCodeState {
  if (record.usedAt) return 'used';
  const expires = Date.parse(record.expiresAt);
  if (Number.isNaN(expires) || expires <= now.getTime()) return 'expired';
  return 'valid';
}

export function newLinkCodeRecord(clinicianId: string, now: Date, ttlHours: number = DEFAULT_LINK_CODE_TTL_HOURS): LinkCodeRecord {
  if (!clinicianId) throw new TypeError('newLinkCodeRecord: a clinician id is required');
  const hours = clampTtl(ttlHours);
  return {
    kind: 'linkCode',
    schemaVersion: 1,
    clinicianId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
  };
}

/** Marks a valid code used; returns the same record when it is not valid any more. */
export function useLinkCode(record: LinkCodeRecord, personId: string, now: Date): LinkCodeRecord {
  if (linkCodeState(record, now) !== 'valid') return record;
  return { ...record, usedAt: now.toISOString(), usedBy: personId };
}

export function clampTtl(hours: number): number {
  if (!Number.isFinite(hours) || hours <= 0) return DEFAULT_LINK_CODE_TTL_HOURS;
  return Math.min(Math.max(hours, 1), MAX_LINK_CODE_TTL_HOURS);
}

export function isLinkCodeRecord(value: unknown): value is LinkCodeRecord {
  const v = value as Partial<LinkCodeRecord> | null;
  return !!v && typeof v === 'object' && v.kind === 'linkCode' && typeof v.clinicianId === 'string' && typeof v.expiresAt === 'string';
}
