/**
 * The shape of the result: operation fields and ids, order, determinism, fingerprints, summary,
 * status, capabilities and snapshot issues.
 */
import { describe, expect, it } from 'vitest';
import type { OrgState } from '../../../src/model/org.js';
import { OPERATION_KINDS, type Operation } from '../../../src/model/plan.js';
import type { Snapshot } from '../../../src/model/directory.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { operation } from '../../../src/reconcile/ids.js';
import { externalUser, lines, managedUser, ofKind, orgGroup, orgState, plan, policy, snapshot, sourceGroup, sourceUser, warningsOf } from '../../builders.js';

/** A scenario with every kind of operation. */
function everything(): { snapshot: Snapshot; org: OrgState } {
  return {
    snapshot: snapshot({
      users: [
        sourceUser('u-1', 'new@acme.com'),
        sourceUser('u-2', 'adopt@acme.com'),
        sourceUser('u-3', 'back@acme.com'),
        sourceUser('u-4', 'renamed@acme.com'),
        sourceUser('u-5', 'guest@gmail.com'),
        sourceUser('u-6', 'left@acme.com', { active: false }),
        sourceUser('u-7', 'gone-guest@gmail.com', { active: false }),
      ],
      groups: [sourceGroup('g-1', 'New group', ['u-1', 'u-5']), sourceGroup('g-2', 'Renamed group', ['u-3'])],
    }),
    org: orgState({
      users: [
        managedUser('a-2', 'adopt@acme.com', { source: 'manual' }),
        managedUser('a-3', 'back@acme.com', { externalId: 'u-3', status: 'deactivated' }),
        managedUser('a-4', 'before@acme.com', { externalId: 'u-4' }),
        managedUser('a-6', 'left@acme.com', { externalId: 'u-6' }),
        externalUser('x-7', 'gone-guest@gmail.com', { externalId: 'u-7' }),
      ],
      groups: [orgGroup('og-2', 'Old name', ['a-6'], { externalId: 'g-2' }), orgGroup('og-9', 'Stale', [], { externalId: 'g-9' })],
    }),
  };
}

const loose = policy({ guards: { maxDeprovisionPercent: 100 } });

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('operations', () => {
  it('plans every kind in the contract order, each with every field, a reason and a content id', () => {
    const { snapshot: snap, org } = everything();
    const result = plan({ snapshot: snap, org, policy: loose });
    expect(lines(result)).toEqual([
      'createGroup New group',
      'updateGroup Old name',
      'linkAccount adopt@acme.com',
      'createAccount new@acme.com',
      'reactivateAccount back@acme.com',
      'updateAccount before@acme.com',
      'inviteUser guest@gmail.com',
      'addMembers New group',
      'addMembers Renamed group',
      'removeMembers Renamed group',
      'revokeAccess gone-guest@gmail.com',
      'deactivateAccount left@acme.com',
      'deleteGroup Stale',
    ]);
    expect(new Set(result.operations.map((op) => op.kind))).toEqual(new Set(OPERATION_KINDS));
    for (const op of result.operations) {
      expect(Object.keys(op)).toEqual(['id', 'kind', 'email', 'sourceId', 'accountId', 'group', 'members', 'classification', 'domain', 'reason', 'before', 'after']);
      expect(op.id).toMatch(/^[0-9a-f]{32}$/);
      expect(op.reason.length).toBeGreaterThan(10);
    }
    expect(new Set(result.operations.map((op) => op.id)).size).toBe(result.operations.length);
    expect(result.summary).toEqual(Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, kind === 'addMembers' ? 2 : 1])));
    expect(Object.keys(result.summary)).toEqual([...OPERATION_KINDS]);
  });

  it('orders inside a kind by subject key, then id', () => {
    const result = plan({ snapshot: snapshot({ users: ['zed', 'amy', 'Bea', 'bea2'].map((n, i) => sourceUser(`u-${i}`, `${n}@acme.com`)) }) });
    expect(ofKind(result, 'createAccount').map((op) => op.email)).toEqual(['amy@acme.com', 'bea2@acme.com', 'bea@acme.com', 'zed@acme.com']);
  });

  it('derives the id from the content, not from the reason', () => {
    const fields = { kind: 'deactivateAccount' as const, email: 'a@acme.com', accountId: 'a-1', before: { status: 'active' }, after: { status: 'deactivated' } };
    const a = operation({ ...fields, reason: 'one reason' });
    expect(operation({ ...fields, reason: 'another reason' }).id).toBe(a.id);
    expect(operation({ ...fields, accountId: 'a-2', reason: 'one reason' }).id).not.toBe(a.id);
    expect(operation({ ...fields, before: { status: 'invited' }, reason: 'one reason' }).id).not.toBe(a.id);
  });
});

