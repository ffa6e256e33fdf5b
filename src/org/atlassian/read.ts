/**
 * Read an Atlassian organization: its directories (resolved against the settings once), claimed
 * domains, the users and groups of the local and the identity provider directories, and the SCIM
 * directory's users and groups, concurrently; then join them into an `AtlassianView` (groups as
 * pairs) and map that to an `OrgState`. Any page that fails fails the whole read. Group creates a
 * previous run left pending are settled against the groups read (see `Ownership`).
 */
import type { OrgState } from '../../model/org.js';
import type { ScimClient } from '../scim/client.js';
import type { ScimGroup, ScimUser } from '../scim/map.js';
import type { Ownership } from '../scim/ownership.js';
import { collect } from '../scim/read.js';
import type { ApiGroup, ApiUser, AtlassianClient } from './client.js';
import type { Directories } from './directories.js';
import { atlassianState } from './map.js';
import { buildPairs } from './pairs.js';
import { AtlassianView, type Lookup } from './view.js';

interface Read {
  localUsers: ApiUser[];
  idpUsers: ApiUser[];
  localGroups: ApiGroup[];
  idpGroups: ApiGroup[];
  scimUsers: ScimUser[];
  scimGroups: ScimGroup[];
}

/** Members of each org-API group, from the users' expanded group lists. */
function membership(users: Iterable<ApiUser>): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const user of users) {
    for (const g of user.groups ?? []) {
      const set = members.get(g.id);
      if (set) set.add(user.accountId);
      else members.set(g.id, new Set([user.accountId]));
    }
  }
  return members;
}

export function buildView(read: Read, directories: Directories, ownership: Ownership, lookup: Lookup): AtlassianView {
  const view = new AtlassianView(directories, lookup);
  for (const user of read.idpUsers) view.addUser(user, directories.idp);
  for (const user of read.localUsers) view.addUser(user, directories.local);
  view.joinScimUsers(read.scimUsers);
  const accountOfScim = new Map<string, string>();
  for (const [accountId, scim] of view.scimUsers) accountOfScim.set(scim.id, accountId);
  const localMembers = membership(read.localUsers);
  const idpMembers = membership(read.idpUsers);
  const pairs = buildPairs(
    {
      localGroups: read.localGroups,
      idpGroups: read.idpGroups,
      scimGroups: read.scimGroups,
      membersOf: (id) => new Set(localMembers.get(id) ?? idpMembers.get(id) ?? []),
      accountOfScim: (id) => accountOfScim.get(id),
    },
    ownership,
  );
  for (const [id, pair] of pairs) view.pairs.set(id, pair);
  return view;
}

export async function readAtlassian(org: AtlassianClient, scim: ScimClient, ownership: Ownership, directories: Directories, lookup: Lookup): Promise<{ state: OrgState; view: AtlassianView }> {
  const [domains, localUsers, idpUsers, localGroups, idpGroups, scimUsers, scimGroups] = await Promise.all([
    collect(org.domains()),
    collect(org.users(directories.local)),
    collect(org.users(directories.idp)),
    collect(org.groups(directories.local)),
    collect(org.groups(directories.idp)),
    collect(scim.list<ScimUser>('Users')),
    collect(scim.list<ScimGroup>('Groups')),
  ]);
  const view = buildView({ localUsers, idpUsers, localGroups, idpGroups, scimUsers, scimGroups }, directories, ownership, lookup);
  const sides = [...localGroups, ...idpGroups].map((g) => ({ id: g.id, name: g.name, externalId: view.pair(g.id)?.externalId }));
  await ownership.settlePending([...sides, ...scimGroups.map((g) => ({ id: g.id, name: g.displayName, externalId: g.externalId }))]);
  await ownership.seeInvitees([...view.users.keys()]);
  return { state: atlassianState(domains, view, ownership), view };
}
