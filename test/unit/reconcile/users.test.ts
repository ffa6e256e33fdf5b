import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  externalUser,
  lines,
  managedUser,
  ofKind,
  orgState,
  plan,
  policy,
  snapshot,
  sourceGroup,
  sourceUser,
  warningsOf,
} from '../../builders.js';

const alice = sourceUser('u-1', 'alice@acme.com', { displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', attributes: { title: 'Engineer', department: 'R&D', costCenter: '42' } });

describe('managed users (claimed domain)', () => {
  it('creates an account with the new account fields and the managed attributes', () => {
    const result = plan({ snapshot: snapshot({ users: [alice] }) });
    expect(result.operations).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        kind: 'createAccount',
        email: 'alice@acme.com',
        sourceId: 'u-1',
        accountId: null,
        group: null,
        members: null,
        classification: 'claimed',
        domain: 'acme.com',
        reason: expect.stringContaining('claimed domain acme.com'),
        before: null,
        after: { email: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', title: 'Engineer', department: 'R&D' },
      },
    ]);
  });

  it('adopts an unlinked account with the same address, then updates what differs', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { source: 'manual', displayName: 'A. Ng', givenName: 'Alice', familyName: 'Ng', attributes: { title: 'Engineer' } })] });
    const result = plan({ snapshot: snapshot({ users: [alice] }), org });
    expect(lines(result)).toEqual(['linkAccount alice@acme.com', 'updateAccount alice@acme.com']);
    expect(result.operations[0]).toMatchObject({ accountId: 'a-1', sourceId: 'u-1', before: { externalId: null }, after: { externalId: 'u-1' } });
    expect(result.operations[1]).toMatchObject({ accountId: 'a-1', before: { displayName: 'A. Ng', department: null }, after: { displayName: 'Alice Ng', department: 'R&D' } });
  });

  it('adopts a deactivated unlinked account and reactivates it', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { status: 'deactivated', source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com')] }), org });
    expect(lines(result)).toEqual(['linkAccount alice@acme.com', 'reactivateAccount alice@acme.com']);
    expect(result.operations[1]).toMatchObject({ before: { status: 'deactivated' }, after: { status: 'active' } });
  });

  it('updates only the changed keys, clears an attribute the source dropped, and ignores attributes not managed', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', attributes: { title: 'Intern', department: 'R&D', costCenter: '7' } })] });
    const source = { ...alice, attributes: { department: 'R&D', costCenter: '42' } };
    const result = plan({ snapshot: snapshot({ users: [source] }), org });
    expect(lines(result)).toEqual(['updateAccount alice@acme.com']);
    expect(result.operations[0]).toMatchObject({ before: { title: 'Intern' }, after: { title: null } });
  });

  it('changes the email inside claimed domains with updateAccount (email rename, ssosync #353)', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const renamed = snapshot({ users: [sourceUser('u-1', 'alice.ng@acme.com')] });
    const result = plan({ snapshot: renamed, org });
    expect(lines(result)).toEqual(['updateAccount alice@acme.com']);
    expect(result.operations[0]).toMatchObject({ accountId: 'a-1', before: { email: 'alice@acme.com' }, after: { email: 'alice.ng@acme.com' } });
    const applied = applyPlan(org, result.operations).state;
    expect(applied.users).toEqual([expect.objectContaining({ id: 'a-1', email: 'alice.ng@acme.com', externalId: 'u-1' })]);
    expect(plan({ snapshot: renamed, org: applied }).operations).toEqual([]);
  });

  it('does not update an address that differs only in letter case', () => {
    const org = orgState({ users: [managedUser('a-1', 'Alice@Acme.com', { externalId: 'u-1' })] });
    expect(plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'ALICE@acme.com')] }), org }).operations).toEqual([]);
  });

  it('reactivates a linked deactivated account of an active, in-scope user', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1', status: 'deactivated' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com')] }), org });
    expect(lines(result)).toEqual(['reactivateAccount alice@acme.com']);
  });

  it.each([
    ['disabled', snapshot({ users: [sourceUser('u-1', 'alice@acme.com', { active: false }), sourceUser('u-2', 'bob@acme.com')] }), 'is disabled'],
    ['gone', snapshot({ users: [sourceUser('u-2', 'bob@acme.com')] }), 'is gone from the directory'],
  ])('deactivates the account of a %s user', (_label, snap, reason) => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), managedUser('a-2', 'bob@acme.com', { externalId: 'u-2' })] });
    const result = plan({ snapshot: snap, org });
    expect(lines(result)).toEqual(['deactivateAccount alice@acme.com']);
    expect(result.operations[0]).toMatchObject({ accountId: 'a-1', sourceId: 'u-1', classification: 'claimed', before: { status: 'active' }, after: { status: 'deactivated' }, reason: `directory user u-1 ${reason}` });
  });

  it('leaves an already deactivated account of a disabled user alone', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1', status: 'deactivated' })] });
    expect(plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com', { active: false })] }), org }).operations).toEqual([]);
  });
});

