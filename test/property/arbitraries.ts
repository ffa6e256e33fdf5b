/**
 * fast-check arbitraries for the reconcile invariants: small directories and orgs drawn from shared
 * pools of ids, names and email spellings (letter case, trailing dots, whitespace, subdomains,
 * look-alike domains, +tags, invalid and missing addresses), so links, adoptions, duplicates,
 * reclassifications and name conflicts happen often.
 */
import fc from 'fast-check';
import type { Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { OrgGroup, OrgState, OrgUser } from '../../src/model/org.js';
import type { Policy } from '../../src/model/policy.js';
import { normalizeEmail } from '../../src/reconcile/email.js';
import { policy } from '../builders.js';

export const CLAIMED = 'acme.com';
const LOCALS = ['alice', 'bob', 'carol', 'dan', 'alice+ops', 'erin'];
const CLAIMED_SPELLINGS = ['acme.com', 'ACME.COM', 'acme.com.', 'Acme.Com'];
const UNCLAIMED = ['sub.acme.com', 'evil-acme.com', 'acme.com.evil.io', '\u0430cme.com', 'gmail.com', 'GMAIL.com.', 'acme.dev', 'partner.example'];
const SOURCE_IDS = ['u-0', 'u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6', 'u-7'];
const LINK_IDS = [...SOURCE_IDS, 'u-8', 'u-9'];
const GROUP_IDS = ['g-0', 'g-1', 'g-2', 'g-3', 'g-4'];
const GROUP_NAMES = ['Eng', 'Ops', 'eng', 'Guests', 'Staff'];
const ORG_USER_IDS = ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6', 'a-7', 'a-8', 'a-9'];
const ORG_GROUP_IDS = ['og-0', 'og-1', 'og-2', 'og-3', 'og-4', 'og-5'];

const domainArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CLAIMED_SPELLINGS) }, { weight: 2, arbitrary: fc.constantFrom(...UNCLAIMED) });

/** A valid address in one of many spellings. */
export const addressArb = fc
  .tuple(fc.mixedCase(fc.constantFrom(...LOCALS)), domainArb, fc.constantFrom('', ' ', '\t'))
  .map(([local, domain, pad]) => `${pad}${local}@${domain}${pad}`);

/** An address as an IdP might hold it: mostly valid, sometimes missing or invalid. */
export const sourceEmailArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: addressArb },
  { weight: 1, arbitrary: fc.constantFrom(null, '', 'attacker@evil.com@acme.com', 'no-at-sign', '@acme.com') },
);

