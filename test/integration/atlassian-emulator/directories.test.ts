/**
 * The emulator as a two-directory organization, over raw HTTP: the directory list, SCIM users in the
 * identity-provider directory, invitees in the local directory, searches of one directory or all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusOf } from '../../emulators/atlassian/index.js';
import { accountIdOf, orgError, scimUser, start, type Clients } from './helpers.js';

let c: Clients;

beforeEach(async () => {
  c = await start({ extraIdpDirectories: [{ directoryId: 'idp-2', name: 'Okta', scimToken: 'okta-token' }] });
  c.e.model.addDomain('acme.com', 'verified');
  c.e.model.addDomain('acme.dev', 'unverified');
});
afterEach(() => c.e.close());

describe('directories', () => {
  it('lists the local and identity-provider directories with cursor paging', async () => {
    const first = await c.org('GET', '/directories?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      { directoryId: c.e.directoryId, name: 'Local directory', icon: expect.any(String) },
      { directoryId: c.e.scimDirectoryId, name: 'Identity provider directory', icon: expect.any(String) },
    ]);
    expect(first.body.links.next).toEqual(expect.any(String));
    const second = await c.org('GET', `/directories?limit=2&cursor=${first.body.links.next}`);
    expect(second.body.data.map((d: { directoryId: string }) => d.directoryId)).toEqual(['idp-2']);
    expect(second.body.links.next).toBeNull();
  });

  it('tells which directories hold an account (accountId filter)', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const answer = await c.org('GET', `/directories?accountId=${encodeURIComponent(accountIdOf(alice.body))}`);
    expect(answer.body.data.map((d: { directoryId: string }) => d.directoryId)).toEqual([c.e.scimDirectoryId]);
  });
});

describe('users by directory', () => {
  it('puts SCIM users in the identity-provider directory and invitees in the local one', async () => {
    await c.scim('POST', '/Users', scimUser('alice@acme.com', { displayName: 'Alice Ng' }));
    await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] });
    const idp = await c.users(c.e.scimDirectoryId);
    const local = await c.users(c.e.directoryId);
    expect(idp.map((u) => [u.email, u.claimStatus, u.managementSource, u.status])).toEqual([['alice@acme.com', 'managed', 'synced', 'active']]);
    expect(local.map((u) => [u.email, u.claimStatus, u.managementSource, u.status])).toEqual([['gina@partner.io', 'unmanaged', 'invited', 'active']]);
    const all = await c.users('-');
    expect(all.map((u) => u.email).sort()).toEqual(['alice@acme.com', 'gina@partner.io']);
    expect(idp[0]).toMatchObject({ accountId: expect.stringMatching(/^712020:/), name: 'Alice Ng', accountType: 'atlassian', accountStatus: 'active', membershipStatus: 'active' });
  });

  it('shows a claimed account in no directory only in the all-directories search, as not invited', async () => {
    c.e.model.addAccount({ email: 'dora@acme.com', name: 'Dora' });
    expect(await c.users(c.e.directoryId)).toEqual([]);
    expect(await c.users(c.e.scimDirectoryId)).toEqual([]);
    const all = await c.users('-', { claimStatus: 'managed' });
    expect(all).toEqual([expect.objectContaining({ email: 'dora@acme.com', membershipStatus: 'no_membership', status: 'not_invited', managementSource: null })]);
  });

  it('treats an unverified claim as unmanaged', async () => {
    await c.org('POST', '/users/invite', { emails: ['ed@acme.dev'] });
    expect(await c.users('-', { claimStatus: 'unmanaged' })).toEqual([expect.objectContaining({ email: 'ed@acme.dev', claimStatus: 'unmanaged' })]);
    expect(await c.users('-', { claimStatus: 'managed' })).toEqual([]);
  });

  it('filters by emails (case-insensitive) and accountIds, and refuses emails with searchTerm', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    await c.scim('POST', '/Users', scimUser('bob@acme.com'));
    expect((await c.users('-', { emails: ['ALICE@acme.com'] })).map((u) => u.email)).toEqual(['alice@acme.com']);
    expect((await c.users(c.e.scimDirectoryId, { accountIds: [accountIdOf(alice.body)] })).map((u) => u.email)).toEqual(['alice@acme.com']);
    const both = await c.org('POST', '/directories/-/users/search', { emails: ['alice@acme.com'], searchTerm: 'ali' });
    expect(orgError(both)).toMatchObject({ status: 400, code: 'ADMIN-UAM-400-1', detail: 'searchTerm and emails are mutually exclusive' });
  });

  it('pages the user search with a cursor passed back in the body', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await c.scim('POST', '/Users', scimUser(`${n}@acme.com`));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await c.org('POST', `/directories/${c.e.scimDirectoryId}/users/search`, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...answer.body.data.map((u: { email: string }) => u.email));
      cursor = answer.body.links.next ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['a@acme.com', 'b@acme.com', 'c@acme.com', 'd@acme.com', 'e@acme.com']);
  });

  it('expands groups within the searched directory only', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value: alice.body.id }] });
    const invite = await c.org('POST', '/users/invite', { emails: ['alice@acme.com'] });
    expect(invite.status).toBe(200);
    const local = await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' });
    await c.org('POST', `/directories/${c.e.directoryId}/groups/${local.body.id}/memberships`, { accountId: accountIdOf(alice.body) });
    const [inIdp] = await c.users(c.e.scimDirectoryId, { expand: ['groups'] });
    const [inLocal] = await c.users(c.e.directoryId, { expand: ['groups'] });
    expect((inIdp!.groups as Array<{ name: string }>).map((g) => g.name)).toEqual(['Engineering']);
    expect((inLocal!.groups as Array<{ name: string }>).map((g) => g.name)).toEqual(['Partners']);
    expect(inLocal!.managementSource).toBe('invited');
    expect(inIdp!.managementSource).toBe('synced');
  });

  it('answers 404 for an unknown directory', async () => {
    const answer = await c.org('POST', '/directories/nope/users/search', {});
    expect(orgError(answer)).toMatchObject({ status: 404, detail: expect.stringContaining('Directory nope') });
  });
});

describe('suspend and restore are directory-scoped', () => {
  it('suspends in the path directory and refuses a user of another directory', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const [gina] = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data;
    const wrong = await c.org('POST', `/directories/${c.e.scimDirectoryId}/users/${encodeURIComponent(gina.id)}/suspend`);
    expect(orgError(wrong)).toMatchObject({ status: 404, detail: `User ${gina.id} was not found in directory ${c.e.scimDirectoryId}` });
    const wrongRestore = await c.org('POST', `/directories/${c.e.directoryId}/users/${encodeURIComponent(accountIdOf(alice.body))}/restore`);
    expect(wrongRestore.status).toBe(404);
    const ok = await c.org('POST', `/directories/${c.e.directoryId}/users/${encodeURIComponent(gina.id)}/suspend`);
    expect(ok.status).toBe(204);
    expect(await c.users(c.e.directoryId)).toEqual([expect.objectContaining({ email: 'gina@partner.io', status: 'suspended', membershipStatus: 'suspended' })]);
    expect(statusOf(c.e.model, gina.id, c.e.directoryId)).toBe('suspended');
    await c.org('POST', `/directories/${c.e.directoryId}/users/${encodeURIComponent(gina.id)}/restore`);
    expect(await c.users(c.e.directoryId, { status: ['active'] })).toEqual([expect.objectContaining({ email: 'gina@partner.io' })]);
  });

  it('reports suspended across all directories only when suspended in every one', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const id = accountIdOf(alice.body);
    await c.org('POST', '/users/invite', { emails: ['alice@acme.com'] });
    await c.org('POST', `/directories/${c.e.directoryId}/users/${encodeURIComponent(id)}/suspend`);
    expect((await c.users('-'))[0]).toMatchObject({ membershipStatus: 'active' });
    await c.org('POST', `/directories/${c.e.scimDirectoryId}/users/${encodeURIComponent(id)}/suspend`);
    expect((await c.users('-'))[0]).toMatchObject({ membershipStatus: 'suspended', status: 'suspended' });
  });

  it('refuses - as the directory of a suspend', async () => {
    const [gina] = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data;
    expect((await c.org('POST', `/directories/-/users/${encodeURIComponent(gina.id)}/suspend`)).status).toBe(400);
  });
});
