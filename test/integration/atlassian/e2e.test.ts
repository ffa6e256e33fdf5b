/**
 * End to end against emulators on both sides: Microsoft Graph (the Entra connector) -> reconcile ->
 * applyPlan through the Atlassian adapter -> the two-directory Atlassian emulator; then the same
 * source planned again gives no operations. Checks the promise of the whole tool: people on a
 * verified domain become SCIM users of the identity provider directory; everyone else is only
 * invited into the local directory; a mixed IdP group (nested groups flattened) gives both kinds
 * the same access through a pair of groups, one per directory; deprovisioning deactivates managed
 * accounts over SCIM and suspends externals, and nobody is recreated or invited again. The apply
 * runs through fresh invitees hidden from searches for a while, a 429 storm and an invitation whose
 * role assignment Atlassian refuses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntraSource } from '../../../connectors/entra/index.js';
import { entraSettingsSchema } from '../../../connectors/entra/settings.js';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal, type ApplyReport } from '../../../src/apply/types.js';
import { renderApplyReport } from '../../../src/cli/output.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import type { Plan } from '../../../src/model/plan.js';
import type { Policy } from '../../../src/model/policy.js';
import { assemblePlan } from '../../../src/plan/assemble.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { startAtlassianEmulator, type AtlassianEmulator, type Group } from '../../emulators/atlassian/index.js';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph/index.js';
import { atlassianAdapter } from './harness.js';

const SITE = 'ari:cloud:jira-software::site/1';
const roles = { 'jira-user': { resource: SITE, role: 'atlassian/user' } };
const REFUSED = 'User limit exceeded for Jira Software';

let graph: GraphEmulator;
let atlassian: AtlassianEmulator;
let ownership: MemoryStateStore;
const policy: Policy = parsePolicy({ guards: { maxDeprovisionPercent: 100 }, external: { roles: ['jira-user'], notify: true } });

beforeEach(async () => {
  graph = await startGraphEmulator({ latencyMs: 0 });
  atlassian = await startAtlassianEmulator({ maxPageSize: 3, scimPageSize: 3, inviteDelay: { ms: 150, searches: 2 } });
  atlassian.model.addDomain('acme.com', 'verified');
  atlassian.model.addDomain('acme.dev', 'unverified');
  atlassian.model.addResource(SITE);
  ownership = new MemoryStateStore();
});

afterEach(async () => {
  await graph.close();
  await atlassian.close();
});

function source(): EntraSource {
  const settings = entraSettingsSchema.parse({ tenantId: 'acme', graphBaseUrl: graph.url, accessToken: graph.token });
  return new EntraSource(settings, { baseDir: process.cwd(), retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 } });
}

/** Read both sides and plan; the adapter that read the org is returned for applying. */
async function planOnce(): Promise<{ plan: Plan; adapter: ReturnType<typeof atlassianAdapter> }> {
  const adapter = atlassianAdapter(atlassian, ownership, { roles, inviteBatchSize: 2 }, { retries: 15, minDelayMs: 5, maxDelayMs: 50 });
  const [snapshot, org] = await Promise.all([source().read({ policy, state: new MemoryStateStore(), full: true, log: silentLogger() }), adapter.readState()]);
  const result = reconcile({ snapshot, org, policy, capabilities: adapter.capabilities });
  const plan = assemblePlan(result, { profile: 'e2e', createdAt: '2026-01-01T00:00:00.000Z', sources: [] });
  return { plan, adapter };
}

async function applyOnce(): Promise<{ plan: Plan; report: ApplyReport }> {
  const { plan, adapter } = await planOnce();
  const report = await applyPlan(plan, adapter, { journal: new MemoryJournal() });
  return { plan, report };
}

