/**
 * The conformance suite every org adapter passes: one set of cases, run against each target
 * through a harness that seeds the target with `SEED` and builds adapters for it.
 *
 * Cases: reading domains, users and groups; every operation kind the adapter declares, applied
 * through the executor and read back; a plan applied a second time changes nothing; a create that
 * finds the account already there links it; a precondition that no longer holds is a conflict;
 * a 429 is waited out (for targets reached over HTTP).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.js';
import { MemoryJournal, type ApplyReport } from '../../src/apply/types.js';
import type { OrgState, OrgUser } from '../../src/model/org.js';
import { OPERATION_KINDS, PLAN_SCHEMA, type MemberRef, type Operation, type Plan } from '../../src/model/plan.js';
import type { OrgAdapter } from '../../src/org/types.js';
import { handMadePlan, operation } from '../builders.js';

export interface SeedUser {
  email: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  externalId: string | null;
  active: boolean;
  title?: string;
}

export interface SeedGroup {
  name: string;
  /** Addresses of seeded users. */
  members: string[];
}

export interface Seed {
  domains: Array<{ name: string; status: string }>;
  users: SeedUser[];
  groups: SeedGroup[];
}

/**
 * alice: linked and active; bob: managed but not linked (adoptable); carol: linked, deactivated;
 * dave: linked and active (to deactivate); erin: an external added by hand. Staff: a hand-made group.
 */
