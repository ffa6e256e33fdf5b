/**
 * `StateStore` on Redis: one hash per profile and side (source cursors, org ownership records),
 * under the configured prefix. Values survive worker restarts and are shared by every worker.
 */
import type { Redis } from 'ioredis';
import type { Keys, StateSide } from './keys.js';
import type { StateStore } from './types.js';

export class RedisStateStore implements StateStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: Keys,
    profile: string,
    side: StateSide,
  ) {
    this.key = keys.state(profile, side);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.hget(this.key, key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.hset(this.key, key, value);
  }

  async delete(key: string): Promise<void> {
    await this.redis.hdel(this.key, key);
  }
}
