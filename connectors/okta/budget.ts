/**
 * Client-side pacing against Okta's rate-limit headers.
 *
 * Okta answers every call with `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (epoch seconds)
 * for the endpoint family the call belongs to. A `RateBudget` keeps the last word of one family.
 * Calls go at once while the window has budget left (counting the calls still in flight), so a
 * read spends each window's budget as early as it can and finishes in the fewest windows; when
 * nothing remains, callers wait for the reset. A 429 holds the whole family until the reset that
 * the 429 itself announces (`hold`). `RateBudgets` holds one budget per endpoint family
 * (`familyOf`).
 */
import { resetTime } from '../../src/http/classify.js';
import { sleep } from '../../src/http/retry.js';

/** Margin added to a reset time before calling again, for clock granularity. */
const RESET_SLACK_MS = 100;

export interface HeaderReader {
  get(name: string): string | null;
}

export interface RateWindow {
  limit: number;
  remaining: number;
  /** Local epoch ms at which the server's window resets. */
  resetAt: number;
}

/**
 * Read the rate-limit headers of a response. The reset is an instant on the server's clock; when
 * the response's `Date` shows the clocks disagree by more than its one-second resolution, the
 * reset is moved onto the local clock. Undefined when the headers are absent or malformed.
 */
export function readWindow(headers: HeaderReader, now: number): RateWindow | undefined {
  const limit = Number(headers.get('x-rate-limit-limit'));
  const remaining = Number(headers.get('x-rate-limit-remaining'));
  const reset = headers.get('x-rate-limit-reset');
  if (!reset || !Number.isFinite(limit) || !Number.isFinite(remaining) || headers.get('x-rate-limit-remaining') === null) return undefined;
  if (reset.includes(',')) return undefined;
  const date = Date.parse(headers.get('date') ?? '');
  const skew = Number.isNaN(date) || Math.abs(date - now) <= 2000 ? 0 : date - now;
  return { limit, remaining: Math.max(0, remaining), resetAt: resetTime(reset) - skew };
}

/** The endpoint family of a URL: ids in the path become `{id}`, the query is dropped. */
export function familyOf(url: string): string {
  const path = new URL(url).pathname;
  return path.replace(/\/api\/v1\/(users|groups|apps)\/[^/]+/g, '/api/v1/$1/{id}');
}

/**
 * The budget of one endpoint family. While the window is unknown (before the first answer, or
 * once a reset has passed) one request probes alone; afterwards requests start at once while the
 * window has budget left, and none starts when it is spent or while a 429 holds the family.
 */
export class RateBudget {
  private window: RateWindow | undefined;
  private inFlight = 0;
  private heldUntil = 0;
  private waiters: Array<() => void> = [];
  /** Milliseconds callers spent waiting for a reset. */
  waitedMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Resolve when one more request of this family may start; the caller must later `settle`. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now < this.heldUntil) {
        await this.wait(this.heldUntil - now, signal);
        continue;
      }
      if (this.window && now >= this.window.resetAt) this.window = undefined;
      const w = this.window;
      if (!w) {
        if (this.inFlight === 0) return this.start();
        await this.nextAnswer(signal);
        continue;
      }
      if (w.remaining <= 0) {
        await this.wait(w.resetAt - now + RESET_SLACK_MS, signal);
        continue;
      }
      w.remaining -= 1;
      return this.start();
    }
  }

  /** After a 429: no request of this family starts until `until` (local epoch ms). */
  hold(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until);
  }

  /** Record the answer of a request started with `acquire` (no headers: it failed below HTTP). */
  settle(headers: HeaderReader | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const seen = headers ? readWindow(headers, this.now()) : undefined;
    if (seen && seen.resetAt > this.now()) this.merge(seen);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * The wait a 429 asks for: until the reset it announces itself (its own `X-Rate-Limit-Reset`),
   * else until this family's known reset; the family is held that long.
   */
  waitAfter429(headers: HeaderReader): number {
    const now = this.now();
    const announced = readWindow(headers, now);
    const until = announced ? announced.resetAt + RESET_SLACK_MS : (this.window?.resetAt ?? now) + RESET_SLACK_MS;
    this.hold(until);
    return Math.max(0, until - now);
  }

  private merge(seen: RateWindow): void {
    const known = this.window;
    const remaining = Math.max(0, seen.remaining - this.inFlight);
    if (known && seen.resetAt < known.resetAt - 1000) return;
    if (known && Math.abs(known.resetAt - seen.resetAt) < 1000) {
      known.remaining = Math.min(known.remaining, remaining);
      known.limit = seen.limit;
      return;
    }
    this.window = { limit: seen.limit, remaining, resetAt: seen.resetAt };
  }

  private start(): void {
    this.inFlight += 1;
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    this.waitedMs += ms;
    await sleep(ms, signal);
  }

  private nextAnswer(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}

/** One budget per endpoint family. */
export class RateBudgets {
  private readonly budgets = new Map<string, RateBudget>();

  constructor(private readonly now: () => number = Date.now) {}

  for(url: string): RateBudget {
    const family = familyOf(url);
    let budget = this.budgets.get(family);
    if (!budget) {
      budget = new RateBudget(this.now);
      this.budgets.set(family, budget);
    }
    return budget;
  }

  get waitedMs(): number {
    let total = 0;
    for (const budget of this.budgets.values()) total += budget.waitedMs;
    return total;
  }
}
