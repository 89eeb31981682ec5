import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetyLexicon } from '../../content/safetyLexicon';
import { cachedRiskModel, MAX_CACHED_MODELS, modelKey } from '../../content/safetyModelCache';
import { FEATURE_BITS } from '../../core/safety/model/features';
import { CATEGORY_BITS, type RiskModel } from '../../core/safety/model/riskModel';
import { screenMessage } from '../../core/safety/screen';
import { CATEGORIES } from '../../core/safety/types';
import { CONTENT_DIR, ROOT } from './helpers/lexicon';

function modelWith(bias: number): RiskModel {
  return {
    weights: new Float32Array(2 << FEATURE_BITS).fill(bias / 10),
    flagBias: bias,
    crisisBias: -bias,
    categories: new Float32Array(CATEGORIES.length << CATEGORY_BITS).fill(-3),
    categoryBias: new Float32Array(CATEGORIES.length).fill(-1),
  };
}

describe('risk model cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-model-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const key = (name: string) => modelKey([name]);

  it('trains once, then reads the same model back', () => {
    const train = jest.fn(() => modelWith(1.5));
    const first = cachedRiskModel(dir, key('a'), train);
    const second = cachedRiskModel(dir, key('a'), train);
    expect([first.source, second.source]).toEqual(['trained', 'cache']);
    expect(train).toHaveBeenCalledTimes(1);
    expect(second.model.flagBias).toBe(1.5);
    expect(Buffer.from(second.model.weights.buffer).equals(Buffer.from(first.model.weights.buffer))).toBe(true);
  });

  it('trains again for other inputs, and keeps only the newest models', () => {
    cachedRiskModel(dir, key('a'), () => modelWith(1));
    const other = cachedRiskModel(dir, key('b'), () => modelWith(2));
    expect(other).toMatchObject({ source: 'trained', model: { flagBias: 2 } });
    expect(cachedRiskModel(dir, key('a'), () => modelWith(9))).toMatchObject({ source: 'cache', model: { flagBias: 1 } });
    const names = ['c', 'd', 'e', 'f'];
    names.forEach((name, i) => {
      cachedRiskModel(dir, key(name), () => modelWith(3 + i));
      // Written one after another: make the order visible to a coarse clock.
      const at = new Date(Date.now() + (i + 1) * 1000);
      utimesSync(join(dir, `risk-model-${key(name)}.bin`), at, at);
    });
    expect(readdirSync(dir).sort()).toEqual(names.map((name) => `risk-model-${key(name)}.bin`).sort());
    expect(MAX_CACHED_MODELS).toBe(names.length);
  });

  it('never reads a damaged or torn file as a model', () => {
    cachedRiskModel(dir, key('a'), () => modelWith(1));
    const [name] = readdirSync(dir);
    const path = join(dir, name as string);
    const bytes = readFileSync(path);
    bytes[200] = (bytes[200] as number) ^ 0xff;
    writeFileSync(path, bytes);
    expect(cachedRiskModel(dir, key('a'), () => modelWith(3))).toMatchObject({ source: 'trained', model: { flagBias: 3 } });
    writeFileSync(path, readFileSync(path).subarray(0, 1000));
    expect(cachedRiskModel(dir, key('a'), () => modelWith(4))).toMatchObject({ source: 'trained', model: { flagBias: 4 } });
  });

  it('still gives a model when the folder cannot be written, and leaves no partial file', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(cachedRiskModel(join(file, 'cache'), key('a'), () => modelWith(1))).toMatchObject({ source: 'trained', model: { flagBias: 1 } });
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      expect(cachedRiskModel(dir, key('a'), () => modelWith(1)).source).toBe('trained');
      chmodSync(dir, 0o700);
    }
    expect(readdirSync(dir)).toEqual(['a-file']);
  });

  it('keys on every input, in order', () => {
    expect(modelKey(['a', 'b'])).not.toBe(modelKey(['b', 'a']));
    expect(modelKey(['ab'])).not.toBe(modelKey(['a', 'b']));
    expect(modelKey(['a', 'b'])).toBe(modelKey(['a', 'b']));
    expect(modelKey(['a'])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the screen the very model training gives, from the real content', () => {
    const fresh = loadSafetyLexicon(CONTENT_DIR, ROOT, { modelCacheDir: null });
    const stored = loadSafetyLexicon(CONTENT_DIR, ROOT, { modelCacheDir: dir });
    const read = loadSafetyLexicon(CONTENT_DIR, ROOT, { modelCacheDir: dir });
    expect([fresh.modelSource, stored.modelSource, read.modelSource]).toEqual(['trained', 'trained', 'cache']);
    const [a, b] = [fresh.compiled?.model, read.compiled?.model];
    expect(Buffer.from(b?.weights.buffer as ArrayBuffer).equals(Buffer.from(a?.weights.buffer as ArrayBuffer))).toBe(true);
    expect([b?.flagBias, b?.crisisBias]).toEqual([a?.flagBias, a?.crisisBias]);
    const text = "J'ai donné mon chat à ma voisine et écrit une lettre pour mes enfants, demain je serai en paix.";
    expect(screenMessage(text, read.compiled as NonNullable<typeof read.compiled>)).toEqual(screenMessage(text, fresh.compiled as NonNullable<typeof fresh.compiled>));
  });
});
