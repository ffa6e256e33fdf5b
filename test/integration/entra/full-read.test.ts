import { Client } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { Tenant } from '../../emulators/graph/index.js';
import { connect, emulator, read } from './helpers.js';

describe('entra full read against the Graph emulator', () => {
  it('follows every nextLink over an http base URL with the bearer token on each request', async () => {
    const tenant = new Tenant();
    const users = Array.from({ length: 2100 }, () => tenant.addUser());
    const big = tenant.addGroup({ displayName: 'Everyone', members: users.slice(0, 1500).map((u) => u.id) });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph), { policy: { groups: { nested: 'direct' } } });

    expect(snapshot.complete).toBe(true);
    expect(snapshot.users).toHaveLength(2100);
    expect(new Set(snapshot.users.map((u) => u.id)).size).toBe(2100);
    expect(snapshot.groups.find((g) => g.id === big.id)?.members).toHaveLength(1500);
    expect(graph.stats.byRoute['users']).toBe(3);
    expect(graph.stats.byRoute['groups/{id}/members']).toBe(2);
    expect(graph.stats.unauthorized).toBe(0);
    expect(new Set(graph.stats.authorizations)).toEqual(new Set([`Bearer ${graph.token}`]));
  });

  it('is needed: the SDK default chain loses the header and the link on an http base URL', async () => {
    const tenant = new Tenant();
    for (let i = 0; i < 3; i++) tenant.addUser();
    const graph = await emulator({ tenant });
    const client = Client.init({ baseUrl: graph.url.replace('/v1.0', ''), defaultVersion: 'v1.0', authProvider: (done) => done(null, graph.token) });
    await expect(client.api('/users').get()).rejects.toMatchObject({ statusCode: 401 });
    expect(graph.stats.unauthorized).toBe(1);
  });

  it('maps mail, guests, users without mail, disabled users and profile attributes', async () => {
    const tenant = new Tenant();
    const alice = tenant.addUser({ mail: 'alice@contoso.com', displayName: 'Alice Ng', givenName: 'Alice', surname: 'Ng', jobTitle: 'Engineer', department: 'R&D' });
    const noMail = tenant.addUser({ mail: null, userPrincipalName: 'bob@contoso.com' });
    const guest = tenant.addGuest('carol@partner.example');
    const guestNoMail = tenant.addGuest('dan@partner.example', { mail: null });
    const disabled = tenant.addUser({ accountEnabled: false });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph));
    const byId = new Map(snapshot.users.map((u) => [u.id, u]));

    expect(byId.get(alice.id)).toEqual({
      id: alice.id,
      email: 'alice@contoso.com',
      userName: alice.userPrincipalName,
      displayName: 'Alice Ng',
      givenName: 'Alice',
      familyName: 'Ng',
      active: true,
      attributes: { title: 'Engineer', department: 'R&D' },
    });
    expect(byId.get(noMail.id)?.email).toBe('bob@contoso.com');
    expect(byId.get(guest.id)?.email).toBe('carol@partner.example');
    expect(byId.get(guestNoMail.id)?.email).toBeNull();
    expect(byId.get(disabled.id)?.active).toBe(false);
    expect(snapshot.issues).toEqual([expect.objectContaining({ code: 'guest-without-mail', subject: guestNoMail.id })]);
    expect(snapshot.complete).toBe(true);
  });

  it('reads direct members, nested groups kept as group ids, whether the policy flattens or not', async () => {
    const tenant = new Tenant();
    const [a, b, c] = [tenant.addUser(), tenant.addUser(), tenant.addUser()];
    const inner = tenant.addGroup({ displayName: 'Inner', members: [b.id, c.id] });
    const outer = tenant.addGroup({ displayName: 'Outer', members: [a.id, inner.id] });
    const graph = await emulator({ tenant });

    for (const nested of ['flatten', 'direct'] as const) {
      graph.stats.reset();
      const snapshot = await read(connect(graph), { policy: { groups: { nested } } });
      expect(snapshot.groups.find((g) => g.id === outer.id)?.members).toEqual([a.id, inner.id].sort());
      expect(snapshot.groups.find((g) => g.id === inner.id)?.members).toEqual([b.id, c.id].sort());
      expect(graph.stats.byRoute['groups/{id}/members']).toBe(2);
      expect(graph.stats.byRoute['groups/{id}/transitiveMembers']).toBeUndefined();
    }
  });

  it('flattens nested groups in the plan when the policy says so', async () => {
    const tenant = new Tenant();
    const [a, b] = [tenant.addUser(), tenant.addUser()];
    const inner = tenant.addGroup({ displayName: 'Inner', members: [b.id] });
    tenant.addGroup({ displayName: 'Outer', members: [a.id, inner.id] });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph), { policy: { groups: { nested: 'flatten' } } });
    const org = { domains: [{ name: 'contoso.com', status: 'verified' as const }], users: [], groups: [] };
    const result = reconcile({ snapshot, org, policy: parsePolicy({ groups: { nested: 'flatten' } }) });
    const outerAdds = result.operations.find((op) => op.kind === 'addMembers' && op.group?.name === 'Outer');
    expect(outerAdds?.members?.map((m) => m.sourceId).sort()).toEqual([a.id, b.id].sort());
  });

  it('keeps member lists to users and groups of the snapshot', async () => {
    const tenant = new Tenant();
    const kept = tenant.addUser({ department: 'R&D' });
    const filteredOut = tenant.addUser({ department: 'Sales' });
    const group = tenant.addGroup({ displayName: 'Mixed', members: [kept.id, filteredOut.id] });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph, { userFilter: "department eq 'R&D'" }), { policy: { groups: { nested: 'direct' } } });
    expect(snapshot.users.map((u) => u.id)).toEqual([kept.id]);
    expect(snapshot.groups.find((g) => g.id === group.id)?.members).toEqual([kept.id]);
  });
});
