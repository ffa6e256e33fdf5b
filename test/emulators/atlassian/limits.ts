/**
 * Throttling and failures around the emulator's routes: an optional fixed-window rate limit per
 * credential whose answers carry `X-RateLimit-Limit/-Remaining/-Reset` (ISO-8601, no `Retry-After`);
 * forced 429s (`throttleNext`, a 429 storm) whose early repeats are counted; seeded random 500s.
 */
import type { AtlassianEmulatorOptions, EmulatorStats } from './server.js';

/** Requests this close to the announced reset are not counted early (timer granularity). */
const RESET_GRACE_MS = 10;

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Limits {
  readonly stats: EmulatorStats = { throttled: 0, early: 0, failed: 0 };
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly blockedUntil = new Map<string, number>();
  private forced = { left: 0, waitMs: 200 };
  private readonly random: (() => number) | undefined;

  constructor(private readonly options: AtlassianEmulatorOptions) {
    this.random = options.failures ? seeded(options.failures.seed) : undefined;
  }

  force(n: number, waitMs: number): void {
    this.forced = { left: n, waitMs };
  }

  /**
   * Headers for this request, and whether it is throttled. A forced 429 tells the caller to wait;
   * the same request (credential, method and path) coming back before then is `early`.
   */
  check(credential: string, request: string, now: number): { headers: Record<string, string>; throttled: boolean } {
    const key = `${credential} ${request}`;
    const blocked = this.blockedUntil.get(key) ?? 0;
    if (now < blocked - RESET_GRACE_MS) {
      this.stats.early += 1;
      return this.throttle(key, blocked);
    }
    if (this.forced.left > 0) {
      this.forced.left -= 1;
      return this.throttle(key, now + this.forced.waitMs);
    }
    const limit = this.options.rateLimit;
    if (!limit) return { headers: {}, throttled: false };
    let window = this.windows.get(credential);
    if (!window || now >= window.start + limit.windowMs) this.windows.set(credential, (window = { start: now, count: 0 }));
    const reset = window.start + limit.windowMs;
    if (window.count >= limit.limit) {
      this.stats.throttled += 1;
      return { headers: rateHeaders(limit.limit, 0, reset), throttled: true };
    }
    window.count += 1;
    return { headers: rateHeaders(limit.limit, limit.limit - window.count, reset), throttled: false };
  }

  fails(): boolean {
    if (!this.random || this.random() >= (this.options.failures?.rate ?? 0)) return false;
    this.stats.failed += 1;
    return true;
  }

  private throttle(key: string, until: number): { headers: Record<string, string>; throttled: boolean } {
    this.stats.throttled += 1;
    this.blockedUntil.set(key, until);
    return { headers: rateHeaders(this.options.rateLimit?.limit ?? 0, 0, until), throttled: true };
  }
}

function rateHeaders(limit: number, remaining: number, reset: number): Record<string, string> {
  return { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, remaining)), 'x-ratelimit-reset': new Date(reset).toISOString() };
}
