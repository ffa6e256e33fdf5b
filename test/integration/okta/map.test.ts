/**
 * The pure parts of the Okta connector: status mapping, user mapping, the query expressions it
 * sends, and reading rate-limit headers.
 */
import { describe, expect, it } from 'vitest';
import { familyOf, readWindow } from '../../../connectors/okta/budget.js';
import { isActiveStatus, toSourceUser, userQueries } from '../../../connectors/okta/map.js';
import { bypassesProxy } from '../../../connectors/okta/proxy.js';

describe('okta mapping', () => {
  it('maps statuses, STAGED by policy, and flags a status it does not know', () => {
    for (const s of ['ACTIVE', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']) expect(isActiveStatus(s, false)).toBe(true);
    for (const s of ['SUSPENDED', 'DEPROVISIONED']) expect(isActiveStatus(s, true)).toBe(false);
    expect([isActiveStatus('STAGED', false), isActiveStatus('STAGED', true)]).toEqual([false, true]);
    const odd = toSourceUser({ id: 'u1', status: 'HIBERNATING', lastUpdated: null, email: 'a@acme.com' }, false);
    expect(odd.user.active).toBe(false);
    expect(odd.issue).toMatchObject({ code: 'unknown-status', subject: 'u1' });
  });

  it('uses profile.email, never login, and null when there is none', () => {
    const { user } = toSourceUser({ id: 'u1', status: 'ACTIVE', lastUpdated: null, login: 'alice' }, false);
    expect(user.email).toBeNull();
    expect(user.userName).toBe('alice');
    expect(user.displayName).toBeUndefined();
  });

  it('builds one user listing per purpose: everyone plus the deprovisioned, or one search', () => {
    expect(userQueries(undefined)).toEqual([{}, { filter: 'status eq "DEPROVISIONED"' }]);
    expect(userQueries('profile.department eq "R&D" or profile.title pr')).toEqual([{ search: 'profile.department eq "R&D" or profile.title pr' }]);
  });
});

describe('okta rate-limit headers', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('reads limit, remaining and reset (epoch seconds)', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const w = readWindow(headers({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '17', 'x-rate-limit-reset': String(now / 1000 + 30) }), now);
    expect(w).toEqual({ limit: 600, remaining: 17, resetAt: now + 30_000 });
  });

  it('moves the reset onto the local clock when the server clock is off', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const serverNow = now + 120_000;
    const w = readWindow(
      headers({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '5', 'x-rate-limit-reset': String(serverNow / 1000 + 30), date: new Date(serverNow).toUTCString() }),
      now,
    );
    expect(w?.resetAt).toBe(now + 30_000);
  });

  it('ignores absent or duplicated headers', () => {
    expect(readWindow(headers({}), Date.now())).toBeUndefined();
    expect(readWindow(headers({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '5', 'x-rate-limit-reset': '1, 2' }), Date.now())).toBeUndefined();
  });

  it('groups URLs into endpoint families', () => {
    expect(familyOf('https://acme.okta.com/api/v1/users?limit=200&after=00u1')).toBe('/api/v1/users');
    expect(familyOf('https://acme.okta.com/api/v1/groups/00g1/users?limit=200')).toBe('/api/v1/groups/{id}/users');
    expect(familyOf('https://acme.okta.com/oauth2/v1/token')).toBe('/oauth2/v1/token');
  });

  it('bypasses the proxy for loopback and NO_PROXY hosts only', () => {
    expect(bypassesProxy('http://127.0.0.1:4000/api/v1/users', {})).toBe(true);
    expect(bypassesProxy('https://acme.okta.com/api/v1/users', {})).toBe(false);
    expect(bypassesProxy('https://acme.okta.com/api/v1/users', { NO_PROXY: 'localhost,.okta.com' })).toBe(true);
    expect(bypassesProxy('https://acme.okta.com/api/v1/users', { no_proxy: 'okta.com:8443' })).toBe(false);
    expect(bypassesProxy('https://evil-okta.com/', { NO_PROXY: 'okta.com' })).toBe(false);
  });
});
