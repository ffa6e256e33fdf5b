/**
 * Reading an Okta org into a `Baseline` (plain records), whole or as changes on top of the last
 * one. Takes an `OktaReader` so it can run against anything that pages like Okta.
 *
 * Full: every user (the ordinary listing plus the deactivated ones) and every wanted group with
 * its members. Incremental: every user listed again, replacing the baseline's users (so a user
 * deleted in Okta, or no longer matching `userSearch`, is gone); every wanted group listed again
 * and members re-read only for groups whose `lastMembershipUpdated` moved (or that are new).
 * Member lists are read with bounded concurrency.
 */
import pLimit from 'p-limit';
import type { OktaGroupRecord, OktaReader, OktaUserRecord } from './client.js';
import { userQueries } from './map.js';

export interface StoredGroup extends OktaGroupRecord {
  members: string[];
}

/** The whole directory as last read: what incremental reads merge into. */
export interface Baseline {
  users: Map<string, OktaUserRecord>;
  groups: Map<string, StoredGroup>;
  /** Records of this read whose id was listed already (e.g. in both listings): never stored, passed on as duplicates. */
  repeatedUsers?: OktaUserRecord[];
}

export interface ReadScope {
  userSearch?: string;
  groupSearch?: string;
  /** Types of the groups read when every group is mirrored. */
  groupTypes: readonly string[];
  /** Whether every group of `groupTypes` is wanted, or only `namedGroups`. */
  allGroups: boolean;
  /** Group names the policy names: wanted whatever their type (e.g. the built-in `Everyone`). */
  namedGroups: ReadonlySet<string>;
  concurrency: number;
}

export interface ReadCounts {
  usersRead: number;
  groupsListed: number;
  memberListsRead: number;
}

export function isWantedGroup(group: OktaGroupRecord, scope: ReadScope): boolean {
  return scope.namedGroups.has(group.name) || (scope.allGroups && scope.groupTypes.includes(group.type));
}

/** Read everything: changes on top of an empty baseline. */
export function readFull(reader: OktaReader, scope: ReadScope): Promise<{ baseline: Baseline; counts: ReadCounts }> {
  return readChanges(reader, scope, { users: new Map(), groups: new Map() });
}

/**
 * Read every user and the groups, reusing the member lists of `previous` for groups whose
 * membership did not move. Without `userSearch` every user of the org is listed, so a reused
 * member list loses the users no longer listed (deleted in Okta); with it, reused lists are kept
 * whole (a member outside the search may match it again) and the snapshot leaves such members out.
 */
export async function readChanges(reader: OktaReader, scope: ReadScope, previous: Baseline): Promise<{ baseline: Baseline; counts: ReadCounts }> {
  const users = new Map<string, OktaUserRecord>();
  const repeatedUsers: OktaUserRecord[] = [];
  const [usersRead, groups] = await Promise.all([readUsers(reader, userQueries(scope.userSearch), users, repeatedUsers), readGroups(reader, scope, previous.groups)]);
  if (scope.userSearch === undefined) {
    for (const id of groups.reused) {
      const group = groups.groups.get(id)!;
      groups.groups.set(id, { ...group, members: group.members.filter((member) => users.has(member)) });
    }
  }
  return { baseline: { users, groups: groups.groups, repeatedUsers }, counts: { usersRead, groupsListed: groups.listed, memberListsRead: groups.reread } };
}

/** Run the listings concurrently and put every user into `into` (by id), a repeated id into `repeats`; returns records read. */
async function readUsers(reader: OktaReader, queries: ReturnType<typeof userQueries>, into: Map<string, OktaUserRecord>, repeats: OktaUserRecord[]): Promise<number> {
  const counts = await Promise.all(
    queries.map(async (query) => {
      let n = 0;
      for await (const user of reader.users(query)) {
        n += 1;
        if (user.id && into.has(user.id)) repeats.push(user);
        else if (user.id) into.set(user.id, user);
      }
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * List the groups and keep the wanted ones, reusing the members of `previous` for groups whose
 * `lastMembershipUpdated` has not moved (their ids come back in `reused`) and reading the rest.
 */
async function readGroups(
  reader: OktaReader,
  scope: ReadScope,
  previous: ReadonlyMap<string, StoredGroup>,
): Promise<{ groups: Map<string, StoredGroup>; listed: number; reread: number; reused: string[] }> {
  const wanted: OktaGroupRecord[] = [];
  let listed = 0;
  for await (const group of reader.groups(scope.groupSearch)) {
    listed += 1;
    if (group.id && isWantedGroup(group, scope)) wanted.push(group);
  }
  const limit = pLimit(scope.concurrency);
  let reread = 0;
  const reused: string[] = [];
  const stored = await Promise.all(
    wanted.map((group) => {
      const before = previous.get(group.id);
      if (before && group.lastMembershipUpdated !== null && before.lastMembershipUpdated === group.lastMembershipUpdated) {
        reused.push(group.id);
        return { ...group, members: before.members };
      }
      return limit(async () => {
        reread += 1;
        return { ...group, members: await collect(reader.groupMemberIds(group.id)) };
      });
    }),
  );
  return { groups: new Map(stored.map((g) => [g.id, g])), listed, reread, reused };
}

async function collect(ids: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const id of ids) out.push(id);
  return out;
}
