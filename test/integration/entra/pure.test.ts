import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyGroupDelta, applyScopedUserDelta, applyUserDelta, parseBaseline, serializeBaseline, type Baseline } from '../../../connectors/entra/baseline.js';
import type { GraphGroup, GraphUser, GroupRecord, MemberKind } from '../../../connectors/entra/graph.js';
import { toSnapshot } from '../../../connectors/entra/map.js';
import { scopeFromGroups } from '../../../connectors/entra/scope.js';

const ids = fc.constantFrom('u1', 'u2', 'u3', 'u4');
const groupIds = fc.constantFrom('g1', 'g2', 'g3');
const text = fc.option(fc.constantFrom('a', 'b', 'c@x.com'), { nil: null });

const userEntry: fc.Arbitrary<GraphUser> = fc.oneof(
  fc.record({ id: ids, '@removed': fc.constant({ reason: 'deleted' }) }),
  fc.record({ id: ids, mail: text, displayName: text, accountEnabled: fc.boolean() }, { requiredKeys: ['id'] }),
);

const ref = fc.record({ id: fc.oneof(ids, groupIds), '@odata.type': fc.constantFrom('#microsoft.graph.user', '#microsoft.graph.group', '#microsoft.graph.device') });
const memberRef = fc.oneof(ref, ref.map((r) => ({ ...r, '@removed': { reason: 'deleted' } })));
const groupEntry: fc.Arbitrary<GraphGroup> = fc.oneof(
  fc.record({ id: groupIds, '@removed': fc.constant({ reason: 'deleted' }) }),
  fc.record({ id: groupIds, displayName: fc.constantFrom('One', 'Two'), description: text, 'members@delta': fc.array(memberRef, { maxLength: 5 }) }, { requiredKeys: ['id'] }),
);

const baseUsers = fc.array(fc.record({ id: ids, mail: text, displayName: text, accountEnabled: fc.boolean() }), { maxLength: 4 }).map((list) => new Map(list.map((u) => [u.id, u as GraphUser])));
const baseGroups = fc.array(fc.record({ id: groupIds, members: fc.array(fc.tuple(fc.oneof(ids, groupIds), fc.constantFrom<MemberKind>('user', 'group')), { maxLength: 4 }) }), { maxLength: 3 }).map(
  (list) => new Map(list.map((g) => [g.id, { id: g.id, displayName: 'G', description: '', members: new Map(g.members) } as GroupRecord])),
);

const plain = (groups: Map<string, GroupRecord>) => [...groups.values()].map((g) => ({ ...g, members: [...g.members].sort() })).sort((a, b) => a.id.localeCompare(b.id));

