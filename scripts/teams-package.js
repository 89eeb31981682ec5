#!/usr/bin/env node
'use strict';
/**
 * Builds the Teams app package (the zip an administrator uploads in the Teams admin center):
 *
 *   MICROSOFT_APP_ID=<bot app id> BOT_DOMAIN=<web app host> node scripts/teams-package.js
 *   node scripts/teams-package.js --app-id <guid> --domain petitspas-app-xxxx.azurewebsites.net [--out file.zip]
 *
 * teams/manifest.template.json gets its ${PLACEHOLDERS} filled in, and the zip holds exactly
 * manifest.json, the two icons and the localization files the manifest names, at the root of the
 * archive (dist/teams/petits-pas-teams.zip by default). Plain Node, no dependency: the ZIP is written
 * here (deflate from node:zlib). When @microsoft/app-manifest is installed (a devDependency) the
 * manifest and its localization files are also checked against the bundled JSON schema, offline.
 *
 * Placeholders and where their values come from (first found wins):
 *   MICROSOFT_APP_ID  --app-id, $MICROSOFT_APP_ID, $MicrosoftAppId           (required, a GUID)
 *   BOT_DOMAIN        --domain, $BOT_DOMAIN, host of $PUBLIC_BASE_URL        (required, a host name)
 *   APP_VERSION       --version, $TEAMS_APP_VERSION, package.json "version"  (x.y.z; raise it on every upload)
 *   WEBSITE_URL       $TEAMS_WEBSITE_URL, else https://BOT_DOMAIN/
 *   PRIVACY_URL       $TEAMS_PRIVACY_URL, else https://BOT_DOMAIN/
 *   TERMS_URL         $TEAMS_TERMS_URL,   else https://BOT_DOMAIN/
 */
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const { deflateRawSync } = require('node:zlib');
const { crc32 } = require('./crc32');

const PROJECT_ROOT = resolve(__dirname, '..');
const TEAMS_DIR = join(PROJECT_ROOT, 'teams');
const TEMPLATE_FILE = 'manifest.template.json';
const DEFAULT_OUTPUT = join(PROJECT_ROOT, 'dist', 'teams', 'petits-pas-teams.zip');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PLACEHOLDER = /\$\{([A-Z0-9_]+)\}/g;

class PackageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PackageError';
  }
}

/** --name value / --name=value / --flag. Unknown options are refused (a typo must not go unnoticed). */
function parseArgs(argv) {
  const known = { '--app-id': 'appId', '--domain': 'domain', '--version': 'version', '--out': 'out' };
  const flags = { '--skip-validation': 'skipValidation', '--help': 'help', '-h': 'help' };
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [name, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if (flags[name] && inline === undefined) {
      args[flags[name]] = true;
    } else if (known[name]) {
      const value = inline !== undefined ? inline : argv[++i];
      if (value === undefined || value === '') throw new PackageError(`${name} needs a value`);
      args[known[name]] = value;
    } else {
      throw new PackageError(`unknown argument "${raw}" (see --help)`);
    }
  }
  return args;
}

function domainFrom(value, origin) {
  let host = value.trim();
  if (host.includes('://')) {
    try {
      const url = new URL(host);
      if (url.port) throw new PackageError(`${origin} must not carry a port (Teams valid domains are plain host names): got "${value}"`);
      host = url.hostname;
    } catch (error) {
      if (error instanceof PackageError) throw error;
      throw new PackageError(`${origin} is not a valid URL or host name: "${value}"`);
    }
  }
  host = host.replace(/\/+$/, '').toLowerCase();
  if (!HOST.test(host)) {
    throw new PackageError(`${origin} must be a host name such as petitspas-app-abc123.azurewebsites.net (no scheme, path or port): got "${value}"`);
  }
  return host;
}

