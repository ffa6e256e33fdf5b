/**
 * The Atlassian adapter against the two-directory emulator, beyond the conformance suite:
 * settings, credentials, paging, directories, SCIM 409s, unmanaged accounts, group pairs (refusals
 * per member, role assignments, groups an earlier version made), invitations (roles and groups,
 * batches, lost answers, refused assignments), revocation, rate limits, random server failures and
 * ownership records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal, type ApplyReport } from '../../../src/apply/types.js';
import { validate } from '../../../src/config/validate.js';
import type { OrgState } from '../../../src/model/org.js';
import type { MemberRef, Operation } from '../../../src/model/plan.js';
import { atlassianSettings } from '../../../src/org/atlassian/index.js';
import { OWNERSHIP_KEY } from '../../../src/org/scim/ownership.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { op, plan, SEED } from '../../conformance/org-adapter.js';
import { seedLocalGroup, seedProvisioned, startAtlassianEmulator, type AtlassianEmulator, type AtlassianEmulatorOptions } from '../../emulators/atlassian/index.js';
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
const ref = (email: string, sourceId: string | null, accountId: string | null, classification: MemberRef['classification']): MemberRef => ({ email, sourceId, accountId, classification });
const invite = (email: string, sourceId: string, after: Record<string, unknown> = {}) => op({ kind: 'inviteUser', ...external, email, sourceId, after: { email, groups: [], roles: [], notify: true, ...after } });

describe('atlassian settings', () => {
  it('fills defaults and names the key at fault', () => {
    const parsed = atlassianSettings.parse({ orgId: 'o', apiKey: 'k', scimDirectoryId: 's', scimToken: 't' });
    expect(parsed).toMatchObject({ baseUrl: 'https://api.atlassian.com', requestsPerSecond: 10, revoke: 'suspend', roles: {}, pageSize: 100, inviteBatchSize: 25, memberBatchSize: 100, externalGroupSuffix: ' (external)' });
    expect(parsed.directoryId).toBeUndefined();
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', directoryId: 'd', scimDirectoryId: 's' }, 'orgsync.yaml', 'profiles[0].org')).toThrow(/profiles\[0\]\.org\.scimToken/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', scimDirectoryId: 's', scimToken: 't', revoke: 'delete' }, 'c.yaml')).toThrow(/revoke/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', scimDirectoryId: 's', scimToken: 't', inviteBatchSize: 26 }, 'c.yaml')).toThrow(/inviteBatchSize/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', directoryId: 's', scimDirectoryId: 's', scimToken: 't' }, 'c.yaml')).toThrow(/directoryId: the local directory cannot be the identity provider/);
    expect(() => validate(atlassianSettings, { orgId: 'o', apiKey: 'k', scimDirectoryId: 's', scimToken: 't', roles: { viewer: { role: 'x' } } }, 'c.yaml')).toThrow(/roles\.viewer\.resource/);
  });
});

describe('atlassian reads', () => {
  it('fails with the 401 when a key is wrong, and the executor stops', async () => {
    const e = await emulator();
    await expect(atlassianAdapter(e, new MemoryStateStore(), { apiKey: 'wrong' }).readState()).rejects.toThrow(/Atlassian org API GET .*\/directories answered 401: .*Invalid or missing credentials/);
    await expect(atlassianAdapter(e, new MemoryStateStore(), { scimToken: 'wrong' }).readState()).rejects.toThrow(/Atlassian SCIM GET .* answered 401/);
    await expect(applyOps(e, new MemoryStateStore(), [], { apiKey: 'wrong' })).rejects.toMatchObject({ status: 401 });
  });

  it('reads both directories page by page, each user with its directory, and discovers the local directory', async () => {
    const e = await emulator();
    const state = await atlassianAdapter(e, new MemoryStateStore(), { directoryId: undefined }).readState();
    expect(userOf(state, 'alice@acme.com')).toMatchObject({ directory: e.scimDirectoryId, managed: true, externalId: 'u-alice' });
    expect(userOf(state, 'erin@partner.io')).toMatchObject({ directory: e.directoryId, managed: false });
    expect(state.users).toHaveLength(5);
    const searches = (dir: string) => e.requests.filter((r) => r.path.endsWith(`/directories/${dir}/users/search`)).length;
    expect(searches(e.scimDirectoryId)).toBeGreaterThan(1);
    expect(searches(e.directoryId)).toBe(1);
    expect(e.requests.filter((r) => r.path.startsWith(`/scim/directory/${e.scimDirectoryId}/Users`)).length).toBeGreaterThan(1);
  });

  it('retries random server failures and still reads and applies exactly', async () => {
    const clean = await emulator();
    const flaky = await emulator({ failures: { rate: 0.3, seed: 11 } });
    const expected = await atlassianAdapter(clean, new MemoryStateStore()).readState();
    const state = new MemoryStateStore();
    expect(await atlassianAdapter(flaky, state, {}, { retries: 10, minDelayMs: 2, maxDelayMs: 10 }).readState()).toEqual(expected);
    const alice = userOf(expected, 'alice@acme.com');
    const report = await applyPlan(
      plan([
        op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li' } }),
        op({ kind: 'updateAccount', ...claimed, email: alice.email, accountId: alice.id, sourceId: 'u-alice', before: { displayName: 'Alice Ng' }, after: { displayName: 'Alice N.' } }),
      ]),
      atlassianAdapter(flaky, state, {}, { retries: 10, minDelayMs: 2, maxDelayMs: 10 }),
      { journal: new MemoryJournal() },
    );
    expect(report.counts).toMatchObject({ applied: 2, failed: 0 });
    expect(flaky.stats().failed).toBeGreaterThan(0);
    expect([...flaky.model.scimUsers.values()].filter((u) => u.userName === 'frank@acme.com')).toHaveLength(1);
  });

  it('refuses to follow a links.next URL to another origin (the API key would go with it)', async () => {
    const e = await emulator({ linksOrigin: 'http://127.0.0.2:9' });
    e.model.addDomain('acme.net', 'verified');
    await expect(atlassianAdapter(e, new MemoryStateStore()).readState()).rejects.toThrow('Atlassian domains: links.next points to another origin (http://127.0.0.2:9)');
  });

  it('fails the read when the ownership records are unreadable, naming the key', async () => {
    const e = await emulator();
    const state = new MemoryStateStore();
    await state.set(OWNERSHIP_KEY, '{ not json');
    await expect(atlassianAdapter(e, state).readState()).rejects.toThrow(`ownership records under "${OWNERSHIP_KEY}" are not valid JSON`);
  });

  it('waits as long as a 429 says before repeating the request', async () => {
    const e = await emulator();
    e.throttleNext(3, 100);
    const state = await atlassianAdapter(e, new MemoryStateStore()).readState();
    expect(state.users).toHaveLength(5);
    expect(e.stats()).toMatchObject({ throttled: 3, early: 0 });
  });

  it('finds the account SCIM created on the next read: no second create', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    await applyOps(e, store, [op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li' } })]);
    const state = await atlassianAdapter(e, store).readState();
    expect(userOf(state, 'frank@acme.com')).toMatchObject({ externalId: 'u-frank', managed: true, status: 'active', source: 'sync', directory: e.scimDirectoryId });
  });
});

describe('atlassian managed accounts', () => {
  it('links the SCIM user a create answered 409 for', async () => {
    const e = await emulator();
    const existing = seedProvisioned(e.model, { email: 'frank@acme.com', displayName: 'Frank' });
    const report = await applyOps(e, new MemoryStateStore(), [op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li' } })]);
    expect(report.results).toMatchObject([{ result: 'skipped', accountId: existing.accountId }]);
    expect(e.model.scimUsers.get(existing.id)).toMatchObject({ externalId: 'u-frank', displayName: 'Frank Li' });
  });

  it('refuses to relink a SCIM user that is linked to another source user', async () => {
    const e = await emulator();
    const report = await applyOps(e, new MemoryStateStore(), [op({ kind: 'createAccount', ...claimed, email: 'alice@acme.com', sourceId: 'u-other', after: { email: 'alice@acme.com' } })]);
    expect(report.results[0]).toMatchObject({ result: 'failed', message: 'SCIM user alice@acme.com is already linked to source user u-alice, not u-other' });
  });
});

describe('atlassian group pairs', () => {
  it("adds every member it can and names each refused one with Atlassian's reason", async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const gone = e.model.seedInvited({ email: 'gus@partner.io' });
    const seeded = await atlassianAdapter(e, store).readState();
    const [alice, dave, erin, gus] = ['alice@acme.com', 'dave@acme.com', 'erin@partner.io', 'gus@partner.io'].map((x) => userOf(seeded, x));
    // Between the read and the apply, dave's SCIM user and gus's local membership disappear.
    const adapter = atlassianAdapter(e, store);
    await adapter.readState();
    e.model.scimUsers.delete(e.model.scimUserOfAccount(dave!.id)!.id);
    e.model.directory(e.directoryId).users.delete(gone.accountId);
    const refs = { accountFor: () => undefined, groupFor: () => undefined };
    const group = await adapter.apply(op({ kind: 'createGroup', group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: '' } }), refs);
    const members = [ref(alice!.email, 'u-alice', alice!.id, 'claimed'), ref(dave!.email, 'u-dave', dave!.id, 'claimed'), ref(erin!.email, null, erin!.id, 'external'), ref(gus!.email, null, gus!.id, 'external'), ref('nobody@partner.io', 'u-x', null, 'external')];
    const failure = (await adapter.apply(op({ kind: 'addMembers', group: { id: group.groupId!, externalId: 'g-eng', name: 'Engineering' }, members }), refs).catch((error: unknown) => error)) as Error;
    expect(failure.message).toMatch(/^addMembers Engineering: nobody@partner\.io: no account; /);
    expect(failure.message).toMatch(/dave@acme\.com: Atlassian SCIM PATCH .*\/Groups\/.* answered 400: Member .* is not a user of this directory/);
    expect(failure.message).toMatch(/gus@partner\.io: Atlassian org API POST .*\/directories\/dir-0001\/groups\/.*\/memberships answered 404: .*User .* was not found in directory dir-0001/);
    const m = e.model;
    expect([...m.groupByName('Engineering', m.scimDirectoryId)!.members]).toEqual([alice!.id]);
    expect([...m.groupByName('Engineering (external)')!.members]).toEqual([erin!.id]);
    expect(e.requests.filter((r) => r.method === 'POST' && r.path.includes(`/groups/${m.groupByName('Engineering', m.scimDirectoryId)!.id}/memberships`))).toEqual([]);
  });

  it('keeps a group an earlier version made in the local directory as the companion, and gives new managed members a SCIM group', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const old = seedLocalGroup(e.model, 'Engineering', ['erin@partner.io']);
    await store.set(OWNERSHIP_KEY, JSON.stringify({ users: {}, groups: { [old.id]: { sourceId: 'g-eng', name: 'Engineering', owned: true } }, pending: {} }));
    const before = await atlassianAdapter(e, store).readState();
    const eng = before.groups.find((g) => g.externalId === 'g-eng')!;
    expect(eng).toMatchObject({ id: old.id, source: 'sync' });
    const alice = userOf(before, 'alice@acme.com');
    const report = await applyOps(e, store, [op({ kind: 'addMembers', group: { id: eng.id, externalId: 'g-eng', name: 'Engineering' }, members: [ref(alice.email, 'u-alice', alice.id, 'claimed')] })]);
    expect(report.results.map((r) => r.result)).toEqual(['applied']);
    const m = e.model;
    expect([...m.groupByName('Engineering (managed)', m.scimDirectoryId)!.members]).toEqual([alice.id]);
    const after = await atlassianAdapter(e, store).readState();
    expect(after.groups.filter((g) => g.externalId === 'g-eng')).toMatchObject([{ id: old.id, name: 'Engineering', source: 'sync' }]);
    expect([...after.groups.find((g) => g.id === old.id)!.members].sort()).toEqual([alice.id, userOf(after, 'erin@partner.io').id].sort());
  });

  it('renames by replacing each side it created, moving members and role assignments, and keeps the group id', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const site = 'ari:cloud:jira-software::site/1';
    e.model.addResource(site);
    const alice = e.model.accountByEmail('alice@acme.com')!;
    const erin = e.model.accountByEmail('erin@partner.io')!;
    const eng = { id: null, externalId: 'g-eng', name: 'Engineering' };
    const created = await applyOps(e, store, [
      op({ kind: 'createGroup', group: eng, after: { name: 'Engineering', description: 'Builders' } }),
      op({ kind: 'addMembers', group: eng, members: [ref(alice.email, 'u-alice', alice.accountId, 'claimed'), ref(erin.email, null, erin.accountId, 'external')] }),
    ]);
    expect(created.results.map((r) => r.result)).toEqual(['applied', 'applied']);
    const id = created.results[0]!.groupId!;
    const m = e.model;
    m.groupByName('Engineering', m.scimDirectoryId)!.roles.set(site, new Set(['atlassian/user']));
    const before = (await atlassianAdapter(e, store).readState()).groups.find((g) => g.id === id)!;
    const renamed = await applyOps(e, store, [op({ kind: 'updateGroup', group: { id, externalId: 'g-eng', name: 'Engineering' }, before: { name: 'Engineering' }, after: { name: 'Builders' } })]);
    expect(renamed.results.map((r) => r.result)).toEqual(['applied']);
    expect(m.groupByName('Engineering', m.scimDirectoryId)).toBeUndefined();
    expect(m.groupByName('Engineering (external)')).toBeUndefined();
    const idp = m.groupByName('Builders', m.scimDirectoryId)!;
    const local = m.groupByName('Builders (external)')!;
    expect([...idp.members]).toEqual([alice.accountId]);
    expect([...local.members]).toEqual([erin.accountId]);
    expect([...(idp.roles.get(site) ?? [])]).toEqual(['atlassian/user']);
    expect([...(local.roles.get(site) ?? [])]).toEqual(['atlassian/user']);
    const after = (await atlassianAdapter(e, store).readState()).groups.find((g) => g.externalId === 'g-eng')!;
    expect(after).toMatchObject({ id, name: 'Builders', description: 'Builders', source: 'sync', members: before.members });
  });

  it('links a group a create answered 409 for, and never deletes a group it did not create', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const created = await applyOps(e, store, [op({ kind: 'createGroup', group: { id: null, externalId: 'g-staff', name: 'Staff' }, after: { name: 'Staff', description: '' } })]);
    expect(created.results, JSON.stringify(created.results)).toMatchObject([{ result: 'skipped' }]);
    const state = await atlassianAdapter(e, store).readState();
    const staff = state.groups.find((g) => g.name === 'Staff')!;
    expect(staff).toMatchObject({ externalId: 'g-staff', source: 'manual' });
    const deleted = await applyOps(e, store, [op({ kind: 'deleteGroup', group: { id: staff.id, externalId: 'g-staff', name: 'Staff' } })]);
    expect(deleted.results[0]).toMatchObject({ result: 'failed', message: 'deleteGroup: group Staff was not created by the sync; it is never deleted' });
    expect(e.model.groupByName('Staff', e.scimDirectoryId)).toBeDefined();
  });

  it('owns a group whose create answer was lost and whose retry answered 409, and deletes both sides', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    e.loseNextAnswer('POST', /\/Groups$/);
    const created = await applyOps(e, store, [
      op({ kind: 'createGroup', group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: '' } }),
      invite('gina@partner.io', 'u-gina'),
      op({ kind: 'addMembers', group: { id: null, externalId: 'g-eng', name: 'Engineering' }, members: [ref('gina@partner.io', 'u-gina', null, 'external')] }),
    ]);
    expect(created.results.map((r) => r.result)).toEqual(['applied', 'applied', 'applied']);
    expect(e.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Groups')).map((r) => r.status)).toEqual([500, 409]);
    const state = await atlassianAdapter(e, store).readState();
    const eng = state.groups.find((g) => g.externalId === 'g-eng')!;
    expect(eng).toMatchObject({ source: 'sync', name: 'Engineering' });
    const deleted = await applyOps(e, store, [op({ kind: 'deleteGroup', group: { id: eng.id, externalId: 'g-eng', name: 'Engineering' } })]);
    expect(deleted.results.map((r) => r.result)).toEqual(['applied']);
    expect(e.model.groupByName('Engineering', e.scimDirectoryId)).toBeUndefined();
    expect(e.model.groupByName('Engineering (external)')).toBeUndefined();
  });
});

describe('atlassian invitations', () => {
  const site = 'ari:cloud:jira-software::site/1';
  const roles = { 'jira-user': { resource: site, role: 'atlassian/user' } };

  it('invites with the mapped permission rules and the named groups; an unknown role or group is refused', async () => {
    const e = await emulator();
    e.model.addResource(site);
    const guests = seedLocalGroup(e.model, 'Guests');
    const report = await applyOps(
      e,
      new MemoryStateStore(),
      [
        invite('gina@partner.io', 'u-gina', { displayName: 'Gina', groups: ['guests'], roles: ['jira-user'], notify: false }),
        invite('hal@partner.io', 'u-hal', { roles: ['admin'] }),
        invite('ivy@partner.io', 'u-ivy', { groups: ['Nope'] }),
      ],
      { roles },
    );
    expect(report.results.map((r) => r.result)).toEqual(['applied', 'failed', 'failed']);
    expect(report.results[1]!.message).toBe('inviteUser hal@partner.io: role "admin" has no permission rule in the atlassian settings\' roles (known: jira-user)');
    expect(report.results[2]!.message).toBe('inviteUser ivy@partner.io: the invitation names group "Nope", which the organization does not have');
    // A group made by hand in the local directory is its own local side: the invitation grants it directly.
    expect(e.model.invitations).toMatchObject([{ emails: ['gina@partner.io'], permissionRules: [roles['jira-user']], additionalGroups: [guests.id], sendNotification: false }]);
    expect([...guests.members]).toEqual([e.model.accountByEmail('gina@partner.io')!.accountId]);
    expect(e.model.groupByName('Guests (external)')).toBeUndefined();
  });

  it('sends at most inviteBatchSize addresses a call, one call per set of grants', async () => {
    const e = await emulator();
    const ops = Array.from({ length: 7 }, (_, i) => invite(`p${i}@partner.io`, `u-${i}`, { notify: i % 2 === 0 }));
    const report = await applyOps(e, new MemoryStateStore(), ops, { inviteBatchSize: 3 });
    expect(report.counts).toMatchObject({ applied: 7, failed: 0 });
    expect(e.model.invitations.map((i) => i.emails.length).sort()).toEqual([1, 3, 3]);
    expect(e.requests.filter((r) => r.path.endsWith('/users/invite'))).toHaveLength(3);
  });

  it('sends no second invitation when an answer is lost, waiting for the invitee to show up in search', async () => {
    const e = await emulator({ inviteDelay: { ms: 100, searches: 1 } });
    const store = new MemoryStateStore();
    e.loseNextAnswer('POST', /\/users\/invite$/);
    const report = await applyOps(e, store, [invite('gina@partner.io', 'u-gina'), invite('hal@partner.io', 'u-hal')]);
    expect(report.results.map((r) => r.result)).toEqual(['applied', 'applied']);
    expect(e.model.emailsSentTo('gina@partner.io')).toBe(1);
    expect(e.model.emailsSentTo('hal@partner.io')).toBe(1);
    expect(e.requests.filter((r) => r.path.endsWith('/users/invite')).map((r) => r.status)).toEqual([500]);
    expect(userOf(await atlassianAdapter(e, store).readState(), 'gina@partner.io')).toMatchObject({ externalId: 'u-gina', source: 'sync' });
  });

  it('looks an address up before inviting it again when an earlier apply died after sending the invitation', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    // The earlier apply recorded its intent and sent the invitation, then died; the invitee is not in searches yet.
    await store.set(OWNERSHIP_KEY, JSON.stringify({ users: {}, groups: {}, pending: { 'invite:gina@partner.io': { name: 'gina@partner.io', sourceId: 'u-gina' } } }));
    const gina = e.model.seedInvited({ email: 'gina@partner.io' });
    e.model.directory(e.directoryId).users.get(gina.accountId)!.pending = { until: Date.now() + 150, searches: 2 };
    const report = await applyOps(e, store, [invite('gina@partner.io', 'u-gina')]);
    expect(report.results).toMatchObject([{ result: 'applied', accountId: gina.accountId }]);
    expect(e.model.invitations).toEqual([]);
    expect(userOf(await atlassianAdapter(e, store).readState(), 'gina@partner.io')).toMatchObject({ externalId: 'u-gina', source: 'sync' });
    expect(JSON.parse((await store.get(OWNERSHIP_KEY))!).pending).toEqual({});
  });

  it('reports an invitee the search does not show yet as invited, so the next plan does not invite again, and waits for them to add them', async () => {
    const e = await emulator({ inviteDelay: { ms: 400, searches: 4 } });
    const store = new MemoryStateStore();
    const report = await applyOps(e, store, [invite('gina@partner.io', 'u-gina')]);
    expect(report.results.map((r) => r.result)).toEqual(['applied']);
    const adapter = atlassianAdapter(e, store);
    const state = await adapter.readState();
    const gina = userOf(state, 'gina@partner.io');
    expect(gina).toMatchObject({ externalId: 'u-gina', status: 'invited', source: 'sync', managed: false });
    const guests = seedLocalGroup(e.model, 'Guests');
    const refs = { accountFor: () => undefined, groupFor: () => undefined };
    await adapter.readState();
    const added = await adapter.apply(op({ kind: 'addMembers', group: { id: guests.id, externalId: null, name: 'Guests' }, members: [ref(gina.email, 'u-gina', gina.id, 'external')] }), refs);
    expect(added.result).toBe('applied');
    expect([...guests.members]).toEqual([gina.id]);
  });

  it("fails an invitation whose group assignment Atlassian refused, with Atlassian's reason, keeping the account linked", async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    seedLocalGroup(e.model, 'Guests');
    e.model.failInviteAssignment('gina@partner.io', { kind: 'group', reason: 'Group is at its user limit' });
    const report = await applyOps(e, store, [invite('gina@partner.io', 'u-gina', { groups: ['Guests'] })]);
    const gina = e.model.accountByEmail('gina@partner.io')!;
    expect(report.results).toMatchObject([{ result: 'failed', accountId: gina.accountId, message: 'inviteUser gina@partner.io: invited, but Atlassian refused group Guests: Group is at its user limit' }]);
    expect(userOf(await atlassianAdapter(e, store).readState(), 'gina@partner.io')).toMatchObject({ externalId: 'u-gina' });
  });

  it('links an address already in the directory without a new invitation or taking ownership of it', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const erin = e.model.accountByEmail('erin@partner.io')!;
    const report = await applyOps(e, store, [invite('erin@partner.io', 'u-erin')]);
    expect(report.results).toMatchObject([{ result: 'applied', accountId: erin.accountId }]);
    expect(e.model.invitations).toEqual([]);
    expect(userOf(await atlassianAdapter(e, store).readState(), 'erin@partner.io')).toMatchObject({ externalId: 'u-erin', source: 'manual' });
  });

  it('with revoke: remove-from-groups, leaves the account active, reports it suspended, and restores it', async () => {
    const e = await emulator();
    const store = new MemoryStateStore();
    const settings = { revoke: 'remove-from-groups' };
    const staff = seedLocalGroup(e.model, 'Hand made');
    await applyOps(e, store, [
      op({ kind: 'createGroup', group: { id: null, externalId: 'g-p', name: 'Partners' }, after: { name: 'Partners', description: '' } }),
      invite('gina@partner.io', 'u-gina', { notify: false }),
      op({ kind: 'addMembers', group: { id: null, externalId: 'g-p', name: 'Partners' }, members: [ref('gina@partner.io', 'u-gina', null, 'external')] }),
    ], settings);
    const gina = e.model.accountByEmail('gina@partner.io')!;
    staff.members.add(gina.accountId);
    const invited = userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io');
    const revoked = await applyOps(e, store, [op({ kind: 'revokeAccess', ...external, email: gina.email, sourceId: 'u-gina', accountId: gina.accountId, before: { status: invited.status }, after: { status: 'suspended' } })], settings);
    expect(revoked.results).toMatchObject([{ result: 'applied', message: 'access revoked; left 1 group the sync owns' }]);
    expect(e.model.directory(e.directoryId).users.get(gina.accountId)?.membershipStatus).toBe('active');
    expect(e.model.groupByName('Partners (external)')!.members.has(gina.accountId)).toBe(false);
    expect(staff.members.has(gina.accountId)).toBe(true);
    expect(userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io').status).toBe('suspended');
    const restored = await applyOps(e, store, [op({ kind: 'inviteUser', ...external, email: gina.email, sourceId: 'u-gina', accountId: gina.accountId, after: { email: gina.email, groups: [], roles: [], notify: false } })], settings);
    expect(restored.results.map((r) => r.result)).toEqual(['applied']);
    expect(userOf(await atlassianAdapter(e, store, settings).readState(), 'gina@partner.io')).toMatchObject({ status: 'active', externalId: 'u-gina', source: 'sync' });
  });
});
