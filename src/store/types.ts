/**
 * Durable key/value state scoped to one profile: delta links and watermarks of incremental
 * sources, baselines, ownership records of org adapters. In: string keys and string values.
 * Out: nothing about the backing store. `MemoryStateStore` serves one-shot commands (`plan`,
 * `sync`); the worker passes a Redis-backed store under the profile's key prefix.
 */
export interface StateStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryStateStore implements StateStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
