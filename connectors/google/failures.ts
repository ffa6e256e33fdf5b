/**
 * Turn what `@googleapis/admin` and `google-auth-library` throw into `OrgsyncError`s, once.
 *
 * In: the thrown error (a `GaxiosError` with the response, or a network failure), what was called,
 * and who signed in. Out: an error whose message names the call (`users.list`) and Google's own
 * `error.message` and `errors[0].reason`, with a retry class: 429 and the 403 reasons
 * `rateLimitExceeded` / `userRateLimitExceeded` / `quotaExceeded` (concurrent requests) are throttled (the server's `Retry-After` when it
 * sends one, else the backoff), 5xx and network failures transient, everything else permanent.
 * A refusal from the token endpoint says to check domain-wide delegation. No request, header or
 * signed assertion is kept as `cause`: they carry credentials.
 */
import { OrgsyncError, isNetworkError, isOrgsyncError, messageOf } from '../../src/errors.js';
import { httpError } from '../../src/http/classify.js';
import { SCOPES } from './settings.js';

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** OAuth 2.0 errors that mean "this service account may not act as this subject for these scopes". */
const DELEGATION_ERRORS = new Set(['unauthorized_client', 'access_denied', 'invalid_grant']);

export interface Identity {
  clientEmail: string;
  clientId: string | undefined;
  subject: string;
}

interface ThrownResponse {
  status?: number;
  headers?: Headers;
  data?: unknown;
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; errors?: Array<{ reason?: string; message?: string }> } | string;
  error_description?: string;
}

function responseOf(error: unknown): ThrownResponse | undefined {
  const response = (error as { response?: ThrownResponse } | undefined)?.response;
  return response && typeof response.status === 'number' ? response : undefined;
}

function networkFailure(error: unknown): boolean {
  return isNetworkError(error) || isNetworkError((error as { error?: unknown })?.error) || (error as { name?: string })?.name === 'AbortError';
}

/** The error for a failed Directory API call (or the sign-in it needed first). */
export function directoryFailure(error: unknown, what: string, who: Identity, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (isOrgsyncError(error)) return error;
  const response = responseOf(error);
  const body = (response?.data ?? {}) as GoogleErrorBody;
  if (typeof body.error === 'string') return signInFailure(response!.status!, body, who);
  if (!response) {
    const retry = networkFailure(error) ? 'transient' : 'never';
    return new OrgsyncError('network', `Google Directory API ${what} failed: ${messageOf((error as Error | undefined)?.cause ?? error)}`, { retry });
  }
  const status = response.status!;
  const detail = typeof body.error === 'object' ? body.error : undefined;
  const reason = detail?.errors?.[0]?.reason;
  const message = [detail?.message, reason ? `(reason ${reason})` : undefined].filter(Boolean).join(' ') || undefined;
  const failure = httpError(status, response.headers ?? new Headers(), `Google Directory API ${what}`, message);
  if (status !== 403 || reason === undefined || !RATE_LIMIT_REASONS.has(reason)) return failure;
  return new OrgsyncError(failure.code, failure.message, { status, retry: 'throttled', retryAfterMs: failure.retryAfterMs });
}

/** The token endpoint refused the signed JWT (or failed). */
function signInFailure(status: number, body: GoogleErrorBody, who: Identity): OrgsyncError {
  const error = body.error as string;
  const said = `${error}${body.error_description ? `: ${body.error_description}` : ''}`;
  const client = `service account ${who.clientEmail}${who.clientId ? ` (client id ${who.clientId})` : ''}`;
  const message = `Google sign-in of ${client} as ${who.subject} was refused (${status} ${said})`;
  if (status >= 500) return new OrgsyncError('google-auth', message, { status, retry: 'transient' });
  if (!DELEGATION_ERRORS.has(error)) return new OrgsyncError('google-auth', message, { status });
  const hint =
    `; check domain-wide delegation: in the Admin console (Security > Access and data control > API controls > ` +
    `Domain-wide delegation) the client id must be authorized for ${SCOPES.join(', ')}, and subject must be an active Workspace admin`;
  return new OrgsyncError('google-auth', message + hint, { status });
}
