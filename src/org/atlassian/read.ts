/**
 * Read an Atlassian organization: claimed domains, directory users (with their groups), groups,
 * and the SCIM provisioning directory's users and groups, all concurrently; then join them into an
 * `AtlassianView` and map that to an `OrgState`. Any page that fails fails the whole read. Group
 * creates a previous run left pending are settled against the groups read (see `Ownership`).
 */
import type { OrgState } from '../../model/org.js';
import type { ScimClient } from '../scim/client.js';
import type { ScimGroup, ScimUser } from '../scim/map.js';
import type { Ownership } from '../scim/ownership.js';
import { collect } from '../scim/read.js';
import type { AtlassianClient } from './client.js';
import { atlassianState } from './map.js';
import { AtlassianView } from './view.js';

export async function readAtlassian(org: AtlassianClient, scim: ScimClient, ownership: Ownership): Promise<{ state: OrgState; view: AtlassianView }> {
  const [domains, users, groups, scimUsers, scimGroups] = await Promise.all([
    collect(org.domains()),
    collect(org.users()),
    collect(org.groups()),
    collect(scim.list<ScimUser>('Users')),
    collect(scim.list<ScimGroup>('Groups')),
  ]);
  const view = AtlassianView.build({ users, groups, scimUsers, scimGroups }, (email) => org.userByEmail(email));
  await ownership.settlePending([...view.groups.values()].map((entry) => ({ id: entry.group.id, name: entry.group.name, externalId: entry.scim?.externalId })));
  return { state: atlassianState(domains, view, ownership), view };
}
