/**
 * The per-profile lock that keeps two runs of one profile apart, across any number of workers.
 *
 * `SET key token NX PX ttl` takes it; a timer renews it (compare token, then `PEXPIRE`) every
 * third of the TTL while the run goes on; release deletes it only if the token is still ours
 * (compare-and-delete in one script). A worker that dies stops renewing, so its lock lapses
 * after the TTL. A holder that cannot renew in time (lock taken over, or Redis gone for longer
 * than the TTL) sees its `signal` abort and must stop.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { OrgsyncError } from '../errors.js';
import type { Keys } from '../store/keys.js';

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface HeldLock {
  /** Aborts when the lock is lost; the run must stop. */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export class ProfileLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly ttlMs: number,
  ) {}

  /** Take the profile's lock, or return null when another run holds it. */
  async acquire(profile: string): Promise<HeldLock | null> {
    const key = this.keys.lock(profile);
    const token = randomUUID();
    const taken = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (taken !== 'OK') return null;
    return this.hold(profile, key, token);
  }

  private hold(profile: string, key: string, token: string): HeldLock {
    const controller = new AbortController();
    let renewedAt = Date.now();
    let released = false;
    const lose = (why: string): void => {
      clearInterval(timer);
      if (released) return;
      controller.abort(new OrgsyncError('lock-lost', `lost the lock of profile ${profile}: ${why}`, { retry: 'transient' }));
    };
    const renew = async (): Promise<void> => {
      try {
        const ok = await this.redis.eval(RENEW, 1, key, token, String(this.ttlMs));
        if (ok === 1) renewedAt = Date.now();
        else lose('another run holds it now');
      } catch {
        // Give up before the key can expire, so no other run can take it while this one still works.
        if (Date.now() - renewedAt >= (this.ttlMs * 2) / 3) lose('could not renew it in time');
      }
    };
    const timer = setInterval(() => void renew(), Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    return {
      signal: controller.signal,
      release: async () => {
        released = true;
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
