/**
 * A map from a string key to one or more values that allocates a list only for the rare key with
 * several values (a shared address, a source id linked to two accounts): a million keys with one
 * value each cost a million map entries, not a million arrays.
 */
const NONE: readonly never[] = [];

export class MultiMap<V> {
  private readonly single = new Map<string, V>();
  private readonly several = new Map<string, V[]>();

  add(key: string, value: V): void {
    const list = this.several.get(key);
    if (list) {
      list.push(value);
      return;
    }
    const one = this.single.get(key);
    if (one === undefined) {
      this.single.set(key, value);
      return;
    }
    this.single.delete(key);
    this.several.set(key, [one, value]);
  }

  /** The values of a key, in the order added (or as sorted by `sortSeveral`). */
  get(key: string): readonly V[] {
    const one = this.single.get(key);
    if (one !== undefined) return [one];
    return this.several.get(key) ?? NONE;
  }

  has(key: string): boolean {
    return this.single.has(key) || this.several.has(key);
  }

  /** Keys with more than one value, with their values. */
  multiples(): IterableIterator<[string, V[]]> {
    return this.several.entries();
  }

  sortSeveral(compare: (a: V, b: V) => number): void {
    for (const list of this.several.values()) list.sort(compare);
  }
}
