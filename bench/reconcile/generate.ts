/**
 * Synthetic inputs for the reconcile benchmark: a directory of `users` people in `users / 100`
 * groups (each person in 10 of them), and an org where 90% of the people are already in sync
 * (linked account, same profile, same group memberships). Of the rest, most are new (create or
 * invite) and one in a hundred is disabled (deactivate or revoke). One in ten is external.
 * Deterministic: the same size gives the same data.
 */
import type { Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { OrgGroup, OrgState, OrgUser } from '../../src/model/org.js';

const GROUPS_PER_USER = 10;
const TITLES = ['Engineer', 'Manager', 'Designer', 'Analyst', 'Director'];
const DEPARTMENTS = ['R&D', 'Sales', 'Support', 'Finance', 'Operations', 'Legal'];

export interface BenchInput {
  snapshot: Snapshot;
  org: OrgState;
}

export function generate(size: number): BenchInput {
  const groupCount = Math.max(GROUPS_PER_USER, Math.round(size / 100));
  const sourceMembers: string[][] = Array.from({ length: groupCount }, () => []);
  const orgMembers: string[][] = Array.from({ length: groupCount }, () => []);
  const users: SourceUser[] = [];
  const accounts: OrgUser[] = [];
  const stride = Math.floor(groupCount / GROUPS_PER_USER);
  for (let i = 0; i < size; i += 1) {
    const id = `u${i}`;
    const external = i % 10 === 9;
    const email = external ? `guest${i}@partner${i % 50}.example` : `user${i}@acme.com`;
    const user: SourceUser = {
      id,
      email,
      displayName: `User ${i}`,
      givenName: 'User',
      familyName: `N${i}`,
      active: i % 100 !== 42,
      attributes: { title: TITLES[i % TITLES.length], department: DEPARTMENTS[i % DEPARTMENTS.length] },
    };
    users.push(user);
    const inSync = i % 10 !== 3;
    const accountId = `a${i}`;
    if (inSync) accounts.push(accountOf(user, accountId, external));
    for (let k = 0; k < GROUPS_PER_USER; k += 1) {
      const group = (i + k * stride) % groupCount;
      sourceMembers[group].push(id);
      if (inSync) orgMembers[group].push(accountId);
    }
  }
  const groups: SourceGroup[] = sourceMembers.map((members, g) => ({ id: `g${g}`, displayName: `Group ${g}`, description: `Team ${g}`, members }));
  const orgGroups: OrgGroup[] = orgMembers.map((members, g) => ({ id: `og${g}`, name: `Group ${g}`, description: `Team ${g}`, externalId: `g${g}`, source: 'sync', members }));
  return {
    snapshot: { complete: true, users, groups, issues: [] },
    org: { domains: [{ name: 'acme.com', status: 'verified' }], users: accounts, groups: orgGroups },
  };
}

function accountOf(user: SourceUser, id: string, external: boolean): OrgUser {
  if (external) return { id, email: user.email as string, externalId: user.id, displayName: user.displayName, attributes: {}, managed: false, status: 'invited', source: 'sync' };
  return {
    id,
    email: user.email as string,
    externalId: user.id,
    displayName: user.displayName,
    givenName: user.givenName,
    familyName: user.familyName,
    attributes: { ...user.attributes },
    managed: true,
    status: 'active',
    source: 'sync',
  };
}
