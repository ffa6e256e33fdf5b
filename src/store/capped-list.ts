/**
 * A Redis list of JSON entries, newest first, trimmed to the newest `keep`: run history and the
 * console's audit trail.
 */
import type { Redis } from 'ioredis';

export class CappedList<T> {
  constructor(
    private readonly redis: Redis,
    private readonly keep: number,
  ) {}

  async push(key: string, entry: T): Promise<void> {
    await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, this.keep - 1).exec();
  }

  /** The newest `limit` entries, newest first. */
  async newest(key: string, limit = this.keep): Promise<T[]> {
    const items = await this.redis.lrange(key, 0, limit - 1);
    return items.map((json) => JSON.parse(json) as T);
  }
}
