/**
 * Errors with stable codes and a retry class.
 *
 * Every failure orgsync reports is an `OrgsyncError` with a `code` (stable, kebab-case) and a
 * `retry` class that says which layer may try again:
 * - `never`: bad input, bad config, or a permanent API answer (4xx other than 408/429);
 * - `transient`: network trouble or a 5xx, worth another attempt after a backoff;
 * - `throttled`: the server asked us to wait `retryAfterMs` first.
 * The message names the file, key, record or server at fault; `cause` keeps the original.
 */
export type RetryClass = 'never' | 'transient' | 'throttled';

export interface OrgsyncErrorOptions {
  retry?: RetryClass;
  retryAfterMs?: number;
  status?: number;
  cause?: unknown;
}

export class OrgsyncError extends Error {
  readonly code: string;
  readonly retry: RetryClass;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(code: string, message: string, options: OrgsyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OrgsyncError';
    this.code = code;
    this.retry = options.retry ?? 'never';
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** Command-line misuse: unknown flag, missing argument. Exit status 2. */
export function usageError(message: string): OrgsyncError {
  return new OrgsyncError('usage', message);
}

/** A config or policy that does not validate. Exit status 2. */
export function configError(message: string, cause?: unknown): OrgsyncError {
  return new OrgsyncError('config', message, { cause });
}

/** Input that cannot be used: a malformed file, a wrong plan. Exit status 1. */
export function inputError(message: string, cause?: unknown): OrgsyncError {
  return new OrgsyncError('input', message, { cause });
}

export function isOrgsyncError(error: unknown): error is OrgsyncError {
  return error instanceof OrgsyncError;
}

/** True when trying again might help. */
export function isRetryable(error: unknown): boolean {
  return isOrgsyncError(error) ? error.retry !== 'never' : isNetworkError(error);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** A failure below HTTP: connection refused or reset, timeout. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return (typeof code === 'string' && NETWORK_CODES.has(code)) || error.name === 'TimeoutError' || (error.name === 'TypeError' && error.message === 'fetch failed');
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
