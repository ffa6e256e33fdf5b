/**
 * The Okta connector when calls fail: a page that keeps failing aborts the whole read with a
 * message naming the URL and Okta's error, nothing partial is returned or stored, a passing
 * failure is retried, and a permanent one is not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OrgsyncError } from '../../../src/errors.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { CURSOR_KEY, BASELINE_KEY } from '../../../connectors/okta/state.js';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta/index.js';
import { readOnce, unsetProxy } from './helpers.js';

unsetProxy();

describe('okta source: failures', () => {
  let okta: OktaEmulator;

  beforeAll(async () => {
    okta = await startOktaEmulator({ seed: { users: 24, groups: 3 }, rateLimit: { perWindow: 100_000 } });
  });
  afterAll(() => okta.close());
  beforeEach(() => {
    okta.clearFailures();
    okta.resetStats();
  });

  it('aborts the read when a users page keeps failing, naming the URL and the Okta error', async () => {
    okta.fail({ path: '/api/v1/users', paging: true, status: 500 });
    const state = new MemoryStateStore();
    const error = await readOnce(okta, {}, { state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgsyncError);
    const message = (error as OrgsyncError).message;
    expect(message).toContain(`Okta GET ${okta.url}/api/v1/users?`);
    expect(message).toMatch(/after=00u\w+/);
    expect(message).toContain('answered 500: E0000009 Internal Server Error');
    expect((error as OrgsyncError).retry).toBe('transient');
    const failed = okta.stats.log.filter((r) => r.status === 500);
    expect(failed).toHaveLength(5);
    expect(new Set(failed.map((r) => r.query)).size).toBe(1);
    expect(await state.get(CURSOR_KEY)).toBeNull();
    expect(await state.get(BASELINE_KEY)).toBeNull();
  });

  it('aborts the read when a member list page keeps failing', async () => {
    const group = okta.org.groups.find((g) => g.type !== 'BUILT_IN' && g.members.length > 5)!;
    okta.fail({ path: `/api/v1/groups/${group.id}/users`, paging: true, status: 503 });
    await expect(readOnce(okta)).rejects.toThrow(`/api/v1/groups/${group.id}/users?`);
  });

  it('keeps the last good cursor and baseline when a later read fails', async () => {
    const state = new MemoryStateStore();
    await readOnce(okta, {}, { state });
    const before = [await state.get(CURSOR_KEY), await state.get(BASELINE_KEY)];
    okta.org.updateUser(okta.org.users[0]!.id, { profile: { title: 'Changed' } });
    okta.fail({ path: '/api/v1/groups', status: 500 });
    await expect(readOnce(okta, {}, { state })).rejects.toThrow(/answered 500/);
    expect([await state.get(CURSOR_KEY), await state.get(BASELINE_KEY)]).toEqual(before);
  });

  it('retries a passing server error and returns the whole directory', async () => {
    okta.fail({ path: '/api/v1/users', paging: true, status: 500, times: 2 });
    const snapshot = await readOnce(okta);
    expect(okta.stats.injected).toBe(2);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id)).toEqual(okta.org.users.map((u) => u.id));
  });

  it('does not retry a refused token, and says what Okta said', async () => {
    const error = await readOnce(okta, { token: 'wrong-token' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/answered 401: E0000011 Invalid token provided/);
    expect((error as OrgsyncError).retry).toBe('never');
    const urls = okta.stats.log.map((r) => r.path + r.query);
    expect(urls.length).toBeGreaterThan(0);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('names the org URL when nothing answers there', async () => {
    const closed = await startOktaEmulator({ seed: { users: 1, groups: 0 } });
    await closed.close();
    const error = await readOnce(closed, {}).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`Okta GET ${closed.url}/api/v1/`);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  }, 60_000);
});
