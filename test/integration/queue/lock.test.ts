import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileLocks } from '../../../src/queue/lock.js';
import { Keys } from '../../../src/store/keys.js';
import { REDIS_URL, randomPrefix, removePrefix, waitFor } from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
let prefix: string;
let keys: Keys;

beforeEach(() => {
  prefix = randomPrefix();
  keys = new Keys(prefix);
});
afterEach(async () => removePrefix(redis, prefix));
afterAll(() => redis.quit());

describe('profile lock', () => {
  it('lets one holder in per profile, and the next one after release', async () => {
    const locks = new ProfileLocks(redis, keys, 5000);
    const first = await locks.acquire('acme');
    expect(first).not.toBeNull();
    expect(await locks.acquire('acme')).toBeNull();
    const other = await locks.acquire('beta');
    expect(other).not.toBeNull();
    await first!.release();
    const second = await locks.acquire('acme');
    expect(second).not.toBeNull();
    await second!.release();
    await other!.release();
  });

  it('is kept alive by renewal beyond its TTL while held', async () => {
    const locks = new ProfileLocks(redis, keys, 300);
    const held = await locks.acquire('acme');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await locks.acquire('acme')).toBeNull();
    expect(held!.signal.aborted).toBe(false);
    await held!.release();
    expect(await redis.exists(keys.lock('acme'))).toBe(0);
  });

  it('lapses when its holder stops renewing (a crashed worker)', async () => {
    await redis.set(keys.lock('acme'), 'token-of-a-dead-worker', 'PX', 300);
    const locks = new ProfileLocks(redis, keys, 5000);
    expect(await locks.acquire('acme')).toBeNull();
    const taken = await waitFor('the dead lock to lapse', () => locks.acquire('acme').then((l) => l ?? undefined), 5000);
    await taken.release();
  });

  it('tells its holder when another run took the lock over, and its release leaves the new holder alone', async () => {
    const locks = new ProfileLocks(redis, keys, 300);
    const held = await locks.acquire('acme');
    await redis.set(keys.lock('acme'), 'someone-else');
    await waitFor('the lock loss to be noticed', async () => held!.signal.aborted, 3000);
    expect(String(held!.signal.reason)).toContain('another run holds it now');
    await held!.release();
    expect(await redis.get(keys.lock('acme'))).toBe('someone-else');
  });
});
