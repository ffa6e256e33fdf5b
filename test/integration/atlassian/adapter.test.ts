/**
 * The Atlassian adapter against the emulator, beyond the conformance suite: credentials, paging,
 * SCIM 409s, unmanaged accounts, SCIM-synced groups, invitations with roles and groups, the
 * `remove-from-groups` revocation, rate limits, random server failures and ownership records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal, type ApplyReport } from '../../../src/apply/types.js';
import { validate } from '../../../src/config/validate.js';
import type { OrgState } from '../../../src/model/org.js';
import type { Operation } from '../../../src/model/plan.js';
import { atlassianSettings } from '../../../src/org/atlassian/index.js';
import { OWNERSHIP_KEY } from '../../../src/org/scim/ownership.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { op, plan, SEED } from '../../conformance/org-adapter.js';
import { startAtlassianEmulator, type AtlassianEmulator, type AtlassianEmulatorOptions } from '../../emulators/atlassian/index.js';
import { atlassianAdapter, seedAtlassian } from './harness.js';

const open: AtlassianEmulator[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function emulator(options: AtlassianEmulatorOptions = {}, seeded = true): Promise<AtlassianEmulator> {
  const started = await startAtlassianEmulator({ maxPageSize: 2, scimPageSize: 2, ...options });
  if (seeded) seedAtlassian(started.model, SEED);
  open.push(started);
  return started;
}

async function applyOps(e: AtlassianEmulator, state: MemoryStateStore, operations: Operation[], extra: Record<string, unknown> = {}): Promise<ApplyReport> {
  return applyPlan(plan(operations), atlassianAdapter(e, state, extra), { journal: new MemoryJournal() });
}

function userOf(state: OrgState, email: string) {
  return state.users.find((u) => u.email === email)!;
}

const claimed = { classification: 'claimed' as const, domain: 'acme.com' };
const external = { classification: 'external' as const, domain: 'partner.io' };

describe('atlassian settings', () => {
  it('fills defaults and names the key at fault', () => {
    const parsed = atlassianSettings.parse({ orgId: 'o', apiKey: 'k', directoryId: 'd', scimDirectoryId: 's', scimToken: 't' });
    expect(parsed).toMatchObject({ baseUrl: 'https://api.atlassian.com', requestsPerSecond: 10, revoke: 'suspend', roles: {}, pageSize: 100 });
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', directoryId: 'd', scimDirectoryId: 's' }, 'orgsync.yaml', 'profiles[0].org')).toThrow(/profiles\[0\]\.org\.scimToken/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', directoryId: 'd', scimDirectoryId: 's', scimToken: 't', revoke: 'delete' }, 'c.yaml')).toThrow(/revoke/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', directoryId: 'd', scimDirectoryId: 's', scimToken: 't', roles: { viewer: { role: 'x' } } }, 'c.yaml')).toThrow(/roles\.viewer\.resource/);
  });
});

describe('atlassian reads', () => {
  it('fails with the 401 when a key is wrong, and the executor stops', async () => {
    const e = await emulator();
    await expect(atlassianAdapter(e, new MemoryStateStore(), { apiKey: 'wrong' }).readState()).rejects.toThrow(/Atlassian org API .* answered 401: invalid or missing credentials/);
    await expect(atlassianAdapter(e, new MemoryStateStore(), { scimToken: 'wrong' }).readState()).rejects.toThrow(/Atlassian SCIM .* answered 401/);
    await expect(applyOps(e, new MemoryStateStore(), [], { apiKey: 'wrong' })).rejects.toMatchObject({ status: 401 });
  });

  it('reads every page and reports each claim status as it is', async () => {
    const e = await emulator({}, false);
    const m = e.model;
    m.addDomain('acme.com', 'verified');
    for (const [name, status] of [['old.acme.com', 'superseded'], ['acme.dev', 'unverified'], ['acme.io', 'missing_token'], ['acme.net', 'verified']] as const) m.addDomain(name, status);
    for (let i = 0; i < 9; i++) m.provision({ userName: `u${i}@acme.com`, emails: [{ value: `u${i}@acme.com`, primary: true }], externalId: `s-${i}`, active: true });
    for (let g = 0; g < 5; g++) m.addGroup({ name: `G${g}` }).members.add([...m.accounts.keys()][g]!);
    const state = await atlassianAdapter(e, new MemoryStateStore()).readState();
    expect(state.domains).toEqual([
      { name: 'acme.com', status: 'verified' },
      { name: 'old.acme.com', status: 'superseded' },
      { name: 'acme.dev', status: 'unverified' },
      { name: 'acme.io', status: 'missing_token' },
      { name: 'acme.net', status: 'verified' },
    ]);
    expect(state.users.map((u) => u.externalId).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `s-${i}`));
    expect(state.groups.map((g) => g.members.length)).toEqual([1, 1, 1, 1, 1]);
    const pages = (path: string) => e.requests.filter((r) => r.path.startsWith(path)).length;
    expect(pages('/admin/v1/orgs/org-0001/domains')).toBe(3);
    expect(pages('/admin/v2/orgs/org-0001/directories/dir-0001/users/search')).toBe(5);
    expect(pages('/scim/directory/scim-0001/Users')).toBe(5);
  });

  it('retries random server failures and still reads and applies exactly', async () => {
    const clean = await emulator();
    const flaky = await emulator({ failures: { rate: 0.3, seed: 11 } });
    const expected = await atlassianAdapter(clean, new MemoryStateStore()).readState();
    const state = new MemoryStateStore();
    expect(await atlassianAdapter(flaky, state).readState()).toEqual(expected);
    const alice = userOf(expected, 'alice@acme.com');
    const report = await applyOps(flaky, state, [
      op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li' } }),
      op({ kind: 'updateAccount', ...claimed, email: alice.email, accountId: alice.id, sourceId: 'u-alice', before: { displayName: 'Alice Ng' }, after: { displayName: 'Alice N.' } }),
    ]);
    expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
    expect(flaky.stats().failed).toBeGreaterThan(0);
    expect([...flaky.model.scimUsers.values()].filter((u) => u.userName === 'frank@acme.com')).toHaveLength(1);
  });

  it('refuses to follow a links.next URL to another origin (the API key would go with it)', async () => {
    const e = await emulator({ linksOrigin: 'http://127.0.0.2:9' });
    e.model.addDomain('acme.net', 'verified');
    await expect(atlassianAdapter(e, new MemoryStateStore()).readState()).rejects.toThrow('Atlassian domains: links.next points to another origin (http://127.0.0.2:9)');
  });

  it('fails the read when the server keeps failing', async () => {
    const e = await emulator({ failures: { rate: 1, seed: 1 } });
    await expect(atlassianAdapter(e, new MemoryStateStore()).readState()).rejects.toThrow(/answered 500/);
  });

  it('fails the read when the ownership records are unreadable, naming the key', async () => {
    const e = await emulator();
    const state = new MemoryStateStore();
    await state.set(OWNERSHIP_KEY, '{ not json');
    await expect(atlassianAdapter(e, state).readState()).rejects.toThrow(`ownership records under "${OWNERSHIP_KEY}" are not valid JSON`);
  });

  it('paces one request after another by X-RateLimit-Remaining/Reset instead of running into 429s', async () => {
    const e = await emulator({ rateLimit: { limit: 2, windowMs: 150 } });
    const state = new MemoryStateStore();
    const people = ['p1', 'p2', 'p3', 'p4', 'p5'].map((n) => e.model.addAccount({ email: `${n}@partner.io`, name: n }));
    const guests = e.model.addGroup({ name: 'Guests' });
    const members = people.map((p) => ({ email: p.email, sourceId: null, accountId: p.accountId, classification: 'external' as const }));
    const report = await applyOps(e, state, [op({ kind: 'addMembers', group: { id: guests.id, externalId: null, name: 'Guests' }, members })]);
    expect(report.counts.applied).toBe(1);
    expect(guests.members.size).toBe(5);
    const memberships = e.requests.filter((r) => r.path.endsWith(`/groups/${guests.id}/memberships`));
    expect(memberships.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
  });

  it('waits as long as a 429 says before repeating the request', async () => {
    const e = await emulator();
    e.throttleNext(2, 150);
    const state = await atlassianAdapter(e, new MemoryStateStore()).readState();
    expect(state.users).toHaveLength(5);
    expect(e.stats()).toMatchObject({ throttled: 2, early: 0 });
  });
});

describe('atlassian managed accounts', () => {
  it('links the SCIM user a create answered 409 for', async () => {
    const e = await emulator();
    const existing = e.model.provision({ userName: 'frank@acme.com', emails: [{ value: 'frank@acme.com', primary: true }], displayName: 'Frank', active: true });
    const report = await applyOps(e, new MemoryStateStore(), [op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li' } })]);
    expect(report.results).toMatchObject([{ result: 'skipped', accountId: existing.accountId }]);
    expect(e.model.scimUsers.get(existing.id)).toMatchObject({ externalId: 'u-frank', displayName: 'Frank Li' });
    expect(e.requests.some((r) => r.method === 'POST' && r.path.endsWith('/Users') && r.status === 409)).toBe(true);
  });

  it('refuses to relink a SCIM user that is linked to another source user', async () => {
    const e = await emulator();
    const report = await applyOps(e, new MemoryStateStore(), [op({ kind: 'createAccount', ...claimed, email: 'alice@acme.com', sourceId: 'u-other', after: { email: 'alice@acme.com' } })]);
    expect(report.results[0]).toMatchObject({ result: 'failed', message: 'SCIM user alice@acme.com is already linked to source user u-alice, not u-other' });
  });

  it('refuses managed-account changes once the domain is no longer claimed, and reports the server refusing them too', async () => {
    const e = await emulator();
    const dave = e.model.accountByEmail('dave@acme.com')!;
    const state = new MemoryStateStore();
    const adapter = atlassianAdapter(e, state);
    e.model.domains.find((d) => d.name === 'acme.com')!.status = 'unverified';
    const deactivate = op({ kind: 'deactivateAccount', ...claimed, email: dave.email, sourceId: 'u-dave', accountId: dave.accountId, before: { status: 'active' }, after: { status: 'deactivated' } });
    const report = await applyPlan(plan([deactivate]), adapter, { journal: new MemoryJournal() });
    expect(report.results[0]).toMatchObject({ result: 'conflict' });
    expect(report.results[0]!.message).toMatch(/domain acme\.com is not claimed by the org now/);
    expect(e.requests.filter((r) => r.api === 'scim' && r.method !== 'GET')).toEqual([]);

    const refs = { accountFor: () => undefined, groupFor: () => undefined };
    await expect(adapter.apply(deactivate, refs)).rejects.toThrow(/answered 400: the account of dave@acme\.com is not managed by this organization; SCIM cannot update it/);
    expect(dave.accountStatus).toBe('active');
  });
});

describe('atlassian groups', () => {
  it('changes members of an identity-provider group over SCIM, and refuses external members by name', async () => {
    const e = await emulator();
    const m = e.model;
    const synced = m.addGroup({ name: 'IdP Engineers', externalSynced: true });
    m.scimGroups.set('scim-group-1', { id: 'scim-group-1', groupId: synced.id, externalId: 'g-idp' });
    const store = new MemoryStateStore();
    const state = await atlassianAdapter(e, store).readState();
    const group = state.groups.find((g) => g.id === synced.id)!;
    expect(group).toMatchObject({ externalId: 'g-idp', source: 'manual', members: [] });
    const alice = userOf(state, 'alice@acme.com');
    const erin = userOf(state, 'erin@partner.io');
    const report = await applyOps(e, store, [
      op({
        kind: 'addMembers',
        group: { id: synced.id, externalId: 'g-idp', name: 'IdP Engineers' },
        members: [
          { email: alice.email, sourceId: 'u-alice', accountId: alice.id, classification: 'claimed' },
          { email: erin.email, sourceId: null, accountId: erin.id, classification: 'external' },
        ],
      }),
    ]);
    expect(report.results[0]).toMatchObject({ result: 'failed' });
    expect(report.results[0]!.message).toContain('group IdP Engineers is synced from an identity provider and can hold only provisioned accounts; cannot add erin@partner.io');
    expect([...synced.members]).toEqual([alice.id]);
    expect(e.requests.filter((r) => r.path.includes(`/groups/${synced.id}/memberships`))).toEqual([]);
    expect(e.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/Groups/scim-group-1'))).toBe(true);
  });

  it('links a group a create answered 409 for, and never deletes a group it did not create', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const staff = e.model.groupByName('Staff')!;
    const created = await applyOps(e, store, [op({ kind: 'createGroup', group: { id: null, externalId: 'g-staff', name: 'Staff' }, after: { name: 'Staff', description: '' } })]);
    expect(created.results).toMatchObject([{ result: 'skipped', groupId: staff.id }]);
    const state = await atlassianAdapter(e, store).readState();
    expect(state.groups.find((g) => g.id === staff.id)).toMatchObject({ externalId: 'g-staff', source: 'manual' });
    const deleted = await applyOps(e, store, [op({ kind: 'deleteGroup', group: { id: staff.id, externalId: 'g-staff', name: 'Staff' } })]);
    expect(deleted.results[0]).toMatchObject({ result: 'failed', message: 'deleteGroup: group Staff was not created by the sync; it is never deleted' });
    expect(e.model.groups.has(staff.id)).toBe(true);
  });

  it('owns a group whose create answer was lost and whose retry answered 409, and can delete it', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    e.loseNextAnswer('POST', /\/groups$/);
    const created = await applyOps(e, store, [op({ kind: 'createGroup', group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: '' } })]);
    const posts = e.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/groups')).map((r) => r.status);
    expect(posts).toEqual([500, 409]);
    const eng = e.model.groupByName('Engineering')!;
    expect(created.results).toMatchObject([{ groupId: eng.id }]);
    const state = await atlassianAdapter(e, store).readState();
    expect(state.groups.find((g) => g.id === eng.id)).toMatchObject({ externalId: 'g-eng', source: 'sync' });
    const deleted = await applyOps(e, store, [op({ kind: 'deleteGroup', group: { id: eng.id, externalId: 'g-eng', name: 'Engineering' } })]);
    expect(deleted.results.map((r) => r.result)).toEqual(['applied']);
    expect(e.model.groupByName('Engineering')).toBeUndefined();
  });

  it('owns a group a previous run created but never heard back about, and forgets a create that never landed', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const lost = { kind: 'createGroup' as const, group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: '' } };
    e.loseNextAnswer('POST', /\/groups$/);
    const failed = await applyPlan(plan([op(lost)]), atlassianAdapter(e, store, {}, { retries: 0 }), { journal: new MemoryJournal() });
    expect(failed.results.map((r) => r.result)).toEqual(['failed']);
    const eng = e.model.groupByName('Engineering')!;
    const state = await atlassianAdapter(e, store).readState();
    expect(state.groups.find((g) => g.id === eng.id)).toMatchObject({ externalId: 'g-eng', source: 'sync' });
    // A create refused outright leaves no group; a group made by hand later under that name stays manual.
    await store.set(OWNERSHIP_KEY, JSON.stringify({ users: {}, groups: {}, pending: { 'group:ops': { name: 'Ops', sourceId: 'g-ops' } } }));
    await atlassianAdapter(e, store).readState();
    const ops = e.model.addGroup({ name: 'Ops' });
    expect((await atlassianAdapter(e, store).readState()).groups.find((g) => g.id === ops.id)).toMatchObject({ source: 'manual' });
  });

  it('does not declare updateGroup, which the org API cannot do', async () => {
    const e = await emulator();
    expect(atlassianAdapter(e, new MemoryStateStore()).capabilities.has('updateGroup')).toBe(false);
  });
});

describe('atlassian externals', () => {
  const roles = { 'jira-user': { resource: 'ari:cloud:jira::site/1', role: 'atlassian/user' } };

  it('invites with the mapped permission rules and the named groups; an unknown role or group is refused', async () => {
    const e = await emulator();
    const guests = e.model.addGroup({ name: 'Guests' });
    const report = await applyOps(
      e,
      new MemoryStateStore(),
      [
        op({ kind: 'inviteUser', ...external, email: 'gina@partner.io', sourceId: 'u-gina', after: { email: 'gina@partner.io', displayName: 'Gina', groups: ['guests'], roles: ['jira-user'], notify: false } }),
        op({ kind: 'inviteUser', ...external, email: 'hal@partner.io', sourceId: 'u-hal', after: { email: 'hal@partner.io', groups: [], roles: ['admin'], notify: true } }),
        op({ kind: 'inviteUser', ...external, email: 'ivy@partner.io', sourceId: 'u-ivy', after: { email: 'ivy@partner.io', groups: ['Nope'], roles: [], notify: true } }),
      ],
      { roles },
    );
    expect(report.results.map((r) => r.result)).toEqual(['applied', 'failed', 'failed']);
    expect(report.results[1]!.message).toBe('inviteUser hal@partner.io: role "admin" has no permission rule in the atlassian settings\' roles (known: jira-user)');
    expect(report.results[2]!.message).toBe('inviteUser ivy@partner.io: the invitation names group "Nope", which the organization does not have');
    expect(e.model.invitations).toEqual([{ emails: ['gina@partner.io'], permissionRules: [roles['jira-user']], additionalGroups: [guests.id], sendNotification: false }]);
    const gina = e.model.accountByEmail('gina@partner.io')!;
    expect(guests.members.has(gina.accountId)).toBe(true);
    expect(e.model.scimUserOfAccount(gina.accountId)).toBeUndefined();
  });

  it('links an address already in the directory without taking ownership of it', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const erin = e.model.accountByEmail('erin@partner.io')!;
    const report = await applyOps(e, store, [op({ kind: 'inviteUser', ...external, email: 'erin@partner.io', sourceId: 'u-erin', after: { email: 'erin@partner.io', groups: [], roles: [], notify: true } })]);
    expect(report.results).toMatchObject([{ result: 'applied', accountId: erin.accountId }]);
    const state = await atlassianAdapter(e, store).readState();
    expect(userOf(state, 'erin@partner.io')).toMatchObject({ externalId: 'u-erin', source: 'manual' });
  });

  it('with revoke: remove-from-groups, leaves the account active, reports it suspended, and restores it', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const settings = { revoke: 'remove-from-groups' };
    const manual = e.model.groupByName('Staff')!;
    await applyOps(e, store, [
      op({ kind: 'createGroup', group: { id: null, externalId: 'g-p', name: 'Partners' }, after: { name: 'Partners', description: '' } }),
      op({ kind: 'inviteUser', ...external, email: 'gina@partner.io', sourceId: 'u-gina', after: { email: 'gina@partner.io', groups: [], roles: [], notify: false } }),
      op({ kind: 'addMembers', group: { id: null, externalId: 'g-p', name: 'Partners' }, members: [{ email: 'gina@partner.io', sourceId: 'u-gina', accountId: null, classification: 'external' }] }),
    ], settings);
    const gina = e.model.accountByEmail('gina@partner.io')!;
    manual.members.add(gina.accountId);
    const invited = userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io');
    const revoked = await applyOps(e, store, [op({ kind: 'revokeAccess', ...external, email: gina.email, sourceId: 'u-gina', accountId: gina.accountId, before: { status: invited.status }, after: { status: 'suspended' } })], settings);
    expect(revoked.results).toMatchObject([{ result: 'applied', message: 'access revoked; left 1 group the sync owns' }]);
    expect(gina.membershipStatus).toBe('active');
    expect(e.model.groupByName('Partners')!.members.has(gina.accountId)).toBe(false);
    expect(manual.members.has(gina.accountId)).toBe(true);
    expect(userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io').status).toBe('suspended');
    const restored = await applyOps(e, store, [op({ kind: 'inviteUser', ...external, email: gina.email, sourceId: 'u-gina', accountId: gina.accountId, after: { email: gina.email, groups: [], roles: [], notify: false } })], settings);
    expect(restored.results.map((r) => r.result)).toEqual(['applied']);
    expect(userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io')).toMatchObject({ status: 'active', externalId: 'u-gina', source: 'sync' });
  });
});
