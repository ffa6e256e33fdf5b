/**
 * Group pairs (`pairs.ts`) created, renamed and deleted.
 *
 * - `createGroup` creates the identity provider side: a SCIM group named as the IdP group and
 *   linked to it by `externalId` (a 409 links the existing group, owned only when this sync's
 *   create was pending). The companion in the local directory follows when a first external member
 *   needs it.
 * - `updateGroup` moves the SCIM side's link (`externalId`) when the IdP group was recreated, and
 *   renames by replacing each side the sync owns (`PairSides.rename`: Atlassian renames neither
 *   kind of group); the logical id stays. Descriptions live in the ownership records (a SCIM group
 *   has none, and the org API cannot change one). A pair the sync did not create is not renamed.
 * - `deleteGroup` deletes each side the sync created (SCIM DELETE, org-API DELETE in the local
 *   directory); a side made by hand is left. Only pairs the sync created are ever deleted.
 */
import { OrgsyncError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ScimClient } from '../scim/client.js';
import { groupIdOf } from '../scim/members.js';
import type { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianClient } from './client.js';
import { pairOwned, type GroupPair } from './pairs.js';
import type { PairSides } from './sides.js';
import type { AtlassianView } from './view.js';

export class AtlassianGroups {
  constructor(
    private readonly org: AtlassianClient,
    private readonly scim: ScimClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
    private readonly sides: PairSides,
  ) {}

  async create(op: Operation): Promise<ApplyOutcome> {
    const name = op.group?.name ?? (typeof op.after?.name === 'string' ? op.after.name : '');
    const description = typeof op.after?.description === 'string' ? op.after.description : '';
    const sourceId = op.group?.externalId ?? null;
    const { group, created } = await this.sides.scimGroup(name, sourceId);
    const known = this.view.pair(group.id);
    const record = this.ownership.group(group.id);
    const owned = record?.owned ?? created;
    const pair: GroupPair = known ?? { id: group.id, name, description, externalId: sourceId, idp: { scim: group, members: new Set() } };
    this.view.pairs.set(pair.id, pair);
    await this.ownership.setGroup(group.id, { ...record, sourceId, name, owned, description });
    const fresh = created && !record;
    return fresh ? { result: 'applied', groupId: pair.id } : { result: 'skipped', message: `group ${name} already existed; linked`, groupId: pair.id };
  }

  async update(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const pair = this.pairOf(op, refs);
    const after = op.after ?? {};
    const name = typeof after.name === 'string' ? after.name : pair.name;
    const externalId = typeof after.externalId === 'string' ? after.externalId : pair.externalId;
    if (!pairOwned(pair, this.ownership)) throw new OrgsyncError('conflict', `updateGroup: group ${pair.name} was not created by the sync; Atlassian cannot rename it in place`);
    const scim = pair.idp?.scim;
    if (scim && externalId && externalId !== scim.externalId) {
      await this.scim.patch('Groups', scim.id, [{ op: 'replace', path: 'externalId', value: externalId }]);
      scim.externalId = externalId;
    }
    Object.assign(pair, { name, externalId, description: typeof after.description === 'string' ? after.description : pair.description });
    await this.sides.rename(pair, name);
    for (const id of [pair.idp?.scim?.id, pair.local?.group.id]) {
      const record = id ? this.ownership.group(id) : undefined;
      if (id && record) await this.ownership.setGroup(id, { ...record, sourceId: externalId, name, description: pair.description });
    }
    return { result: 'applied', groupId: pair.id };
  }

  async delete(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const pair = this.pairOf(op, refs);
    if (!pairOwned(pair, this.ownership)) throw new OrgsyncError('conflict', `deleteGroup: group ${pair.name} was not created by the sync; it is never deleted`);
    let existed = false;
    const scimId = pair.idp?.scim?.id;
    if (scimId && this.ownership.group(scimId)?.owned) {
      existed = (await this.scim.remove('Groups', scimId)) || existed;
      await this.ownership.deleteGroup(scimId);
    }
    const localId = pair.local?.group.id;
    if (localId && this.ownership.group(localId)?.owned) {
      existed = (await this.org.deleteGroup(this.view.directories.local, localId)) || existed;
      await this.ownership.deleteGroup(localId);
    }
    this.view.pairs.delete(pair.id);
    return existed ? { result: 'applied', groupId: pair.id } : { result: 'skipped', message: `group ${pair.name} was already gone`, groupId: pair.id };
  }

  private pairOf(op: Operation, refs: OrgRefs): GroupPair {
    const id = groupIdOf(op, refs);
    const pair = this.view.pair(id);
    if (!pair) throw new OrgsyncError('not-found', `${op.kind}: group ${op.group?.name ?? id} does not exist in the organization`);
    return pair;
  }
}
