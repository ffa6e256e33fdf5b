/**
 * The Okta connector reading an emulated org through the real Okta SDK: paging, status mapping,
 * deactivated users, profile mapping, group selection, orgUrl handling and both auth modes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { USER_STATUSES, startOktaEmulator, type OktaEmulator } from '../../emulators/okta/index.js';
import { connector, readOnce, requestsTo, unsetProxy } from './helpers.js';

unsetProxy();

const EXPECTED_ACTIVE: Record<string, boolean> = {
  ACTIVE: true,
  PROVISIONED: true,
  RECOVERY: true,
  PASSWORD_EXPIRED: true,
  LOCKED_OUT: true,
  SUSPENDED: false,
  DEPROVISIONED: false,
  STAGED: false,
};

describe('okta source: full read', () => {
  let okta: OktaEmulator;

  beforeAll(async () => {
    okta = await startOktaEmulator({ seed: { users: 37, groups: 6 } });
  });
  afterAll(() => okta.close());

  it('follows every page of users, groups and members', async () => {
    okta.resetStats();
    const snapshot = await readOnce(okta, { pageSize: 4, groupPageSize: 3 });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id)).toEqual(okta.org.users.map((u) => u.id));
    const wanted = okta.org.groups.filter((g) => g.type !== 'BUILT_IN');
    expect(snapshot.groups.map((g) => [g.id, g.members])).toEqual(wanted.map((g) => [g.id, g.members]));
    expect(okta.stats.log.filter((r) => r.path === '/api/v1/users' && r.query.includes('after=')).length).toBeGreaterThan(5);
    expect(okta.stats.log.filter((r) => r.path.endsWith('/users') && r.path.startsWith('/api/v1/groups/') && r.query.includes('after=')).length).toBeGreaterThan(0);
    expect(okta.stats.log.every((r) => r.status === 200)).toBe(true);
  });

  it('maps every Okta status to active or inactive', async () => {
    const statuses = new Set(okta.org.users.map((u) => u.status));
    expect([...statuses].sort()).toEqual([...USER_STATUSES].sort());
    const snapshot = await readOnce(okta);
    const byId = new Map(snapshot.users.map((u) => [u.id, u]));
    for (const user of okta.org.users) expect([user.status, byId.get(user.id)?.active]).toEqual([user.status, EXPECTED_ACTIVE[user.status]]);
  });

  it('reads STAGED users as active when the policy says so', async () => {
    const snapshot = await readOnce(okta, {}, { policy: { scope: { groups: [], stagedActive: true } } });
    const staged = okta.org.users.filter((u) => u.status === 'STAGED').map((u) => u.id);
    expect(staged.length).toBeGreaterThan(0);
    expect(snapshot.users.filter((u) => staged.includes(u.id)).every((u) => u.active)).toBe(true);
  });

  it('asks for the deactivated users the ordinary listing leaves out', async () => {
    okta.resetStats();
    const snapshot = await readOnce(okta);
    const gone = okta.org.users.filter((u) => u.status === 'DEPROVISIONED').map((u) => u.id);
    expect(gone.length).toBeGreaterThan(1);
    expect(snapshot.users.filter((u) => gone.includes(u.id)).map((u) => [u.id, u.active])).toEqual(gone.map((id) => [id, false]));
    expect(okta.stats.log.some((r) => decodeURIComponent(r.query).includes('status eq "DEPROVISIONED"'))).toBe(true);
  });

  it('maps profile.email (not login), names and attributes', async () => {
    const snapshot = await readOnce(okta);
    for (const source of okta.org.users) {
      const user = snapshot.users.find((u) => u.id === source.id)!;
      const p = source.profile;
      expect(user.email).toBe(p.email);
      expect(user.userName).toBe(p.login);
      expect(user.email).not.toBe(p.login);
      expect(user.givenName).toBe(p.firstName);
      expect(user.familyName).toBe(p.lastName);
      expect(user.displayName).toBe(p.displayName ?? `${p.firstName} ${p.lastName}`);
      expect(user.attributes).toEqual({ ...(p.title ? { title: p.title } : {}), ...(p.department ? { department: p.department } : {}) });
    }
  });

  it('leaves out Everyone unless the policy names it, and honours groupTypes', async () => {
    const everyone = okta.org.groups.find((g) => g.type === 'BUILT_IN')!;
    const plain = await readOnce(okta);
    expect(plain.groups.some((g) => g.id === everyone.id)).toBe(false);
    expect(plain.groups.some((g) => okta.org.group(g.id)?.type === 'APP_GROUP')).toBe(true);
    const named = await readOnce(okta, {}, { policy: { scope: { groups: ['Everyone'] } } });
    expect(named.groups.find((g) => g.id === everyone.id)?.members).toEqual(okta.org.users.map((u) => u.id));
    const oktaOnly = await readOnce(okta, { groupTypes: ['OKTA_GROUP'] });
    expect(oktaOnly.groups.map((g) => g.id)).toEqual(okta.org.groups.filter((g) => g.type === 'OKTA_GROUP').map((g) => g.id));
  });

  it('reads no member list when no group is mirrored or scoped', async () => {
    okta.resetStats();
    const snapshot = await readOnce(okta, {}, { policy: { groups: { sync: 'none' } } });
    expect(snapshot.groups).toEqual([]);
    expect(requestsTo(okta, /^\/api\/v1\/groups\/[^/]+\/users$/)).toBe(0);
    expect(snapshot.users).toHaveLength(okta.org.users.length);
  });

  it('marks the snapshot incomplete when a scope group is not found', async () => {
    const snapshot = await readOnce(okta, {}, { policy: { scope: { groups: ['No Such Group'] } } });
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toContainEqual(expect.objectContaining({ code: 'missing-scope-group', subject: 'No Such Group' }));
  });

  it('narrows users with userSearch and keeps only their memberships', async () => {
    okta.resetStats();
    const snapshot = await readOnce(okta, { userSearch: 'profile.department eq "Sales"' });
    const sales = okta.org.users.filter((u) => u.profile.department === 'Sales').map((u) => u.id);
    expect(snapshot.users.map((u) => u.id)).toEqual(sales);
    for (const group of snapshot.groups) expect(group.members.every((m) => sales.includes(m))).toBe(true);
    expect(snapshot.groups.some((g) => g.members.length > 0)).toBe(true);
    expect(snapshot.issues).toEqual([]);
    expect(okta.stats.log.some((r) => r.query.startsWith('?search='))).toBe(true);
  });

  it('lists searched users once: the search already returns the deprovisioned ones', async () => {
    okta.resetStats();
    const search = 'profile.department eq "Sales"';
    const snapshot = await readOnce(okta, { userSearch: search, pageSize: 200 });
    const sales = okta.org.users.filter((u) => u.profile.department === 'Sales');
    const gone = sales.filter((u) => u.status === 'DEPROVISIONED').map((u) => u.id);
    expect(gone.length).toBeGreaterThan(0);
    expect(snapshot.users.map((u) => u.id)).toEqual(sales.map((u) => u.id));
    expect(snapshot.users.filter((u) => gone.includes(u.id)).every((u) => !u.active)).toBe(true);
    const listings = okta.stats.log.filter((r) => r.path === '/api/v1/users');
    expect(listings.map((r) => new URLSearchParams(r.query).get('search'))).toEqual([search]);
  });

  it('emulator: answers search with deprovisioned users and refuses ne as Okta does', async () => {
    const ask = (query: string) => fetch(`${okta.url}/api/v1/users?${query}`, { headers: { authorization: 'SSWS test-token' } });
    const all = (await (await ask(`search=${encodeURIComponent('status pr')}`)).json()) as Array<{ status: string }>;
    expect(all.length).toBe(okta.org.users.length);
    expect(all.some((u) => u.status === 'DEPROVISIONED')).toBe(true);
    const refused = await ask(`search=${encodeURIComponent('status ne "STAGED"')}`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000031', errorSummary: expect.stringContaining('ne'), errorCauses: [] });
  });

  it('accepts an orgUrl with a trailing slash', async () => {
    okta.resetStats();
    const snapshot = await readOnce(okta, { orgUrl: `${okta.url}//` });
    expect(snapshot.users).toHaveLength(okta.org.users.length);
    expect(okta.stats.log.every((r) => r.path.startsWith('/api/v1/'))).toBe(true);
  });

  it('reaches a loopback org even when HTTPS_PROXY points elsewhere', async () => {
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    try {
      const snapshot = await readOnce(okta);
      expect(snapshot.users).toHaveLength(okta.org.users.length);
    } finally {
      unsetProxy();
    }
  });
});

describe('okta source: OAuth 2.0 service app', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let okta: OktaEmulator;
  let dir: string;

  beforeAll(async () => {
    okta = await startOktaEmulator({
      seed: { users: 12, groups: 2 },
      serviceApp: { clientId: '0oa-orgsync', keyId: 'kid-1', publicKey: publicPem, scopes: ['okta.users.read', 'okta.groups.read'] },
    });
    dir = await mkdtemp(join(tmpdir(), 'okta-key-'));
    await writeFile(join(dir, 'orgsync.pem'), privatePem);
  });
  afterAll(async () => {
    await okta.close();
    await rm(dir, { recursive: true, force: true });
  });

  const keySettings = { token: undefined, clientId: '0oa-orgsync', privateKey: 'orgsync.pem', keyId: 'kid-1' };

  it('signs a client assertion with the key file and reads with the access token', async () => {
    okta.resetStats();
    const source = connector(okta, keySettings, dir);
    const snapshot = await source.read({ policy: parsePolicy({}), state: new MemoryStateStore(), full: false, log: silentLogger() });
    expect(snapshot.users).toHaveLength(okta.org.users.length);
    expect(requestsTo(okta, '/oauth2/v1/token')).toBe(1);
    expect(okta.stats.log.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('names the token endpoint and the OAuth error when the key id is wrong', async () => {
    const source = connector(okta, { ...keySettings, keyId: 'kid-unknown' }, dir);
    const read = source.read({ policy: parsePolicy({}), state: new MemoryStateStore(), full: false, log: silentLogger() });
    await expect(read).rejects.toThrow(/\/oauth2\/v1\/token answered 401: invalid_client: unknown kid/);
  });

  it('is refused a scope the app was not granted', async () => {
    const source = connector(okta, { ...keySettings, scopes: 'okta.users.read okta.users.manage' }, dir);
    const read = source.read({ policy: parsePolicy({}), state: new MemoryStateStore(), full: false, log: silentLogger() });
    await expect(read).rejects.toThrow(/answered 400: invalid_scope/);
  });
});
