import { cosmosPartitionValue, encodeCosmosId, encodeFileName } from '../../adapters/storage/keyEncoding';
import { ODD_KEYS } from './contract';

const TRICKY = [
  ...ODD_KEYS,
  'A',
  'a',
  '_41',
  '_',
  '~',
  'a~b',
  '\uD800',
  '\uD801',
  '\uDC00x',
  '\uFFFD',
  'CON',
  'con.txt',
  '_63on',
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(120),
  'x'.repeat(121),
  'x'.repeat(255),
  'x'.repeat(256),
  '~'.repeat(1025),
];

describe('encodeFileName', () => {
  test('is injective, case-insensitively, on tricky keys', () => {
    const names = TRICKY.map((k) => encodeFileName(k).toLowerCase());
    expect(new Set(names).size).toBe(new Set(TRICKY).size);
  });

  test('gives short, portable names that cannot be a path', () => {
    for (const key of TRICKY) {
      const name = encodeFileName(key);
      expect(name).toMatch(/^[a-z0-9_~-]{1,120}$/);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/);
    }
  });

  test('keeps simple keys readable and hashes long ones behind a readable prefix', () => {
    expect(encodeFileName('person-42')).toBe('person-42');
    expect(encodeFileName('a/b')).toBe('a_2fb');
    expect(encodeFileName('..')).toBe('_2e_2e');
    expect(encodeFileName('Abc')).toBe('_41bc');
    expect(encodeFileName('con')).toBe('_63on');
    const long = encodeFileName('x'.repeat(300));
    expect(long).toMatch(/^x{40}~[0-9a-f]{64}$/);
    expect(encodeFileName('\uD800')).toMatch(/^~[0-9a-f]{64}$/);
  });
});

describe('encodeCosmosId', () => {
  test('is injective and never produces characters Cosmos DB forbids', () => {
    const ids = TRICKY.map(encodeCosmosId);
    expect(new Set(ids).size).toBe(new Set(TRICKY).size);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9:@_~-]{1,255}$/);
      expect(id).not.toMatch(/[/\\?#%.]/);
    }
  });

  test('keeps typical Teams ids readable', () => {
    expect(encodeCosmosId('29:1AbC-xyz')).toBe('29:1AbC-xyz');
    expect(encodeCosmosId('msteams/users/29:1a')).toBe('msteams_2fusers_2f29:1a');
  });
});

describe('cosmosPartitionValue', () => {
  test('keeps ordinary keys, hashes long, ill-formed or tilde-led ones, injectively', () => {
    expect(cosmosPartitionValue('person-42')).toBe('person-42');
    expect(cosmosPartitionValue('émile 😀')).toBe('émile 😀');
    expect(cosmosPartitionValue('~x')).toMatch(/^~[0-9a-f]{64}$/);
    expect(cosmosPartitionValue('😀'.repeat(300))).toMatch(/^~[0-9a-f]{64}$/);
    const values = TRICKY.map(cosmosPartitionValue);
    expect(new Set(values).size).toBe(new Set(TRICKY).size);
    for (const v of values) expect(Buffer.byteLength(v, 'utf8')).toBeLessThanOrEqual(1024);
  });
});
