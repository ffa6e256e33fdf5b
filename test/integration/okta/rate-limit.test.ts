/**
 * The Okta connector under Okta's rate limits (emulated with short windows): pacing by the
 * `X-Rate-Limit-*` headers, 429 answers honoured until the reset, one retry layer, and a cap on
 * calls in flight.
 */
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta/index.js';
import { readOnce, unsetProxy } from './helpers.js';

unsetProxy();

const SMALL_BUDGET = { perWindow: 6, windowMs: 2000 };

describe('okta source: rate limits', () => {
  let okta: OktaEmulator | undefined;
  afterEach(async () => {
    await okta?.close();
    okta = undefined;
  });

  it('the small budget is really exceeded by an unpaced client', async () => {
    okta = await startOktaEmulator({ seed: { users: 40, groups: 3 }, rateLimit: SMALL_BUDGET });
    const client = new Client({ orgUrl: okta.url, token: 'test-token', requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });
    const read = async () => {
      for await (const user of await client.userApi.listUsers({ limit: 5 })) void user;
    };
    await expect(read()).rejects.toThrow(/E0000047/);
  });

  it('paces a read that needs several windows so that no call is refused', async () => {
    okta = await startOktaEmulator({ seed: { users: 40, groups: 3 }, rateLimit: SMALL_BUDGET });
    const snapshot = await readOnce(okta);
    expect(snapshot.users).toHaveLength(40);
    const perFamily = new Map<string, number>();
    for (const r of okta.stats.log) perFamily.set(r.family, (perFamily.get(r.family) ?? 0) + 1);
    expect(perFamily.get('/api/v1/users')).toBeGreaterThan(SMALL_BUDGET.perWindow);
    expect(perFamily.get('/api/v1/groups/{id}/users')).toBeGreaterThan(SMALL_BUDGET.perWindow);
    expect(okta.stats.throttled).toBe(0);
  });

  it('after a 429, waits for the reset Okta announced and carries on', async () => {
    okta = await startOktaEmulator({ seed: { users: 30, groups: 2 }, rateLimit: { perWindow: 1000, windowMs: 2000 } });
    okta.fail({ path: '/api/v1/users', paging: true, status: 429, times: 1 });
    const snapshot = await readOnce(okta);
    expect(snapshot.users).toHaveLength(30);
    const log = okta.stats.log;
    const refused = log.findIndex((r) => r.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    const retry = log.slice(refused + 1).find((r) => r.path === log[refused]!.path && r.query === log[refused]!.query);
    expect(retry?.status).toBe(200);
    expect(retry!.at).toBeGreaterThanOrEqual(log[refused]!.reset * 1000);
  });

  it('after a 429, waits for the reset that 429 announces, not for its family window', async () => {
    okta = await startOktaEmulator({ seed: { users: 30, groups: 2 }, rateLimit: { perWindow: 1000, windowMs: 600_000 } });
    okta.fail({ path: '/api/v1/users', paging: true, status: 429, times: 1, resetInMs: 1000 });
    const snapshot = await readOnce(okta);
    expect(snapshot.users).toHaveLength(30);
    const log = okta.stats.log;
    const refused = log.find((r) => r.status === 429)!;
    const retry = log.find((r) => r.at > refused.at && r.path === refused.path && r.query === refused.query && r.status === 200);
    const announced = Math.ceil((refused.at + 1000) / 1000) * 1000;
    expect(retry!.at).toBeGreaterThanOrEqual(announced - 1000);
    expect(retry!.at).toBeLessThan(refused.reset * 1000);
    expect(log.at(-1)!.at).toBeLessThan(refused.reset * 1000);
  });

  it('waits out a budget someone else spent before the read began', async () => {
    okta = await startOktaEmulator({ seed: { users: 12, groups: 2 }, rateLimit: { perWindow: 4, windowMs: 2000 } });
    for (let i = 0; i < 4; i++) await fetch(`${okta.url}/api/v1/users?limit=1`, { headers: { authorization: 'SSWS test-token' } });
    okta.resetStats();
    const snapshot = await readOnce(okta);
    expect(snapshot.users).toHaveLength(12);
    expect(snapshot.complete).toBe(true);
    expect(okta.stats.log.filter((r) => r.family === '/api/v1/users' && r.status === 429).length).toBeGreaterThanOrEqual(1);
  });

  it('tries a call that keeps being refused five times in all: the SDK adds no retries of its own', async () => {
    okta = await startOktaEmulator({ seed: { users: 12, groups: 1 }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
    okta.fail({ path: '/api/v1/users', paging: true, status: 429 });
    await expect(readOnce(okta)).rejects.toThrow(/answered 429: E0000047/);
    const refused = okta.stats.log.filter((r) => r.status === 429);
    expect(refused).toHaveLength(5);
    expect(new Set(refused.map((r) => r.query)).size).toBe(1);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    okta = await startOktaEmulator({ seed: { users: 30, groups: 8 }, latencyMs: 15, rateLimit: { perWindow: 10_000 } });
    await readOnce(okta, { concurrency: 2 });
    expect(okta.stats.peakConcurrent).toBe(2);
    okta.resetStats();
    await readOnce(okta, { concurrency: 5 });
    expect(okta.stats.peakConcurrent).toBeGreaterThan(2);
    expect(okta.stats.peakConcurrent).toBeLessThanOrEqual(5);
  });
});