describe('entra baseline merge', () => {
  it('applying the same users delta twice changes nothing more', () => {
    fc.assert(
      fc.property(baseUsers, fc.array(userEntry, { maxLength: 8 }), (users, entries) => {
        const once = applyUserDelta(users, entries);
        expect(applyUserDelta(once, entries)).toEqual(once);
      }),
    );
  });

  it('applying the same groups delta twice changes nothing more', () => {
    fc.assert(
      fc.property(baseGroups, fc.array(groupEntry, { maxLength: 8 }), (groups, entries) => {
        const once = applyGroupDelta(groups, entries);
        expect(plain(applyGroupDelta(once, entries))).toEqual(plain(once));
      }),
    );
  });

  it('does not change the baseline it was given', () => {
    fc.assert(
      fc.property(baseGroups, fc.array(groupEntry, { maxLength: 8 }), (groups, entries) => {
        const before = plain(groups);
        applyGroupDelta(groups, entries);
        expect(plain(groups)).toEqual(before);
      }),
    );
  });

  it('patches only the properties a changed user carries', () => {
    const users = new Map<string, GraphUser>([['u1', { id: 'u1', mail: 'a@x.com', displayName: 'A', accountEnabled: true }]]);
    expect(applyUserDelta(users, [{ id: 'u1', displayName: 'B' }]).get('u1')).toEqual({ id: 'u1', mail: 'a@x.com', displayName: 'B', accountEnabled: true });
    expect(applyUserDelta(users, [{ id: 'u1', mail: null }]).get('u1')?.mail).toBeNull();
  });

  it('reads users who enter the scope instead of trusting partial entries', () => {
    const users = new Map<string, GraphUser>([['u1', { id: 'u1', mail: 'a@x.com' }], ['u2', { id: 'u2', mail: 'b@x.com' }]]);
    const result = applyScopedUserDelta(users, [{ id: 'u3', displayName: 'partial' }, { id: 'u1', displayName: 'A' }], new Set(['u1', 'u2']), new Set(['u1', 'u3']));
    expect([...result.users.values()]).toEqual([{ id: 'u1', mail: 'a@x.com', displayName: 'A' }]);
    expect(result.toFetch).toEqual(['u3']);
  });

  it('does not read a user entering the scope whom the same round removed, unless a later entry restores them', () => {
    const users = new Map<string, GraphUser>([['u1', { id: 'u1', mail: 'a@x.com' }]]);
    const scope = new Set(['u1', 'u3', 'u4']);
    const removed = { '@removed': { reason: 'changed' } };
    const entries: GraphUser[] = [{ id: 'u3', ...removed }, { id: 'u4', ...removed }, { id: 'u4', displayName: 'back' }];
    expect(applyScopedUserDelta(users, entries, new Set(['u1']), scope).toFetch).toEqual(['u4']);
  });

  it('stores and restores a baseline, and ignores one made for another context', () => {
    const baseline: Baseline = {
      context: 'ctx',
      usersDeltaLink: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=1',
      groupsDeltaLink: 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=2',
      users: new Map([['u1', { id: 'u1', mail: 'a@x.com' }]]),
      groups: new Map([['g1', { id: 'g1', displayName: 'G', description: '', members: new Map<string, MemberKind>([['u1', 'user'], ['g2', 'group']]) }]]),
    };
    const text = serializeBaseline(baseline);
    expect(parseBaseline(text, 'ctx')).toEqual(baseline);
    expect(parseBaseline(text, 'other')).toBeUndefined();
    expect(parseBaseline('{not json', 'ctx')).toBeUndefined();
    expect(parseBaseline(null, 'ctx')).toBeUndefined();
  });
});

describe('entra snapshot building', () => {
  it('gives the same snapshot whatever order users and groups came in', () => {
    const users: GraphUser[] = [{ id: 'b', mail: 'b@x.com', accountEnabled: true }, { id: 'a', mail: null, userPrincipalName: 'a_p.com#EXT#@t.onmicrosoft.com', accountEnabled: true }];
    const groups: GroupRecord[] = [
      { id: 'g2', displayName: 'Two', description: '', members: new Map<string, MemberKind>([['b', 'user'], ['zz', 'user'], ['g1', 'group']]) },
      { id: 'g1', displayName: 'One', description: '', members: new Map<string, MemberKind>([['a', 'user']]) },
    ];
    const one = toSnapshot({ users, groups, issues: [], complete: true });
    const two = toSnapshot({ users: [...users].reverse(), groups: [...groups].reverse(), issues: [], complete: true });
    expect(two).toEqual(one);
    expect(one.groups.map((g) => [g.id, g.members])).toEqual([['g1', ['a']], ['g2', ['b', 'g1']]]);
    expect(one.issues.map((i) => i.code)).toEqual(['guest-without-mail']);
  });

  it('finds scope users through nested groups, cycles included', () => {
    const groups = new Map<string, GroupRecord>([
      ['g1', { id: 'g1', displayName: 'Scope', description: '', members: new Map<string, MemberKind>([['u1', 'user'], ['g2', 'group']]) }],
      ['g2', { id: 'g2', displayName: 'Nested', description: '', members: new Map<string, MemberKind>([['u2', 'user'], ['g1', 'group']]) }],
    ]);
    expect(scopeFromGroups(groups, ['Scope', 'scope'])).toEqual({ userIds: new Set(['u1', 'u2']), missing: ['scope'] });
  });
});
