/**
 * Groups of the two-directory emulator over raw HTTP: each group in one directory, the refusals of
 * the org API (another directory's user, a group synced from the identity provider), and the role
 * assignments of groups.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDP_CREATE, SAME_DIRECTORY, SYNCED_ADD, SYNCED_DELETE, SYNCED_REMOVE } from '../../emulators/atlassian/index.js';
import { accountIdOf, orgError, scimUser, start, type Clients } from './helpers.js';

const JIRA = 'ari:cloud:jira-software::site/1';
let c: Clients;
let alice: string;
let gina: string;

beforeEach(async () => {
  c = await start();
  c.e.model.addDomain('acme.com', 'verified');
  c.e.model.addResource(JIRA, { roles: ['atlassian/user', 'atlassian/admin'] });
  alice = accountIdOf((await c.scim('POST', '/Users', scimUser('alice@acme.com'))).body);
  gina = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data[0].id;
});
afterEach(() => c.e.close());

const localGroups = () => `/directories/${c.e.directoryId}/groups`;
const idpGroups = () => `/directories/${c.e.scimDirectoryId}/groups`;

async function localGroup(name: string): Promise<string> {
  const created = await c.org('POST', localGroups(), { name, description: `${name} people` });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('org-API groups', () => {
  it('creates a group in the local directory and reads it back, wrapped in data', async () => {
    const id = await localGroup('Partners');
    const read = await c.org('GET', `${localGroups()}/${id}`);
    expect(read.body.data).toMatchObject({
      id,
      name: 'Partners',
      description: 'Partners people',
      directoryId: c.e.directoryId,
      externalSynced: false,
      managedBy: 'admins',
      managementAccess: { deletable: true, modifiable: true, readable: true },
      counts: { users: 0, resources: 0 },
    });
  });

  it('adds and removes a user of the same directory', async () => {
    const id = await localGroup('Partners');
    expect((await c.org('POST', `${localGroups()}/${id}/memberships`, { accountId: gina })).status).toBe(204);
    expect(c.e.model.groups.get(id)!.members.has(gina)).toBe(true);
    expect((await c.org('DELETE', `${localGroups()}/${id}/memberships/${encodeURIComponent(gina)}`)).status).toBe(204);
    expect(c.e.model.groups.get(id)!.members.size).toBe(0);
    expect((await c.org('DELETE', `${localGroups()}/${id}/memberships/${encodeURIComponent(gina)}`)).status).toBe(404);
  });

  it('refuses a user of another directory with 400 and Atlassian’s reason', async () => {
    const id = await localGroup('Engineering');
    const answer = await c.org('POST', `${localGroups()}/${id}/memberships`, { accountId: alice });
    expect(orgError(answer)).toEqual({ status: 400, code: 'ADMIN-UAM-400-1', detail: SAME_DIRECTORY });
    expect(answer.body.errors[0]).toMatchObject({ status: '400', title: 'Bad Request', id: expect.any(String) });
    expect(c.e.model.groups.get(id)!.members.size).toBe(0);
  });

  it('answers 404 Group Not Found for a group of another directory in the path', async () => {
    const id = await localGroup('Partners');
    const answer = await c.org('GET', `${idpGroups()}/${id}`);
    expect(orgError(answer)).toMatchObject({ status: 404, code: 'ADMIN-UAM-404-3' });
  });

  it('refuses to create a group in the identity-provider directory', async () => {
    const answer = await c.org('POST', idpGroups(), { name: 'Engineering' });
    expect(orgError(answer)).toMatchObject({ status: 400, detail: IDP_CREATE });
  });

  it('keeps names unique inside a directory, not across directories', async () => {
    await localGroup('Engineering');
    const again = await c.org('POST', localGroups(), { name: 'engineering' });
    expect(orgError(again)).toMatchObject({ status: 409, code: 'ADMIN-UAM-409-2' });
    expect((await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] })).status).toBe(201);
  });

  it('searches by names, ids and member, one directory or all, with cursor paging', async () => {
    const a = await localGroup('Alpha');
    await localGroup('Beta');
    await c.scim('POST', '/Groups', { displayName: 'Gamma', members: [] });
    const byName = await c.org('POST', `${localGroups()}/search`, { groupNames: ['ALPHA'] });
    expect(byName.body.data.map((g: { id: string }) => g.id)).toEqual([a]);
    const all = await c.org('POST', '/directories/-/groups/search', { limit: 2 });
    expect(all.body.data).toHaveLength(2);
    const rest = await c.org('POST', '/directories/-/groups/search', { limit: 2, cursor: all.body.links.next });
    expect(rest.body.data.map((g: { name: string }) => g.name)).toEqual(['Gamma']);
    expect(rest.body.links.next).toBeNull();
    const both = await c.org('POST', `${localGroups()}/search`, { groupNames: ['Alpha'], groupIds: [a] });
    expect(both.status).toBe(400);
  });
});

describe('groups synced from the identity provider', () => {
  let synced: string;

  beforeEach(async () => {
    const scimGroup = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    const search = await c.org('POST', `${idpGroups()}/search`, { groupNames: ['Engineering'], expand: ['counts.users'] });
    expect(search.body.data).toEqual([
      expect.objectContaining({ name: 'Engineering', directoryId: c.e.scimDirectoryId, externalSynced: true, managedBy: 'external', managementAccess: { deletable: false, modifiable: false, readable: true } }),
    ]);
    synced = search.body.data[0].id;
    expect(synced).not.toBe(scimGroup.body.id);
  });

  it('refuses org-API membership additions, even of a user of that directory', async () => {
    const answer = await c.org('POST', `${idpGroups()}/${synced}/memberships`, { accountId: alice });
    expect(orgError(answer)).toEqual({ status: 400, code: 'ADMIN-UAM-400-1', detail: SYNCED_ADD });
  });

  it('refuses org-API membership removals and deletion', async () => {
    const scimGroupId = c.e.model.scimGroupOf(synced)!.id;
    const userId = [...c.e.model.scimUsers.values()][0]!.id;
    await c.scim('PATCH', `/Groups/${scimGroupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
    const remove = await c.org('DELETE', `${idpGroups()}/${synced}/memberships/${encodeURIComponent(alice)}`);
    expect(orgError(remove)).toMatchObject({ status: 400, detail: SYNCED_REMOVE });
    const del = await c.org('DELETE', `${idpGroups()}/${synced}`);
    expect(orgError(del)).toMatchObject({ status: 400, detail: SYNCED_DELETE });
    expect(c.e.model.groups.get(synced)!.members.has(alice)).toBe(true);
  });
});

describe('role assignments of groups', () => {
  it('assigns, lists and revokes { resourceId, roleId }', async () => {
    const id = await localGroup('Partners');
    const path = `${localGroups()}/${id}/role-assignments`;
    expect((await c.org('POST', `${path}/assign`, { resourceId: JIRA, roleId: 'atlassian/user' })).status).toBe(204);
    expect((await c.org('GET', path)).body).toEqual({
      data: [{ resourceId: JIRA, resourceOwner: 'jira-software', roles: ['atlassian/user'] }],
      links: { self: expect.any(String), prev: null, next: null },
    });
    expect((await c.org('POST', `${path}/revoke`, { resourceId: JIRA, roleId: 'atlassian/user' })).status).toBe(204);
    expect((await c.org('GET', path)).body.data).toEqual([]);
  });

  it('grants roles to a synced group too (access is managed in Atlassian)', async () => {
    await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    const synced = c.e.model.groupByName('Engineering', c.e.scimDirectoryId)!;
    expect((await c.org('POST', `${idpGroups()}/${synced.id}/role-assignments/assign`, { resourceId: JIRA, roleId: 'atlassian/admin' })).status).toBe(204);
    expect([...synced.roles.get(JIRA)!]).toEqual(['atlassian/admin']);
  });

  it('refuses an unknown resource (404) and a role the resource lacks (400)', async () => {
    const id = await localGroup('Partners');
    const unknown = await c.org('POST', `${localGroups()}/${id}/role-assignments/assign`, { resourceId: 'ari:cloud:confluence::site/9', roleId: 'atlassian/user' });
    expect(orgError(unknown)).toMatchObject({ status: 404, detail: expect.stringContaining('ari:cloud:confluence::site/9') });
    const badRole = await c.org('POST', `${localGroups()}/${id}/role-assignments/assign`, { resourceId: JIRA, roleId: 'atlassian/guest' });
    expect(orgError(badRole)).toMatchObject({ status: 400, code: 'ADMIN-UAM-400-3' });
  });
});
