/**
 * Integer indexes for the core: list positions grouped under small integer keys, and addresses
 * interned to such keys (by a `StringNumbers` table).
 *
 * A million keys with one position each cost one slot of an `Int32Array`; a list is kept only for
 * the rare key with several (a shared address, a source user linked to two accounts). Keys and
 * positions are dense integers (list positions, interned address numbers), so building and reading
 * a group never hashes a string.
 */
import { StringNumbers } from './string-numbers.js';

const NONE = -1;
const EMPTY: readonly number[] = [];

export class PositionGroups {
  private readonly first: Int32Array;
  private readonly several = new Map<number, number[]>();

  /** Groups for the keys `0 .. keys - 1`. */
  constructor(keys: number) {
    this.first = new Int32Array(keys).fill(NONE);
  }

  add(key: number, position: number): void {
    const first = this.first[key];
    if (first === NONE) {
      this.first[key] = position;
      return;
    }
    const list = this.several.get(key);
    if (list) list.push(position);
    else this.several.set(key, [first, position]);
  }

  has(key: number): boolean {
    return key >= 0 && this.first[key] !== NONE;
  }

  /** The positions under a key, in the order added (or as sorted by `sortSeveral`); none for a negative key. */
  get(key: number): readonly number[] {
    if (key < 0 || this.first[key] === NONE) return EMPTY;
    return this.several.get(key) ?? [this.first[key]];
  }

  /** Keys with more than one position, with their positions. */
  multiples(): IterableIterator<[number, number[]]> {
    return this.several.entries();
  }

  sortSeveral(compare: (a: number, b: number) => number): void {
    for (const list of this.several.values()) list.sort(compare);
  }
}

/** Normalized addresses numbered in the order first seen, shared by both sides of a run. */
export class AddressBook extends StringNumbers {
  address(number: number): string {
    return this.text(number);
  }
}
