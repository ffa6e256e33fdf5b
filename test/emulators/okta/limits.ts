/**
 * Okta-style rate limits: a fixed window per endpoint family (aligned to multiples of its length,
 * so the reset falls on a whole second), a budget of requests per window, and the three
 * `X-Rate-Limit-*` headers on every answer.
 */
export interface RateLimitOptions {
  /** Requests per window, for every family or per family (`/api/v1/users`, `/api/v1/groups`, `/api/v1/groups/{id}/users`, `/oauth2/v1/token`). */
  perWindow?: number | Record<string, number>;
  /** Window length in ms (default 60 000, as Okta). */
  windowMs?: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export function familyOf(pathname: string): string {
  return pathname.replace(/^\/api\/v1\/(users|groups)\/[^/]+/, '/api/v1/$1/{id}');
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly windowMs: number;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  limitOf(family: string): number {
    const per = this.options.perWindow ?? 600;
    return typeof per === 'number' ? per : per[family] ?? 600;
  }

  /** Count one request of `family` now and say whether it is within budget. */
  take(family: string, now = Date.now()): RateDecision {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let window = this.windows.get(family);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(family, window);
    }
    window.count += 1;
    const limit = this.limitOf(family);
    return {
      allowed: window.count <= limit,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - window.count)),
        'x-rate-limit-reset': String(Math.ceil((start + this.windowMs) / 1000)),
      },
    };
  }
}
