/**
 * Positions by id, for a million ids looked up ten million times a run: built once from a list
 * (`IdIndex.of`), then read only. The ids are numbered by a `StringNumbers` table sized for the
 * list, and the position of each number is kept in an `Int32Array` (the last position when an id
 * repeats). Any string is an id, `__proto__` included.
 */
import { StringNumbers } from './string-numbers.js';

export class IdIndex {
  private constructor(
    private readonly numbers: StringNumbers,
    private readonly positions: Int32Array,
  ) {}

  /** Map each id to its position in `items` (the last one when an id repeats). */
  static of(items: readonly { id: string }[]): IdIndex {
    const numbers = new StringNumbers(items.length);
    const positions = new Int32Array(items.length);
    for (let i = 0; i < items.length; i += 1) positions[numbers.intern(items[i].id)] = i;
    return new IdIndex(numbers, positions);
  }

  get size(): number {
    return this.numbers.size;
  }

  get(id: string): number | undefined {
    const number = this.numbers.find(id);
    return number < 0 ? undefined : this.positions[number];
  }

  has(id: string): boolean {
    return this.numbers.find(id) >= 0;
  }
}