/** Undefined nine times in ten. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

const titleArb = fc.option(fc.constantFrom('Engineer', 'Manager'), { nil: undefined });

const sourceUserArb: fc.Arbitrary<SourceUser> = fc.record({
  id: fc.constantFrom(...SOURCE_IDS),
  email: sourceEmailArb,
  displayName: fc.option(fc.constantFrom('Alice', 'Bob'), { nil: undefined }),
  active: fc.boolean(),
  title: titleArb,
}).map(({ title, ...user }): SourceUser => ({ ...user, attributes: title ? { title } : {} }));

const sourceGroupArb: fc.Arbitrary<SourceGroup> = fc.record({
  id: fc.constantFrom(...GROUP_IDS),
  displayName: fc.constantFrom(...GROUP_NAMES),
  description: fc.constantFrom('', 'team'),
  members: fc.subarray([...SOURCE_IDS, ...GROUP_IDS, 'ghost']),
});

const completeArb = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

export const snapshotArb: fc.Arbitrary<Snapshot> = fc.record({
  complete: completeArb,
  users: fc.tuple(fc.uniqueArray(sourceUserArb, { selector: (u) => u.id, maxLength: 8 }), rarely(sourceUserArb)).map(([users, extra]) => (extra ? [...users, extra] : users)),
  groups: fc.uniqueArray(sourceGroupArb, { selector: (g) => g.id, maxLength: 5 }),
  issues: fc.constant([]),
});

function isClaimed(email: string): boolean {
  const result = normalizeEmail(email);
  return result.ok && result.domain === CLAIMED;
}

const orgUserArb: fc.Arbitrary<OrgUser> = fc.record({
  id: fc.constantFrom(...ORG_USER_IDS),
  email: addressArb.map((a) => a.trim()),
  externalId: fc.option(fc.constantFrom(...LINK_IDS), { nil: null }),
  displayName: fc.option(fc.constantFrom('Alice', 'Bob'), { nil: undefined }),
  status: fc.constantFrom('active', 'deactivated', 'invited', 'suspended'),
  source: fc.constantFrom('sync', 'manual'),
  title: titleArb,
}).map(({ title, ...user }): OrgUser => ({ ...user, attributes: title ? { title } : {}, managed: isClaimed(user.email) }));

const orgGroupArb: fc.Arbitrary<OrgGroup> = fc.record({
  id: fc.constantFrom(...ORG_GROUP_IDS),
  name: fc.constantFrom(...GROUP_NAMES, 'idp-Eng', 'Old 1', 'Old 2'),
  description: fc.constantFrom('', 'team'),
  externalId: fc.option(fc.constantFrom(...GROUP_IDS, 'g-8', 'g-9'), { nil: null }),
  source: fc.constantFrom('sync', 'manual'),
  members: fc.subarray([...ORG_USER_IDS, 'a-ghost']),
});

export const orgArb: fc.Arbitrary<OrgState> = fc.record({
  domains: fc.subarray([{ name: 'acme.dev', status: 'unverified' }]).map((extra) => [{ name: 'ACME.com', status: 'verified' }, ...extra]),
  users: fc.uniqueArray(orgUserArb, { selector: (u) => u.id, maxLength: 10 }),
  groups: fc.uniqueArray(orgGroupArb, { selector: (g) => g.id, maxLength: 6 }),
});

export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    scope: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.constantFrom<string[]>(['Staff'], ['Eng', 'Ops'], ['Missing']) }),
    sync: fc.constantFrom<'all' | 'none' | string[]>('all', 'none', ['Eng', 'Guests']),
    nested: fc.constantFrom<'flatten' | 'direct'>('flatten', 'direct'),
    prefix: fc.constantFrom('', 'idp-'),
    managed: fc.constantFrom<'deactivate' | 'none'>('deactivate', 'none'),
    external: fc.constantFrom<'revoke' | 'none'>('revoke', 'none'),
    unmatched: fc.constantFrom<'ignore' | 'deactivate'>('ignore', 'deactivate'),
    invitationGroups: fc.constantFrom<string[]>([], ['Guests']),
    attributes: fc.constantFrom<string[]>(['displayName', 'title'], ['displayName', 'givenName', 'familyName', 'title', 'department']),
  })
  .map((p) =>
    policy({
      scope: { groups: p.scope },
      groups: { sync: p.sync, nested: p.nested, prefix: p.prefix },
      attributes: p.attributes,
      deprovision: { managed: p.managed, external: p.external, unmatchedManaged: p.unmatched },
      external: { groups: p.invitationGroups },
    }),
  );

/**
 * A later read of a directory: some users change address (often across the claimed line),
 * are disabled or re-enabled, or disappear.
 */
export function evolvedArb(before: Snapshot): fc.Arbitrary<Snapshot> {
  const changes = before.users.map(() =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<{ kind: 'keep' }>({ kind: 'keep' }) },
      { weight: 2, arbitrary: sourceEmailArb.map((email) => ({ kind: 'email' as const, email })) },
      { weight: 1, arbitrary: fc.constant<{ kind: 'toggle' }>({ kind: 'toggle' }) },
      { weight: 1, arbitrary: fc.constant<{ kind: 'drop' }>({ kind: 'drop' }) },
    ),
  );
  return fc.tuple(fc.tuple(...changes), completeArb).map(([decided, complete]) => ({
    ...before,
    complete,
    users: before.users.flatMap((user, i) => {
      const change = decided[i];
      if (change.kind === 'drop') return [];
      if (change.kind === 'toggle') return [{ ...user, active: !user.active }];
      if (change.kind === 'email') return [{ ...user, email: change.email }];
      return [user];
    }),
  }));
}

/** The same data listed in another order (a deterministic shuffle of every list). */
export function reordered<T extends { users: unknown[]; groups: { members: string[] }[] }>(value: T, seed: number): T {
  return { ...value, users: shuffle(value.users, seed), groups: shuffle(value.groups, seed + 1).map((g) => ({ ...g, members: shuffle(g.members, seed + 2) })) };
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
