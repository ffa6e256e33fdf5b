/**
 * The two sides of a group pair (`pairs.ts`), created when first needed, replaced on a rename, and
 * their role assignments kept alike.
 *
 * - The identity provider side is a SCIM group named as the logical group (or with
 *   `managedGroupSuffix` when a group an earlier version made in the local directory holds that
 *   name), linked to the IdP group by its SCIM `externalId`.
 * - The companion is an org-API group in the local directory named with `externalGroupSuffix`.
 * - Atlassian renames neither a synced group nor an org-API group, so a rename replaces a side the
 *   sync owns: a new group under the new name, the members and role assignments moved over, the old
 *   group deleted. A side made by hand is never replaced.
 * - Role assignments: the identity provider side's org-API group is the reference once it exists
 *   (an admin grants access there); the companion is made to carry exactly its roles (assign the
 *   missing, revoke the extra). When the identity provider side is created for a pair that had only
 *   a companion, the companion's roles are copied onto it first, so nobody loses access.
 * Each side the sync creates is recorded as owned and as one side of its pair (pending first, so a
 * lost answer is settled).
 */
import { OrgsyncError } from '../../errors.js';
import type { ScimClient } from '../scim/client.js';
import { groupBody, memberPatches, type ScimGroup } from '../scim/map.js';
import type { GroupRecord, Ownership } from '../scim/ownership.js';
import type { ApiGroup, AtlassianClient, RoleAssignment } from './client.js';
import { eventually } from './eventually.js';
import type { GroupPair, IdpSide, LocalSide } from './pairs.js';
import type { AtlassianSettings } from './settings.js';
import type { AtlassianView } from './view.js';

type Names = Pick<AtlassianSettings, 'externalGroupSuffix' | 'managedGroupSuffix' | 'inviteVisibilityMs' | 'memberBatchSize'>;

const roleKey = (r: RoleAssignment): string => `${r.resourceId}\u0000${r.roleId}`;

export class PairSides {
  constructor(
    private readonly org: AtlassianClient,
    private readonly scim: ScimClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
    private readonly names: Names,
  ) {}

  /** Create (or find, after a 409) the SCIM group of `name`, linked to `sourceId`; whether the sync made it. */
  async scimGroup(name: string, sourceId: string | null): Promise<{ group: ScimGroup; created: boolean }> {
    if (!this.view.knowsGroup(name, 'idp')) await this.ownership.intendGroup(name, sourceId);
    const answer = await this.scim.create<ScimGroup>('Groups', groupBody(name, sourceId));
    if (answer.created) return { group: answer.resource, created: true };
    const existing = await this.scim.find<ScimGroup>('Groups', 'displayName', name);
    if (!existing) throw new OrgsyncError('conflict', `Atlassian SCIM Groups: creating ${name} answered 409 (${answer.detail}) but no group has that displayName`);
    if (existing.externalId && sourceId && existing.externalId !== sourceId) {
      throw new OrgsyncError('conflict', `SCIM group ${name} already mirrors source group ${existing.externalId}, not ${sourceId}`);
    }
    if (sourceId && !existing.externalId) await this.scim.patch('Groups', existing.id, [{ op: 'replace', path: 'externalId', value: sourceId }]);
    return { group: { ...existing, externalId: sourceId ?? existing.externalId }, created: this.ownership.intendedGroup(name, sourceId) };
  }

  /** The pair's identity provider side, created when missing (roles copied from the companion). */
  async idp(pair: GroupPair): Promise<IdpSide & { scim: ScimGroup }> {
    if (pair.idp?.scim) return pair.idp as IdpSide & { scim: ScimGroup };
    if (pair.idp) throw new OrgsyncError('unsupported', `group ${pair.name} is synced from an identity provider outside the SCIM directory; its members cannot be changed`);
    const plainTaken = pair.local?.group.name.trim().toLowerCase() === pair.name.trim().toLowerCase();
    const { group, created } = await this.scimGroup(plainTaken ? `${pair.name}${this.names.managedGroupSuffix}` : pair.name, pair.externalId);
    const side: IdpSide & { scim: ScimGroup } = { scim: group, members: new Set() };
    pair.idp = side;
    await this.record(group.id, pair, created);
    if (pair.local) {
      await this.record(pair.local.group.id, pair);
      await this.copyRoles(pair.local.group.id, this.view.directories.local, await this.twin(pair, this.names.inviteVisibilityMs), this.view.directories.idp, false);
    }
    return side;
  }

  /** The pair's companion in the local directory, created when missing with the roles of the identity provider side. */
  async local(pair: GroupPair): Promise<LocalSide> {
    if (pair.local) return pair.local;
    const { group, created } = await this.localGroup(`${pair.name}${this.names.externalGroupSuffix}`, pair);
    pair.local = { group, members: new Set() };
    await this.record(group.id, pair, created);
    await this.syncRoles(pair);
    return pair.local;
  }

