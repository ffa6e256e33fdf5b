/**
 * One retry policy for every outbound call: p-retry with exponential backoff for transient
 * failures, the server's own wait for throttled ones, and no retry for anything permanent.
 */
import pRetry from 'p-retry';
import { isRetryable, isOrgsyncError } from '../errors.js';

export interface RetryOptions {
  /** Attempts after the first (default 5). */
  retries?: number;
  /** First backoff in ms (default 500); doubles each time up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Longest server-requested wait honoured per attempt (default 120 s). */
  maxThrottleWaitMs?: number;
  signal?: AbortSignal;
  /** Narrows what is retried (default: whatever `isRetryable` allows). */
  retryable?: (error: unknown) => boolean;
  /** Told before each wait, e.g. for a log line or a counter. */
  onRetry?: (info: { error: unknown; attempt: number; waitMs: number }) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Run `fn`, retrying what `isRetryable` allows. A throttled failure waits exactly what the server
 * asked (`retryAfterMs`) instead of the backoff.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const minDelay = options.minDelayMs ?? 500;
  const maxThrottle = options.maxThrottleWaitMs ?? 120_000;
  const retryable = (error: unknown): boolean => isRetryable(error) && (options.retryable?.(error) ?? true);
  return pRetry(fn, {
    retries: options.retries ?? 5,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal: options.signal,
    shouldRetry: ({ error }) => retryable(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft === 0 || !retryable(error)) return;
      const throttled = isOrgsyncError(error) && error.retry === 'throttled';
      const backoff = Math.min(minDelay * 2 ** (attemptNumber - 1), options.maxDelayMs ?? 30_000);
      const waitMs = throttled ? Math.min(error.retryAfterMs ?? backoff, maxThrottle) : backoff * (0.8 + Math.random() * 0.4);
      options.onRetry?.({ error, attempt: attemptNumber, waitMs });
      await sleep(waitMs, options.signal);
    },
  });
}

export { sleep };
