/**
 * The console's HTTP application (fastify): pages, JSON API, Bull Board, `/healthz` and
 * `/metrics`, behind the guard in `auth/guard.ts`. `buildConsole` does not listen, so tests drive
 * it with `inject`; `start.ts` binds it to the configured host and port.
 *
 * In: the config, a control facade on a Redis connection, a logger. Out: a ready fastify instance.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Config } from '../config/load.js';
import { messageOf } from '../errors.js';
import { createMetrics } from '../metrics/metrics.js';
import type { Control } from '../queue/control.js';
import { AuditLog } from './audit.js';
import { Credentials } from './auth/credentials.js';
import { registerGuard, type Deny } from './auth/guard.js';
import { SESSION_COOKIE } from './auth/session.js';
import { SessionStore } from './auth/sessions.js';
import { registerBullBoard } from './bull-board.js';
import type { ConsoleContext } from './context.js';
import { failureOf, httpError, INTERNAL, sendJsonError, wantsHtml, type HttpFailure } from './errors.js';
import { registerApi } from './routes/api.js';
import { registerLogin } from './routes/login.js';
import { registerOpenRoutes } from './routes/open.js';
import { registerPages, sendPage } from './routes/pages.js';
import { registerProvision } from './routes/provision.js';
import { errorPage, loginPage } from './views/login.js';

export interface ConsoleDeps {
  config: Config;
  control: Omit<Control, 'close'>;
  log: Logger;
  now?: () => Date;
}

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
  'x-frame-options': 'DENY',
};

export async function buildConsole(deps: ConsoleDeps): Promise<FastifyInstance> {
  const ctx = context(deps);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, return503OnClosing: true, frameworkErrors: frameworkError });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  const deny = denial();
  registerGuard(app, { credentials: ctx.credentials, sessions: ctx.sessions, now: ctx.now, deny });
  registerHeaders(app);
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.public || ctx.control.redis.status === 'ready') return;
    return deny(request, reply, { status: 503, code: 'redis-unavailable', message: 'Redis is unreachable; the console retries until it answers' });
  });
  app.setErrorHandler((error, request, reply) => {
    const failure = failureOf(error);
    if (!failure) deps.log.error({ reason: messageOf(error), route: request.routeOptions.url, method: request.method }, 'console request failed');
    return deny(request, reply, failure ?? INTERNAL);
  });
  app.setNotFoundHandler((request, reply) => {
    const error = httpError('not-found', `nothing at ${request.method} ${request.url.split('?')[0]}`);
    return deny(request, reply, { status: 404, code: error.code, message: error.message });
  });
  registerOpenRoutes(app, ctx.control.redis, metricsRegistry(ctx));
  registerLogin(app, ctx);
  registerPages(app, ctx);
  registerApi(app, ctx);
  registerProvision(app, ctx);
  await registerBullBoard(app, ctx.control.queue);
  await app.ready();
  return app;
}

function context(deps: ConsoleDeps): ConsoleContext {
  const { config, control, log } = deps;
  const counter = new Counter({ name: 'orgsync_console_actions_total', help: 'Approve, reject and resync requests made in the console, by outcome', labelNames: ['action', 'outcome'] as const, registers: [] });
  return { config, control, log, now: deps.now ?? (() => new Date()), audit: new AuditLog(control.redis, control.keys), credentials: Credentials.fromConfig(config), sessions: new SessionStore(control.redis, control.keys), counter };
}

/** The shared metrics (plans by status, queue jobs by state, process) plus the console's own counter. */
function metricsRegistry(ctx: ConsoleContext) {
  const { plans, queue, redis } = ctx.control;
  const ready = () => redis.status === 'ready';
  const metrics = createMetrics({
    planCounts: async () => (ready() ? plans.countByStatus() : new Map()),
    queueCounts: async () => (ready() ? queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed') : {}),
  });
  metrics.registry.registerMetric(ctx.counter);
  return metrics.registry;
}

/** How a refusal or failure is answered: the login form (401) or an error page to a browser, JSON otherwise. */
function denial(): Deny {
  return (request: FastifyRequest, reply: FastifyReply, failure) => {
    if (wantsHtml(request)) {
      const message = request.cookies?.[SESSION_COOKIE] ? 'Your session has ended; sign in again.' : undefined;
      return sendPage(reply, failure.status, failure.status === 401 ? loginPage({ next: request.url, message }) : errorPage(failure, request.principal));
    }
    if (failure.status === 401) reply.header('www-authenticate', 'Bearer realm="orgsync"');
    return sendJsonError(reply, failure);
  };
}

/** Every answer, Bull Board's included, carries the same security headers. */
function registerHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').headers(PAGE_HEADERS);
  });
}

/**
 * Failures fastify's router answers before any route runs (a path parameter over 100 characters,
 * a malformed URL) get the console's own error shape and headers, never fastify's body. No plan
 * id is that long, so an over-long one is a 404 like any unknown plan.
 */
function frameworkError(error: { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  const failure: HttpFailure =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? { status: 404, code: 'not-found', message: 'no such plan or page: a path segment is longer than 100 characters' }
      : { status: 400, code: 'bad-request', message: 'the request URL is malformed' };
  reply.headers({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', ...PAGE_HEADERS });
  void sendJsonError(reply, failure);
}

