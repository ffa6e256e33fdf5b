/**
 * The console's guard on real Redis: credentials on every route, sign-in with a cookie, the
 * cross-site and CSRF rules, open routes, and tokens kept out of logs and cookies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AUDITOR_TOKEN, BEARER, ORIGIN, TOKEN, mixedPlan, setupConsole, signIn, type ConsoleSetup } from './helpers.js';

let s: ConsoleSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function withPlan(options: Parameters<typeof setupConsole>[0] = {}): Promise<{ s: ConsoleSetup; id: string }> {
  s = await setupConsole(options);
  const meta = await s.control.plans.save(mixedPlan());
  return { s, id: meta.id };
}

const ROUTES = (id: string) =>
  [
    ['GET', '/'],
    ['GET', '/plans'],
    ['GET', `/plans/${id}`],
    ['GET', '/api/profiles'],
    ['GET', '/api/plans'],
    ['GET', `/api/plans/${id}`],
    ['GET', `/api/plans/${id}/progress`],
    ['POST', `/api/plans/${id}/approve`],
    ['POST', `/api/plans/${id}/reject`],
    ['POST', '/api/profiles/acme/resync'],
    ['POST', '/logout'],
    ['GET', '/queues'],
    ['GET', '/queues/api/queues'],
    ['GET', '/no-such-page'],
  ] as const;

describe('console credentials', () => {
  it('answers 401 on every page and API call without credentials or with a wrong token, and changes nothing', async () => {
    const { s, id } = await withPlan();
    for (const [method, url] of ROUTES(id)) {
      const none = await s.app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: method === 'POST' ? '{}' : undefined });
      expect(none.statusCode, `${method} ${url} without credentials`).toBe(401);
      const wrong = await s.app.inject({ method, url, headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.statusCode, `${method} ${url} with a wrong token`).toBe(401);
      expect(wrong.json().error.code).toBe('unauthorized');
    }
    expect((await s.control.plans.get(id))?.status).toBe('planned');
    expect(await s.control.queue.count()).toBe(0);
  });

  it('serves every route to a valid bearer token of either name', async () => {
    const { s, id } = await withPlan();
    for (const token of [TOKEN, AUDITOR_TOKEN]) {
      for (const [method, url] of ROUTES(id).filter(([m, u]) => m === 'GET' && u !== '/no-such-page')) {
        const res = await s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode, `${method} ${url}`).toBe(200);
      }
    }
  });

  it('shows the sign-in form (status 401) to a browser without credentials', async () => {
    const { s, id } = await withPlan();
    const res = await s.app.inject({ method: 'GET', url: `/plans/${id}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<form method="post" action="/login"');
    expect(res.body).toContain(`value="/plans/${id}"`);
  });

  it('keeps /healthz and /metrics open', async () => {
    const { s } = await withPlan();
    const health = await s.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('orgsync_plans{profile="acme",status="planned"} 1');
    expect(metrics.body).toContain('orgsync_queue_jobs{state="waiting"} 0');
  });

  it('signs in through the form with an HttpOnly, SameSite=Strict cookie that holds no token', async () => {
    const { s } = await withPlan();
    const login = await s.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      payload: new URLSearchParams({ name: 'alice', token: TOKEN, next: '/plans' }).toString(),
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/plans');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const page = await s.app.inject({ method: 'GET', url: '/plans', headers: { cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('alice');
  });

  it('after sign-in, redirects only to a path on this site', async () => {
    const { s } = await withPlan();
    const cases: Array<[string, string]> = [
      ['/\t/evil.example/y', '/'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example', '/'],
      ['/a/..//evil.example', '/'],
      ['/plans?profile=a', '/plans?profile=a'],
    ];
    let cookie = '';
    for (const [next, expected] of cases) {
      const login = await s.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        payload: new URLSearchParams({ name: 'alice', token: TOKEN, next }).toString(),
      });
      expect([next, login.statusCode, login.headers.location]).toEqual([next, 303, expected]);
      cookie = String(login.headers['set-cookie']).split(';')[0]!;
    }
    for (const [next, expected] of cases) {
      const again = await s.app.inject({ method: 'GET', url: `/login?next=${encodeURIComponent(next)}`, headers: { cookie } });
      expect([next, again.statusCode, again.headers.location]).toEqual([next, 303, expected]);
    }
  });

  it('refuses a wrong token at sign-in, a forged cookie, and a cookie past its lifetime', async () => {
    const { s } = await withPlan();
    const wrong = await s.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      payload: new URLSearchParams({ name: 'mallory', token: 'not-the-token-at-all' }).toString(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const { cookie } = await signIn(s.app);
    const [payload, signature] = cookie.slice(cookie.indexOf('=') + 1).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, n: 'mallory' })).toString('base64url');
    const forged = await s.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie: `orgsync_session=${forgedPayload}.${signature}` } });
    expect(forged.statusCode).toBe(401);
    s.clock.now = new Date(s.clock.now.getTime() + s.config.console.sessionHours * 3_600_000 + 1000);
    const expired = await s.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie } });
    expect(expired.statusCode).toBe(401);
  });
});

describe('console cross-site rule', () => {
  it('answers 403 to a state-changing request from another site, even with a valid token', async () => {
    const { s, id } = await withPlan();
    const fromOrigin = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: { ...BEARER, origin: 'https://evil.example' }, payload: {} });
    expect(fromOrigin.statusCode).toBe(403);
    expect(fromOrigin.json().error.code).toBe('cross-site');
    const fetchSite = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: { ...BEARER, 'sec-fetch-site': 'cross-site' }, payload: {} });
    expect(fetchSite.statusCode).toBe(403);
    const nullOrigin = await s.app.inject({ method: 'POST', url: '/api/profiles/acme/resync', headers: { ...BEARER, origin: 'null' }, payload: {} });
    expect(nullOrigin.statusCode).toBe(403);
    const login = await s.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, payload: `name=x&token=${TOKEN}` });
    expect(login.statusCode).toBe(403);
    expect((await s.control.plans.get(id))?.status).toBe('planned');
    expect(await s.control.queue.count()).toBe(0);
  });

  it('behind a reverse proxy: accepts the public origin named by X-Forwarded-Host and marks the cookie Secure', async () => {
    const { s, id } = await withPlan();
    const proxy = { origin: 'https://console.example.com', 'x-forwarded-host': 'console.example.com', 'x-forwarded-proto': 'https' };
    const login = await s.app.inject({ method: 'POST', url: '/login', headers: { ...proxy, 'content-type': 'application/x-www-form-urlencoded' }, payload: `name=alice&token=${TOKEN}` });
    expect(login.statusCode).toBe(303);
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
    const spoofed = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/reject`, headers: { ...BEARER, ...proxy, 'x-forwarded-host': 'other.example.com' }, payload: { comment: 'no' } });
    expect(spoofed.statusCode).toBe(403);
    const ok = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/reject`, headers: { ...BEARER, ...proxy }, payload: { comment: 'no' } });
    expect(ok.statusCode).toBe(200);
  });

  it('needs the CSRF token for cookie-authenticated POSTs, and records the login name', async () => {
    const { s, id } = await withPlan();
    const { cookie, csrf } = await signIn(s.app, 'alice');
    const bare = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin' }, payload: {} });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.code).toBe('csrf');
    const wrong = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: { cookie, 'x-csrf-token': `${csrf}x` }, payload: {} });
    expect(wrong.statusCode).toBe(403);
    expect((await s.control.plans.get(id))?.status).toBe('planned');
    const ok = await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrf }, payload: { comment: 'checked' } });
    expect(ok.statusCode).toBe(200);
    const meta = await s.control.plans.get(id);
    expect(meta?.approval).toMatchObject({ by: 'alice', comment: 'checked' });
  });

  it('signs out with the CSRF token in a form field', async () => {
    const { s } = await withPlan();
    const { cookie, csrf } = await signIn(s.app);
    const noToken = await s.app.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(noToken.statusCode).toBe(403);
    const out = await s.app.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/orgsync_session=;/);
    expect(String(out.headers['set-cookie'])).toMatch(/; HttpOnly/);
    expect(String(out.headers['set-cookie'])).toMatch(/; SameSite=Strict/);
  });

  it('ends the session server-side on sign-out: a copy of the old cookie stops working at once', async () => {
    const { s } = await withPlan();
    const { cookie, csrf } = await signIn(s.app);
    const other = await signIn(s.app, 'bob');
    expect((await s.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie } })).statusCode).toBe(200);
    const sessionKeys = await s.redis.keys(`{${s.prefix}}:session:*`);
    expect(sessionKeys).toHaveLength(2);
    expect(await s.redis.pttl(sessionKeys[0]!)).toBeGreaterThan(0);
    expect(JSON.stringify(await Promise.all(sessionKeys.map((key) => s.redis.get(key))))).not.toContain(TOKEN);
    await s.app.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
    const replayed = await s.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie } });
    expect(replayed.statusCode).toBe(401);
    const page = await s.app.inject({ method: 'GET', url: '/', headers: { cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('Your session has ended; sign in again.');
    expect((await s.app.inject({ method: 'GET', url: '/api/plans', headers: { cookie: other.cookie } })).statusCode).toBe(200);
    expect(await s.redis.keys(`{${s.prefix}}:session:*`)).toHaveLength(1);
  });
});

describe('console without a token (loopback only)', () => {
  it('acts as "local" for loopback host names and refuses any other Host', async () => {
    s = await setupConsole({ tokens: false });
    const meta = await s.control.plans.save(mixedPlan());
    const local = await s.app.inject({ method: 'GET', url: '/api/plans', headers: { host: '127.0.0.1:8080' } });
    expect(local.statusCode).toBe(200);
    const rebound = await s.app.inject({ method: 'GET', url: '/api/plans', headers: { host: 'attacker.example:8080' } });
    expect(rebound.statusCode).toBe(403);
    const page = await s.app.inject({ method: 'GET', url: '/', headers: { host: 'localhost:8080', accept: 'text/html' } });
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    const noCsrf = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/reject`, headers: { host: 'localhost:8080' }, payload: { comment: 'no' } });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/reject`, headers: { host: 'localhost:8080', 'x-csrf-token': csrf! }, payload: { comment: 'not now' } });
    expect(ok.statusCode).toBe(200);
    expect((await s.control.plans.get(meta.id))?.rejection?.by).toBe('local');
  });
});

describe('console logs', () => {
  it('never contain a token, through sign-ins, refusals and actions', async () => {
    const { s, id } = await withPlan();
    await signIn(s.app, 'alice');
    await s.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, payload: `name=bob&token=${AUDITOR_TOKEN}zz` });
    await s.app.inject({ method: 'POST', url: `/api/plans/${id}/approve`, headers: BEARER, payload: {} });
    await s.app.inject({ method: 'POST', url: '/api/profiles/acme/resync', headers: { authorization: `Bearer ${AUDITOR_TOKEN}` }, payload: { full: true } });
    const text = s.logText();
    expect(text).toContain('approve by operator');
    expect(text).toContain('resync by auditor');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(AUDITOR_TOKEN);
  });
});
