/**
 * An id read twice, in every source: both records reach the snapshot, one warning names both
 * places, and the plan has no operation of any kind for that id, memberships included, whatever
 * the order of the records.
 */
import { describe, expect, it } from 'vitest';
import { toSnapshot as entraSnapshot } from '../../../connectors/entra/map.js';
import type { GraphUser } from '../../../connectors/entra/graph.js';
import { parseDirectoryCsv } from '../../../connectors/file/csv.js';
import { parseDirectoryJson } from '../../../connectors/file/json.js';
import type { OktaUserRecord } from '../../../connectors/okta/client.js';
import { toSnapshot as oktaSnapshot } from '../../../connectors/okta/snapshot.js';
import type { Snapshot } from '../../../src/model/directory.js';
import type { ReconcileResult } from '../../../src/model/plan.js';
import { managedUser, orgGroup, orgState, plan, warningsOf } from '../../builders.js';

/** An org where u-1 (alice) is linked and in Engineering with bob (u-2). */
const org = orgState({
  users: [managedUser('a-1', 'alice@acme.com', { externalId: 'u-1' }), managedUser('a-2', 'bob@acme.com', { externalId: 'u-2' })],
  groups: [orgGroup('og-1', 'Engineering', ['a-1', 'a-2'], { externalId: 'g-eng' })],
});

function mentions(result: ReconcileResult, id: string): string[] {
  const found: string[] = [];
  for (const op of result.operations) {
    if (op.sourceId === id || op.accountId === 'a-1') found.push(`${op.kind} ${op.email}`);
    for (const m of op.members ?? []) if (m.sourceId === id || m.accountId === 'a-1') found.push(`${op.kind} member ${m.email}`);
  }
  return found;
}

function disabledFirst(): Record<string, unknown> {
  return {
    users: [
      { id: 'u-1', email: 'alice@acme.com', active: false },
      { id: 'u-2', email: 'bob@acme.com' },
      { id: 'u-1', email: 'alice@acme.com', active: true, displayName: 'Alice' },
      { id: 'u-3', email: 'carol@acme.com' },
    ],
    groups: [{ id: 'g-eng', displayName: 'Engineering', members: ['u-1', 'u-3'] }],
  };
}

describe('a duplicated source id in a directory file', () => {
  for (const reversed of [false, true]) {
    it(`plans nothing for it, memberships included (${reversed ? 'active' : 'disabled'} copy first)`, () => {
      const document = disabledFirst() as { users: unknown[] };
      if (reversed) document.users.reverse();
      const snapshot = parseDirectoryJson(document, 'people.json');
      const result = plan({ snapshot, org });
      expect(mentions(result, 'u-1')).toEqual([]);
      // Everyone else is still planned: carol is created and added, bob leaves the group.
      expect(result.operations.map((op) => `${op.kind} ${op.email ?? op.group?.name}`)).toEqual(['createAccount carol@acme.com', 'addMembers Engineering', 'removeMembers Engineering']);
      const warnings = warningsOf(result, 'duplicate-source-id');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.message).toMatch(reversed ? /^people\.json: user id "u-1" occurs 2 times \(users\[1\] and users\[3\]\)/ : /^people\.json: user id "u-1" occurs 2 times \(users\[0\] and users\[2\]\)/);
    });
  }

  it('in a CSV: the warning names both lines', () => {
    const csv = ['id,email,active,groups', 'u-1,alice@acme.com,false,g-eng', 'u-2,bob@acme.com,true,', 'u-1,alice@acme.com,true,g-eng'].join('\n');
    const result = plan({ snapshot: parseDirectoryCsv(csv, 'people.csv'), org });
    expect(mentions(result, 'u-1')).toEqual([]);
    expect(warningsOf(result, 'duplicate-source-id').map((w) => w.message)).toEqual([expect.stringMatching(/^people\.csv: user id "u-1" occurs 2 times \(line 2 and line 4\)/)]);
  });

  it('a group id twice: the group is neither changed nor deleted, and the warning names both records', () => {
    const document = { users: [{ id: 'u-1', email: 'alice@acme.com' }, { id: 'u-2', email: 'bob@acme.com' }], groups: [{ id: 'g-eng', displayName: 'Engineering', members: ['u-1'] }, { id: 'g-eng', displayName: 'Renamed', members: [] }] };
    const result = plan({ snapshot: parseDirectoryJson(document, 'people.json'), org });
    expect(result.operations.filter((op) => op.group !== null)).toEqual([]);
    expect(warningsOf(result, 'duplicate-group-id').map((w) => w.message)).toEqual([expect.stringMatching(/^people\.json: group id "g-eng" occurs 2 times \(groups\[0\] and groups\[1\]\)/)]);
  });
});

describe('a duplicated source id from Entra and Okta', () => {
  function check(snapshot: Snapshot, place: RegExp): void {
    expect(snapshot.users.filter((u) => u.id === 'u-1')).toHaveLength(2);
    const result = plan({ snapshot, org });
    expect(mentions(result, 'u-1')).toEqual([]);
    expect(warningsOf(result, 'duplicate-source-id').map((w) => w.message)).toEqual([expect.stringMatching(place)]);
  }

  it('Entra: a user listed twice (a repeated page) keeps both records', () => {
    const users: GraphUser[] = [
      { id: 'u-1', mail: 'alice@acme.com', accountEnabled: false },
      { id: 'u-2', mail: 'bob@acme.com', accountEnabled: true },
      { id: 'u-1', mail: 'alice@acme.com', accountEnabled: true },
    ];
    const groups = [{ id: 'g-eng', displayName: 'Engineering', description: '', members: new Map([['u-1', 'user' as const], ['u-2', 'user' as const]]) }];
    check(entraSnapshot({ users, groups, issues: [], complete: true }), /user id "u-1" occurs 2 times \(Entra user record 1 and Entra user record 3\)/);
  });

  it('Okta: a user in both the ordinary and the DEPROVISIONED listing keeps both records', () => {
    const record = (id: string, email: string, status: string): OktaUserRecord => ({ id, status, lastUpdated: null, email });
    const baseline = {
      users: new Map([['u-1', record('u-1', 'alice@acme.com', 'ACTIVE')], ['u-2', record('u-2', 'bob@acme.com', 'ACTIVE')]]),
      groups: new Map([['g-eng', { id: 'g-eng', type: 'OKTA_GROUP', name: 'Engineering', description: '', lastMembershipUpdated: null, members: ['u-1', 'u-2'] }]]),
      repeatedUsers: [record('u-1', 'alice@acme.com', 'DEPROVISIONED')],
    };
    check(oktaSnapshot(baseline, { stagedActive: false, scopeGroups: [], narrowed: false }), /user id "u-1" occurs 2 times \(Okta user record with status ACTIVE and Okta user record with status DEPROVISIONED\)/);
  });
});
