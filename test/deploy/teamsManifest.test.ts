import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { ManifestUtil } from '@microsoft/app-manifest';
import { parseClinicianCommand } from '../../core/clinicians/commands';
import { matchGlobalCommand } from '../../core/conversation/globalCommands';
import {
  buildEntries,
  createZip,
  DEFAULT_OUTPUT,
  PackageError,
  parseArgs,
  resolveValues,
  unicodeSafeSchema,
  type PlaceholderValues,
} from '../../scripts/teams-package';

/**
 * The Teams app package: the manifest template filled in validates against the Teams JSON schema
 * bundled in @microsoft/app-manifest (offline: any network use fails the test), the icons have the
 * sizes and colours Teams demands, and scripts/teams-package.js writes a zip that reads back intact.
 */

// @microsoft/app-manifest requires strip-bom 5, which is an ES module only: plain Node (>= 20.19) loads
// it with require(), jest's module runtime cannot. This stands in for it (the same one-line function).
jest.mock('../../node_modules/@microsoft/app-manifest/node_modules/strip-bom/index.js', () => ({
  __esModule: true,
  default: (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
}));

const ROOT = join(__dirname, '..', '..');
const TEAMS = join(ROOT, 'teams');
const SCRIPT = join(ROOT, 'scripts', 'teams-package.js');
const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const DOMAIN = 'petitspas-app-abc123.azurewebsites.net';
const run = promisify(execFile);

const template = JSON.parse(readFileSync(join(TEAMS, 'manifest.template.json'), 'utf8'));
const schemaDir = join(ROOT, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', `v${template.manifestVersion}`);
const values: PlaceholderValues = resolveValues({ args: { appId: APP_ID, domain: DOMAIN }, env: {}, packageVersion: '1.2.3' });

type Validate = (document: unknown, schema: unknown) => Promise<string[]>;
const validate = ManifestUtil.validateManifestAgainstSchema.bind(ManifestUtil) as unknown as Validate;

function loadSchema(file: string): Record<string, unknown> {
  return unicodeSafeSchema(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Record<string, unknown>);
}

// --- a PNG reader (8-bit RGBA, all five filter types) and a ZIP reader, independent of the writers ---

function readPng(buffer: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(buffer.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]); // 8-bit, RGBA, not interlaced
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const byte = raw[y * (stride + 1) + 1 + x];
      const left = x >= 4 ? rgba[y * stride + x - 4] : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x] : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4] : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter];
      rgba[y * stride + x] = (byte + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(data: Buffer): number {
  let value = 0xffffffff;
  for (const byte of data) value = CRC_TABLE[(value ^ byte) & 0xff] ^ (value >>> 8);
  return (value ^ 0xffffffff) >>> 0;
}

/** Reads a zip through its central directory, inflating each entry and checking sizes and CRC-32. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  const directoryOffset = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const expectedCrc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    expect(zip.toString('utf8', localOffset + 30, localOffset + 30 + zip.readUInt16LE(localOffset + 26))).toBe(name);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(dataStart, dataStart + compressedSize);
    expect([name, method === 0 || method === 8]).toEqual([name, true]);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect([name, data.length, crc(data)]).toEqual([name, size, expectedCrc]);
    expect(name).not.toMatch(/[\\/]/); // everything at the root of the archive, as Teams requires
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe('Teams app package', () => {
  let fetchSpy: jest.SpyInstance;
  beforeAll(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(() => {
      throw new Error('the Teams manifest validation must not use the network');
    });
  });
  afterAll(() => {
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  describe('manifest', () => {
    const { manifest, localizations } = buildEntries(values);

    it('uses a manifest version whose schema ships with @microsoft/app-manifest', () => {
      expect(Number(template.manifestVersion)).toBeGreaterThanOrEqual(1.19);
      expect(template.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.schema.json`);
      expect(() => readFileSync(join(schemaDir, 'MicrosoftTeams.schema.json'))).not.toThrow();
    });

    it('has only the documented placeholders, all filled in', () => {
      const placeholders = new Set([...JSON.stringify(template).matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]));
      expect([...placeholders].sort()).toEqual(['APP_VERSION', 'BOT_DOMAIN', 'MICROSOFT_APP_ID', 'PRIVACY_URL', 'TERMS_URL', 'WEBSITE_URL']);
      expect(JSON.stringify(manifest)).not.toContain('${');
      expect(manifest.id).toBe(APP_ID);
      expect(manifest.version).toBe('1.2.3');
      expect(manifest.validDomains).toEqual([DOMAIN]);
      expect(manifest.developer.websiteUrl).toBe(`https://${DOMAIN}/`);
    });

    it('validates against the bundled Teams schema, offline', async () => {
      expect(await validate(manifest, loadSchema('MicrosoftTeams.schema.json'))).toEqual([]);
    });

    it('is really checked: a broken manifest is reported', async () => {
      const broken = { ...manifest, name: { short: 'x'.repeat(31) }, bots: [{ ...manifest.bots[0], botId: 'not-a-guid' }] };
      const problems = await validate(broken, loadSchema('MicrosoftTeams.schema.json'));
      expect(problems.some((p) => p.startsWith('/name/short'))).toBe(true);
      expect(problems.some((p) => p.startsWith('/bots/0/botId'))).toBe(true);
    });

    it('is French (fr-CA) by default with an English localization file that validates', async () => {
      expect(manifest.localizationInfo.defaultLanguageTag).toBe('fr-CA');
      expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'en', file: 'en.json' }]);
      const schema = loadSchema('MicrosoftTeams.Localization.schema.json');
      expect(await validate(localizations['en.json'], schema)).toEqual([]);
      expect((await validate({ ...localizations['en.json'], 'bots[0].unknown': 'x' }, schema)).length).toBeGreaterThan(0);
    });

    it('translates every user-visible string of the manifest, and nothing else', () => {
      const expected = ['name.short', 'name.full', 'description.short', 'description.full'];
      manifest.bots[0].commandLists.forEach((list: { commands: Array<Record<string, string>> }, l: number) =>
        list.commands.forEach((command, c) => {
          for (const field of ['title', 'description']) if (command[field]) expected.push(`bots[0].commandLists[${l}].commands[${c}].${field}`);
        }),
      );
      const english = localizations['en.json'];
      expect(Object.keys(english).filter((key) => key !== '$schema').sort()).toEqual(expected.sort());
      for (const key of expected) expect([key, typeof english[key], (english[key] as string).length > 0]).toEqual([key, 'string', true]);
      expect(english.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
    });

    it('declares one conversational bot for people (personal) and the clinicians (team, group chat)', () => {
      expect(manifest.bots).toHaveLength(1);
      const [bot] = manifest.bots;
      expect(bot.botId).toBe(APP_ID);
      expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
      expect(bot.isNotificationOnly).toBe(false);
      expect(bot.supportsFiles).toBe(false);
      expect(manifest.webApplicationInfo).toBeUndefined(); // no SSO, no tab: nothing to declare
      expect(manifest.authorization).toBeUndefined(); // no resource-specific consent: the bot reads only what is sent to it
    });

    it('lists the commands in French and English, and the people commands are words the bot understands', () => {
      const english = localizations['en.json'] as Record<string, string>;
      const lists = manifest.bots[0].commandLists as Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
      const personal = lists.findIndex((list) => list.scopes.includes('personal'));
      const clinicians = lists.findIndex((list) => list.scopes.includes('team'));
      expect(lists[personal].scopes).toEqual(['personal']);
      expect([...lists[clinicians].scopes].sort()).toEqual(['groupChat', 'team']);
      const titles = (index: number) => lists[index].commands.map((command) => command.title);
      const englishTitles = (index: number) => lists[index].commands.map((_, c) => english[`bots[0].commandLists[${index}].commands[${c}].title`]);

      expect(titles(personal)).toEqual(['menu', 'aide', 'urgence']);
      expect(englishTitles(personal)).toEqual(['menu', 'help', 'emergency']);
      expect(titles(clinicians)).toEqual(expect.arrayContaining(['code', 'résumé']));
      expect(englishTitles(clinicians)).toEqual(expect.arrayContaining(['code', 'summary']));
      // A command picked from the Teams menu is sent as its title: the bot's global words must know it.
      for (const title of [...titles(personal), ...englishTitles(personal)]) expect([title, matchGlobalCommand(title)]).not.toEqual([title, undefined]);
      expect(titles(personal).map(matchGlobalCommand)).toEqual(['menu', 'help', 'emergency']);
      expect(englishTitles(personal).map(matchGlobalCommand)).toEqual(['menu', 'help', 'emergency']);
      // In the clinicians' channel the bot reads them as clinician commands (résumé then asks for the pseudonym).
      for (const title of [...titles(clinicians), ...englishTitles(clinicians)]) {
        expect([title, parseClinicianCommand(title, 'channel')]).not.toEqual([title, undefined]);
      }
      expect(titles(clinicians).map((t) => parseClinicianCommand(t, 'channel')?.command.kind)).toEqual(['newCode', 'missingPerson', 'help']);
    });
  });

  describe('icons', () => {
    it('color.png is 192x192 with an opaque coloured background', () => {
      const { width, height, rgba } = readPng(readFileSync(join(TEAMS, 'color.png')));
      expect([width, height]).toEqual([192, 192]);
      const centre = (96 * 192 + 20) * 4; // inside the background, left of the drawing
      expect(rgba[centre + 3]).toBe(255);
      expect([rgba[centre], rgba[centre + 1], rgba[centre + 2]]).not.toEqual([255, 255, 255]);
    });

    it('outline.png is 32x32, white on a transparent background', () => {
      const { width, height, rgba } = readPng(readFileSync(join(TEAMS, 'outline.png')));
      expect([width, height]).toEqual([32, 32]);
      let visible = 0;
      let transparent = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) transparent++;
        else {
          visible++;
          expect([rgba[i], rgba[i + 1], rgba[i + 2]]).toEqual([255, 255, 255]);
        }
      }
      expect(visible).toBeGreaterThan(50);
      expect(transparent).toBeGreaterThan(50);
    });
  });

  describe('scripts/teams-package.js', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const cleanEnv = (): NodeJS.ProcessEnv => {
      const env = { ...process.env };
      for (const name of ['MICROSOFT_APP_ID', 'MicrosoftAppId', 'BOT_DOMAIN', 'PUBLIC_BASE_URL', 'TEAMS_APP_VERSION', 'TEAMS_WEBSITE_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']) {
        delete env[name];
      }
      return env;
    };

    it('writes dist/teams/petits-pas-teams.zip by default', () => {
      expect(DEFAULT_OUTPUT).toBe(join(ROOT, 'dist', 'teams', 'petits-pas-teams.zip'));
    });

    it('refuses to build without the app id and the domain, naming both', async () => {
      const failure = await run(process.execPath, [SCRIPT, '--out', join(dir, 'never.zip')], { env: cleanEnv() }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('MICROSOFT_APP_ID is missing');
      expect(failure?.stderr).toContain('BOT_DOMAIN is missing');
      expect(() => readFileSync(join(dir, 'never.zip'))).toThrow();
    });

    it('explains bad values', () => {
      const attempt = (args: Parameters<typeof parseArgs>[0], env: Record<string, string> = {}) => () =>
        resolveValues({ args: parseArgs(args), env, packageVersion: '0.1.0' });
      expect(attempt(['--app-id', 'abc', '--domain', DOMAIN])).toThrow(/MICROSOFT_APP_ID must be a GUID/);
      expect(attempt(['--app-id', APP_ID, '--domain', 'https://example.ca:8443'])).toThrow(/must not carry a port/);
      expect(attempt(['--app-id', APP_ID, '--domain', 'not a host'])).toThrow(/must be a host name/);
      expect(attempt(['--app-id', APP_ID, '--domain', DOMAIN, '--version', '1.0'])).toThrow(/APP_VERSION must look like 1\.2\.3/);
      expect(attempt(['--app-id', APP_ID, '--domain', DOMAIN], { TEAMS_PRIVACY_URL: 'http://example.ca/privacy' })).toThrow(/TEAMS_PRIVACY_URL must be an https URL/);
      expect(attempt(['--bogus'])).toThrow(PackageError);
    });

    it('takes the values from the environment the bot uses, and a URL for the domain', () => {
      const resolved = resolveValues({
        env: { MicrosoftAppId: APP_ID.toUpperCase(), PUBLIC_BASE_URL: `https://${DOMAIN}/`, TEAMS_PRIVACY_URL: 'https://example.ca/confidentialite' },
        packageVersion: '0.1.0',
      });
      expect(resolved).toEqual({
        MICROSOFT_APP_ID: APP_ID,
        BOT_DOMAIN: DOMAIN,
        APP_VERSION: '0.1.0',
        WEBSITE_URL: `https://${DOMAIN}/`,
        PRIVACY_URL: 'https://example.ca/confidentialite',
        TERMS_URL: `https://${DOMAIN}/`,
      });
      expect(resolveValues({ args: { appId: APP_ID, domain: `https://${DOMAIN}` }, packageVersion: '0.1.0' }).BOT_DOMAIN).toBe(DOMAIN);
    });

    it('packs exactly the manifest, the icons and the localization file, which unzip intact', async () => {
      const out = join(dir, 'petits-pas-teams.zip');
      const { stdout } = await run(process.execPath, [SCRIPT, '--out', out], {
        env: { ...cleanEnv(), MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: DOMAIN, TEAMS_APP_VERSION: '1.2.3' },
      });
      expect(stdout).toContain('validated against the bundled Teams schema (offline)');
      const files = readZip(readFileSync(out));
      expect([...files.keys()].sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png']);
      expect(files.get('color.png')).toEqual(readFileSync(join(TEAMS, 'color.png')));
      expect(files.get('outline.png')).toEqual(readFileSync(join(TEAMS, 'outline.png')));
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
      expect(manifest).toEqual(buildEntries(values).manifest);
      expect(JSON.parse(files.get('en.json')!.toString('utf8'))).toEqual(JSON.parse(readFileSync(join(TEAMS, 'en.json'), 'utf8')));
    });

    it('is reproducible: the same inputs give the same bytes', () => {
      const first = createZip(buildEntries(values).entries);
      const second = createZip(buildEntries(values).entries);
      expect(first.equals(second)).toBe(true);
      expect([...readZip(first).keys()]).toEqual(['manifest.json', 'color.png', 'outline.png', 'en.json']);
    });
  });
});
