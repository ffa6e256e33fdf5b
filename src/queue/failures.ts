/**
 * Which failures of a run BullMQ should retry. Transient HTTP failures were already retried by
 * the HTTP client (p-retry) inside the run; what reaches here decides the job:
 * - retryable (network trouble, 5xx, 429 that outlasted the client's retries, Redis hiccups):
 *   thrown as is, so BullMQ tries the job again with exponential backoff, up to `attempts`;
 * - everything else (401/403, other 4xx, bad config, unusable input, `retry: 'never'`, bugs):
 *   `UnrecoverableError` with the reason, so the job fails at once.
 */
import { UnrecoverableError } from 'bullmq';
import { isOrgsyncError, isRetryable, messageOf } from '../errors.js';

export interface Failure {
  reason: string;
  permanent: boolean;
}

export function classifyFailure(error: unknown): Failure {
  const message = messageOf(error);
  if (isRetryable(error)) return { reason: message, permanent: false };
  const status = isOrgsyncError(error) && error.status !== undefined ? ` (HTTP ${error.status})` : '';
  return { reason: `${message}${status}`, permanent: true };
}

/** What the processor throws for a failed run. */
export function jobError(error: unknown, failure: Failure): Error {
  if (failure.permanent) return new UnrecoverableError(`not retried: ${failure.reason}`);
  return error instanceof Error ? error : new Error(failure.reason);
}
