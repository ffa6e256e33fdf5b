/**
 * How the console answers failures: every error becomes `{ error: { code, message } }` (or an
 * error page for a browser asking for HTML) with the status its code calls for:
 * 400 bad request, 401 no or wrong credentials, 403 cross-site or CSRF refusal, 404 unknown plan
 * or profile, 409 a lifecycle refusal (e.g. approving a superseded plan), 503 Redis unreachable.
 * Anything else is a 500 whose message is logged, not sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOrgsyncError, OrgsyncError } from '../errors.js';

const STATUS_BY_CODE: Record<string, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'cross-site': 403,
  csrf: 403,
  'not-found': 404,
  'plan-state': 409,
  'plan-guarded': 409,
  'plan-busy': 409,
  'redis-unavailable': 503,
};

export interface HttpFailure {
  status: number;
  code: string;
  message: string;
}

export function httpError(code: keyof typeof STATUS_BY_CODE, message: string): OrgsyncError {
  return new OrgsyncError(code, message, { status: STATUS_BY_CODE[code] });
}

/** What to answer for `error`; `null` for an unexpected failure (a 500 whose detail stays in the log). */
export function failureOf(error: unknown): HttpFailure | null {
  if (isOrgsyncError(error)) {
    const status = error.status ?? STATUS_BY_CODE[error.code];
    return status ? { status, code: error.code, message: error.message } : null;
  }
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { status: fastifyStatus, code: fastifyStatus === 415 ? 'unsupported-media-type' : fastifyStatus === 413 ? 'too-large' : 'bad-request', message: (error as Error).message };
  }
  return null;
}

export const INTERNAL: HttpFailure = { status: 500, code: 'internal', message: 'the console failed to answer; see its log' };

/** True for requests a browser makes for a page (not the JSON API, not Bull Board's API). */
export function wantsHtml(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  if (path.startsWith('/api/') || path.startsWith('/queues/api/')) return false;
  return (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
}

export function sendJsonError(reply: FastifyReply, failure: HttpFailure): FastifyReply {
  return reply.code(failure.status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: { code: failure.code, message: failure.message } });
}
