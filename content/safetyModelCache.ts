/**
 * A disk cache of the trained risk model, so the bot (and each test file) does not retrain the
 * same model from the same examples at every start: training an ensemble takes seconds, reading
 * it back a few milliseconds.
 *
 * A cached model is used only for exactly the inputs it was trained on. Its key is a SHA-256 of
 * the code that normalises, matches, extracts features and trains (every file of core/safety and
 * the content loaders of the safety screen), the parsed lexicon, every example with its label,
 * the training options and the Node version. Change any of them and the model is trained again.
 * The file ends with a SHA-256 of its body; a torn or damaged file is never read as a model.
 *
 * The cache is best-effort: a folder that cannot be read or written only means training at start.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { decodeRiskModel, encodeRiskModel } from '../core/safety/model/modelFile';
import type { RiskModel } from '../core/safety/model/riskModel';

const FILE_PREFIX = 'risk-model-';
const FILE_SUFFIX = '.bin';
const DIGEST_BYTES = 32;
/**
 * Models kept: the built bot and the tests (TypeScript sources, so another code digest) each have
 * theirs, and an editor may switch branches; older ones are removed (11 MB each).
 */
export const MAX_CACHED_MODELS = 4;

/** Where the model is cached by default: with the project's dependencies, like other tools' caches. */
export function defaultModelCacheDir(root: string): string | undefined {
  const modules = join(root, 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'petits-pas') : undefined;
}

let codeDigest: string | undefined;

/** SHA-256 of the source of the code a model depends on (.ts under ts-jest, .js when built). */
export function safetyCodeDigest(): string {
  if (codeDigest) return codeDigest;
  const codeRoot = resolve(__dirname, '..');
  const ext = extname(__filename);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(ext)) files.push(path);
    }
  };
  walk(join(codeRoot, 'core', 'safety'));
  files.push(join(codeRoot, 'core', `seededRandom${ext}`));
  for (const name of readdirSync(join(codeRoot, 'content')).sort()) if (name.startsWith('safety') && name.endsWith(ext)) files.push(join(codeRoot, 'content', name));
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(codeRoot.length)).update('\0').update(readFileSync(file)).update('\0');
  codeDigest = hash.digest('hex');
  return codeDigest;
}

/** The key of a model trained on these inputs (each part is hashed in order, with a separator). */
export function modelKey(parts: readonly string[]): string {
  const hash = createHash('sha256').update(safetyCodeDigest()).update('\0').update(process.version);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex');
}

export interface CachedModel {
  readonly model: RiskModel;
  /** Whether the model came from the cache or was trained now. */
  readonly source: 'cache' | 'trained';
}

/** The model cached under `key` in `dir`, else `train()`'s, which is then cached (best-effort). */
export function cachedRiskModel(dir: string | undefined, key: string, train: () => RiskModel): CachedModel {
  const cached = dir ? readCached(join(dir, fileName(key)), key) : undefined;
  if (cached) return { model: cached, source: 'cache' };
  const model = train();
  if (dir) writeCached(dir, key, model);
  return { model, source: 'trained' };
}

function fileName(key: string): string {
  return `${FILE_PREFIX}${key}${FILE_SUFFIX}`;
}

function readCached(path: string, key: string): RiskModel | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - DIGEST_BYTES))) return undefined;
  return decodeRiskModel(body, key);
}

function writeCached(dir: string, key: string, model: RiskModel): void {
  // Written aside then renamed: a reader sees the whole file or none (two writers write the same bytes).
  const temporary = join(dir, `.${fileName(key)}.${process.pid}.${Date.now()}`);
  try {
    mkdirSync(dir, { recursive: true });
    const body = encodeRiskModel(model, key);
    const digest = createHash('sha256').update(body).digest();
    writeFileSync(temporary, Buffer.concat([body, digest]));
    renameSync(temporary, join(dir, fileName(key)));
    removeOldest(dir);
  } catch {
    // A read-only or full disk only means training again at the next start.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** Keep the MAX_CACHED_MODELS most recently written models (a model of older inputs is rarely read again). */
function removeOldest(dir: string): void {
  const models = readdirSync(dir)
    .filter((name) => name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX))
    .map((name) => ({ name, written: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const { name } of models.slice(MAX_CACHED_MODELS)) rmSync(join(dir, name), { force: true });
}