function httpsUrl(value, name) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new PackageError(`${name} must be an https URL: got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new PackageError(`${name} must be an https URL: got "${value}"`);
  return url.toString();
}

/** The placeholder values, from arguments, then the environment, then defaults. Throws one message naming every missing value. */
function resolveValues({ args = {}, env = {}, packageVersion } = {}) {
  const problems = [];
  const pick = (...candidates) => candidates.find((candidate) => typeof candidate === 'string' && candidate.trim() !== '');

  const appId = pick(args.appId, env.MICROSOFT_APP_ID, env.MicrosoftAppId);
  if (!appId) {
    problems.push('MICROSOFT_APP_ID is missing: the Azure Bot\'s app registration (client) id — set MICROSOFT_APP_ID (or MicrosoftAppId) or pass --app-id <guid>');
  } else if (!GUID.test(appId.trim())) {
    problems.push(`MICROSOFT_APP_ID must be a GUID such as 00000000-0000-0000-0000-000000000000: got "${appId}"`);
  }

  let domain;
  const rawDomain = pick(args.domain, env.BOT_DOMAIN);
  try {
    if (rawDomain) domain = domainFrom(rawDomain, 'BOT_DOMAIN');
    else if (pick(env.PUBLIC_BASE_URL)) domain = domainFrom(env.PUBLIC_BASE_URL, 'PUBLIC_BASE_URL');
  } catch (error) {
    problems.push(error.message);
  }
  if (!domain && !problems.some((p) => p.startsWith('BOT_DOMAIN') || p.startsWith('PUBLIC_BASE_URL'))) {
    problems.push('BOT_DOMAIN is missing: the web app\'s host name (output "botDomain" of deploy/azuredeploy.json) — set BOT_DOMAIN or PUBLIC_BASE_URL, or pass --domain <host>');
  }

  const version = pick(args.version, env.TEAMS_APP_VERSION, packageVersion);
  if (!version) problems.push('APP_VERSION is missing: pass --version x.y.z or set TEAMS_APP_VERSION');
  else if (!SEMVER.test(version.trim())) problems.push(`APP_VERSION must look like 1.2.3 (Teams needs a higher version on every upload): got "${version}"`);

  const urls = {};
  if (domain) {
    for (const [placeholder, variable] of [
      ['WEBSITE_URL', 'TEAMS_WEBSITE_URL'],
      ['PRIVACY_URL', 'TEAMS_PRIVACY_URL'],
      ['TERMS_URL', 'TEAMS_TERMS_URL'],
    ]) {
      try {
        urls[placeholder] = httpsUrl(pick(env[variable]) || `https://${domain}/`, variable);
      } catch (error) {
        problems.push(error.message);
      }
    }
  }

  if (problems.length > 0) {
    throw new PackageError(`cannot build the Teams package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return {
    MICROSOFT_APP_ID: appId.trim().toLowerCase(),
    BOT_DOMAIN: domain,
    APP_VERSION: version.trim(),
    ...urls,
  };
}

/**
 * Fills `${NAME}` placeholders in every string of a JSON value (never in keys, never by editing JSON
 * text, so a value cannot break the document). Any placeholder without a value is an error.
 */
function fillPlaceholders(document, values, source = TEMPLATE_FILE) {
  const missing = new Set();
  const walk = (node) => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name) => {
        if (Object.prototype.hasOwnProperty.call(values, name) && typeof values[name] === 'string') return values[name];
        missing.add(name);
        return whole;
      });
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  const filled = walk(document);
  if (missing.size > 0) throw new PackageError(`${source} uses placeholders with no value: ${[...missing].map((n) => `\${${n}}`).join(', ')}`);
  return filled;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PackageError(`${relative(PROJECT_ROOT, path)} is not valid JSON: ${error.message}`);
  }
}

/** The files the manifest points at, relative to teams/: icons, then localization files. */
function referencedFiles(manifest) {
  const files = [manifest.icons && manifest.icons.color, manifest.icons && manifest.icons.outline];
  if (manifest.icons && manifest.icons.color32x32) files.push(manifest.icons.color32x32);
  const info = manifest.localizationInfo || {};
  if (info.defaultLanguageFile) files.push(info.defaultLanguageFile);
  for (const language of info.additionalLanguages || []) files.push(language.file);
  for (const file of files) {
    if (typeof file !== 'string' || file === '' || file.includes('/') || file.includes('\\')) {
      throw new PackageError(`the manifest must name its icons and localization files as plain file names next to it: got "${file}"`);
    }
  }
  return files;
}

/**
 * ajv compiles schema patterns as Unicode regular expressions, where a lone "]" is a syntax error;
 * the bundled Localization schema has two such patterns (activities.activityTypes[...]). Outside a
 * character class a "]" can only mean itself, so escaping it keeps the schema's meaning. Patterns
 * that already compile are left as they are.
 */
function unicodeSafePattern(pattern) {
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    let out = '';
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') {
        out += ch + (pattern[i + 1] ?? '');
        i++;
      } else if (ch === '[' && !inClass) {
        inClass = true;
        out += ch;
      } else if (ch === ']') {
        out += inClass ? ch : '\\]';
        inClass = false;
      } else {
        out += ch;
      }
    }
    return out;
  }
}

function unicodeSafeSchema(node) {
  if (Array.isArray(node)) return node.map(unicodeSafeSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') out[key] = unicodeSafePattern(value);
    else if (key === 'patternProperties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([pattern, sub]) => [unicodeSafePattern(pattern), unicodeSafeSchema(sub)]));
    } else out[key] = unicodeSafeSchema(value);
  }
  return out;
}

/** The schema the manifest declares, from @microsoft/app-manifest's bundled copies (offline); undefined when that package is absent. */
function loadSchemas(manifestVersion) {
  let base;
  try {
    base = dirname(require.resolve('@microsoft/app-manifest/package.json', { paths: [PROJECT_ROOT] }));
  } catch {
    return undefined;
  }
  const folder = join(base, 'build', 'json-schemas', 'teams', `v${manifestVersion}`);
  const manifestSchema = join(folder, 'MicrosoftTeams.schema.json');
  const localizationSchema = join(folder, 'MicrosoftTeams.Localization.schema.json');
  if (!existsSync(manifestSchema)) {
    throw new PackageError(`@microsoft/app-manifest has no schema for manifestVersion ${manifestVersion} (looked for ${manifestSchema})`);
  }
  let ManifestUtil;
  try {
    ManifestUtil = require(require.resolve('@microsoft/app-manifest', { paths: [PROJECT_ROOT] })).ManifestUtil;
  } catch (error) {
    throw new PackageError(
      `@microsoft/app-manifest is installed but cannot be loaded (${error.code || error.name}; it needs Node 20.19+ to require its ES modules): upgrade Node or pass --skip-validation`,
    );
  }
  return {
    ManifestUtil,
    manifest: unicodeSafeSchema(JSON.parse(readFileSync(manifestSchema, 'utf8'))),
    localization: existsSync(localizationSchema) ? unicodeSafeSchema(JSON.parse(readFileSync(localizationSchema, 'utf8'))) : undefined,
  };
}

async function validate(manifest, localizations) {
  const schemas = loadSchemas(manifest.manifestVersion);
  if (!schemas) return { validated: false, problems: [] };
  const problems = (await schemas.ManifestUtil.validateManifestAgainstSchema(manifest, schemas.manifest)).map((p) => `manifest.json${p}`);
  if (schemas.localization) {
    for (const [file, document] of Object.entries(localizations)) {
      const found = await schemas.ManifestUtil.validateManifestAgainstSchema(document, schemas.localization);
      problems.push(...found.map((p) => `${file}${p}`));
    }
  }
  return { validated: true, problems };
}

/** Builds the manifest and the list of zip entries, without writing anything. */
function buildEntries(values, teamsDir = TEAMS_DIR) {
  const manifest = fillPlaceholders(readJson(join(teamsDir, TEMPLATE_FILE)), values);
  const localizations = {};
  const entries = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }];
  for (const file of referencedFiles(manifest)) {
    const path = join(teamsDir, file);
    if (!existsSync(path)) throw new PackageError(`the manifest names teams/${file}, which does not exist`);
    if (file.endsWith('.json')) {
      localizations[file] = fillPlaceholders(readJson(path), values, file);
      entries.push({ name: file, data: Buffer.from(`${JSON.stringify(localizations[file], null, 2)}\n`, 'utf8') });
    } else {
      entries.push({ name: file, data: readFileSync(path) });
    }
  }
  return { manifest, localizations, entries };
}

// --- ZIP writer (PKWARE APPNOTE: local headers, central directory, end record; no ZIP64) ---

/** A fixed timestamp (1980-01-01 00:00, the DOS epoch) keeps the archive byte-for-byte reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Entries `{ name, data }` → ZIP bytes. Deflate when it saves space, else store. */
function createZip(entries) {
  const seen = new Set();
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    if (seen.has(name)) throw new PackageError(`duplicate zip entry ${name}`);
    seen.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Resolves values, builds and (optionally) validates the package, writes the zip. Returns what it did. */
async function buildPackage({ args = {}, env = process.env, teamsDir = TEAMS_DIR } = {}) {
  const packageVersion = readJson(join(PROJECT_ROOT, 'package.json')).version;
  const values = resolveValues({ args, env, packageVersion });
  const { manifest, localizations, entries } = buildEntries(values, teamsDir);
  let validated = false;
  if (!args.skipValidation) {
    const result = await validate(manifest, localizations);
    if (result.problems.length > 0) {
      throw new PackageError(`the manifest does not match the Teams schema v${manifest.manifestVersion}:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    validated = result.validated;
  }
  const out = resolve(args.out || DEFAULT_OUTPUT);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, createZip(entries));
  return { out, values, manifest, files: entries.map((e) => e.name), validated };
}

