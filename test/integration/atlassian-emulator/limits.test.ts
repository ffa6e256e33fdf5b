/**
 * What the emulator keeps around its routes, over raw HTTP: credentials per API (401), a rate limit
 * per credential with `X-RateLimit-*` headers, forced 429 storms whose early repeats are counted,
 * seeded 500s before any effect, and lost answers after the effect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { orgError, scimUser, start, type Clients } from './helpers.js';

let c: Clients;
afterEach(() => c.e.close());

describe('credentials', () => {
  it('answers 401 to the org API without its key and to SCIM with the org key', async () => {
    c = await start();
    const org = await fetch(`${c.e.url}/admin/v2/orgs/${c.e.orgId}/directories`, { headers: { authorization: 'Bearer wrong' } });
    expect(org.status).toBe(401);
    expect(((await org.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('ADMIN-UAM-401-1');
    const scim = await fetch(`${c.e.url}/scim/directory/${c.e.scimDirectoryId}/Users`, { headers: { authorization: `Bearer ${c.e.apiKey}` } });
    expect(scim.status).toBe(401);
    expect(((await scim.json()) as { schemas: string[] }).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});

describe('rate limit', () => {
  it('counts per credential and answers 429 with the reset as ISO-8601', async () => {
    c = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const first = await c.org('GET', '/directories');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await c.org('GET', '/directories');
    const third = await c.org('GET', '/directories');
    expect(third.status).toBe(429);
    expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(new Date(third.headers.get('x-ratelimit-reset')!).toISOString()).toBe(third.headers.get('x-ratelimit-reset'));
    expect(third.headers.get('retry-after')).toBeNull();
    expect((await c.scim('GET', '/Users')).status).toBe(200);
  });

  it('answers a 429 storm and counts a retry that comes back before the announced reset', async () => {
    c = await start();
    c.e.throttleNext(3, 60_000);
    expect((await c.org('GET', '/directories')).status).toBe(429);
    expect((await c.scim('GET', '/Users')).status).toBe(429);
    expect((await c.org('POST', '/directories/-/users/search', {})).status).toBe(429);
    expect((await c.org('GET', '/directories')).status).toBe(429);
    expect(c.e.stats()).toMatchObject({ throttled: 4, early: 1 });
    expect((await c.scim('GET', '/Groups')).status).toBe(200);
  });
});

describe('failures', () => {
  it('fails a seeded share of requests with 500 before they act', async () => {
    c = await start({ failures: { rate: 0.5, seed: 7 } });
    c.e.model.addDomain('acme.com');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await c.scim('POST', '/Users', scimUser(`u${i}@acme.com`))).status);
    const created = statuses.filter((s) => s === 201).length;
    expect(statuses.filter((s) => s === 500).length).toBe(c.e.stats().failed);
    expect(c.e.stats().failed).toBeGreaterThan(0);
    expect(c.e.model.scimUsers.size).toBe(created);
  });

  it('loses the answer of a request that acted', async () => {
    c = await start();
    c.e.loseNextAnswer('POST', /\/groups$/);
    const lost = await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' });
    expect(orgError(lost)).toMatchObject({ status: 500, code: 'ADMIN-UAM-500-1' });
    expect(c.e.model.groupByName('Partners')).toBeDefined();
    expect(orgError(await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).status).toBe(409);
    expect(c.e.requests.filter((r) => r.path.endsWith('/groups')).map((r) => r.status)).toEqual([500, 409]);
  });
});