function seedDirectory() {
  const t = graph.tenant;
  const alice = t.addUser({ userPrincipalName: 'alice@acme.com', mail: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', surname: 'Ng', jobTitle: 'Engineer' });
  const bob = t.addUser({ userPrincipalName: 'bob@acme.com', mail: 'bob@acme.com', displayName: 'Bob Stone', givenName: 'Bob', surname: 'Stone' });
  const sub = t.addUser({ userPrincipalName: 'sam@eu.acme.com', mail: 'sam@eu.acme.com', displayName: 'Sam Sub', givenName: 'Sam', surname: 'Sub' });
  const dev = t.addUser({ userPrincipalName: 'dana@acme.dev', mail: 'dana@acme.dev', displayName: 'Dana Dev', givenName: 'Dana', surname: 'Dev' });
  const guest = t.addGuest('gina@partner.io', { displayName: 'Gina Roy', givenName: 'Gina', surname: 'Roy' });
  const hal = t.addGuest('hal@partner.io', { displayName: 'Hal Ito', givenName: 'Hal', surname: 'Ito' });
  const platform = t.addGroup({ displayName: 'Platform', description: 'Runs the platform', members: [dev.id, bob.id] });
  const eng = t.addGroup({ displayName: 'Engineering', description: 'People who build', members: [alice.id, guest.id, sub.id, platform.id] });
  const partners = t.addGroup({ displayName: 'Partners', members: [guest.id, hal.id] });
  return { alice, bob, sub, dev, guest, hal, eng, platform, partners };
}

function emails(group: Group | undefined): string[] {
  return [...(group?.members ?? [])].map((id) => atlassian.model.accounts.get(id)!.email).sort();
}

describe('Graph -> reconcile -> Atlassian (two directories)', () => {
  it('provisions claimed people over SCIM, invites the rest, pairs mixed groups across the directories, and converges in one apply', async () => {
    seedDirectory();
    const m = atlassian.model;
    const bobAccount = m.addAccount({ email: 'bob@acme.com', name: 'Bob Stone' });
    m.failInviteAssignment('hal@partner.io', { kind: 'role', id: SITE, reason: REFUSED });
    atlassian.throttleNext(12, 30);
    const { plan: first, report } = await applyOnce();
    expect(atlassian.stats().throttled).toBeGreaterThanOrEqual(12);
    expect(atlassian.stats().early).toBe(0);

    const bad = report.results.filter((r) => r.result !== 'applied');
    expect(bad.map((r) => [r.kind, r.result])).toEqual([['inviteUser', 'failed']]);
    expect(bad[0]!.message).toBe(`inviteUser hal@partner.io: invited, but Atlassian refused role atlassian/user on ${SITE}: ${REFUSED}`);
    expect(renderApplyReport(first, report)).toContain(`failed    > inviteUser`);
    expect(renderApplyReport(first, report)).toContain(REFUSED);

    const scimEmails = [...m.scimUsers.values()].map((u) => u.userName).sort();
    expect(scimEmails).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(m.scimUserOfAccount(bobAccount.accountId)).toBeDefined();
    const invited = m.invitations.flatMap((i) => i.emails).sort();
    expect(invited).toEqual(['dana@acme.dev', 'gina@partner.io', 'hal@partner.io', 'sam@eu.acme.com']);
    expect(m.invitations.every((i) => i.emails.length <= 2)).toBe(true);
    expect(m.invitations.length).toBe(2);

    // Engineering (with Platform nested): managed members in the SCIM group, externals in its companion.
    const engIdp = m.groupByName('Engineering', m.scimDirectoryId);
    const engLocal = m.groupByName('Engineering (external)');
    expect(engIdp?.externalSynced).toBe(true);
    expect(emails(engIdp)).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(emails(engLocal)).toEqual(['dana@acme.dev', 'gina@partner.io', 'sam@eu.acme.com']);
    expect(emails(m.groupByName('Partners (external)'))).toEqual(['gina@partner.io', 'hal@partner.io']);
    expect(emails(m.groupByName('Platform', m.scimDirectoryId))).toEqual(['bob@acme.com']);
    expect(emails(m.groupByName('Platform (external)'))).toEqual(['dana@acme.dev']);
    for (const group of m.groups.values()) {
      for (const id of group.members) expect(m.directory(group.directoryId).users.has(id), `${group.name} holds ${id} of its own directory`).toBe(true);
    }

    // Access granted on the identity provider side reaches the externals through the companion.
    m.group(m.scimDirectoryId, engIdp!.id).roles.set(SITE, new Set(['atlassian/user']));
    graph.tenant.addMember(graph.tenant.groupList().find((g) => g.displayName === 'Partners')!.id, graph.tenant.userList().find((u) => u.mail === 'sam@eu.acme.com')!.id);
    const { report: next } = await applyOnce();
    expect(next.results.map((r) => [r.kind, r.result])).toEqual([['addMembers', 'applied']]);
    expect([...(m.groupByName('Engineering (external)')!.roles.get(SITE) ?? [])]).toEqual([]);

    expect((await planOnce()).plan.operations).toEqual([]);
    for (const email of invited) expect(m.emailsSentTo(email)).toBe(1);
  });

  it('copies the identity provider side roles to the companion when members change', async () => {
    const people = seedDirectory();
    await applyOnce();
    const m = atlassian.model;
    m.group(m.scimDirectoryId, m.groupByName('Engineering', m.scimDirectoryId)!.id).roles.set(SITE, new Set(['atlassian/user']));
    graph.tenant.removeMember(people.eng.id, people.sub.id);
    const { report } = await applyOnce();
    expect(report.results.map((r) => [r.kind, r.result])).toEqual([['removeMembers', 'applied']]);
    expect([...(m.groupByName('Engineering (external)')!.roles.get(SITE) ?? [])]).toEqual(['atlassian/user']);
    expect((await planOnce()).plan.operations).toEqual([]);
  });

  it('deactivates managed accounts over SCIM and suspends externals when they leave; nobody is recreated or invited again', async () => {
    const people = seedDirectory();
    await applyOnce();
    graph.tenant.updateUser(people.alice.id, { accountEnabled: false });
    graph.tenant.removeUser(people.guest.id);
    const { plan: retire, report } = await applyOnce();
    expect(retire.operations.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['deactivateAccount', 'revokeAccess']));
    expect(report.results.filter((r) => r.result !== 'applied')).toEqual([]);

    const m = atlassian.model;
    const alice = m.accountByEmail('alice@acme.com')!;
    expect(alice.accountStatus).toBe('inactive');
    expect(m.scimUserOfAccount(alice.accountId)?.active).toBe(false);
    const gina = m.accountByEmail('gina@partner.io')!;
    expect(gina.accountStatus).toBe('active');
    expect(m.directory(m.localDirectoryId).users.get(gina.accountId)?.membershipStatus).toBe('suspended');
    expect(m.groupByName('Engineering (external)')!.members.has(gina.accountId)).toBe(false);

    expect((await planOnce()).plan.operations).toEqual([]);
    expect((await planOnce()).plan.operations).toEqual([]);
    expect(m.scimUsers.size).toBe(2);
    expect(m.emailsSentTo('gina@partner.io')).toBe(1);
  });
});
