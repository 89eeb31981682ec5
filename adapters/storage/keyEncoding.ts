/**
 * Turns arbitrary ids and partition keys into names a medium accepts, injectively.
 *
 * Bytes outside a small safe set are escaped as `_xx` (UTF-8, lowercase hex), so short keys stay
 * readable for operators. Keys that would be too long once escaped — or are not well-formed
 * UTF-16 (lone surrogates would all collapse to U+FFFD) — become `<readable prefix>~<sha256>`;
 * `~` never appears in an escaped name, so the two forms cannot collide. The stores keep the
 * original key inside the document, so nothing ever needs to decode a name.
 */
import { createHash } from 'node:crypto';

interface NameRules {
  /** Bytes kept as they are; every other byte is escaped. */
  readonly keep: (byte: number) => boolean;
  /** Longest escaped name; longer ones are hashed. */
  readonly maxLength: number;
}

const HASH_PREFIX_LENGTH = 40;

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isLower = (b: number) => b >= 0x61 && b <= 0x7a;
const isUpper = (b: number) => b >= 0x41 && b <= 0x5a;

/**
 * File and folder names: lowercase letters, digits and '-' only. Upper case is escaped so
 * case-insensitive file systems (macOS, Windows) cannot merge two keys; '.' is escaped so no
 * name is '.', '..' or carries an extension of its own.
 */
const FILE_RULES: NameRules = { keep: (b) => isLower(b) || isDigit(b) || b === 0x2d, maxLength: 120 };

/**
 * Cosmos DB ids: no '/', '\\', '?', '#' allowed, and '%' or '.' segments misbehave in resource
 * URLs, so keep letters, digits, '-', ':' and '@' (common in Teams ids) and escape the rest.
 * Cosmos allows 1,023 bytes; 255 leaves room and keeps URLs short.
 */
const COSMOS_ID_RULES: NameRules = {
  keep: (b) => isLower(b) || isUpper(b) || isDigit(b) || b === 0x2d || b === 0x3a || b === 0x40,
  maxLength: 255,
};

/** Windows device names cannot be files even with an extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export function encodeFileName(key: string): string {
  const name = encodeWith(key, FILE_RULES);
  // Escaping the first letter keeps the mapping injective: a kept letter is never escaped otherwise.
  return WINDOWS_RESERVED.test(name) ? `_${name.charCodeAt(0).toString(16)}${name.slice(1)}` : name;
}

export function encodeCosmosId(key: string): string {
  return encodeWith(key, COSMOS_ID_RULES);
}

/**
 * Partition key values travel as JSON in a header, not in the URL, so they are kept as they are,
 * except when over Cosmos DB's limit (2,048 bytes; we stop at 1,024), not well-formed, or starting
 * with '~' (which marks the hashed form).
 */
export function cosmosPartitionValue(key: string): string {
  if (isWellFormed(key) && !key.startsWith('~') && Buffer.byteLength(key, 'utf8') <= 1024) return key;
  return `~${sha256Hex(key)}`;
}

function encodeWith(key: string, rules: NameRules): string {
  if (!isWellFormed(key)) return hashed('', key);
  let escaped = '';
  let prefix = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const piece = rules.keep(byte) ? String.fromCharCode(byte) : `_${byte.toString(16).padStart(2, '0')}`;
    if (prefix.length === escaped.length && escaped.length + piece.length <= HASH_PREFIX_LENGTH) prefix += piece;
    escaped += piece;
    if (escaped.length > rules.maxLength) return hashed(prefix, key);
  }
  return escaped.length === 0 ? '_' : escaped;
}

function hashed(prefix: string, key: string): string {
  return `${prefix}~${sha256Hex(key)}`;
}

/** Hashes UTF-16 code units, so even strings with lone surrogates hash distinctly. */
function sha256Hex(key: string): string {
  return createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex');
}

function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