const USAGE = `Usage: node scripts/teams-package.js [--app-id <guid>] [--domain <host>] [--version x.y.z] [--out <file.zip>] [--skip-validation]
Values also come from MICROSOFT_APP_ID (or MicrosoftAppId), BOT_DOMAIN (or PUBLIC_BASE_URL), TEAMS_APP_VERSION,
TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL. Default output: ${relative(PROJECT_ROOT, DEFAULT_OUTPUT)}\n`;

async function main(argv = process.argv.slice(2)) {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const result = await buildPackage({ args });
    process.stdout.write(
      `Teams package written: ${relative(process.cwd(), result.out) || result.out}\n` +
        `  app id ${result.values.MICROSOFT_APP_ID}, domain ${result.values.BOT_DOMAIN}, version ${result.values.APP_VERSION}, manifest v${result.manifest.manifestVersion}\n` +
        `  files: ${result.files.join(', ')}\n` +
        `  ${result.validated ? 'validated against the bundled Teams schema (offline)' : 'schema validation skipped (@microsoft/app-manifest not installed, or --skip-validation)'}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof PackageError) {
      process.stderr.write(`teams:package: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}

module.exports = {
  DEFAULT_OUTPUT,
  TEAMS_DIR,
  PackageError,
  parseArgs,
  resolveValues,
  fillPlaceholders,
  buildEntries,
  createZip,
  crc32,
  unicodeSafeSchema,
  loadSchemas,
  buildPackage,
  main,
};
