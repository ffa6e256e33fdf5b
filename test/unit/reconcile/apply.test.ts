/** The in-memory org: what each operation kind does to an `OrgState`, and that repeating it does nothing. */
import { describe, expect, it } from 'vitest';
import { OrgsyncError } from '../../../src/errors.js';
import type { OrgState } from '../../../src/model/org.js';
import type { Operation } from '../../../src/model/plan.js';
import { applyOperation } from '../../../src/org/memory/apply.js';
import type { OrgRefs } from '../../../src/org/types.js';
import { operation, type OperationFields } from '../../../src/reconcile/ids.js';
import { externalUser, LearningRefs, managedUser, orgGroup, orgState } from '../../builders.js';

const noRefs: OrgRefs = { accountFor: () => undefined, groupFor: () => undefined };
const op = (fields: Omit<OperationFields, 'reason'>): Operation => operation({ reason: 'test', ...fields });

/** Apply once (expect `applied`), then again (expect `skipped` and the very same state object). */
function twice(state: OrgState, operation: Operation, refs: OrgRefs = noRefs) {
  const first = applyOperation(state, operation, refs);
  expect(first.outcome.result).toBe('applied');
  const second = applyOperation(first.state, operation, refs);
  expect(second.outcome.result).toBe('skipped');
  expect(second.state).toBe(first.state);
  return first;
}

function error(fn: () => unknown): OrgsyncError {
  try {
    fn();
  } catch (caught) {
    if (caught instanceof OrgsyncError) return caught;
    throw caught;
  }
  throw new Error('expected an OrgsyncError');
}

