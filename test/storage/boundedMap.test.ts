import { BoundedMap } from '../../adapters/storage/boundedMap';

describe('BoundedMap', () => {
  it('forgets the entry set longest ago once over its limit; setting a key again makes it newest', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect([map.get('a'), map.has('b'), map.get('c'), map.size]).toEqual([3, false, 4, 2]);
  });

  it('keeps nothing with a limit of 0, and deletes on request', () => {
    const none = new BoundedMap<string, number>(0);
    none.set('a', 1);
    expect(none.has('a')).toBe(false);
    const map = new BoundedMap<string, number>(5);
    map.set('a', 1);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });
});
