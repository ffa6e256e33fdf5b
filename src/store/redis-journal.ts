/**
 * The apply journal of one plan on Redis: a hash of operation id -> result. Each result is
 * written as soon as the executor knows it, so a worker that dies mid-apply leaves behind exactly
 * the operations it finished, and the next worker skips them.
 */
import type { Redis } from 'ioredis';
import type { Journal, OperationResult } from '../apply/types.js';

export class RedisJournal implements Journal {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async completed(): Promise<Map<string, OperationResult>> {
    const all = await this.redis.hgetall(this.key);
    return new Map(Object.entries(all).map(([id, json]) => [id, JSON.parse(json) as OperationResult]));
  }

  async record(result: OperationResult): Promise<void> {
    await this.redis.hset(this.key, result.id, JSON.stringify(result));
  }
}
