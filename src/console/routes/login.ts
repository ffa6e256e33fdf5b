/**
 * Signing in and out. `GET /login` shows the form; `POST /login` (name, token, next) checks the
 * token, sets the session cookie (HttpOnly, SameSite=Strict; Secure over https, also when a proxy
 * says so in X-Forwarded-Proto) and redirects to `next` (a same-site path only); a wrong token
 * answers 401 with the form again. `POST /logout` clears the cookie. The token is never logged
 * or echoed.
 */
import type { FastifyInstance } from 'fastify';
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
    if (cookie && verifySession(ctx.credentials, cookie, ctx.now().getTime())) return reply.redirect(safeNext(request.query.next), 303);
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
    const session = issueSession(ctx.credentials, tokenName, name, lifetimeMs, ctx.now().getTime());
    reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https', path: '/', maxAge: lifetimeMs / 1000 });
    ctx.log.info({ user: name, tokenName }, `console sign-in: ${name}`);
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (_request, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}
