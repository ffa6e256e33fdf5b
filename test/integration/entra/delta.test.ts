import { describe, expect, it } from 'vitest';
import { STATE_KEY } from '../../../connectors/entra/baseline.js';
import type { PolicyInput } from '../../../src/model/policy.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { Tenant } from '../../emulators/graph/index.js';
import { CopyableStore, connect, emulator, flattened, read } from './helpers.js';

const DIRECT: PolicyInput = { groups: { nested: 'direct' } };

function smallTenant() {
  const tenant = new Tenant();
  const users = Array.from({ length: 12 }, (_, i) => tenant.addUser({ department: i % 2 ? 'Sales' : 'R&D' }));
  const inner = tenant.addGroup({ displayName: 'Inner', members: users.slice(0, 3).map((u) => u.id) });
  const outer = tenant.addGroup({ displayName: 'Outer', members: [...users.slice(3, 6).map((u) => u.id), inner.id] });
  const other = tenant.addGroup({ displayName: 'Other', description: 'x', members: users.slice(6, 9).map((u) => u.id) });
  return { tenant, users, inner, outer, other };
}

describe('entra incremental read', () => {
  it('reads changes only and returns the same whole snapshot as a full read would', async () => {
    const { tenant, users, inner, outer, other } = smallTenant();
    const graph = await emulator({ tenant, deltaPageSize: 2 });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    const first = await read(harness, { policy: DIRECT, state });
    expect(await state.get(STATE_KEY)).not.toBeNull();

    const added = tenant.addUser({ mail: 'new@contoso.com' });
    tenant.updateUser(users[0]!.id, { displayName: 'Renamed', jobTitle: 'Lead' });
    tenant.updateUser(users[1]!.id, { accountEnabled: false });
    tenant.removeUser(users[2]!.id);
    tenant.addMember(other.id, added.id);
    tenant.removeMember(outer.id, users[4]!.id);
    tenant.updateGroup(inner.id, { displayName: 'Inner renamed' });
    const gone = tenant.addGroup({ displayName: 'Short-lived' });
    tenant.removeGroup(other.id);
    graph.stats.reset();

    const incremental = await read(harness, { policy: DIRECT, state });
    expect(graph.stats.byRoute['users']).toBeUndefined();
    expect(graph.stats.byRoute['groups']).toBeUndefined();
    expect(graph.stats.byRoute['users/delta']).toBeGreaterThan(1);
    expect(incremental).not.toEqual(first);

    const fresh = await read(harness, { policy: DIRECT, state: new MemoryStateStore() });
    expect(incremental).toEqual(fresh);
    const byId = new Map(incremental.users.map((u) => [u.id, u]));
    expect(byId.get(users[0]!.id)).toMatchObject({ displayName: 'Renamed', email: users[0]!.mail, attributes: { title: 'Lead', department: 'R&D' } });
    expect(byId.get(users[1]!.id)?.active).toBe(false);
    expect(byId.has(users[2]!.id)).toBe(false);
    expect(byId.get(added.id)?.email).toBe('new@contoso.com');
    expect(incremental.groups.map((g) => g.displayName).sort()).toEqual(['Inner renamed', 'Outer', 'Short-lived']);
    expect(incremental.groups.find((g) => g.id === outer.id)?.members).not.toContain(users[4]!.id);
    expect(incremental.groups.find((g) => g.id === gone.id)?.members).toEqual([]);
  });

  it('flattening: memberships from delta are direct, and flatten to what transitiveMembers gives', async () => {
    const { tenant, users, inner, outer } = smallTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { state });
    tenant.addMember(inner.id, users[10]!.id);
    tenant.removeMember(inner.id, users[0]!.id);

    const incremental = await read(harness, { state });
    expect(incremental.groups.find((g) => g.id === outer.id)?.members).toContain(inner.id);
    const fresh = await read(harness, { state: new MemoryStateStore() });
    expect(flattened(incremental)).toEqual(flattened(fresh));
    expect(flattened(incremental)['Outer']).toContain(users[10]!.id);
    expect(flattened(incremental)['Outer']).not.toContain(users[0]!.id);
  });

  it('merges a group whose member changes span several delta entries and pages', async () => {
    const tenant = new Tenant();
    const users = Array.from({ length: 30 }, () => tenant.addUser());
    const group = tenant.addGroup({ displayName: 'Big', members: users.slice(0, 5).map((u) => u.id) });
    const graph = await emulator({ tenant, deltaPageSize: 1, deltaMemberChunk: 4 });
    const state = new MemoryStateStore();
    const harness = connect(graph);
    await read(harness, { state });
    for (const user of users.slice(5)) tenant.addMember(group.id, user.id);
    tenant.removeMember(group.id, users[0]!.id);
    graph.stats.reset();

    const incremental = await read(harness, { state });
    expect(graph.stats.byRoute['groups/delta']).toBeGreaterThanOrEqual(7);
    expect(incremental.groups[0]?.members).toEqual(users.slice(1).map((u) => u.id).sort());
  });

  it('replaying a delta from the same stored state gives the same snapshot', async () => {
    const { tenant, users, other } = smallTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new CopyableStore();
    await read(harness, { policy: DIRECT, state });
    tenant.updateUser(users[5]!.id, { department: 'Legal' });
    tenant.removeMember(other.id, users[6]!.id);
    const before = state.copy();

    const once = await read(harness, { policy: DIRECT, state });
    const replayed = await read(harness, { policy: DIRECT, state: before });
    const again = await read(harness, { policy: DIRECT, state });
    expect(replayed).toEqual(once);
    expect(again).toEqual(once);
    expect(once.users.find((u) => u.id === users[5]!.id)?.attributes.department).toBe('Legal');
  });

  it.each([
    { status: 410, code: 'syncStateNotFound' },
    { status: 400, code: 'resyncRequired' },
  ])('falls back to a full read when the delta token is refused ($status $code), then resumes delta', async (answer) => {
    const { tenant, users } = smallTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { state });
    tenant.updateUser(users[3]!.id, { mail: 'moved@contoso.com' });
    graph.expireDeltaTokens(answer);
    graph.stats.reset();

    const snapshot = await read(harness, { state });
    expect(graph.stats.byStatus[answer.status]).toBe(1);
    expect(graph.stats.byRoute['users']).toBe(1);
    expect(snapshot.users.find((u) => u.id === users[3]!.id)?.email).toBe('moved@contoso.com');

    graph.stats.reset();
    tenant.updateUser(users[4]!.id, { mail: 'later@contoso.com' });
    const next = await read(harness, { state });
    expect(graph.stats.byRoute['users']).toBeUndefined();
    expect(next.users.find((u) => u.id === users[4]!.id)?.email).toBe('later@contoso.com');
  });

  it('reads everything when asked for a full read, even with a stored cursor', async () => {
    const { tenant } = smallTenant();
    const graph = await emulator({ tenant });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { state });
    graph.stats.reset();
    await read(harness, { state, full: true });
    expect(graph.stats.byRoute['users']).toBe(1);
    expect(graph.stats.byRoute['users/delta']).toBe(1);
  });

  it('does not use a baseline stored for another tenant or base URL', async () => {
    const { tenant } = smallTenant();
    const graph = await emulator({ tenant });
    const state = new MemoryStateStore();
    await read(connect(graph), { state });
    graph.stats.reset();
    await read(connect(graph, { tenantId: 'fabrikam' }), { state });
    expect(graph.stats.byRoute['users']).toBe(1);
  });

  it('asks for no deltaLinks and builds no baseline when the state is not kept', async () => {
    const { tenant } = smallTenant();
    const graph = await emulator({ tenant });
    const state = new MemoryStateStore();
    const snapshot = await read(connect(graph), { state, full: true, keepState: false });
    expect(snapshot.users).toHaveLength(tenant.users.size);
    expect(graph.stats.byRoute['users/delta']).toBeUndefined();
    expect(graph.stats.byRoute['groups/delta']).toBeUndefined();
    expect(await state.get(STATE_KEY)).toBeNull();
  });

  it('never stores a cursor with a userFilter: every read is full', async () => {
    const { tenant } = smallTenant();
    const graph = await emulator({ tenant });
    const state = new MemoryStateStore();
    const harness = connect(graph, { userFilter: "department eq 'R&D'" });
    const first = await read(harness, { state });
    await read(harness, { state });
    expect(first.users).toHaveLength(6);
    expect(graph.stats.byRoute['users']).toBe(2);
    expect(graph.stats.byRoute['users/delta']).toBeUndefined();
    expect(await state.get(STATE_KEY)).toBeNull();
  });
});
