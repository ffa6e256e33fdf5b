/** The small index structures of the core: ids to positions, integer keys to one or several positions, addresses to numbers. */
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../src/reconcile/id-index.js';
import { AddressBook, PositionGroups } from '../../../src/reconcile/positions.js';

describe('IdIndex', () => {
  it('maps any string to a position, including prototype names and numbers', () => {
    const index = IdIndex.of([{ id: '__proto__' }, { id: 'constructor' }, { id: '42' }, { id: 'toString' }, { id: '42' }]);
    expect(index.size).toBe(4);
    expect([index.get('__proto__'), index.get('constructor'), index.get('42'), index.get('toString')]).toEqual([0, 1, 4, 3]);
    expect(index.get('hasOwnProperty')).toBeUndefined();
    expect(index.has('__proto__')).toBe(true);
    expect(index.has('valueOf')).toBe(false);
  });

  it('finds every id of a large list and nothing else, whatever the probing', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: i % 7 === 0 ? `u${i % 700}` : `id-${i}` }));
    const index = IdIndex.of(items);
    const last = new Map<string, number>();
    items.forEach((item, i) => last.set(item.id, i));
    expect(index.size).toBe(last.size);
    for (const [id, position] of last) expect(index.get(id)).toBe(position);
    for (let i = 0; i < 5000; i += 1) expect(index.has(`absent-${i}`)).toBe(false);
    expect(IdIndex.of([]).get('')).toBeUndefined();
    expect(IdIndex.of([{ id: '' }]).get('')).toBe(0);
  });
});

describe('PositionGroups', () => {
  it('keeps one position without a list and several in order, sortable', () => {
    const groups = new PositionGroups(4);
    groups.add(0, 7);
    groups.add(2, 9);
    groups.add(2, 3);
    groups.add(2, 5);
    expect(groups.get(0)).toEqual([7]);
    expect(groups.get(2)).toEqual([9, 3, 5]);
    expect([groups.get(1), groups.get(-1)]).toEqual([[], []]);
    expect([groups.has(0), groups.has(1), groups.has(-1)]).toEqual([true, false, false]);
    groups.sortSeveral((a, b) => a - b);
    expect([...groups.multiples()]).toEqual([[2, [3, 5, 9]]]);
  });
});

describe('AddressBook', () => {
  it('numbers each address once, in the order first seen', () => {
    const book = new AddressBook();
    expect([book.intern('b@x.io'), book.intern('a@x.io'), book.intern('b@x.io')]).toEqual([0, 1, 0]);
    expect([book.find('a@x.io'), book.find('c@x.io')]).toEqual([1, -1]);
    expect([book.size, book.address(0)]).toEqual([2, 'b@x.io']);
  });

  it('keeps every number when it grows far past the size it was made for', () => {
    const book = new AddressBook(2);
    const addresses = Array.from({ length: 3000 }, (_, i) => `user${i}@x${i % 13}.io`);
    expect(addresses.map((address) => book.intern(address))).toEqual(addresses.map((_, i) => i));
    expect(addresses.map((address) => book.find(address))).toEqual(addresses.map((_, i) => i));
    expect([book.size, book.address(2999), book.find('user3000@x10.io'), book.intern('user7@x7.io')]).toEqual([3000, 'user2999@x9.io', -1, 7]);
  });
});
