import { describe, expect, it } from 'vitest';
import type { OrgGroup } from '../../../src/model/org.js';
import { applyPlan, externalUser, lines, managedUser, ofKind, orgGroup, orgState, plan, policy, snapshot, sourceGroup, sourceUser, warningsOf } from '../../builders.js';

const users = [sourceUser('u-1', 'alice@acme.com'), sourceUser('u-2', 'bob@gmail.com'), sourceUser('u-3', 'carol@acme.com')];
const memberIds = (result: ReturnType<typeof plan>, kind: 'addMembers' | 'removeMembers', group: string) =>
  ofKind(result, kind)
    .filter((op) => op.group?.name === group)
    .flatMap((op) => op.members?.map((m) => m.sourceId ?? m.accountId) ?? []);

describe('mirrored groups', () => {
  it('creates a group and adds members: accountId for existing accounts, null for accounts the plan creates', () => {
    const org = orgState({ users: [managedUser('a-3', 'carol@acme.com', { externalId: 'u-3' })] });
    const result = plan({ snapshot: snapshot({ users, groups: [sourceGroup('g-1', 'Engineering', ['u-1', 'u-2', 'u-3'], { description: 'Builders' })] }), org, policy: policy({ groups: { prefix: 'idp-' } }) });
    expect(lines(result)).toEqual(['createGroup idp-Engineering', 'createAccount alice@acme.com', 'inviteUser bob@gmail.com', 'addMembers idp-Engineering']);
    expect(result.operations[0]).toMatchObject({ group: { id: null, externalId: 'g-1', name: 'idp-Engineering' }, before: null, after: { name: 'idp-Engineering', description: 'Builders' } });
    expect(result.operations[3].members).toEqual([
      { email: 'alice@acme.com', sourceId: 'u-1', accountId: null, classification: 'claimed' },
      { email: 'bob@gmail.com', sourceId: 'u-2', accountId: null, classification: 'external' },
      { email: 'carol@acme.com', sourceId: 'u-3', accountId: 'a-3', classification: 'claimed' },
    ]);
  });

  it('mirrors nothing with sync: none, and only the named groups with a list (warning for a missing name)', () => {
    const groups = [sourceGroup('g-1', 'Eng', ['u-1']), sourceGroup('g-2', 'Ops', ['u-1'])];
    expect(ofKind(plan({ snapshot: snapshot({ users, groups }), policy: policy({ groups: { sync: 'none' } }) }), 'createGroup')).toEqual([]);
    const named = plan({ snapshot: snapshot({ users, groups }), policy: policy({ groups: { sync: ['Ops', 'Nope'] } }) });
    expect(ofKind(named, 'createGroup').map((op) => op.group?.name)).toEqual(['Ops']);
    expect(warningsOf(named, 'sync-group-missing')).toEqual([expect.objectContaining({ subject: 'Nope' })]);
  });

  it('flattens nested groups transitively, tolerating cycles', () => {
    const groups = [sourceGroup('g-1', 'All', ['u-1', 'g-2']), sourceGroup('g-2', 'Sub', ['u-2', 'g-3']), sourceGroup('g-3', 'Leaf', ['u-3', 'g-1'])];
    const result = plan({ snapshot: snapshot({ users, groups }) });
    for (const name of ['All', 'Sub', 'Leaf']) expect(memberIds(result, 'addMembers', name)).toEqual(['u-1', 'u-2', 'u-3']);
  });

  it('keeps direct members only with nested: direct', () => {
    const groups = [sourceGroup('g-1', 'All', ['u-1', 'g-2']), sourceGroup('g-2', 'Sub', ['u-2'])];
    const result = plan({ snapshot: snapshot({ users, groups }), policy: policy({ groups: { nested: 'direct' } }) });
    expect(memberIds(result, 'addMembers', 'All')).toEqual(['u-1']);
  });

  it('renames and redescribes a linked group with the changed keys only', () => {
    const org = orgState({ groups: [orgGroup('og-1', 'Old name', [], { externalId: 'g-1', description: 'same' })] });
    const result = plan({ snapshot: snapshot({ groups: [sourceGroup('g-1', 'New name', [], { description: 'same' })] }), org });
    expect(result.operations).toEqual([expect.objectContaining({ kind: 'updateGroup', group: { id: 'og-1', externalId: 'g-1', name: 'Old name' }, before: { name: 'Old name' }, after: { name: 'New name' } })]);
  });

  it('removes only linked members who should not be there; unlinked members stay', () => {
    const org = orgState({
      users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), managedUser('a-3', 'carol@acme.com', { externalId: 'u-3' }), managedUser('a-9', 'hand@acme.com', { source: 'manual' })],
      groups: [orgGroup('og-1', 'Eng', ['a-1', 'a-3', 'a-9'], { externalId: 'g-1' })],
    });
    const result = plan({ snapshot: snapshot({ users, groups: [sourceGroup('g-1', 'Eng', ['u-1', 'u-2'])] }), org });
    expect(lines(result)).toEqual(['inviteUser bob@gmail.com', 'addMembers Eng', 'removeMembers Eng']);
    expect(ofKind(result, 'removeMembers')[0].members).toEqual([{ email: 'carol@acme.com', sourceId: 'u-3', accountId: 'a-3', classification: 'claimed' }]);
  });

  it('removes a disabled user from its groups', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-1', 'Eng', ['a-1'], { externalId: 'g-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com', { active: false })], groups: [sourceGroup('g-1', 'Eng', ['u-1'])] }), org, policy: policy({ guards: { maxDeprovisionPercent: 100 } }) });
    expect(lines(result)).toEqual(['removeMembers Eng', 'deactivateAccount alice@acme.com']);
  });

  it('never changes members of groups it neither owns nor links', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-9', 'Hand made', ['a-1'], { source: 'manual' }), orgGroup('og-8', 'Unlinked', ['a-1'])] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'alice@acme.com', { active: false }), sourceUser('u-2', 'x@acme.com')] }), org, policy: policy({ guards: { maxDeprovisionPercent: 100 } }) });
    expect(lines(result)).toEqual(['createAccount x@acme.com', 'deactivateAccount alice@acme.com']);
  });

  it('does not create a group whose name an unlinked org group has (case-insensitively), and warns', () => {
    const org = orgState({ groups: [orgGroup('og-9', 'ENGINEERING', [], { source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: users.slice(0, 1), groups: [sourceGroup('g-1', 'Engineering', ['u-1'])] }), org });
    expect(lines(result)).toEqual(['createAccount alice@acme.com']);
    expect(warningsOf(result, 'group-name-conflict')).toEqual([expect.objectContaining({ subject: 'g-1', message: expect.stringContaining('og-9') })]);
  });

  it('gives a name two mirrored groups need to the lower IdP id only', () => {
    const result = plan({ snapshot: snapshot({ groups: [sourceGroup('g-2', 'Eng'), sourceGroup('g-1', 'Eng')] }) });
    expect(ofKind(result, 'createGroup').map((op) => op.group?.externalId)).toEqual(['g-1']);
    expect(warningsOf(result, 'group-name-conflict')).toEqual([expect.objectContaining({ subject: 'g-2' })]);
  });

  it('deletes a group it created when its IdP group is gone or no longer mirrored', () => {
    const org = orgState({ groups: [orgGroup('og-1', 'Gone', [], { externalId: 'g-1' }), orgGroup('og-2', 'Ops', [], { externalId: 'g-2' })] });
    const result = plan({ snapshot: snapshot({ users, groups: [sourceGroup('g-2', 'Ops', []), sourceGroup('g-3', 'Eng', [])] }), org, policy: policy({ groups: { sync: ['Eng'] } }) });
    expect(lines(result)).toEqual(['createGroup Eng', 'createAccount alice@acme.com', 'createAccount carol@acme.com', 'inviteUser bob@gmail.com', 'deleteGroup Gone', 'deleteGroup Ops']);
    expect(ofKind(result, 'deleteGroup')[0]).toMatchObject({ group: { id: 'og-1', externalId: 'g-1', name: 'Gone' }, before: { name: 'Gone', externalId: 'g-1' }, after: null, reason: expect.stringContaining('gone') });
    expect(ofKind(result, 'deleteGroup')[1].reason).toContain('no longer mirrored');
  });

  it('relinks the group it made for an IdP group that was deleted and recreated, keeping members and access (idp-scim-sync #70)', () => {
    const org = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' })], groups: [orgGroup('og-1', 'Eng', ['a-1'], { externalId: 'g-old' })] });
    const snap = snapshot({ users: users.slice(0, 1), groups: [sourceGroup('g-new', 'Eng', ['u-1'])] });
    const result = plan({ snapshot: snap, org });
    expect(result.operations).toEqual([expect.objectContaining({ kind: 'updateGroup', group: { id: 'og-1', externalId: 'g-old', name: 'Eng' }, before: { externalId: 'g-old' }, after: { externalId: 'g-new' }, reason: expect.stringContaining('relinked') })]);
    const next = applyPlan(org, result.operations).state;
    expect(next.groups).toEqual([expect.objectContaining({ id: 'og-1', externalId: 'g-new', members: ['a-1'] })]);
    expect(plan({ snapshot: snap, org: next }).operations).toEqual([]);
    const incomplete = plan({ snapshot: { ...snap, complete: false }, org });
    expect(incomplete.operations).toEqual([]);
    expect(warningsOf(incomplete, 'group-name-conflict')).toHaveLength(1);
  });

  it('never deletes a group it did not create, even when linked (ssosync #88)', () => {
    const org = orgState({ groups: [orgGroup('og-1', 'Control Tower', ['x'], { externalId: 'g-1', source: 'manual' }), orgGroup('og-2', 'Admins', [], { source: 'manual' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'a@acme.com')] }), org });
    expect(lines(result)).toEqual(['createAccount a@acme.com']);
    expect(warningsOf(result, 'group-link-stale')).toEqual([expect.objectContaining({ subject: 'og-1' })]);
  });

  it('leaves every org group linked to one IdP group alone when several are', () => {
    const org = orgState({ groups: [orgGroup('og-1', 'Eng', [], { externalId: 'g-1' }), orgGroup('og-2', 'Eng 2', [], { externalId: 'g-1' })] });
    const result = plan({ snapshot: snapshot({ users: users.slice(0, 1), groups: [sourceGroup('g-1', 'Eng', ['u-1'])] }), org });
    expect(lines(result)).toEqual(['createAccount alice@acme.com']);
    expect(warningsOf(result, 'ambiguous-group')).toHaveLength(1);
  });

  it('keeps an external member in a mirrored group that every invitation grants', () => {
    const org = orgState({ users: [externalUser('x-2', 'bob@gmail.com', { externalId: 'u-2' })], groups: [orgGroup('og-1', 'Guests', ['x-2'], { externalId: 'g-1' })] });
    const snap = snapshot({ users, groups: [sourceGroup('g-1', 'Guests', ['u-1'])] });
    const granted = plan({ snapshot: snap, org, policy: policy({ external: { groups: ['guests'] } }) });
    expect(ofKind(granted, 'removeMembers')).toEqual([]);
    const notGranted = plan({ snapshot: snap, org });
    expect(memberIds(notGranted, 'removeMembers', 'Guests')).toEqual(['u-2']);
  });

  it('plans one operation per group, not one per membership (ssosync #17: 200 users x 200 groups)', () => {
    const many = Array.from({ length: 200 }, (_, i) => sourceUser(`u-${i}`, `user${i}@acme.com`));
    const groups = Array.from({ length: 200 }, (_, g) => sourceGroup(`g-${g}`, `Group ${g}`, many.map((u) => u.id)));
    const result = plan({ snapshot: snapshot({ users: many, groups }) });
    expect(result.summary).toEqual({ createGroup: 200, createAccount: 200, addMembers: 200 });
    expect(ofKind(result, 'addMembers')[0].members).toHaveLength(200);
  });

  it('converges: applying the plan and planning again gives no operation', () => {
    const org = orgState({
      users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), managedUser('a-9', 'old@acme.com', { externalId: 'u-9' })],
      groups: [orgGroup('og-1', 'Eng', ['a-9'], { externalId: 'g-1' }), orgGroup('og-2', 'Old', ['a-1'], { externalId: 'g-old' })],
    });
    const snap = snapshot({ users, groups: [sourceGroup('g-1', 'Engineering', ['u-1', 'g-2']), sourceGroup('g-2', 'Partners', ['u-2', 'u-3'])] });
    const pol = policy({ guards: { maxDeprovisionPercent: 100 } });
    const first = plan({ snapshot: snap, org, policy: pol });
    const next = applyPlan(org, first.operations).state;
    expect(plan({ snapshot: snap, org: next, policy: pol }).operations).toEqual([]);
    const byName = (name: string) => next.groups.find((g: OrgGroup) => g.name === name);
    expect(byName('Old')).toBeUndefined();
    expect(byName('Engineering')?.members).toHaveLength(3);
  });
});
