/**
 * More of the org API's user side over raw HTTP: a user's details by directory, removal from a
 * directory, the remaining search filters, and the v1 domain list with its absolute `links.next`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountIdOf, orgError, scimUser, start, type Clients } from './helpers.js';

let c: Clients;
let alice: string;
let gina: string;

beforeEach(async () => {
  c = await start({ maxPageSize: 2 });
  c.e.model.addDomain('acme.com', 'verified');
  c.e.model.addDomain('acme.dev', 'unverified');
  c.e.model.addDomain('acme.io', 'superseded');
  alice = accountIdOf((await c.scim('POST', '/Users', scimUser('alice@acme.com', { title: 'Engineer' }))).body);
  gina = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data[0].id;
});
afterEach(() => c.e.close());

describe('user details', () => {
  it('answers { data } for a user of the path directory, 404 for a user of another', async () => {
    const found = await c.org('GET', `/directories/${c.e.scimDirectoryId}/users/${encodeURIComponent(alice)}`);
    expect(found.status).toBe(200);
    expect(found.body.data).toMatchObject({ accountId: alice, email: 'alice@acme.com', jobTitle: 'Engineer', claimStatus: 'managed', managementSource: 'synced' });
    expect(found.body.data.groups).toBeUndefined();
    const wrong = await c.org('GET', `/directories/${c.e.directoryId}/users/${encodeURIComponent(alice)}`);
    expect(orgError(wrong)).toMatchObject({ status: 404, detail: `User ${alice} was not found in directory ${c.e.directoryId}` });
    expect((await c.org('GET', `/directories/-/users/${encodeURIComponent(gina)}`)).body.data.email).toBe('gina@partner.io');
  });
});

describe('removal from a directory', () => {
  it('removes the user from the directory and its groups; they are gone from its searches', async () => {
    const group = (await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).body.id;
    await c.org('POST', `/directories/${c.e.directoryId}/groups/${group}/memberships`, { accountId: gina });
    expect((await c.org('DELETE', `/directories/${c.e.directoryId}/users/${encodeURIComponent(gina)}`)).status).toBe(204);
    expect(await c.users(c.e.directoryId)).toEqual([]);
    expect(c.e.model.groups.get(group)!.members.size).toBe(0);
    expect((await c.org('DELETE', `/directories/${c.e.directoryId}/users/${encodeURIComponent(gina)}`)).status).toBe(404);
  });
});

describe('search filters', () => {
  it('filters by group, status, account status and email domain', async () => {
    const group = (await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).body.id;
    await c.org('POST', `/directories/${c.e.directoryId}/groups/${group}/memberships`, { accountId: gina });
    expect((await c.users('-', { groupIds: [group] })).map((u) => u.email)).toEqual(['gina@partner.io']);
    expect((await c.users('-', { emailDomains: ['ACME.com'] })).map((u) => u.email)).toEqual(['alice@acme.com']);
    await c.org('POST', `/directories/${c.e.directoryId}/users/${encodeURIComponent(gina)}/suspend`);
    expect((await c.users('-', { status: ['suspended'] })).map((u) => u.email)).toEqual(['gina@partner.io']);
    expect((await c.users('-', { membershipStatus: ['active'] })).map((u) => u.email)).toEqual(['alice@acme.com']);
    expect((await c.users('-', { accountStatus: ['inactive'] }))).toEqual([]);
  });

  it('refuses unknown filter values, a non-string claimStatus and a bad cursor', async () => {
    expect((await c.org('POST', '/directories/-/users/search', { status: ['gone'] })).status).toBe(400);
    expect((await c.org('POST', '/directories/-/users/search', { claimStatus: ['managed'] })).status).toBe(400);
    expect((await c.org('POST', '/directories/-/users/search', { expand: ['everything'] })).status).toBe(400);
    expect((await c.org('POST', '/directories/-/users/search', { cursor: 'nope' })).status).toBe(400);
  });

  it('caps the page at maxPageSize', async () => {
    await c.org('POST', '/users/invite', { emails: ['hal@partner.io', 'ivy@partner.io'] });
    const answer = await c.org('POST', '/directories/-/users/search', { limit: 10 });
    expect(answer.body.data).toHaveLength(2);
    expect(answer.body.links.next).toEqual(expect.any(String));
  });
});

describe('domains', () => {
  it('pages the domains with absolute links.next URLs and reports each claim status', async () => {
    const names: Array<[string, string]> = [];
    let url: string | undefined = `${c.e.url}/admin/v1/orgs/${c.e.orgId}/domains`;
    while (url) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${c.e.apiKey}` } });
      const page = (await res.json()) as { data: Array<{ attributes: { name: string; claim: { status: string } } }>; links: { next?: string } };
      names.push(...page.data.map((d): [string, string] => [d.attributes.name, d.attributes.claim.status]));
      url = page.links.next;
    }
    expect(names).toEqual([
      ['acme.com', 'verified'],
      ['acme.dev', 'unverified'],
      ['acme.io', 'superseded'],
    ]);
  });
});
