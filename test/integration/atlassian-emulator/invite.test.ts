/**
 * Invitations over raw HTTP: per-address results with role and group assignment entries
 * (`INVITED | ERROR` with a `statusReason`), the 25-address cap, the test hooks (injected assignment
 * failures, invite delay, invitation emails counted per address).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_INVITE_EMAILS, SAME_DIRECTORY } from '../../emulators/atlassian/index.js';
import { orgError, start, type Clients } from './helpers.js';

const JIRA = 'ari:cloud:jira-software::site/1';
let c: Clients;
let now: number;

async function setUp(inviteDelay?: { ms?: number; searches?: number }): Promise<void> {
  now = Date.parse('2026-12-01T00:00:00Z');
  c = await start({ clock: () => now, ...(inviteDelay ? { inviteDelay } : {}) });
  c.e.model.addDomain('acme.com', 'verified');
  c.e.model.addResource(JIRA, { roles: ['atlassian/user'] });
}

afterEach(() => c.e.close());

describe('invite results', () => {
  beforeEach(() => setUp());

  it('answers 200 with one result per address, each with role and group assignment entries', async () => {
    const partners = (await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).body.id;
    const answer = await c.org('POST', '/users/invite', { emails: ['gina@partner.io', 'hal@partner.io'], permissionRules: [{ resource: JIRA, role: 'atlassian/user' }], additionalGroups: [partners] });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual(
      ['gina@partner.io', 'hal@partner.io'].map((email) => ({
        id: expect.stringMatching(/^712020:/),
        email,
        results: [
          {
            roleAssignmentResult: [{ resource: JIRA, role: 'atlassian/user', status: 'INVITED', statusReason: null }],
            groupAssignmentResult: [{ group: partners, status: 'INVITED', statusReason: null }],
          },
        ],
      })),
    );
    expect(c.e.model.groups.get(partners)!.members.size).toBe(2);
    expect((await c.users(c.e.directoryId)).map((u) => u.email)).toEqual(['gina@partner.io', 'hal@partner.io']);
  });

  it('reports ERROR entries with a reason for a group of another directory, an unknown group, resource or role', async () => {
    expect((await c.scim('POST', '/Groups', { displayName: 'Engineering', members: [] })).status).toBe(201);
    const syncedId = c.e.model.groupByName('Engineering', c.e.scimDirectoryId)!.id;
    const answer = await c.org('POST', '/users/invite', {
      emails: ['gina@partner.io'],
      permissionRules: [
        { resource: 'ari:cloud:confluence::site/9', role: 'atlassian/user' },
        { resource: JIRA, role: 'atlassian/admin' },
      ],
      additionalGroups: [syncedId, 'no-such-group'],
    });
    expect(answer.status).toBe(200);
    const [result] = answer.body.data[0].results;
    expect(result.roleAssignmentResult).toEqual([
      { resource: 'ari:cloud:confluence::site/9', role: 'atlassian/user', status: 'ERROR', statusReason: 'Resource ari:cloud:confluence::site/9 was not found in this organization' },
      { resource: JIRA, role: 'atlassian/admin', status: 'ERROR', statusReason: `Role atlassian/admin is not valid for resource ${JIRA}` },
    ]);
    expect(result.groupAssignmentResult).toEqual([
      { group: syncedId, status: 'ERROR', statusReason: SAME_DIRECTORY },
      { group: 'no-such-group', status: 'ERROR', statusReason: 'Group no-such-group was not found in this organization' },
    ]);
    expect(c.e.model.groups.get(syncedId)!.members.size).toBe(0);
  });

  it('fails the assignments a test asks for, for that address only', async () => {
    const partners = (await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).body.id;
    c.e.model.failInviteAssignment('Gina@partner.io', { kind: 'group', reason: 'The group has reached its user limit' });
    c.e.model.failInviteAssignment('gina@partner.io', { kind: 'role', id: JIRA, reason: 'Product not licensed' });
    const answer = await c.org('POST', '/users/invite', { emails: ['gina@partner.io', 'hal@partner.io'], permissionRules: [{ resource: JIRA, role: 'atlassian/user' }], additionalGroups: [partners] });
    const [gina, hal] = answer.body.data;
    expect(gina.results[0].groupAssignmentResult).toEqual([{ group: partners, status: 'ERROR', statusReason: 'The group has reached its user limit' }]);
    expect(gina.results[0].roleAssignmentResult[0]).toMatchObject({ status: 'ERROR', statusReason: 'Product not licensed' });
    expect(hal.results[0].groupAssignmentResult[0].status).toBe('INVITED');
    expect([...c.e.model.groups.get(partners)!.members]).toEqual([hal.id]);
  });

  it(`refuses more than ${MAX_INVITE_EMAILS} addresses in one call, and accepts ${MAX_INVITE_EMAILS}`, async () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `p${i}@partner.io`);
    const over = await c.org('POST', '/users/invite', { emails: emails(MAX_INVITE_EMAILS + 1) });
    expect(orgError(over)).toEqual({ status: 400, code: 'ADMIN-UAM-400-1', detail: `You can invite up to 25 email addresses at a time; this request has 26` });
    expect(c.e.model.accounts.size).toBe(0);
    expect((await c.org('POST', '/users/invite', { emails: emails(MAX_INVITE_EMAILS) })).body.data).toHaveLength(MAX_INVITE_EMAILS);
  });

  it('refuses a malformed request', async () => {
    expect((await c.org('POST', '/users/invite', { emails: [] })).status).toBe(400);
    expect((await c.org('POST', '/users/invite', { emails: ['not-an-address'] })).status).toBe(400);
    expect((await c.org('POST', '/users/invite', { emails: ['a@b.io'], permissionRules: [{ resource: JIRA }] })).status).toBe(400);
  });

  it('puts an invited managed account in the local directory beside its identity-provider membership', async () => {
    await c.scim('POST', '/Users', { userName: 'alice@acme.com', emails: [{ value: 'alice@acme.com', primary: true }] });
    const answer = await c.org('POST', '/users/invite', { emails: ['alice@acme.com'] });
    expect(c.e.model.directoriesOf(answer.body.data[0].id).map((d) => d.directoryId)).toEqual([c.e.directoryId, c.e.scimDirectoryId]);
  });
});

describe('invitation emails', () => {
  beforeEach(() => setUp());

  it('counts one email per invite call with sendNotification, including a repeated invite', async () => {
    await c.org('POST', '/users/invite', { emails: ['gina@partner.io'], sendNotification: true });
    expect(c.e.model.emailsSentTo('GINA@partner.io')).toBe(1);
    await c.org('POST', '/users/invite', { emails: ['gina@partner.io'], sendNotification: true });
    expect(c.e.model.emailsSentTo('gina@partner.io')).toBe(2);
    await c.org('POST', '/users/invite', { emails: ['hal@partner.io'] });
    expect(c.e.model.emailsSentTo('hal@partner.io')).toBe(0);
  });

  it('counts the email of an invite whose answer was lost', async () => {
    c.e.loseNextAnswer('POST', /\/users\/invite$/);
    expect((await c.org('POST', '/users/invite', { emails: ['gina@partner.io'], sendNotification: true })).status).toBe(500);
    expect(c.e.model.emailsSentTo('gina@partner.io')).toBe(1);
    expect(c.e.model.accountByEmail('gina@partner.io')).toBeDefined();
  });
});

describe('invite delay (eventual consistency)', () => {
  it('keeps a new invitee out of the searches that match it, for N searches', async () => {
    await setUp({ searches: 2 });
    const id = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data[0].id;
    expect(await c.users('-', { emails: ['gina@partner.io'] })).toEqual([]);
    expect(await c.users(c.e.directoryId, { emails: ['other@partner.io'] })).toEqual([]);
    expect(await c.users(c.e.directoryId, { emails: ['gina@partner.io'] })).toEqual([]);
    expect((await c.users(c.e.directoryId, { emails: ['gina@partner.io'] })).map((u) => u.accountId)).toEqual([id]);
  });

  it('keeps a new invitee out of searches and out of reach by id for N ms', async () => {
    await setUp({ ms: 5000 });
    const partners = (await c.org('POST', `/directories/${c.e.directoryId}/groups`, { name: 'Partners' })).body.id;
    const id = (await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] })).body.data[0].id;
    expect(await c.users(c.e.directoryId)).toEqual([]);
    const early = await c.org('POST', `/directories/${c.e.directoryId}/groups/${partners}/memberships`, { accountId: id });
    expect(orgError(early)).toMatchObject({ status: 404, detail: `User ${id} was not found in directory ${c.e.directoryId}` });
    now += 5000;
    expect((await c.users(c.e.directoryId)).map((u) => u.email)).toEqual(['gina@partner.io']);
    expect((await c.org('POST', `/directories/${c.e.directoryId}/groups/${partners}/memberships`, { accountId: id })).status).toBe(204);
  });

  it('does not hide a person who was already in the directory', async () => {
    await setUp({ searches: 5 });
    c.e.model.seedInvited({ email: 'gina@partner.io' });
    await c.org('POST', '/users/invite', { emails: ['gina@partner.io'] });
    expect((await c.users(c.e.directoryId)).map((u) => u.email)).toEqual(['gina@partner.io']);
  });
});