  /** Give the pair a new name: each side the sync owns is replaced by one under the new name. */
  async rename(pair: GroupPair, name: string): Promise<void> {
    const oldIdp = pair.idp?.scim;
    if (oldIdp && this.owned(oldIdp.id) && oldIdp.displayName !== name) await this.replaceIdp(pair, oldIdp, name);
    const oldLocal = pair.local?.group;
    const localName = `${name}${this.names.externalGroupSuffix}`;
    if (oldLocal && this.owned(oldLocal.id) && oldLocal.name !== localName) await this.replaceLocal(pair, oldLocal, localName);
    await this.syncRoles(pair);
  }

  private async replaceIdp(pair: GroupPair, old: ScimGroup, name: string): Promise<void> {
    const oldTwin = await this.twin(pair);
    const members = pair.idp!.members;
    const { group, created } = await this.scimGroup(name, pair.externalId);
    const scimIds = [...members].map((id) => this.view.scimUserOf(id)?.id).filter((id): id is string => id !== undefined);
    for (const operations of memberPatches('add', scimIds, this.names.memberBatchSize)) await this.scim.patch('Groups', group.id, operations);
    pair.idp = { scim: group, members };
    await this.record(group.id, pair, created);
    const twin = await this.twin(pair, this.names.inviteVisibilityMs);
    if (oldTwin) await this.copyRoles(oldTwin, this.view.directories.idp, twin, this.view.directories.idp, false);
    await this.scim.remove('Groups', old.id);
    await this.ownership.deleteGroup(old.id);
  }

  private async replaceLocal(pair: GroupPair, old: ApiGroup, name: string): Promise<void> {
    const local = this.view.directories.local;
    const members = pair.local!.members;
    const { group, created } = await this.localGroup(name, pair);
    for (const accountId of members) await this.org.addMember(local, group.id, accountId);
    pair.local = { group, members };
    await this.record(group.id, pair, created);
    await this.copyRoles(old.id, local, group.id, local, false);
    await this.org.deleteGroup(local, old.id);
    await this.ownership.deleteGroup(old.id);
  }

  /** Create (or find, after a 409) a group in the local directory; whether the sync made it. */
  private async localGroup(name: string, pair: GroupPair): Promise<{ group: ApiGroup; created: boolean }> {
    const local = this.view.directories.local;
    if (!this.view.knowsGroup(name, 'local')) await this.ownership.intendGroup(name, pair.externalId);
    const made = await this.org.createGroup(local, name, pair.description);
    const group = made ?? (await this.org.groupByName(name, local));
    if (!group) throw new OrgsyncError('conflict', `Atlassian: creating group ${name} in the local directory answered 409 but no group has that name`);
    return { group, created: made !== undefined || this.ownership.intendedGroup(name, pair.externalId) };
  }

  /** Make the companion carry exactly the roles of the identity provider side (when both exist). */
  async syncRoles(pair: GroupPair): Promise<void> {
    if (!pair.local || !pair.idp) return;
    const twin = await this.twin(pair);
    if (!twin) return;
    await this.copyRoles(twin, this.view.directories.idp, pair.local.group.id, this.view.directories.local, true);
  }

  /**
   * The org-API id of the identity provider side, searched by name when the read did not show it
   * (waiting up to `waitMs` for a group SCIM just created to appear).
   */
  private async twin(pair: GroupPair, waitMs = 0): Promise<string | undefined> {
    if (pair.idp?.group) return pair.idp.group.id;
    const name = pair.idp?.scim?.displayName;
    if (!name) return undefined;
    const found = await eventually(() => this.org.groupByName(name, this.view.directories.idp), waitMs);
    if (found && pair.idp) pair.idp.group = found;
    return found?.id;
  }

  /** Copy role assignments from one group to another; with `exact`, revoke what the source lacks. */
  private async copyRoles(fromId: string, fromDir: string, toId: string | undefined, toDir: string, exact: boolean): Promise<void> {
    if (!toId) return;
    const [wanted, have] = await Promise.all([this.org.roleAssignments(fromDir, fromId), this.org.roleAssignments(toDir, toId)]);
    const haveKeys = new Set(have.map(roleKey));
    const wantedKeys = new Set(wanted.map(roleKey));
    for (const role of wanted) if (!haveKeys.has(roleKey(role))) await this.org.assignRole(toDir, toId, role);
    if (!exact) return;
    for (const role of have) if (!wantedKeys.has(roleKey(role))) await this.org.revokeRole(toDir, toId, role);
  }

  private owned(id: string): boolean {
    return this.ownership.group(id)?.owned === true;
  }

  /** Record a side as one side of its pair (`created`: the sync made it; else ownership as recorded). */
  private async record(id: string, pair: GroupPair, created?: boolean): Promise<void> {
    const current: GroupRecord | undefined = this.ownership.group(id);
    const owned = created === true || (current?.owned ?? false);
    await this.ownership.setGroup(id, { ...current, sourceId: pair.externalId, name: pair.name, description: pair.description, owned, pair: pair.id });
  }
}
