/**
 * Who is asking, and whether a request that changes state may come from where it comes from.
 *
 * Credentials (every route except those marked `config: { public: true }`: `/healthz`,
 * `/metrics`, the login form and the static assets):
 * - `Authorization: Bearer <token>`: a configured token; its name is who acts. A wrong bearer
 *   token is refused even if a valid session cookie comes along.
 * - the `orgsync_session` cookie set by the login form, while its session is on record in Redis
 *   (signing out deletes the record); the login name is who acts. With Redis unreachable a
 *   cookie cannot be checked: 503.
 * - neither, while no token is configured (only allowed on a loopback address): the request acts
 *   as `local`, and its Host header must be a loopback name (so a DNS-rebound site cannot reach in).
 * Missing or wrong credentials: 401.
 *
 * Cross-site rule for POST, PUT, PATCH and DELETE (public routes included): 403 when
 * `Sec-Fetch-Site` says anything but `same-origin` or `none`, or when `Origin` is present and
 * its host differs from the Host header (and from `X-Forwarded-Host`, which a reverse proxy may
 * set; a browser cannot add it to a cross-site request). Requests authenticated by the cookie
 * (or open on loopback) must also carry the page's CSRF token in `X-CSRF-Token` (or a `_csrf`
 * form field): 403 otherwise. Bearer requests need no CSRF token: browsers never attach a bearer
 * token on their own.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError, type HttpFailure } from '../errors.js';
import type { Credentials } from './credentials.js';
import { SESSION_COOKIE, sameSecret, verifySession, type Session } from './session.js';
import type { SessionStore } from './sessions.js';

export interface Principal {
  name: string;
  via: 'token' | 'session' | 'open';
  /** The CSRF token pages send back; null for bearer requests. */
  csrf: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Served without credentials. */
    public?: boolean;
  }
}

export type Deny = (request: FastifyRequest, reply: FastifyReply, failure: HttpFailure) => FastifyReply;

export interface GuardOptions {
  credentials: Credentials;
  sessions: SessionStore;
  now: () => Date;
  deny: Deny;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function registerGuard(app: FastifyInstance, options: GuardOptions): void {
  const openCsrf = randomBytes(18).toString('base64url');
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (UNSAFE.has(request.method)) {
      const refusal = crossSite(request);
      if (refusal) return options.deny(request, reply, refusal);
    }
    if (request.routeOptions.config.public) return;
    const outcome = await identify(request, options, openCsrf);
    if ('status' in outcome) return options.deny(request, reply, outcome);
    request.principal = outcome;
  });
  app.addHook('preValidation', async (request, reply) => {
    const principal = request.principal;
    if (!UNSAFE.has(request.method) || !principal || principal.csrf === null) return;
    const given = csrfOf(request);
    if (given === null || !sameSecret(given, principal.csrf)) {
      return options.deny(request, reply, failure(httpError('csrf', 'this request needs the CSRF token of the page (X-CSRF-Token header); reload the page and try again')));
    }
  });
}

async function identify(request: FastifyRequest, options: GuardOptions, openCsrf: string): Promise<Principal | HttpFailure> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const name = match && options.credentials.required ? options.credentials.match(match[1]!) : null;
    return name ? { name, via: 'token', csrf: null } : failure(httpError('unauthorized', 'the bearer token is not valid'));
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie && options.credentials.required) {
    const session = await openSession(options, cookie);
    if (session && 'status' in session) return session;
    if (session) return { name: session.name, via: 'session', csrf: session.csrf };
  }
  if (!options.credentials.required) {
    if (!LOOPBACK_NAMES.has(hostName(request.headers.host))) {
      return failure(httpError('forbidden', 'this console has no token and answers only to localhost, 127.0.0.1 or [::1]'));
    }
    return { name: 'local', via: 'open', csrf: openCsrf };
  }
  return failure(httpError('unauthorized', 'sign in, or send Authorization: Bearer <token>'));
}

/** The session a cookie proves and Redis still holds; null when it does not; a 503 failure while Redis is away. */
export async function openSession(options: Pick<GuardOptions, 'credentials' | 'sessions' | 'now'>, cookie: string): Promise<Session | HttpFailure | null> {
  const session = verifySession(options.credentials, cookie, options.now().getTime());
  if (!session) return null;
  if (!options.sessions.available) return failure(httpError('redis-unavailable', 'Redis is unreachable, so the session cannot be checked; the console retries until it answers'));
  return (await options.sessions.isOpen(session)) ? session : null;
}

function crossSite(request: FastifyRequest): HttpFailure | null {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return failure(httpError('cross-site', `refused a ${site} request: state changes must come from the console's own pages`));
  }
  const origin = request.headers.origin;
  const forwarded = request.headers['x-forwarded-host'];
  const proxied = typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : undefined;
  if (origin !== undefined && !sameHost(origin, request.headers.host) && !sameHost(origin, proxied)) {
    return failure(httpError('cross-site', `refused a request from origin ${origin}: state changes must come from the console's own pages`));
  }
  return null;
}

function csrfOf(request: FastifyRequest): string | null {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : null;
}

/** Whether `origin` names the host the request was sent to (default ports compared as such). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return host !== undefined && from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function hostName(host: string | undefined): string {
  if (!host) return '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
}

function failure(error: { code: string; message: string; status?: number }): HttpFailure {
  return { status: error.status ?? 500, code: error.code, message: error.message };
}