describe('external users (unclaimed domain)', () => {
  const pol = policy({ external: { groups: ['Guests'], roles: ['jira/user'], notify: false } });

  it('invites with what the policy grants', () => {
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'Bob@Gmail.com', { displayName: 'Bob' })] }), policy: pol });
    expect(result.operations).toEqual([
      expect.objectContaining({ kind: 'inviteUser', email: 'bob@gmail.com', sourceId: 'u-1', accountId: null, classification: 'external', domain: 'gmail.com', before: null, after: { email: 'bob@gmail.com', displayName: 'Bob', groups: ['Guests'], roles: ['jira/user'], notify: false } }),
    ]);
  });

  it('revokes the access of a disabled or gone user the sync invited, and never touches one invited by hand', () => {
    const org = orgState({
      users: [externalUser('x-1', 'bob@gmail.com', { externalId: 'u-1' }), externalUser('x-2', 'carol@gmail.com', { externalId: 'u-2', status: 'active' }), externalUser('x-3', 'dan@gmail.com', { externalId: 'u-3', source: 'manual' })],
    });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'bob@gmail.com', { active: false })] }), org });
    expect(lines(result)).toEqual(['revokeAccess bob@gmail.com', 'revokeAccess carol@gmail.com']);
    expect(result.operations[0]).toMatchObject({ accountId: 'x-1', classification: 'external', before: { status: 'invited' }, after: { status: 'suspended' } });
  });

  it('restores the access of a linked, suspended account when the user is active and in scope again', () => {
    const org = orgState({ users: [externalUser('x-1', 'bob@gmail.com', { externalId: 'u-1', status: 'suspended' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'bob@gmail.com')] }), org, policy: pol });
    expect(result.operations).toEqual([expect.objectContaining({ kind: 'inviteUser', accountId: 'x-1', email: 'bob@gmail.com', before: null, reason: expect.stringContaining('restored') })]);
  });

  it('links an unlinked account at the address by inviting the address again', () => {
    const org = orgState({ users: [externalUser('x-1', 'bob@gmail.com', { source: 'manual', status: 'active' })] });
    const snap = snapshot({ users: [sourceUser('u-1', 'bob@gmail.com')] });
    const result = plan({ snapshot: snap, org });
    expect(result.operations).toEqual([expect.objectContaining({ kind: 'inviteUser', accountId: null, reason: expect.stringContaining('already in the org (account x-1') })]);
    const applied = applyPlan(org, result.operations).state;
    expect(applied.users).toEqual([expect.objectContaining({ id: 'x-1', externalId: 'u-1', source: 'manual' })]);
    expect(plan({ snapshot: snap, org: applied }).operations).toEqual([]);
  });

  it('does not restore an unlinked account whose access was suspended by hand', () => {
    const org = orgState({ users: [externalUser('x-1', 'bob@gmail.com', { source: 'manual', status: 'suspended' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'bob@gmail.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'suspended-account')).toEqual([expect.objectContaining({ subject: 'u-1' })]);
  });

  it('moves an external user to a new external address: revoke the old access, invite the new address', () => {
    const org = orgState({ users: [externalUser('x-1', 'bob@gmail.com', { externalId: 'u-1' })] });
    const snap = snapshot({ users: [sourceUser('u-1', 'bob@yahoo.com')] });
    const result = plan({ snapshot: snap, org, policy: policy({ guards: { maxDeprovisionPercent: 100 } }) });
    expect(lines(result)).toEqual(['inviteUser bob@yahoo.com', 'revokeAccess bob@gmail.com']);
    expect(warningsOf(result, 'reclassified')).toEqual([]);
    expect(plan({ snapshot: snap, org: applyPlan(org, result.operations).state }).operations).toEqual([]);
  });
});

describe('correlation keys on the immutable id, never on the email', () => {
  it('a new source user with the address of an account linked to someone else takes nothing over', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice.ng@acme.com'), sourceUser('u-9', 'ALICE@acme.com ')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'ambiguous-match')).toEqual([expect.objectContaining({ subject: 'u-9', message: expect.stringContaining('a-1 (linked to directory user u-1)') })]);
  });

  it('an account linked to one user but carrying the address of another is ambiguous: no operation on either (idp-scim-sync #57)', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-2' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com'), sourceUser('u-2', 'bob@acme.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'ambiguous-match')).toEqual([expect.objectContaining({ subject: 'u-1', message: expect.stringContaining('a-1 (linked to directory user u-2)') })]);
  });

  it('an email rename onto an address another account holds is ambiguous, not a duplicate create', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), managedUser('a-2', 'bob@acme.com', { source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'bob@acme.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'ambiguous-match')).toEqual([expect.objectContaining({ subject: 'u-1' })]);
  });

  it('several unlinked accounts with the address: nothing is adopted', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { source: 'manual' }), managedUser('a-2', 'Alice@acme.com', { source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'ambiguous-match')[0].message).toContain('a-1, a-2');
  });
});

