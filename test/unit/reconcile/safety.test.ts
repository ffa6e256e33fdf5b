/**
 * Scope, incomplete reads and the guards: the cases where peers removed what they should not have.
 */
import { describe, expect, it } from 'vitest';
import { REMOVING_KINDS } from '../../../src/model/plan.js';
import { externalUser, lines, managedUser, orgGroup, orgState, plan, policy, snapshot, sourceGroup, sourceUser, warningsOf } from '../../builders.js';

function linkedOrg(count: number) {
  const users = Array.from({ length: count }, (_, i) => managedUser(`a-${i}`, `user${i}@acme.com`, { externalId: `u-${i}` }));
  const groups = [orgGroup('og-1', 'Everyone', users.map((u) => u.id), { externalId: 'g-1' })];
  return orgState({ users: [...users, externalUser('x-1', 'guest@gmail.com', { externalId: 'u-guest' })], groups });
}

function sourceOf(count: number) {
  const users = Array.from({ length: count }, (_, i) => sourceUser(`u-${i}`, `user${i}@acme.com`));
  return { users: [...users, sourceUser('u-guest', 'guest@gmail.com')], groups: [sourceGroup('g-1', 'Everyone', users.map((u) => u.id))] };
}

const removing = (result: ReturnType<typeof plan>) => result.operations.filter((op) => REMOVING_KINDS.has(op.kind));

describe('scope', () => {
  const groups = [sourceGroup('g-1', 'Atlassian users', ['u-1', 'g-2']), sourceGroup('g-2', 'Contractors', ['u-2']), sourceGroup('g-3', 'Others', ['u-3', 'u-4'])];
  const users = [sourceUser('u-1', 'a@acme.com'), sourceUser('u-2', 'b@gmail.com'), sourceUser('u-3', 'c@acme.com'), sourceUser('u-4', 'd@acme.com')];
  const pol = policy({ scope: { groups: ['Atlassian users'] }, groups: { sync: 'none' }, guards: { maxDeprovisionPercent: 100 } });

  it('provisions only transitive members of the scope groups', () => {
    expect(lines(plan({ snapshot: snapshot({ users, groups }), policy: pol }))).toEqual(['createAccount a@acme.com', 'inviteUser b@gmail.com']);
  });

  it('deprovisions a linked user who left the scope, and does nothing for one never provisioned', () => {
    const org = orgState({ users: [managedUser('a-3', 'c@acme.com', { externalId: 'u-3' }), managedUser('a-1', 'a@acme.com', { externalId: 'u-1' }), externalUser('x-2', 'b@gmail.com', { externalId: 'u-2' })] });
    const result = plan({ snapshot: snapshot({ users, groups }), org, policy: pol });
    expect(lines(result)).toEqual(['deactivateAccount c@acme.com']);
    expect(result.operations[0].reason).toBe('directory user u-3 is no longer in scope');
  });

  it('a missing scope group makes the run incomplete for removals, while additions go ahead', () => {
    const org = orgState({ users: [managedUser('a-3', 'c@acme.com', { externalId: 'u-3' })] });
    const result = plan({ snapshot: snapshot({ users, groups }), org, policy: policy({ scope: { groups: ['Atlassian users', 'Renamed group'] }, groups: { sync: 'none' } }) });
    expect(lines(result)).toEqual(['createAccount a@acme.com', 'inviteUser b@gmail.com']);
    expect(warningsOf(result, 'scope-group-missing')).toEqual([expect.objectContaining({ subject: 'Renamed group' })]);
    expect(warningsOf(result, 'incomplete-source')).toEqual([expect.objectContaining({ message: expect.stringContaining('"Renamed group" could not be found') })]);
  });
});

