/**
 * A map from a string key to one or more values that allocates a list only for the rare key with
 * several values (a shared address, a source id linked to two accounts): a million keys with one
 * value each cost a million map entries, not a million arrays.
 */
const NONE: readonly never[] = [];

/** The values of a key that has several. */
class Several<V> {
  constructor(readonly items: V[]) {}
}

export class MultiMap<V> {
  private readonly map = new Map<string, V | Several<V>>();

  add(key: string, value: V): void {
    const held = this.map.get(key);
    if (held === undefined) this.map.set(key, value);
    else if (held instanceof Several) held.items.push(value);
    else this.map.set(key, new Several([held, value]));
  }

  /** The values of a key, in the order added (or as sorted by `sortSeveral`). */
  get(key: string): readonly V[] {
    const held = this.map.get(key);
    if (held === undefined) return NONE;
    return held instanceof Several ? held.items : [held];
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Keys with more than one value, with their values. */
  *multiples(): IterableIterator<[string, V[]]> {
    for (const [key, held] of this.map) if (held instanceof Several) yield [key, held.items];
  }

  sortSeveral(compare: (a: V, b: V) => number): void {
    for (const held of this.map.values()) if (held instanceof Several) held.items.sort(compare);
  }
}
