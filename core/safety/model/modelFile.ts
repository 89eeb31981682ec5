/**
 * A trained risk model as bytes, and back: what the model cache (content/safetyModelCache.ts)
 * keeps so the bot and the tests do not train the same model at every start.
 *
 * Layout (little-endian): magic "PPRM", format version, the key the model was trained for
 * (64 ASCII characters), the two biases (float64), the three array lengths, then the arrays
 * (float32). Decoding checks all of it and gives nothing, never a partial model, on any mismatch.
 */
import { CATEGORIES } from '../types';
import { FEATURE_BITS } from './features';
import { CATEGORY_BITS, type RiskModel } from './riskModel';

const MAGIC = 0x4d525050; // "PPRM"
// 2: the category table is cell-major (see RiskModel.categories).
const FORMAT_VERSION = 2;
export const MODEL_KEY_LENGTH = 64;
const HEADER_BYTES = 4 + 4 + MODEL_KEY_LENGTH + 8 + 8 + 4 * 3;

const WEIGHTS_LENGTH = 2 << FEATURE_BITS;
const CATEGORIES_LENGTH = CATEGORIES.length << CATEGORY_BITS;

export function encodeRiskModel(model: RiskModel, key: string): Uint8Array {
  if (key.length !== MODEL_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) throw new Error(`a model key is ${MODEL_KEY_LENGTH} printable ASCII characters`);
  const arrays = [model.weights, model.categories, model.categoryBias];
  const bytes = new Uint8Array(HEADER_BYTES + arrays.reduce((n, a) => n + a.byteLength, 0));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  for (let i = 0; i < MODEL_KEY_LENGTH; i += 1) bytes[8 + i] = key.charCodeAt(i);
  let at = 8 + MODEL_KEY_LENGTH;
  view.setFloat64(at, model.flagBias, true);
  view.setFloat64(at + 8, model.crisisBias, true);
  at += 16;
  for (const array of arrays) {
    view.setUint32(at, array.length, true);
    at += 4;
  }
  for (const array of arrays) {
    for (let i = 0; i < array.length; i += 1) view.setFloat32(at + 4 * i, array[i] as number, true);
    at += array.byteLength;
  }
  return bytes;
}

/** The model these bytes hold, if they are a whole model of this format trained for `key`. */
export function decodeRiskModel(bytes: Uint8Array, key: string): RiskModel | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== FORMAT_VERSION) return undefined;
  for (let i = 0; i < MODEL_KEY_LENGTH; i += 1) if (bytes[8 + i] !== key.charCodeAt(i)) return undefined;
  let at = 8 + MODEL_KEY_LENGTH;
  const flagBias = view.getFloat64(at, true);
  const crisisBias = view.getFloat64(at + 8, true);
  at += 16;
  const lengths = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true)];
  at += 12;
  if (lengths[0] !== WEIGHTS_LENGTH || lengths[1] !== CATEGORIES_LENGTH || lengths[2] !== CATEGORIES.length) return undefined;
  if (bytes.byteLength !== at + 4 * (WEIGHTS_LENGTH + CATEGORIES_LENGTH + CATEGORIES.length)) return undefined;
  const read = (length: number): Float32Array | undefined => {
    const array = new Float32Array(length);
    for (let i = 0; i < length; i += 1) array[i] = view.getFloat32(at + 4 * i, true);
    at += 4 * length;
    return array.every((value) => Number.isFinite(value)) ? array : undefined;
  };
  const weights = read(WEIGHTS_LENGTH);
  const categories = read(CATEGORIES_LENGTH);
  const categoryBias = read(CATEGORIES.length);
  if (!weights || !categories || !categoryBias || !Number.isFinite(flagBias) || !Number.isFinite(crisisBias)) return undefined;
  return { weights, flagBias, crisisBias, categories, categoryBias };
}
