/**
 * End to end against emulators on both sides: Microsoft Graph (the Entra connector) -> reconcile ->
 * applyPlan through the Atlassian adapter -> the Atlassian emulator; then the same source planned
 * again gives no operations. Checks the promise of the whole tool: only people on a verified
 * domain get SCIM (managed) accounts; everyone else is only invited; deprovisioning deactivates
 * managed accounts and suspends externals without touching their accounts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntraSource } from '../../../connectors/entra/index.js';
import { entraSettingsSchema } from '../../../connectors/entra/settings.js';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal } from '../../../src/apply/types.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import type { Plan } from '../../../src/model/plan.js';
import type { Policy } from '../../../src/model/policy.js';
import { assemblePlan } from '../../../src/plan/assemble.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { startAtlassianEmulator, type AtlassianEmulator } from '../../emulators/atlassian/index.js';
import { startGraphEmulator, type GraphEmulator } from '../../emulators/graph/index.js';
import { atlassianAdapter } from './harness.js';

let graph: GraphEmulator;
let atlassian: AtlassianEmulator;
const ownership = new MemoryStateStore();
const policy: Policy = parsePolicy({ guards: { maxDeprovisionPercent: 100 } });

beforeEach(async () => {
  graph = await startGraphEmulator({ latencyMs: 0 });
  atlassian = await startAtlassianEmulator({ maxPageSize: 3, scimPageSize: 3 });
  atlassian.model.addDomain('acme.com', 'verified');
  atlassian.model.addDomain('acme.dev', 'unverified');
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
  const adapter = atlassianAdapter(atlassian, ownership);
  const [snapshot, org] = await Promise.all([source().read({ policy, state: new MemoryStateStore(), full: true, log: silentLogger() }), adapter.readState()]);
  const result = reconcile({ snapshot, org, policy, capabilities: adapter.capabilities });
  const plan = assemblePlan(result, { profile: 'e2e', createdAt: '2026-01-01T00:00:00.000Z', sources: [] });
  return { plan, adapter };
}

async function applyOnce(): Promise<Plan> {
  const { plan, adapter } = await planOnce();
  const report = await applyPlan(plan, adapter, { journal: new MemoryJournal() });
  expect(report.results.filter((r) => r.result !== 'applied'), JSON.stringify(report.results)).toEqual([]);
  return plan;
}

function seedDirectory() {
  const t = graph.tenant;
  const alice = t.addUser({ userPrincipalName: 'alice@acme.com', mail: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', surname: 'Ng', jobTitle: 'Engineer' });
  const bob = t.addUser({ userPrincipalName: 'bob@acme.com', mail: 'bob@acme.com', displayName: 'Bob Stone', givenName: 'Bob', surname: 'Stone' });
  const sub = t.addUser({ userPrincipalName: 'sam@eu.acme.com', mail: 'sam@eu.acme.com', displayName: 'Sam Sub', givenName: 'Sam', surname: 'Sub' });
  const dev = t.addUser({ userPrincipalName: 'dana@acme.dev', mail: 'dana@acme.dev', displayName: 'Dana Dev', givenName: 'Dana', surname: 'Dev' });
  const guest = t.addGuest('gina@partner.io', { displayName: 'Gina Roy', givenName: 'Gina', surname: 'Roy' });
  const eng = t.addGroup({ displayName: 'Engineering', description: 'People who build', members: [alice.id, bob.id, guest.id, sub.id] });
  return { alice, bob, sub, dev, guest, eng };
}

describe('Graph -> reconcile -> Atlassian', () => {
  it('provisions claimed-domain people over SCIM, invites everyone else, and converges', async () => {
    const people = seedDirectory();
    const existing = atlassian.model.addAccount({ email: 'bob@acme.com', name: 'Bob Stone', managementSource: 'invited' });
    const first = await applyOnce();
    const kinds = first.operations.map((o) => o.kind);
    expect(kinds).toContain('createAccount');
    expect(kinds).toContain('linkAccount');
    expect(kinds).toContain('inviteUser');

    const model = atlassian.model;
    const scimEmails = [...model.scimUsers.values()].map((u) => u.userName).sort();
    expect(scimEmails).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(model.scimUserOfAccount(existing.accountId)?.externalId).toBe(people.bob.id);
    const invited = model.invitations.flatMap((i) => i.emails).sort();
    expect(invited).toEqual(['dana@acme.dev', 'gina@partner.io', 'sam@eu.acme.com']);
    for (const email of invited) expect(model.claimStatus(model.accountByEmail(email)!)).toBe('unmanaged');

    const eng = model.groupByName('Engineering')!;
    expect(eng.externalSynced).toBe(false);
    const memberEmails = [...eng.members].map((id) => model.accounts.get(id)!.email).sort();
    expect(memberEmails).toEqual(['alice@acme.com', 'bob@acme.com', 'gina@partner.io', 'sam@eu.acme.com']);

    const second = await planOnce();
    expect(second.plan.operations).toEqual([]);
  });

  it('deactivates managed accounts and suspends externals when they leave, then converges', async () => {
    const people = seedDirectory();
    await applyOnce();
    graph.tenant.updateUser(people.alice.id, { accountEnabled: false });
    graph.tenant.removeUser(people.guest.id);
    const retire = await applyOnce();
    expect(retire.operations.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['deactivateAccount', 'revokeAccess']));

    const model = atlassian.model;
    const alice = model.accountByEmail('alice@acme.com')!;
    expect(model.status(alice)).toBe('deactivated');
    const gina = model.accountByEmail('gina@partner.io')!;
    expect(gina.accountStatus).toBe('active');
    expect(gina.membershipStatus).toBe('suspended');
    expect(model.groupByName('Engineering')!.members.has(gina.accountId)).toBe(false);

    expect((await planOnce()).plan.operations).toEqual([]);
  });
});
