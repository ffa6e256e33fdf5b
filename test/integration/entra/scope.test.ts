import { describe, expect, it } from 'vitest';
import { STATE_KEY } from '../../../connectors/entra/baseline.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { REMOVING_KINDS } from '../../../src/model/plan.js';
import type { OrgState, OrgUser } from '../../../src/model/org.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { Tenant } from '../../emulators/graph/index.js';
import { connect, emulator, read } from './helpers.js';

function scopedTenant() {
  const tenant = new Tenant();
  const users = Array.from({ length: 10 }, () => tenant.addUser());
  const contractors = tenant.addGroup({ displayName: 'Contractors', members: [users[2]!.id] });
  const scope = tenant.addGroup({ displayName: 'Atlassian users', members: [users[0]!.id, users[1]!.id, contractors.id] });
  const other = tenant.addGroup({ displayName: 'Other', members: [users[1]!.id, users[5]!.id] });
  return { tenant, users, scope, contractors, other };
}

const SCOPED = { scope: { groups: ['Atlassian users'] } };

function linkedOrg(ids: string[]): OrgState {
  const users: OrgUser[] = ids.map((id, i) => ({ id: `a-${i}`, email: `user${i + 1}@contoso.com`, externalId: id, attributes: {}, managed: true, status: 'active', source: 'sync' }));
  return { domains: [{ name: 'contoso.com', status: 'verified' }], users, groups: [] };
}

describe('entra scope at the source', () => {
  it('reads only the transitive members of the scope groups, not the whole tenant', async () => {
    const { tenant, users, other } = scopedTenant();
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph), { policy: SCOPED });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id)).toEqual([users[0]!.id, users[1]!.id, users[2]!.id].sort());
    expect(graph.stats.byRoute['users']).toBeUndefined();
    expect(snapshot.groups.find((g) => g.id === other.id)?.members).toEqual([users[1]!.id]);
  });

  it('a scope group that does not exist makes the snapshot incomplete, never empty of meaning', async () => {
    const { tenant, users } = scopedTenant();
    const graph = await emulator({ tenant });
    const policy = { scope: { groups: ['Atlassian users', 'atlassian USERS', 'Nobody here'] } };
    const snapshot = await read(connect(graph), { policy });
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues.map((i) => [i.code, i.subject])).toEqual([
      ['scope-group-missing', 'atlassian USERS'],
      ['scope-group-missing', 'Nobody here'],
    ]);
    expect(snapshot.users).toHaveLength(3);

    const result = reconcile({ snapshot, org: linkedOrg(users.map((u) => u.id)), policy: parsePolicy(policy) });
    expect(result.operations.filter((op) => REMOVING_KINDS.has(op.kind))).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toContain('incomplete-source');
  });

  it('follows users into and out of the scope incrementally', async () => {
    const { tenant, users, scope, contractors, other } = scopedTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { policy: SCOPED, state });

    tenant.addMember(contractors.id, users[7]!.id);
    tenant.removeMember(scope.id, users[1]!.id);
    tenant.updateUser(users[0]!.id, { jobTitle: 'Boss' });
    tenant.updateUser(users[5]!.id, { jobTitle: 'Outsider' });
    const hire = tenant.addUser({ mail: 'hire@contoso.com' });
    tenant.addMember(scope.id, hire.id);
    graph.stats.reset();

    const snapshot = await read(harness, { policy: SCOPED, state });
    expect(graph.stats.byRoute['users']).toBeUndefined();
    expect(graph.stats.byRoute['users/{id}']).toBe(2);
    expect(snapshot.users.map((u) => u.id)).toEqual([users[0]!.id, users[2]!.id, users[7]!.id, hire.id].sort());
    expect(snapshot.users.find((u) => u.id === users[0]!.id)?.attributes.title).toBe('Boss');
    expect(snapshot.users.find((u) => u.id === hire.id)?.email).toBe('hire@contoso.com');
    expect(snapshot.groups.find((g) => g.id === other.id)?.members).toEqual([]);

    const fresh = await read(harness, { policy: { ...SCOPED, groups: { nested: 'direct' } }, state: new MemoryStateStore() });
    expect(snapshot.users).toEqual(fresh.users);
  });

  it('a user entering the scope who answers 404 makes the read incomplete and is read on the next round', async () => {
    const { tenant, users, scope } = scopedTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { policy: SCOPED, state });
    const stored = await state.get(STATE_KEY);
    const hire = tenant.addUser({ mail: 'newhire@contoso.com' });
    tenant.addMember(scope.id, hire.id);
    graph.inject({ route: `/users/${hire.id}`, status: 404, code: 'Request_ResourceNotFound', message: 'not replicated yet' });

    const lagging = await read(harness, { policy: SCOPED, state });
    expect(lagging.complete).toBe(false);
    expect(lagging.issues).toEqual([expect.objectContaining({ code: 'scope-user-not-found', subject: hire.id })]);
    expect(lagging.users.map((u) => u.id)).not.toContain(hire.id);
    expect(await state.get(STATE_KEY)).toBe(stored);

    const caughtUp = await read(harness, { policy: SCOPED, state });
    expect(caughtUp.complete).toBe(true);
    expect(caughtUp.issues).toEqual([]);
    expect(caughtUp.users.find((u) => u.id === hire.id)?.email).toBe('newhire@contoso.com');
    expect(caughtUp.users.map((u) => u.id)).toEqual([users[0]!.id, users[1]!.id, users[2]!.id, hire.id].sort());
    expect(await state.get(STATE_KEY)).not.toBe(stored);
    expect((await read(harness, { policy: SCOPED, state })).users.map((u) => u.id)).toContain(hire.id);
  });

  it('reports a scope group deleted since the last read as missing on the incremental read', async () => {
    const { tenant, scope } = scopedTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { policy: SCOPED, state });
    tenant.removeGroup(scope.id);
    const snapshot = await read(harness, { policy: SCOPED, state });
    expect(graph.stats.byRoute['users/delta']).toBe(2);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'scope-group-missing', subject: 'Atlassian users' })]);
  });

  it('intersects the scope with the userFilter', async () => {
    const { tenant, users } = scopedTenant();
    tenant.updateUser(users[1]!.id, { department: 'Sales' });
    tenant.updateUser(users[5]!.id, { department: 'Sales' });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph, { userFilter: "department eq 'Sales'" }), { policy: SCOPED });
    expect(snapshot.users.map((u) => u.id)).toEqual([users[1]!.id]);
  });

  it('a changed scope policy is read in full', async () => {
    const { tenant, users } = scopedTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { policy: SCOPED, state });
    const snapshot = await read(harness, { policy: { scope: { groups: ['Other'] } }, state });
    expect(snapshot.users.map((u) => u.id)).toEqual([users[1]!.id, users[5]!.id].sort());
  });
});
