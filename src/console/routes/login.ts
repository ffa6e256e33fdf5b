/**
 * Signing in and out. `GET /login` shows the form; `POST /login` (name, token, next) checks the
 * token, sets the session cookie (HttpOnly, SameSite=Strict; Secure over https, also when a proxy
 * says so in X-Forwarded-Proto) and redirects to `next` (a same-site path only); a wrong token
 * answers 401 with the form again. `POST /logout` deletes the session's server-side record (so
 * the old cookie stops working everywhere) and clears the cookie with the same flags. The token is
 * never logged or echoed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { openSession } from '../auth/guard.js';
import { SESSION_COOKIE, issueSession, verifySession } from '../auth/session.js';
import type { ConsoleContext } from '../context.js';
import { loginPage, safeNext } from '../views/login.js';
import { sendPage } from './pages.js';

const NAME = /^[^\p{Cc}]{1,64}$/u;

type LoginBody = { name?: unknown; token?: unknown; next?: unknown };

export function registerLogin(app: FastifyInstance, ctx: ConsoleContext): void {
  const lifetimeMs = ctx.config.console.sessionHours * 3_600_000;

  app.get<{ Querystring: { next?: string } }>('/login', { config: { public: true } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await openSession(ctx, cookie) : null;
    if (session && !('status' in session)) return reply.redirect(safeNext(request.query.next), 303);
    return sendPage(reply, 200, loginPage({ next: request.query.next }));
  });

  app.post<{ Body: LoginBody }>('/login', { config: { public: true } }, async (request, reply) => {
    const body = request.body ?? {};
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const next = safeNext(body.next);
    if (!NAME.test(name)) return sendPage(reply, 400, loginPage({ next, message: 'Give your name (up to 64 characters): it is recorded with your decisions.' }));
    const tokenName = typeof body.token === 'string' && ctx.credentials.required ? ctx.credentials.match(body.token) : null;
    if (!tokenName) {
      ctx.log.warn({ user: name }, 'console sign-in refused: wrong token');
      return sendPage(reply, 401, loginPage({ next, name, message: 'That token is not valid.' }));
    }
    const now = ctx.now().getTime();
    const { cookie, session } = issueSession(ctx.credentials, tokenName, name, lifetimeMs, now);
    await ctx.sessions.open(session, now);
    reply.setCookie(SESSION_COOKIE, cookie, { ...cookieFlags(request), maxAge: lifetimeMs / 1000 });
    ctx.log.info({ user: name, tokenName }, `console sign-in: ${name}`);
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? verifySession(ctx.credentials, cookie, ctx.now().getTime()) : null;
    if (session) {
      await ctx.sessions.revoke(session);
      ctx.log.info({ user: session.name }, `console sign-out: ${session.name}`);
    }
    reply.clearCookie(SESSION_COOKIE, cookieFlags(request));
    return reply.redirect('/login', 303);
  });
}

/** The session cookie's flags, the same when it is set and when it is cleared. */
function cookieFlags(request: FastifyRequest): { httpOnly: true; sameSite: 'strict'; secure: boolean; path: string } {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https', path: '/' };
}
