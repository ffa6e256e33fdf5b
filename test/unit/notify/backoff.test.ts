/**
 * The notification queue's backoff: exponential from the job's delay, or the receiver's own wait.
 */
import type { MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { OrgsyncError } from '../../../src/errors.js';
import { notifyBackoff } from '../../../src/notify/processor.js';

const job = { opts: { backoff: { type: 'notify', delay: 1000 } } } as unknown as MinimalJob;

describe('notifyBackoff', () => {
  it('doubles the delay with each attempt, within 20 % jitter', () => {
    for (const [attempts, base] of [[1, 1000], [2, 2000], [4, 8000]] as const) {
      const wait = notifyBackoff(attempts, 'notify', new Error('down'), job);
      expect(wait).toBeGreaterThanOrEqual(base * 0.8);
      expect(wait).toBeLessThanOrEqual(base * 1.2);
    }
  });

  it('waits as long as a throttling receiver asked, up to 15 minutes', () => {
    const throttled = (ms: number) => new OrgsyncError('http', 'too many requests', { retry: 'throttled', retryAfterMs: ms, status: 429 });
    expect(notifyBackoff(1, 'notify', throttled(60_000), job)).toBe(60_000);
    expect(notifyBackoff(1, 'notify', throttled(86_400_000), job)).toBe(15 * 60_000);
    expect(notifyBackoff(1, 'notify', throttled(10), job)).toBeGreaterThanOrEqual(800);
  });
});
