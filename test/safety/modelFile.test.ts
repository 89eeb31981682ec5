import { FEATURE_BITS } from '../../core/safety/model/features';
import { decodeRiskModel, encodeRiskModel, MODEL_KEY_LENGTH } from '../../core/safety/model/modelFile';
import { CATEGORY_BITS, type RiskModel } from '../../core/safety/model/riskModel';
import { CATEGORIES } from '../../core/safety/types';

const KEY = 'a'.repeat(MODEL_KEY_LENGTH);

function someModel(): RiskModel {
  const weights = new Float32Array(2 << FEATURE_BITS).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const categories = new Float32Array(CATEGORIES.length << CATEGORY_BITS).map((_, i) => -((i % 97) + 1) / 10);
  const categoryBias = new Float32Array(CATEGORIES.length).map((_, i) => (i === 3 ? -1e9 : -i));
  return { weights, flagBias: -1.25, crisisBias: -2.5, categories, categoryBias };
}

describe('risk model file', () => {
  it('gives back the same model for the same key', () => {
    const model = someModel();
    const back = decodeRiskModel(encodeRiskModel(model, KEY), KEY);
    expect(back).toBeDefined();
    expect(back?.flagBias).toBe(model.flagBias);
    expect(back?.crisisBias).toBe(model.crisisBias);
    for (const name of ['weights', 'categories', 'categoryBias'] as const) {
      expect(Buffer.from((back as RiskModel)[name].buffer).equals(Buffer.from(model[name].buffer))).toBe(true);
    }
  });

  it('gives nothing for another key, a torn file, another format or numbers that are not finite', () => {
    const bytes = encodeRiskModel(someModel(), KEY);
    expect(decodeRiskModel(bytes, 'b'.repeat(MODEL_KEY_LENGTH))).toBeUndefined();
    expect(decodeRiskModel(bytes.subarray(0, bytes.length - 4), KEY)).toBeUndefined();
    expect(decodeRiskModel(bytes.subarray(0, 10), KEY)).toBeUndefined();
    expect(decodeRiskModel(new Uint8Array(0), KEY)).toBeUndefined();
    const otherVersion = bytes.slice();
    otherVersion[4] = 99;
    expect(decodeRiskModel(otherVersion, KEY)).toBeUndefined();
    const nan = someModel();
    nan.weights[12345] = Number.NaN;
    expect(decodeRiskModel(encodeRiskModel(nan, KEY), KEY)).toBeUndefined();
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(decodeRiskModel(longer, KEY)).toBeUndefined();
  });

  it('refuses a key that is not 64 printable characters', () => {
    expect(() => encodeRiskModel(someModel(), 'short')).toThrow(/64 printable/);
    expect(() => encodeRiskModel(someModel(), 'é'.repeat(MODEL_KEY_LENGTH))).toThrow(/64 printable/);
  });
});