export const SEED: Seed = {
  domains: [
    { name: 'acme.com', status: 'verified' },
    { name: 'acme.dev', status: 'unverified' },
  ],
  users: [
    { email: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', externalId: 'u-alice', active: true, title: 'Engineer' },
    { email: 'bob@acme.com', displayName: 'Bob Stone', givenName: 'Bob', familyName: 'Stone', externalId: null, active: true },
    { email: 'carol@acme.com', displayName: 'Carol Diaz', givenName: 'Carol', familyName: 'Diaz', externalId: 'u-carol', active: false },
    { email: 'dave@acme.com', displayName: 'Dave Kim', givenName: 'Dave', familyName: 'Kim', externalId: 'u-dave', active: true },
    { email: 'erin@partner.io', displayName: 'Erin Holt', externalId: null, active: true },
  ],
  groups: [{ name: 'Staff', members: ['alice@acme.com', 'bob@acme.com'] }],
};

export interface OrgTarget {
  /** A new adapter on the seeded target (all share the target and its state store). */
  adapter(): OrgAdapter;
  /** Answer the next `n` requests with 429; absent for targets without HTTP. */
  throttleNext?(n: number): void;
  /** How many 429s the target has answered. */
  throttled?(): number;
  close(): Promise<void>;
}

export interface OrgHarness {
  name: string;
  start(seed: Seed): Promise<OrgTarget>;
}

let counter = 0;

export function op(fields: Partial<Operation> & Pick<Operation, 'kind'>): Operation {
  counter += 1;
  return operation(fields.kind, { id: `op-${counter}`, reason: 'conformance', ...fields });
}

export function plan(operations: Operation[]): Plan {
  return handMadePlan({
    schema: PLAN_SCHEMA,
    id: `p-${counter}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'ready',
    profile: 'conformance',
    fingerprints: { org: 'o', policy: 'p' },
    sources: [],
    summary: {},
    guards: [],
    warnings: [],
    operations,
  });
}

async function readWith(target: OrgTarget): Promise<OrgState> {
  const adapter = target.adapter();
  try {
    return await adapter.readState();
  } finally {
    await adapter.close();
  }
}

async function applyWith(target: OrgTarget, operations: Operation[]): Promise<ApplyReport> {
  const adapter = target.adapter();
  const capable = operations.filter((o) => adapter.capabilities.has(o.kind));
  try {
    return await applyPlan(plan(capable), adapter, { journal: new MemoryJournal(), concurrency: 2 });
  } finally {
    await adapter.close();
  }
}

function user(state: OrgState, email: string): OrgUser {
  const found = state.users.filter((u) => u.email.toLowerCase() === email);
  expect(found, `users with address ${email}`).toHaveLength(1);
  return found[0]!;
}

function group(state: OrgState, name: string) {
  const found = state.groups.find((g) => g.name === name);
  expect(found, `group ${name}`).toBeDefined();
  return found!;
}

function member(u: OrgUser | { email: string; sourceId: string }, classification: MemberRef['classification'] = 'claimed'): MemberRef {
  return 'id' in u ? { email: u.email, sourceId: u.externalId, accountId: u.id, classification } : { ...u, accountId: null, classification };
}

function noFailures(report: ApplyReport): void {
  const bad = report.results.filter((r) => r.result === 'failed' || r.result === 'conflict');
  expect(bad, JSON.stringify(bad)).toEqual([]);
}

/** Plan A: create, link, change, invite and add — built against the seeded state. */
function planA(state: OrgState): Operation[] {
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) => user(state, `${n}@acme.com`)) as [OrgUser, OrgUser, OrgUser, OrgUser];
  const staff = group(state, 'Staff');
  const claimed = { classification: 'claimed' as const, domain: 'acme.com' };
  return [
    op({ kind: 'createGroup', group: { id: null, externalId: 'g-eng', name: 'Engineering' }, after: { name: 'Engineering', description: 'People who build' } }),
    op({ kind: 'createAccount', ...claimed, email: 'frank@acme.com', sourceId: 'u-frank', after: { email: 'frank@acme.com', displayName: 'Frank Li', givenName: 'Frank', familyName: 'Li', title: 'Designer' } }),
    op({ kind: 'linkAccount', ...claimed, email: bob.email, sourceId: 'u-bob', accountId: bob.id, before: { externalId: null }, after: { externalId: 'u-bob' } }),
    op({ kind: 'updateAccount', ...claimed, email: alice.email, sourceId: 'u-alice', accountId: alice.id, before: { displayName: 'Alice Ng', title: 'Engineer' }, after: { displayName: 'Alice Ng-Smith', title: 'Staff Engineer' } }),
    op({ kind: 'reactivateAccount', ...claimed, email: carol.email, sourceId: 'u-carol', accountId: carol.id, before: { status: 'deactivated' }, after: { status: 'active' } }),
    op({ kind: 'deactivateAccount', ...claimed, email: dave.email, sourceId: 'u-dave', accountId: dave.id, before: { status: 'active' }, after: { status: 'deactivated' } }),
    op({ kind: 'inviteUser', classification: 'external', domain: 'partner.io', email: 'gina@partner.io', sourceId: 'u-gina', after: { email: 'gina@partner.io', displayName: 'Gina Roy', groups: [], roles: [], notify: false } }),
    op({
      kind: 'addMembers',
      group: { id: null, externalId: 'g-eng', name: 'Engineering' },
      members: [member(alice), member({ email: 'frank@acme.com', sourceId: 'u-frank' }), member({ email: 'gina@partner.io', sourceId: 'u-gina' }, 'external')],
    }),
    op({ kind: 'removeMembers', group: { id: staff.id, externalId: null, name: 'Staff' }, members: [member(bob)] }),
  ];
}

export function describeOrgAdapterConformance(harness: OrgHarness): void {
  describe(`org adapter conformance: ${harness.name}`, () => {
    let target: OrgTarget;

    beforeEach(async () => {
      target = await harness.start(SEED);
    });

    afterEach(async () => {
      await target.close();
    });

    it('declares only known operation kinds', () => {
      const adapter = target.adapter();
      for (const kind of adapter.capabilities) expect(OPERATION_KINDS).toContain(kind);
      expect(adapter.capabilities.size).toBeGreaterThan(0);
    });

    it('reads claimed domains, users with their link and status, and groups with members', async () => {
      const state = await readWith(target);
      expect(state.domains).toContainEqual({ name: 'acme.com', status: 'verified' });
      expect(state.domains.filter((d) => d.name === 'acme.dev' && d.status === 'verified')).toEqual([]);
      const alice = user(state, 'alice@acme.com');
      expect(alice).toMatchObject({ externalId: 'u-alice', managed: true, status: 'active', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng' });
      expect(alice.attributes.title).toBe('Engineer');
      expect(user(state, 'bob@acme.com')).toMatchObject({ externalId: null, managed: true, status: 'active' });
      expect(user(state, 'carol@acme.com')).toMatchObject({ externalId: 'u-carol', status: 'deactivated' });
      expect(user(state, 'erin@partner.io')).toMatchObject({ managed: false, source: 'manual' });
      const staff = group(state, 'Staff');
      expect(staff.source).toBe('manual');
      expect([...staff.members].sort()).toEqual([alice.id, user(state, 'bob@acme.com').id].sort());
    });

    it('applies every operation kind it declares and reads the result back', async () => {
      const adapter = target.adapter();
      const declared = adapter.capabilities;
      const seeded = await readWith(target);
      const first = await applyWith(target, planA(seeded));
      noFailures(first);
      const a = await readWith(target);
      const eng = group(a, 'Engineering');
      expect(eng).toMatchObject({ externalId: 'g-eng', source: 'sync', description: 'People who build' });
      const frank = user(a, 'frank@acme.com');
      expect(frank).toMatchObject({ externalId: 'u-frank', managed: true, status: 'active', displayName: 'Frank Li', givenName: 'Frank', familyName: 'Li', source: 'sync' });
      expect(frank.attributes.title).toBe('Designer');
      expect(user(a, 'bob@acme.com').externalId).toBe('u-bob');
      expect(user(a, 'alice@acme.com')).toMatchObject({ displayName: 'Alice Ng-Smith', attributes: expect.objectContaining({ title: 'Staff Engineer' }) });
      expect(user(a, 'carol@acme.com').status).toBe('active');
      expect(user(a, 'dave@acme.com').status).toBe('deactivated');
      expect(group(a, 'Staff').members).toEqual([user(a, 'alice@acme.com').id]);
      const expected = [user(a, 'alice@acme.com').id, frank.id];
      if (declared.has('inviteUser')) {
        const gina = user(a, 'gina@partner.io');
        expect(gina).toMatchObject({ externalId: 'u-gina', managed: false, source: 'sync' });
        expect(['invited', 'active']).toContain(gina.status);
        expected.push(gina.id);
      }
      expect([...eng.members].sort()).toEqual(expected.sort());

      const planB = [
        op({ kind: 'updateGroup', group: { id: eng.id, externalId: 'g-eng', name: 'Engineering' }, before: { name: 'Engineering', description: 'People who build' }, after: { name: 'Engineering Team', description: 'Builders' } }),
        op({ kind: 'removeMembers', group: { id: eng.id, externalId: 'g-eng', name: 'Engineering' }, members: [member(frank)] }),
      ];
      if (declared.has('revokeAccess')) {
        const gina = user(a, 'gina@partner.io');
        planB.push(op({ kind: 'revokeAccess', classification: 'external', domain: 'partner.io', email: gina.email, sourceId: 'u-gina', accountId: gina.id, before: { status: gina.status }, after: { status: 'suspended' } }));
      }
      noFailures(await applyWith(target, planB));
      const b = await readWith(target);
      const engB = b.groups.find((g) => g.id === eng.id)!;
      expect(engB.name).toBe(declared.has('updateGroup') ? 'Engineering Team' : 'Engineering');
      if (declared.has('updateGroup')) expect(engB.description).toBe('Builders');
      expect(engB.members).toEqual([user(b, 'alice@acme.com').id]);
      if (declared.has('revokeAccess')) expect(user(b, 'gina@partner.io')).toMatchObject({ status: 'suspended', externalId: 'u-gina' });

      const planC = [op({ kind: 'deleteGroup', group: { id: eng.id, externalId: 'g-eng', name: engB.name } })];
      if (declared.has('inviteUser')) {
        const gina = user(b, 'gina@partner.io');
        planC.push(op({ kind: 'inviteUser', classification: 'external', domain: 'partner.io', email: gina.email, sourceId: 'u-gina', accountId: gina.id, after: { email: gina.email, displayName: 'Gina Roy', groups: [], roles: [], notify: false } }));
      }
      noFailures(await applyWith(target, planC));
      const c = await readWith(target);
      expect(c.groups.find((g) => g.id === eng.id)).toBeUndefined();
      if (declared.has('inviteUser')) expect(['invited', 'active']).toContain(user(c, 'gina@partner.io').status);

      const exercised = new Set([...planA(seeded), ...planB, ...planC].map((o) => o.kind));
      for (const kind of declared) expect(exercised).toContain(kind);
    });

    it('changes nothing when the same plan is applied again', async () => {
      const operations = planA(await readWith(target));
      noFailures(await applyWith(target, operations));
      const once = await readWith(target);
      const again = await applyWith(target, operations);
      expect(again.counts).toMatchObject({ applied: 0, failed: 0, conflict: 0 });
      expect(again.counts.skipped).toBe(again.results.length);
      expect(sorted(await readWith(target))).toEqual(sorted(once));
    });

    it('answers skipped when the adapter is asked for a change the target already has', async () => {
      const state = await readWith(target);
      const adapter = target.adapter();
      await adapter.readState();
      const staff = group(state, 'Staff');
      const alice = user(state, 'alice@acme.com');
      const refs = { accountFor: () => undefined, groupFor: () => undefined };
      const outcome = await adapter.apply(op({ kind: 'addMembers', group: { id: staff.id, externalId: null, name: 'Staff' }, members: [member(alice)] }), refs);
      expect(outcome.result).toBe('skipped');
      await adapter.close();
    });

    it('links an account that already exists when asked to create it', async () => {
      const bob = user(await readWith(target), 'bob@acme.com');
      const report = await applyWith(target, [
        op({ kind: 'createAccount', classification: 'claimed', domain: 'acme.com', email: 'bob@acme.com', sourceId: 'u-bob', after: { email: 'bob@acme.com', displayName: 'Bob Stone', givenName: 'Bob', familyName: 'Stone' } }),
      ]);
      noFailures(report);
      expect(report.results[0]?.accountId).toBe(bob.id);
      const after = await readWith(target);
      expect(user(after, 'bob@acme.com')).toMatchObject({ id: bob.id, externalId: 'u-bob', managed: true });
    });

    it('reports a conflict when the subject changed since the plan was made', async () => {
      const alice = user(await readWith(target), 'alice@acme.com');
      const report = await applyWith(target, [
        op({ kind: 'updateAccount', classification: 'claimed', domain: 'acme.com', email: alice.email, sourceId: 'u-alice', accountId: alice.id, before: { displayName: 'Alice Someone' }, after: { displayName: 'Alice Other' } }),
      ]);
      expect(report.results.map((r) => r.result)).toEqual(['conflict']);
      expect(user(await readWith(target), 'alice@acme.com').displayName).toBe('Alice Ng');
    });

    it('waits out a 429 and completes the operation', async (ctx) => {
      if (!target.throttleNext || !target.throttled) return ctx.skip();
      const alice = user(await readWith(target), 'alice@acme.com');
      const before = target.throttled();
      target.throttleNext(1);
      const report = await applyWith(target, [
        op({ kind: 'updateAccount', classification: 'claimed', domain: 'acme.com', email: alice.email, sourceId: 'u-alice', accountId: alice.id, before: { displayName: 'Alice Ng' }, after: { displayName: 'Alice N.' } }),
      ]);
      expect(report.results.map((r) => r.result)).toEqual(['applied']);
      expect(target.throttled() - before).toBe(1);
      expect(user(await readWith(target), 'alice@acme.com').displayName).toBe('Alice N.');
    });
  });
}

/** A state with its lists in a fixed order, for comparing two reads. */
export function sorted(state: OrgState): OrgState {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((x, y) => x.id.localeCompare(y.id));
  return {
    domains: [...state.domains].sort((x, y) => x.name.localeCompare(y.name)),
    users: byId(state.users),
    groups: byId(state.groups).map((g) => ({ ...g, members: [...g.members].sort() })),
  };
}