describe('determinism', () => {
  it('gives a byte-identical result whatever order the inputs are listed in', () => {
    const { snapshot: snap, org } = everything();
    const first = JSON.stringify(reconcile({ snapshot: snap, org, policy: loose }));
    for (const seed of [1, 7, 42]) {
      const snapshotShuffled: Snapshot = { ...snap, users: shuffled(snap.users, seed), groups: shuffled(snap.groups, seed).map((g) => ({ ...g, members: shuffled(g.members, seed) })) };
      const orgShuffled: OrgState = { domains: shuffled(org.domains, seed), users: shuffled(org.users, seed), groups: shuffled(org.groups, seed).map((g) => ({ ...g, members: shuffled(g.members, seed) })) };
      expect(JSON.stringify(reconcile({ snapshot: snapshotShuffled, org: orgShuffled, policy: loose }))).toBe(first);
    }
  });

  it('fingerprints the org independent of order, and changes it when the org changes', () => {
    const { snapshot: snap, org } = everything();
    const base = plan({ snapshot: snap, org }).fingerprints;
    const reordered = plan({ snapshot: snap, org: { ...org, users: [...org.users].reverse(), groups: org.groups.map((g) => ({ ...g, members: [...g.members].reverse() })).reverse() } }).fingerprints;
    expect(reordered).toEqual(base);
    const changed = plan({ snapshot: snap, org: { ...org, users: org.users.map((u) => (u.id === 'a-4' ? { ...u, attributes: { title: 'x' } } : u)) } }).fingerprints;
    expect(changed.org).not.toBe(base.org);
    expect(changed.policy).toBe(base.policy);
    expect(plan({ snapshot: snap, org, policy: policy({ groups: { prefix: 'x-' } }) }).fingerprints.policy).not.toBe(base.policy);
    expect(base.org).toMatch(/^[0-9a-f]{64}$/);
    const moved = org.groups.map((g) => (g.id === 'og-2' ? { ...g, members: [] } : g.id === 'og-9' ? { ...g, members: ['a-6'] } : g));
    expect(plan({ snapshot: snap, org: { ...org, groups: moved } }).fingerprints.org).not.toBe(base.org);
    const renamed = org.users.map((u) => (u.id === 'a-2' ? { ...u, email: 'adopt2@acme.com' } : u));
    expect(plan({ snapshot: snap, org: { ...org, users: renamed } }).fingerprints.org).not.toBe(base.org);
    const domains = [...org.domains, { name: 'acme.dev', status: 'unverified' }];
    expect(plan({ snapshot: snap, org: { ...org, domains } }).fingerprints.org).not.toBe(base.org);
  });
});

describe('status and warnings', () => {
  it('is empty when nothing is to be done', () => {
    const org = orgState({ users: [managedUser('a-1', 'a@acme.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-1', 'a@acme.com')] }), org });
    expect(result).toMatchObject({ status: 'empty', summary: {}, operations: [] });
  });

  it('turns the snapshot issues into warnings with their codes, sorted by code and subject', () => {
    const result = plan({ snapshot: snapshot({ issues: [{ code: 'guest-upn', message: 'only a guest UPN', subject: 'u-9' }, { code: 'dangling-member', message: 'member x names nobody' }] }) });
    expect(result.warnings).toEqual([
      { code: 'dangling-member', message: 'member x names nobody' },
      { code: 'guest-upn', message: 'only a guest UPN', subject: 'u-9' },
    ]);
  });
});

describe('capabilities', () => {
  it('leaves out kinds the org cannot perform, with one warning per kind, and adds no member the plan cannot create', () => {
    const users = ['a', 'b', 'c', 'd'].map((n, i) => sourceUser(`u-${i}`, `${n}@gmail.com`));
    const snap = snapshot({ users: [...users, sourceUser('u-9', 'z@acme.com')], groups: [sourceGroup('g-1', 'Eng', ['u-0', 'u-9'])] });
    const capabilities = new Set(OPERATION_KINDS.filter((kind) => kind !== 'inviteUser'));
    const result = plan({ snapshot: snap, capabilities });
    expect(lines(result)).toEqual(['createGroup Eng', 'createAccount z@acme.com', 'addMembers Eng']);
    expect(ofKind(result, 'addMembers')[0].members?.map((m) => m.email)).toEqual(['z@acme.com']);
    expect(warningsOf(result, 'unsupported-operation')).toEqual([
      { code: 'unsupported-operation', subject: 'inviteUser', message: 'the org cannot perform inviteUser: 4 operations left out (a@gmail.com, b@gmail.com, c@gmail.com and 1 more)' },
    ]);
  });

  it('counts only the operations left in the plan against the guards', () => {
    const org = orgState({ users: [externalUser('x-1', 'a@gmail.com', { externalId: 'u-1' })] });
    const result = plan({ snapshot: snapshot({ users: [sourceUser('u-2', 'b@acme.com')] }), org, capabilities: new Set(OPERATION_KINDS.filter((k) => k !== 'revokeAccess')), policy: policy({ guards: { maxDeprovisions: 0 } }) });
    expect(result.guards[0]).toMatchObject({ actual: 0, passed: true });
    expect(result.status).toBe('ready');
  });
});

describe('every operation satisfies the classification invariant in the full scenario', () => {
  it('targets claimed domains with managed kinds and unclaimed ones with external kinds', () => {
    const { snapshot: snap, org } = everything();
    const check = (op: Operation) => {
      if (op.group) return op.classification === null;
      const claimed = op.domain === 'acme.com';
      return ['inviteUser', 'revokeAccess'].includes(op.kind) ? !claimed && op.classification === 'external' : claimed && op.classification === 'claimed';
    };
    expect(plan({ snapshot: snap, org, policy: loose }).operations.filter((op) => !check(op))).toEqual([]);
  });
});
