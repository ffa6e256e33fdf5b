/** The small index structures of the core: ids to positions, keys to one or several values. */
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../src/reconcile/id-index.js';
import { MultiMap } from '../../../src/reconcile/multimap.js';

describe('IdIndex', () => {
  it('maps any string to a position, including prototype names and numbers', () => {
    const index = IdIndex.of([{ id: '__proto__' }, { id: 'constructor' }, { id: '42' }, { id: 'toString' }, { id: '42' }]);
    expect(index.size).toBe(4);
    expect([index.get('__proto__'), index.get('constructor'), index.get('42'), index.get('toString')]).toEqual([0, 1, 4, 3]);
    expect(index.get('hasOwnProperty')).toBeUndefined();
    expect(index.has('__proto__')).toBe(true);
    expect(index.has('valueOf')).toBe(false);
  });
});

describe('MultiMap', () => {
  it('keeps one value without a list and several in order, sortable', () => {
    const map = new MultiMap<string>();
    map.add('a', 'x');
    map.add('b', 'z');
    map.add('b', 'y');
    expect(map.get('a')).toEqual(['x']);
    expect(map.get('b')).toEqual(['z', 'y']);
    expect(map.get('c')).toEqual([]);
    expect([map.has('a'), map.has('c')]).toEqual([true, false]);
    map.sortSeveral((p, q) => (p < q ? -1 : 1));
    expect([...map.multiples()]).toEqual([['b', ['y', 'z']]]);
  });
});
