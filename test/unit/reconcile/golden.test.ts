/**
 * The reconcile core's output, pinned byte for byte: SHA-256 hashes of the JSON of its results,
 * computed with the core as it was before its indexes were rebuilt for speed (commit 824fde7), for
 * - the benchmark's generated inputs (`bench/reconcile/generate.ts`), as generated and with
 *   deterministic damage (nested groups, renamed and unlinked groups, attribute drift, adoptable,
 *   deactivated, suspended and departed accounts, shared addresses, duplicate ids, members who left)
 *   under several policies and capability sets;
 * - a fixed-seed sample of the property tests' random cases (small inputs where every rule meets
 *   every other), with and without capabilities.
 * A change to any operation, id, reason, member order or warning changes a hash. When a change of
 * output is intended, recompute the hashes with the changed core and say why in the commit.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate, type BenchInput } from '../../../bench/reconcile/generate.js';
import type { SourceGroup } from '../../../src/model/directory.js';
import type { OrgUser } from '../../../src/model/org.js';
import { OPERATION_KINDS, type OperationKind, type ReconcileResult } from '../../../src/model/plan.js';
import type { Policy } from '../../../src/model/policy.js';
import { reconcile } from '../../../src/reconcile/index.js';
import { applyPlan, policy } from '../../builders.js';
import { evolvedArb, orgArb, policyArb, snapshotArb } from '../../property/arbitraries.js';

function digest(results: readonly ReconcileResult[]): string {
  const hash = createHash('sha256');
  for (const result of results) hash.update(JSON.stringify(result)).update('\n');
  return hash.digest('hex');
}

function without(...kinds: OperationKind[]): ReadonlySet<OperationKind> {
  return new Set(OPERATION_KINDS.filter((kind) => !kinds.includes(kind)));
}

/** Every kind of trouble the core handles, planted at fixed strides in a generated input. */
function damaged(size: number): BenchInput {
  const { snapshot, org } = generate(size);
  const users = snapshot.users.map((user) => ({ ...user, attributes: { ...user.attributes } }));
  const accounts: OrgUser[] = org.users.map((account) => ({ ...account, attributes: { ...account.attributes } }));
  const groups: SourceGroup[] = snapshot.groups.map((group) => ({ ...group, members: [...group.members] }));
  const orgGroups = org.groups.map((group) => ({ ...group, members: [...group.members] }));
  accounts.forEach((account, i) => {
    if (i % 97 === 5) account.attributes.title = 'Changed';
    if (i % 89 === 7) account.externalId = null;
    if (i % 83 === 11) account.status = account.managed ? 'deactivated' : 'suspended';
    if (i % 79 === 13) account.email = account.email.toUpperCase();
  });
  for (let i = 0; i < 20; i += 1) {
    accounts.push({ id: `gone${i}`, email: `gone${i}@${i % 2 ? 'acme.com' : 'elsewhere.example'}`, externalId: `departed${i}`, attributes: {}, managed: i % 2 === 1, status: 'active', source: 'sync' });
    accounts.push({ id: `loose${i}`, email: `loose${i}@acme.com`, externalId: null, attributes: {}, managed: true, status: 'active', source: 'manual' });
  }
  users.forEach((user, i) => {
    if (i % 211 === 17) user.email = users[i - 1]?.email ?? user.email;
    if (i % 197 === 19) user.email = `moved${i}@${i % 2 ? 'acme.com' : 'moved.example'}`;
    if (i % 193 === 23) user.email = null;
    if (i % 101 === 29) user.displayName = `Renamed ${i}`;
  });
  users.push({ ...users[3], email: 'twin@acme.com' });
  groups.forEach((group, g) => {
    if (g % 7 === 1) group.members.splice(0, 3);
    if (g % 11 === 2) group.members.push(`g${(g + 1) % groups.length}`, 'nobody');
    if (g % 13 === 3) group.displayName = `Group ${g} renamed`;
    if (g % 17 === 4) group.description = 'changed';
  });
  groups.push({ id: 'nest', displayName: 'Everyone nested', description: '', members: ['g0', 'g1', 'nest', 'u5'] });
  groups.push({ ...groups[2], members: ['u7'] });
  orgGroups.forEach((group, g) => {
    if (g % 19 === 5) group.externalId = `old${g}`;
    if (g % 23 === 6) group.source = 'manual';
    if (g % 29 === 7) group.members.push('loose1', 'gone3');
  });
  orgGroups.push({ id: 'hand', name: 'Everyone Nested', description: '', externalId: null, source: 'manual', members: ['a1'] });
  return { snapshot: { ...snapshot, users, groups }, org: { ...org, users: accounts, groups: orgGroups } };
}