describe('a failed or partial read is "unknown", never "absent"', () => {
  it('a complete read with no users while the org has linked users is blocked (ssosync #194)', () => {
    const result = plan({ snapshot: snapshot({ users: [], groups: [] }), org: linkedOrg(5), policy: policy({ guards: { maxDeprovisions: 1000, maxDeprovisionPercent: 100, maxGroupDeletions: 10 } }) });
    expect(result.status).toBe('blocked');
    expect(result.guards.find((g) => g.name === 'emptySource')).toEqual({ name: 'emptySource', limit: 0, actual: 6, passed: false });
  });

  it('an incomplete read with no users plans no removal at all', () => {
    const result = plan({ snapshot: snapshot({ users: [], groups: [], complete: false }), org: linkedOrg(5) });
    expect(result.operations).toEqual([]);
    expect(result.status).toBe('empty');
    expect(warningsOf(result, 'incomplete-source')).toHaveLength(1);
  });

  it('an outage that lost the groups deletes no group (idp-scim-sync #70)', () => {
    const { users } = sourceOf(3);
    const result = plan({ snapshot: snapshot({ users, groups: [], complete: false }), org: linkedOrg(3) });
    expect(removing(result)).toEqual([]);
  });

  it('a member list cut short by paging, marked incomplete, removes no member (idp-scim-sync #87, Bitwarden #38)', () => {
    const { users, groups } = sourceOf(250);
    const cut = groups.map((g) => ({ ...g, members: g.members.slice(0, 100) }));
    const result = plan({ snapshot: snapshot({ users, groups: cut, complete: false }), org: linkedOrg(250) });
    expect(result.operations).toEqual([]);
    const complete = plan({ snapshot: snapshot({ users, groups: cut }), org: linkedOrg(250), policy: policy({ guards: { maxDeprovisions: 50 } }) });
    expect(complete.operations.map((op) => [op.kind, op.members?.length])).toEqual([['removeMembers', 150]]);
  });

  it('one user that failed to load is not deprovisioned (Backstage #15891)', () => {
    const { users, groups } = sourceOf(3);
    const result = plan({ snapshot: snapshot({ users: users.filter((u) => u.id !== 'u-1'), groups, complete: false, issues: [{ code: 'user-read-failed', message: 'GET /users/u-1 answered 500', subject: 'u-1' }] }), org: linkedOrg(3) });
    expect(result.operations).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['incomplete-source', 'user-read-failed']);
  });

  it('says what it skipped instead of reporting success while syncing nothing (Bitwarden #22, #92)', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', null), sourceUser('u-2', 'not-an-address'), sourceUser('u-3', 'a@b@acme.com')] }) });
    expect(result.status).toBe('empty');
    expect(result.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['invalid-email', 'u-2'],
      ['invalid-email', 'u-3'],
      ['missing-email', 'u-1'],
    ]);
  });
});

describe('guards', () => {
  it('reports every guard with its limit and figure; passes a small plan', () => {
    const { users, groups } = sourceOf(20);
    const result = plan({ snapshot: snapshot({ users: users.filter((u) => u.id !== 'u-0'), groups }), org: linkedOrg(20) });
    expect(result.guards).toEqual([
      { name: 'maxDeprovisions', limit: 50, actual: 1, passed: true },
      { name: 'maxDeprovisionPercent', limit: 10, actual: 4.76, passed: true },
      { name: 'maxGroupDeletions', limit: 5, actual: 0, passed: true },
      { name: 'emptySource', limit: 0, actual: 0, passed: true },
    ]);
    expect(result.status).toBe('ready');
  });

  it('blocks a plan over the deprovision count or percentage', () => {
    const { users, groups } = sourceOf(20);
    const result = plan({ snapshot: snapshot({ users: users.slice(5), groups }), org: linkedOrg(20), policy: policy({ guards: { maxDeprovisions: 4 } }) });
    expect(result.status).toBe('blocked');
    expect(result.guards.filter((g) => !g.passed).map((g) => [g.name, g.actual])).toEqual([
      ['maxDeprovisions', 5],
      ['maxDeprovisionPercent', 23.81],
    ]);
  });

  it('blocks a plan over the group deletion limit', () => {
    const groups = Array.from({ length: 3 }, (_, i) => orgGroup(`og-${i}`, `G${i}`, [], { externalId: `g-${i}` }));
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'a@acme.com')] }), org: orgState({ groups }), policy: policy({ guards: { maxGroupDeletions: 2 } }) });
    expect(result.guards.find((g) => g.name === 'maxGroupDeletions')).toEqual({ name: 'maxGroupDeletions', limit: 2, actual: 3, passed: false });
    expect(result.status).toBe('blocked');
  });

  it('counts reclassifications as deprovisions', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@gmail.com')] }), org, policy: policy({ guards: { maxDeprovisions: 0 } }) });
    expect(result.guards[0]).toEqual({ name: 'maxDeprovisions', limit: 0, actual: 1, passed: false });
  });
});
