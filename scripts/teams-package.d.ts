/** Types for scripts/teams-package.js (plain Node), so the TypeScript tests can import it. */

export declare const DEFAULT_OUTPUT: string;
export declare const TEAMS_DIR: string;

export declare class PackageError extends Error {}

export interface PackageArgs {
  appId?: string;
  domain?: string;
  version?: string;
  out?: string;
  skipValidation?: boolean;
  help?: boolean;
}

export type PlaceholderValues = Record<'MICROSOFT_APP_ID' | 'BOT_DOMAIN' | 'APP_VERSION' | 'WEBSITE_URL' | 'PRIVACY_URL' | 'TERMS_URL', string>;

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export declare function parseArgs(argv: readonly string[]): PackageArgs;
export declare function resolveValues(options?: { args?: PackageArgs; env?: Record<string, string | undefined>; packageVersion?: string }): PlaceholderValues;
export declare function fillPlaceholders<T>(document: T, values: Record<string, string>, source?: string): T;
export declare function buildEntries(
  values: Record<string, string>,
  teamsDir?: string,
): { manifest: Record<string, any>; localizations: Record<string, Record<string, unknown>>; entries: ZipEntry[] };
export declare function createZip(entries: readonly ZipEntry[]): Buffer;
export declare function crc32(data: Uint8Array): number;
export declare function unicodeSafeSchema<T>(schema: T): T;
export declare function loadSchemas(manifestVersion: string): { ManifestUtil: unknown; manifest: Record<string, any>; localization?: Record<string, any> } | undefined;
export declare function buildPackage(options?: {
  args?: PackageArgs;
  env?: Record<string, string | undefined>;
  teamsDir?: string;
}): Promise<{ out: string; values: PlaceholderValues; manifest: Record<string, any>; files: string[]; validated: boolean }>;
export declare function main(argv?: readonly string[]): Promise<number>;