const POLICIES: Policy[] = [
  policy({ guards: { maxDeprovisions: 1_000_000, maxDeprovisionPercent: 100 } }),
  policy({ scope: { groups: ['Group 1', 'Group 4', 'Missing'] }, groups: { sync: ['Group 2', 'Group 5', 'Everyone nested'], nested: 'direct', prefix: 'idp-' } }),
  policy({ groups: { nested: 'direct' }, attributes: ['displayName', 'title', 'department', 'userName'], deprovision: { managed: 'none', external: 'revoke', unmatchedManaged: 'deactivate' } }),
  policy({ external: { groups: ['Group 3', 'Group 6'] }, deprovision: { managed: 'deactivate', external: 'none', unmatchedManaged: 'deactivate' } }),
];

function benchResults(input: BenchInput): ReconcileResult[] {
  const results: ReconcileResult[] = [];
  for (const p of POLICIES) results.push(reconcile({ snapshot: input.snapshot, org: input.org, policy: p }));
  results.push(reconcile({ snapshot: { ...input.snapshot, complete: false }, org: input.org, policy: POLICIES[0] }));
  results.push(reconcile({ ...input, policy: POLICIES[0], capabilities: without('createGroup', 'linkAccount') }));
  results.push(reconcile({ ...input, policy: POLICIES[3], capabilities: without('inviteUser', 'updateGroup', 'createAccount') }));
  return results;
}

const capabilitiesArb = fc.constantFrom<ReadonlySet<OperationKind> | undefined>(undefined, undefined, without('createGroup', 'linkAccount'), without('inviteUser', 'updateGroup'), without('createAccount', 'removeMembers'));

const randomCase = fc.record({ snapshot: snapshotArb, org: orgArb, policy: policyArb, capabilities: capabilitiesArb });

const evolvedCase = fc
  .record({ first: snapshotArb.map((s) => ({ ...s, complete: true })), org: orgArb, policy: policyArb, capabilities: capabilitiesArb })
  .chain(({ first, org, policy: p, capabilities }) => {
    const synced = applyPlan(org, reconcile({ snapshot: first, org, policy: p }).operations).state;
    return evolvedArb(first).map((snapshot) => ({ snapshot, org: synced, policy: p, capabilities }));
  });

describe('reconcile output, pinned', () => {
  it('is unchanged on the benchmark input as generated', () => {
    expect(digest(benchResults(generate(3000)))).toBe('3482b783405e8000547892317627d4612215fa006730247b5ee8bf7d609e420a');
  });

  it('is unchanged on the benchmark input with every kind of trouble planted', () => {
    expect(digest(benchResults(damaged(3000)))).toBe('e8185127f2a88993da44ead6ca16a7a28d19a1b21bd8a68db5f086433c5c4194');
  });

  it('is unchanged on a fixed sample of random small cases', () => {
    const cases = [...fc.sample(randomCase, { seed: 20261202, numRuns: 700 }), ...fc.sample(evolvedCase, { seed: 1202, numRuns: 700 })];
    expect(digest(cases.map((c) => reconcile(c)))).toBe('515e599d067ea90a914bb8fce1c19f5fdd4b951544ef49f2b963094f83fbd83c');
  });
});