describe('applyOperation', () => {
  it('creates a managed account with a content-derived id, leaving the input state untouched', () => {
    const state = orgState();
    const create = op({ kind: 'createAccount', email: 'alice@acme.com', sourceId: 'u-1', after: { email: 'alice@acme.com', displayName: 'Alice', givenName: null, familyName: 'Ng', title: 'Eng', department: null } });
    const { state: next, outcome } = twice(state, create);
    expect(state.users).toEqual([]);
    expect(next.users).toEqual([{ id: outcome.accountId, email: 'alice@acme.com', externalId: 'u-1', displayName: 'Alice', familyName: 'Ng', attributes: { title: 'Eng' }, managed: true, status: 'active', source: 'sync' }]);
    expect(applyOperation(state, create, noRefs).outcome.accountId).toBe(outcome.accountId);
  });

  it('links an unlinked account with the address instead of creating a second one', () => {
    const state = orgState({ users: [managedUser('a-1', 'Alice@acme.com', { source: 'manual' })] });
    const { state: next, outcome } = twice(state, op({ kind: 'createAccount', sourceId: 'u-1', after: { email: 'alice@acme.com' } }));
    expect(outcome.accountId).toBe('a-1');
    expect(next.users).toEqual([expect.objectContaining({ id: 'a-1', externalId: 'u-1', source: 'manual' })]);
  });

  it('refuses to take over an account linked to another source user', () => {
    const state = orgState({ users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-2' })] });
    expect(error(() => applyOperation(state, op({ kind: 'createAccount', sourceId: 'u-1', after: { email: 'alice@acme.com' } }), noRefs)).code).toBe('conflict');
    expect(error(() => applyOperation(state, op({ kind: 'linkAccount', accountId: 'a-1', sourceId: 'u-1', after: { externalId: 'u-1' } }), noRefs)).code).toBe('conflict');
  });

  it('invites an external user into the groups the invitation names', () => {
    const state = orgState({ groups: [orgGroup('og-1', 'Guests', [], { source: 'manual' })] });
    const invite = op({ kind: 'inviteUser', sourceId: 'u-1', email: 'bob@gmail.com', after: { email: 'bob@gmail.com', displayName: 'Bob', groups: ['guests', 'Missing'], roles: [], notify: true } });
    const { state: next, outcome } = twice(state, invite);
    expect(next.users).toEqual([{ id: outcome.accountId, email: 'bob@gmail.com', externalId: 'u-1', displayName: 'Bob', attributes: {}, managed: false, status: 'invited', source: 'sync' }]);
    expect(next.groups[0].members).toEqual([outcome.accountId]);
  });

  it('restores a suspended account when the invitation names it', () => {
    const state = orgState({ users: [externalUser('x-1', 'bob@gmail.com', { externalId: 'u-1', status: 'suspended' })] });
    const { state: next } = twice(state, op({ kind: 'inviteUser', sourceId: 'u-1', accountId: 'x-1', after: { email: 'bob@gmail.com', groups: [] } }));
    expect(next.users[0].status).toBe('active');
  });

  it('revokes access: suspended and out of the groups the sync owns, never deleted', () => {
    const state = orgState({
      users: [externalUser('x-1', 'bob@gmail.com', { externalId: 'u-1' })],
      groups: [orgGroup('og-1', 'Synced', ['x-1']), orgGroup('og-2', 'Hand made', ['x-1'], { source: 'manual' })],
    });
    const { state: next } = twice(state, op({ kind: 'revokeAccess', accountId: 'x-1', before: { status: 'invited' }, after: { status: 'suspended' } }));
    expect(next.users).toEqual([expect.objectContaining({ id: 'x-1', status: 'suspended' })]);
    expect(next.groups.map((g) => g.members)).toEqual([[], ['x-1']]);
  });

  it('deactivates, reactivates, links and updates accounts', () => {
    let state = orgState({ users: [managedUser('a-1', 'alice@acme.com', { displayName: 'A', attributes: { title: 'Intern' } })] });
    state = twice(state, op({ kind: 'linkAccount', accountId: 'a-1', sourceId: 'u-1', before: { externalId: null }, after: { externalId: 'u-1' } })).state;
    state = twice(state, op({ kind: 'deactivateAccount', accountId: 'a-1', after: { status: 'deactivated' } })).state;
    expect(state.users[0].status).toBe('deactivated');
    state = twice(state, op({ kind: 'reactivateAccount', accountId: 'a-1', after: { status: 'active' } })).state;
    state = twice(state, op({ kind: 'updateAccount', accountId: 'a-1', after: { email: 'alice.ng@acme.com', displayName: 'Alice', title: null, department: 'R&D' } })).state;
    expect(state.users).toEqual([{ id: 'a-1', email: 'alice.ng@acme.com', externalId: 'u-1', displayName: 'Alice', attributes: { department: 'R&D' }, managed: true, status: 'active', source: 'sync' }]);
  });

  it('creates, updates and deletes groups, never deleting one the sync does not own', () => {
    const refs = new LearningRefs(orgState());
    const create = op({ kind: 'createGroup', group: { id: null, externalId: 'g-1', name: 'Eng' }, after: { name: 'Eng', description: 'Builders' } });
    const created = applyOperation(orgState(), create, refs);
    refs.learn(create, created.outcome);
    expect(created.state.groups).toEqual([{ id: created.outcome.groupId, name: 'Eng', description: 'Builders', externalId: 'g-1', source: 'sync', members: [] }]);
    expect(applyOperation(created.state, create, refs).outcome.result).toBe('skipped');
    const ref = { id: null, externalId: 'g-1', name: 'Eng' };
    const renamed = twice(created.state, op({ kind: 'updateGroup', group: ref, after: { name: 'Engineering' } }), refs).state;
    expect(renamed.groups[0].name).toBe('Engineering');
    expect(twice(renamed, op({ kind: 'deleteGroup', group: ref }), refs).state.groups).toEqual([]);
    const manual = orgState({ groups: [orgGroup('og-1', 'Admins', [], { source: 'manual', externalId: 'g-1' })] });
    expect(error(() => applyOperation(manual, op({ kind: 'deleteGroup', group: { id: 'og-1', externalId: 'g-1', name: 'Admins' } }), noRefs)).code).toBe('conflict');
  });

  it('refuses to create a group over an existing name', () => {
    const state = orgState({ groups: [orgGroup('og-1', 'ENG', [], { source: 'manual' })] });
    expect(error(() => applyOperation(state, op({ kind: 'createGroup', group: { id: null, externalId: 'g-1', name: 'Eng' }, after: { name: 'Eng' } }), noRefs)).code).toBe('conflict');
  });

  it('adds and removes members, resolving accounts created earlier through the refs', () => {
    const state = orgState({ users: [managedUser('a-1', 'a@acme.com'), managedUser('a-2', 'b@acme.com', { externalId: 'u-2' })], groups: [orgGroup('og-1', 'Eng', ['a-1'])] });
    const refs: OrgRefs = { accountFor: (id) => (id === 'u-2' ? 'a-2' : undefined), groupFor: () => undefined };
    const group = { id: 'og-1', externalId: null, name: 'Eng' };
    const added = twice(state, op({ kind: 'addMembers', group, members: [{ email: 'b@acme.com', sourceId: 'u-2', accountId: null, classification: 'claimed' }] }), refs).state;
    expect(added.groups[0].members).toEqual(['a-1', 'a-2']);
    const removed = twice(added, op({ kind: 'removeMembers', group, members: [{ email: 'a@acme.com', sourceId: null, accountId: 'a-1', classification: 'claimed' }] }), refs).state;
    expect(removed.groups[0].members).toEqual(['a-2']);
    const unknown = op({ kind: 'addMembers', group, members: [{ email: 'x@acme.com', sourceId: 'u-9', accountId: null, classification: 'claimed' }] });
    expect(error(() => applyOperation(state, unknown, refs)).code).toBe('not-found');
  });

  it('reports a subject that does not exist as not-found', () => {
    expect(error(() => applyOperation(orgState(), op({ kind: 'deactivateAccount', accountId: 'a-404' }), noRefs))).toMatchObject({ code: 'not-found', message: expect.stringContaining('a-404') });
  });
});
