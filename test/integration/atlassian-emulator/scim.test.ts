/**
 * The emulator's SCIM API over raw HTTP: Atlassian's user schema enforced, users created or linked in
 * the identity-provider directory, SCIM groups holding only that directory's SCIM users, one API (and
 * token) per identity-provider directory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountIdOf, scimUser, start, type Clients } from './helpers.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
let c: Clients;

beforeEach(async () => {
  c = await start({ extraIdpDirectories: [{ directoryId: 'idp-2', name: 'Okta', scimToken: 'okta-token' }] });
  c.e.model.addDomain('acme.com', 'verified');
});
afterEach(() => c.e.close());

describe('Atlassian’s SCIM user schema', () => {
  it('accepts every attribute of the schema and answers them back with the account id', async () => {
    const body = scimUser('alice@acme.com', {
      externalId: 'u-1',
      name: { givenName: 'Alice', familyName: 'Ng', formatted: 'Alice Ng', middleName: 'M', honorificPrefix: 'Dr', honorificSuffix: 'III' },
      displayName: 'Alice Ng',
      nickName: 'Al',
      title: 'Engineer',
      preferredLanguage: 'en',
      timezone: 'Europe/Paris',
      phoneNumbers: [{ value: '+33 1', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'R&D', organization: 'Acme' },
      active: true,
    });
    const created = await c.scim('POST', '/Users', body);
    expect(created.status).toBe(201);
    const { schemas: _schemas, ...attributes } = body;
    expect(created.body).toMatchObject({ ...attributes, id: expect.any(String), meta: { resourceType: 'User' } });
    expect(created.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, 'urn:scim:schemas:extension:atlassian-external:1.0']);
    const account = c.e.model.account(accountIdOf(created.body));
    expect(account).toMatchObject({ email: 'alice@acme.com', name: 'Alice Ng', jobTitle: 'Engineer', department: 'R&D', organization: 'Acme', timeZone: 'Europe/Paris' });
  });

  for (const [what, extra] of [
    ['userType', { userType: 'Employee' }],
    ['locale', { locale: 'en-US' }],
    ['profileUrl', { profileUrl: 'https://x' }],
    [`${ENTERPRISE}.division`, { [ENTERPRISE]: { division: 'EMEA' } }],
    [`${ENTERPRISE}.costCenter`, { [ENTERPRISE]: { costCenter: '42' } }],
    [`${ENTERPRISE}.employeeNumber`, { [ENTERPRISE]: { employeeNumber: '7' } }],
    ['name.nickname', { name: { nickname: 'x' } }],
  ] as const) {
    it(`refuses ${what} with a SCIM 400`, async () => {
      const answer = await c.scim('POST', '/Users', scimUser('bob@acme.com', extra));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidSyntax', detail: `Attribute '${what}' is not part of the Atlassian SCIM user schema` });
      expect(c.e.model.accountByEmail('bob@acme.com')).toBeUndefined();
    });
  }

  it('refuses a PATCH path outside the schema, and a string boolean', async () => {
    const created = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const path = await c.scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: `${ENTERPRISE}:costCenter`, value: '42' }] });
    expect(path).toMatchObject({ status: 400, body: { scimType: 'invalidSyntax', detail: expect.stringContaining('costCenter') } });
    const pathless = await c.scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { locale: 'fr' } }] });
    expect(pathless.status).toBe(400);
    const flag = await c.scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: 'False' }] });
    expect(flag).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
  });

  it('requires one primary email among several', async () => {
    const answer = await c.scim('POST', '/Users', { userName: 'a@acme.com', emails: [{ value: 'a@acme.com' }, { value: 'b@acme.com' }] });
    expect(answer).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
  });
});

describe('SCIM users', () => {
  it('answers 409 for a userName the directory has, whatever its case', async () => {
    await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const again = await c.scim('POST', '/Users', scimUser('ALICE@acme.com'));
    expect(again).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
  });

  it('links the existing managed account with the same address', async () => {
    const existing = c.e.model.addAccount({ email: 'dora@acme.com', name: 'Dora' });
    const created = await c.scim('POST', '/Users', scimUser('dora@acme.com', { displayName: 'Dora Lee' }));
    expect(accountIdOf(created.body)).toBe(existing.accountId);
    expect(c.e.model.directory(c.e.scimDirectoryId).users.has(existing.accountId)).toBe(true);
    expect(existing.name).toBe('Dora Lee');
  });

  it('deactivates a managed account with active: false and filters by userName and externalId', async () => {
    const created = await c.scim('POST', '/Users', scimUser('alice@acme.com', { externalId: 'u-1' }));
    const patched = await c.scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(patched.body.active).toBe(false);
    expect((await c.users(c.e.scimDirectoryId))[0]).toMatchObject({ status: 'deactivated', accountStatus: 'inactive' });
    expect((await c.scim('GET', '/Users?filter=userName%20eq%20%22ALICE%40acme.com%22')).body.totalResults).toBe(1);
    expect((await c.scim('GET', '/Users?filter=externalId%20eq%20%22U-1%22')).body.totalResults).toBe(0);
    expect((await c.scim('GET', '/Users?filter=title%20eq%20%22x%22')).body).toMatchObject({ scimType: 'invalidFilter' });
  });

  it('cannot change an account the org does not manage', async () => {
    const created = await c.scim('POST', '/Users', scimUser('zoe@partner.io'));
    expect(created.status).toBe(201);
    const patched = await c.scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Z' }] });
    expect(patched).toMatchObject({ status: 400, body: { scimType: 'mutability' } });
  });

  it('serves one SCIM API per identity-provider directory, each with its own token', async () => {
    const okta = { id: 'idp-2', token: 'okta-token' };
    expect((await c.scim('GET', '/Users', undefined, { id: 'idp-2', token: c.e.scimToken })).status).toBe(401);
    const created = await c.scim('POST', '/Users', scimUser('alice@acme.com'), okta);
    expect(created.status).toBe(201);
    expect((await c.scim('GET', '/Users')).body.totalResults).toBe(0);
    expect((await c.users('idp-2')).map((u) => u.email)).toEqual(['alice@acme.com']);
    expect((await c.scim('GET', `/Users/${created.body.id}`)).status).toBe(404);
    expect((await c.scim('GET', '/Users', undefined, { id: c.e.directoryId, token: c.e.scimToken })).status).toBe(404);
  });
});

describe('SCIM groups', () => {
  it('refuses a member that is not a SCIM user of the directory', async () => {
    const invited = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data[0].id;
    const other = await c.scim('POST', '/Users', scimUser('carl@acme.com'), { id: 'idp-2', token: 'okta-token' });
    for (const value of [invited, other.body.id]) {
      const answer = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [{ value }] });
      expect(answer).toMatchObject({ status: 400, body: { scimType: 'invalidValue', detail: `Member ${value} is not a user of this directory` } });
    }
    const group = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    const patch = await c.scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: invited }] }] });
    expect(patch.status).toBe(400);
  });

  it('adds and removes members by PATCH and lists them', async () => {
    const alice = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    const group = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    await c.scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: alice.body.id }] }] });
    expect((await c.scim('GET', `/Groups/${group.body.id}`)).body.members).toEqual([expect.objectContaining({ value: alice.body.id, type: 'User' })]);
    await c.scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${alice.body.id}"]` }] });
    expect((await c.scim('GET', `/Groups/${group.body.id}`)).body.members).toEqual([]);
    expect((await c.scim('GET', '/Groups?filter=displayName%20eq%20%22engineering%22')).body.totalResults).toBe(1);
  });

  it('refuses renaming a synced group and a duplicate name', async () => {
    const group = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    const rename = await c.scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Eng' }] });
    expect(rename).toMatchObject({ status: 400, body: { scimType: 'mutability' } });
    expect((await c.scim('POST', '/Groups', { displayName: 'engineering', members: [] })).status).toBe(409);
  });

  it('deletes the group from the organization too', async () => {
    const group = await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] });
    expect((await c.scim('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    expect(c.e.model.groupByName('Engineering', c.e.scimDirectoryId)).toBeUndefined();
    expect((await c.scim('DELETE', `/Groups/${group.body.id}`)).status).toBe(404);
  });
});

describe('SCIM replace and delete', () => {
  it('replaces a user with PUT, clearing what the body leaves out', async () => {
    const created = await c.scim('POST', '/Users', scimUser('alice@acme.com', { title: 'Engineer', displayName: 'Alice' }));
    const put = await c.scim('PUT', `/Users/${created.body.id}`, scimUser('alice@acme.com', { displayName: 'Alice Ng' }));
    expect(put.status).toBe(200);
    expect(put.body.title).toBeUndefined();
    expect(c.e.model.account(accountIdOf(created.body))).toMatchObject({ name: 'Alice Ng', jobTitle: undefined });
    const bad = await c.scim('PUT', `/Users/${created.body.id}`, scimUser('alice@acme.com', { employeeNumber: '7' }));
    expect(bad.status).toBe(400);
  });

  it('deletes a user: unlinked, out of the directory, a managed account deactivated', async () => {
    const created = await c.scim('POST', '/Users', scimUser('alice@acme.com'));
    expect((await c.scim('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect(await c.users(c.e.scimDirectoryId)).toEqual([]);
    expect((await c.users('-', { emails: ['alice@acme.com'] }))[0]).toMatchObject({ status: 'deactivated', membershipStatus: 'no_membership' });
    expect((await c.scim('GET', `/Users/${created.body.id}`)).status).toBe(404);
  });
});
