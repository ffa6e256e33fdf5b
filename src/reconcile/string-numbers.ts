/**
 * Strings numbered 0, 1, 2… in the order first seen: the one hash table the core's indexes are
 * built on (`IdIndex`, `AddressBook`), for a million strings looked up ten million times a run.
 *
 * Open addressing in one `Int32Array` (slot pairs: the string's hash, its number + 1, 0 for an
 * empty slot), kept at most half full so probes stay short, and doubled when it would not be; a
 * string is read only to confirm a slot whose hash matches. Against a `Map` (measured on 100k ids
 * and 1M lookups) it builds two to eight times faster (one allocation outside the collected heap
 * when sized up front, no rehashing) and looks up faster on short ids and about as fast on GUIDs
 * fresh from a JSON parse, whose hash a `Map` would find cached. Any string is a key, `__proto__`
 * included.
 *
 * The hash is FNV-1a over the code units with a final mix; it has no secret seed (the core uses no
 * randomness), so strings crafted to collide would make lookups slow, never wrong.
 */
const EMPTY = 0;

function hashText(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

export class StringNumbers {
  private readonly list: string[] = [];
  /** `[hash, number + 1]` per slot. */
  private slots: Int32Array;
  private mask: number;

  /** `expected`: how many strings will probably be numbered (the table grows past it if need be). */
  constructor(expected = 0) {
    let capacity = 8;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.list.length;
  }

  /** The number of a string, given one if new. */
  intern(text: string): number {
    const hash = hashText(text);
    const slot = this.probe(text, hash);
    const at = this.slots[2 * slot + 1];
    if (at !== EMPTY) return at - 1;
    this.slots[2 * slot] = hash;
    this.slots[2 * slot + 1] = this.list.push(text);
    if (this.list.length * 2 > this.mask + 1) this.grow();
    return this.list.length - 1;
  }

  /** The number of a string seen before; -1 otherwise. */
  find(text: string): number {
    return this.slots[2 * this.probe(text, hashText(text)) + 1] - 1;
  }

  /** The string with a number. */
  text(number: number): string {
    return this.list[number];
  }

  /** The slot that holds `text`, or the empty slot where it would go. */
  private probe(text: string, hash: number): number {
    const { slots, mask, list } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slots[2 * slot + 1];
      if (at === EMPTY || (slots[2 * slot] === hash && list[at - 1] === text)) return slot;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let slot = 0; slot < old.length; slot += 2) {
      if (old[slot + 1] === EMPTY) continue;
      let to = old[slot] & this.mask;
      while (this.slots[2 * to + 1] !== EMPTY) to = (to + 1) & this.mask;
      this.slots[2 * to] = old[slot];
      this.slots[2 * to + 1] = old[slot + 1];
    }
  }
}