describe('records that cannot be used', () => {
  it('warns about users without an address and leaves their linked accounts as they are (Backstage #27394, #26137)', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', null), sourceUser('u-2', '  '), sourceUser('u-3', 'carol@acme.com')] }), org });
    expect(lines(result)).toEqual(['createAccount carol@acme.com']);
    expect(warningsOf(result, 'missing-email').map((w) => w.subject)).toEqual(['u-1', 'u-2']);
    expect(warningsOf(result, 'missing-email')[0].message).toContain('left as it is');
  });

  it('still deprovisions a disabled user without an address: the link is by id', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', null, { active: false }), sourceUser('u-2', 'b@acme.com')] }), org, policy: policy({ guards: { maxDeprovisionPercent: 100 } }) });
    expect(lines(result)).toEqual(['createAccount b@acme.com', 'deactivateAccount alice@acme.com']);
  });

  it('survives records with nothing but an id (ssosync #118, #128, #264)', () => {
    const bare = { id: 'u-1', email: null, active: true, attributes: {} };
    const result = plan({ snapshot: snapshot({ users: [bare, sourceUser('u-2', 'bob@acme.com')], groups: [sourceGroup('g-1', 'Eng', ['u-1', 'u-2', 'nobody'])] }) });
    expect(lines(result)).toEqual(['createGroup Eng', 'createAccount bob@acme.com', 'addMembers Eng']);
    expect(result.operations[2].members?.map((m) => m.sourceId)).toEqual(['u-2']);
  });

  it('handles duplicate emails without failing the run; everyone else is planned (Bitwarden #190, #493)', () => {
    const users = [sourceUser('u-1', 'dup@acme.com'), sourceUser('u-2', 'DUP@acme.com'), sourceUser('u-3', 'dup@acme.com.'), sourceUser('u-4', 'ok@acme.com'), sourceUser('u-5', 'x@gmail.com'), sourceUser('u-6', 'X@gmail.com')];
    const result = plan({ snapshot: snapshot({ users }) });
    expect(lines(result)).toEqual(['createAccount ok@acme.com']);
    expect(warningsOf(result, 'duplicate-email').map((w) => w.subject)).toEqual(['dup@acme.com', 'x@gmail.com']);
    expect(warningsOf(result, 'duplicate-email')[0].message).toContain('u-1, u-2, u-3');
  });

  it('a source id that occurs twice: neither record is used and nothing linked to it changes', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com', { active: false }), sourceUser('u-1', 'other@acme.com')] }), org });
    expect(result.operations).toEqual([]);
    expect(warningsOf(result, 'duplicate-source-id')).toEqual([expect.objectContaining({ subject: 'u-1' })]);
  });
});

describe('unmatched managed accounts and deprovisioning policy', () => {
  const org = orgState({
    users: [managedUser('a-1', 'hand@acme.com', { source: 'manual' }), managedUser('a-2', 'old@acme.com', { source: 'manual', status: 'deactivated' }), managedUser('a-3', 'out@acme.com', { source: 'manual' }), externalUser('x-1', 'guest@gmail.com', { source: 'manual' })],
  });
  const snap = snapshot({ users: [sourceUser('u-3', 'out@acme.com'), sourceUser('u-4', 'in@acme.com')], groups: [sourceGroup('g-1', 'Staff', ['u-4'])] });
  const scoped = { scope: { groups: ['Staff'] }, groups: { sync: 'none' as const } };

  it('reports unlinked managed accounts no source user has, and leaves them (invariant 2)', () => {
    const result = plan({ snapshot: snap, org, policy: policy(scoped) });
    expect(lines(result)).toEqual(['createAccount in@acme.com']);
    expect(warningsOf(result, 'unmatched-managed')).toEqual([expect.objectContaining({ message: expect.stringMatching(/^1 managed account .*hand@acme\.com.*left as they are/) })]);
  });

  it('deactivates them when the policy says unmatchedManaged: deactivate', () => {
    const result = plan({ snapshot: snap, org, policy: policy({ ...scoped, deprovision: { unmatchedManaged: 'deactivate' } }) });
    expect(lines(result)).toEqual(['createAccount in@acme.com', 'deactivateAccount hand@acme.com']);
    expect(ofKind(result, 'deactivateAccount')[0]).toMatchObject({ accountId: 'a-1', sourceId: null, classification: 'claimed' });
  });

  it('deprovision none keeps accounts and access, and says so', () => {
    const linked = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), externalUser('x-1', 'bob@gmail.com', { externalId: 'u-2' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-9', 'z@acme.com')] }), org: linked, policy: policy({ deprovision: { managed: 'none', external: 'none', unmatchedManaged: 'deactivate' } }) });
    expect(lines(result)).toEqual(['createAccount z@acme.com']);
    expect(warningsOf(result, 'deprovision-disabled').map((w) => [w.subject, w.message])).toEqual([
      ['deactivateAccount', expect.stringContaining('1 managed account left active')],
      ['revokeAccess', expect.stringContaining('1 external user keep access')],
    ]);
  });
});
