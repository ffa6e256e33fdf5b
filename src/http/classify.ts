/**
 * Classify an HTTP answer once: permanent (4xx other than 408/429), transient (5xx, 408),
 * throttled (429, or 503 with Retry-After, with the wait the server asked for).
 */
import { OrgsyncError, type RetryClass } from '../errors.js';
import { redactSecrets } from './redact.js';

/**
 * The wait a response asks for, in ms: `Retry-After` (seconds, fractional allowed, or an HTTP
 * date), else a rate-limit reset header (ISO-8601 date or epoch seconds). Undefined when none.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset');
  if (reset) return Math.max(0, resetTime(reset) - now);
  return undefined;
}

/** A reset header as epoch ms: epoch seconds or an ISO-8601 date. */
export function resetTime(value: string): number {
  const n = Number(value);
  if (Number.isFinite(n)) return n > 1e12 ? n : n * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? Date.now() : date;
}

export function retryClassOf(status: number): RetryClass {
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'transient';
  return 'never';
}

/**
 * Build the error for a failed response. `what` names the call ("GET https://…/users"), `detail`
 * is the server's own message when the body had one.
 */
export function httpError(status: number, headers: Headers, what: string, detail: string | undefined): OrgsyncError {
  let retry = retryClassOf(status);
  const wait = retryAfterMs(headers);
  if (retry === 'transient' && (status === 503 || status === 504) && wait !== undefined) retry = 'throttled';
  const message = `${what} answered ${status}${detail ? `: ${detail}` : ''}`;
  return new OrgsyncError(`http-${status}`, message, {
    status,
    retry,
    retryAfterMs: retry === 'throttled' ? wait ?? 1000 : undefined,
  });
}

/**
 * Pull a human message out of the usual JSON error bodies (Graph, Okta, SCIM, Atlassian), with every
 * configured secret (and each value of `extra`, e.g. the auth headers sent) redacted: a server may
 * echo the request's `Authorization` header back.
 */
export function serverMessage(body: unknown, extra: readonly string[] = []): string | undefined {
  const message = rawServerMessage(body);
  return message === undefined ? undefined : redactSecrets(message, extra);
}

function rawServerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const error = b.error as Record<string, unknown> | string | undefined;
  if (typeof error === 'string') return error;
  if (error && typeof error.message === 'string') return `${String(error.code ?? '')} ${error.message}`.trim();
  for (const key of ['detail', 'statusReason', 'errorSummary', 'message', 'title']) {
    if (typeof b[key] === 'string' && b[key] !== '') return b[key] as string;
  }
  const errors = b.errors as Array<Record<string, unknown>> | undefined;
  if (Array.isArray(errors) && errors.length > 0) return errors.slice(0, 3).map(errorEntry).filter(Boolean).join('; ') || undefined;
  return undefined;
}

/** One entry of an `errors` list (Atlassian: `{ code, title, detail }`): title and detail, both when they differ. */
function errorEntry(entry: unknown): string {
  if (!entry || typeof entry !== 'object') return '';
  const e = entry as Record<string, unknown>;
  const parts = [e.title, e.detail, e.message].filter((p): p is string => typeof p === 'string' && p !== '');
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.join(': ');
}
