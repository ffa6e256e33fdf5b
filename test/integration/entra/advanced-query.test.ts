/**
 * Advanced queries: Graph accepts `ne`, `not`, `endsWith`, `eq null` and `$count` on directory
 * objects only with `ConsistencyLevel: eventual` and `$count=true`. The emulator refuses them
 * otherwise, as Graph does; the connector sends both whenever it filters.
 */
import { describe, expect, it } from 'vitest';
import { Tenant } from '../../emulators/graph/index.js';
import { connect, emulator, read } from './helpers.js';

async function get(url: string, token: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Graph emulator: advanced query parameters', () => {
  it.each([
    ['ne', 'accountEnabled ne false'],
    ['not', "not startswith(displayName,'User')"],
    ['endsWith', "endswith(mail,'@contoso.com')"],
    ['eq null', 'mail eq null'],
  ])('refuses %s without ConsistencyLevel and $count=true, and answers with both', async (operator, filter) => {
    const graph = await emulator();
    const url = `${graph.url}/users?$filter=${encodeURIComponent(filter)}`;
    for (const [suffix, headers] of [['', {}], ['&$count=true', {}], ['', { ConsistencyLevel: 'eventual' }]] as const) {
      const refused = await get(`${url}${suffix}`, graph.token, headers);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'Request_UnsupportedQuery', message: expect.stringContaining(`Operator '${operator}'`) });
    }
    const answered = await get(`${url}&$count=true`, graph.token, { ConsistencyLevel: 'eventual' });
    expect(answered.status).toBe(200);
  });

  it('answers default filters without the parameters, and counts only in advanced queries', async () => {
    const tenant = new Tenant();
    for (let i = 0; i < 3; i++) tenant.addUser({ department: i === 0 ? 'R&D' : 'Sales' });
    const graph = await emulator({ tenant });
    const url = `${graph.url}/users?$filter=${encodeURIComponent("department eq 'Sales'")}&$count=true`;
    const plain = await get(url, graph.token);
    expect(plain.status).toBe(200);
    expect(plain.body['@odata.count']).toBeUndefined();
    expect(plain.body.value).toHaveLength(2);
    const advanced = await get(url, graph.token, { ConsistencyLevel: 'eventual' });
    expect(advanced.body['@odata.count']).toBe(2);
  });

  it('refuses $search without ConsistencyLevel: eventual', async () => {
    const graph = await emulator();
    const refused = await get(`${graph.url}/groups?$search=${encodeURIComponent('"displayName:Eng"')}`, graph.token);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'Request_UnsupportedQuery', message: expect.stringContaining('ConsistencyLevel: eventual') });
  });
});

describe('entra connector: filters as advanced queries', () => {
  it('reads a userFilter with ne over several pages, sending the advanced query parameters on each', async () => {
    const tenant = new Tenant();
    const users = Array.from({ length: 2100 }, (_, i) => tenant.addUser({ accountEnabled: i % 3 !== 0 }));
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph, { userFilter: 'accountEnabled ne false' }), { policy: { groups: { nested: 'direct' } } });

    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id).sort()).toEqual(users.filter((u) => u.accountEnabled).map((u) => u.id).sort());
    expect(graph.stats.byRoute['users']).toBe(2);
    expect(graph.stats.byStatus[400]).toBeUndefined();
  });

  it('reads endsWith and eq null filters', async () => {
    const tenant = new Tenant();
    const partner = tenant.addUser({ mail: 'ann@partner.example' });
    const noMail = tenant.addUser({ mail: null, userPrincipalName: 'bob@contoso.com' });
    tenant.addUser();
    const graph = await emulator({ tenant });
    const ends = await read(connect(graph, { userFilter: "endsWith(mail,'@partner.example')" }));
    expect(ends.users.map((u) => u.id)).toEqual([partner.id]);
    const none = await read(connect(graph, { userFilter: 'mail eq null' }));
    expect(none.users.map((u) => u.id)).toEqual([noMail.id]);
  });

  it('finds scope groups and intersects them with an advanced userFilter', async () => {
    const tenant = new Tenant();
    const kept = tenant.addUser({ department: 'R&D' });
    const other = tenant.addUser({ department: 'Sales' });
    tenant.addUser({ department: 'R&D' });
    tenant.addGroup({ displayName: "O'Neil team", members: [kept.id, other.id] });
    const graph = await emulator({ tenant });
    const snapshot = await read(connect(graph, { userFilter: "department ne 'Sales'" }), { policy: { scope: { groups: ["O'Neil team"] } } });

    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id)).toEqual([kept.id]);
    expect(graph.stats.byStatus[400]).toBeUndefined();
  });
});
