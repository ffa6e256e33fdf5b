/**
 * The two sides of a group pair (`pairs.ts`), created when first needed, and their role
 * assignments kept alike.
 *
 * - The identity provider side is a SCIM group named as the logical group (or with
 *   `managedGroupSuffix` when a group an earlier version made in the local directory holds that
 *   name), linked to the IdP group by its SCIM `externalId`.
 * - The companion is an org-API group in the local directory named with `externalGroupSuffix`.
 * - Role assignments: the identity provider side's org-API group is the reference once it exists
 *   (an admin grants access there); the companion is made to carry exactly its roles (assign the
 *   missing, revoke the extra). When the identity provider side is created for a pair that had only
 *   a companion, the companion's roles are copied onto it first, so nobody loses access.
 * Each side the sync creates is recorded as owned (pending first, so a lost answer is settled).
 */
import { OrgsyncError } from '../../errors.js';
import type { ScimClient } from '../scim/client.js';
import { groupBody, type ScimGroup } from '../scim/map.js';
import type { Ownership } from '../scim/ownership.js';
import type { AtlassianClient, RoleAssignment } from './client.js';
import { eventually } from './eventually.js';
import type { GroupPair, IdpSide, LocalSide } from './pairs.js';
import type { AtlassianSettings } from './settings.js';
import type { AtlassianView } from './view.js';

type Names = Pick<AtlassianSettings, 'externalGroupSuffix' | 'managedGroupSuffix' | 'inviteVisibilityMs'>;

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
    await this.ownership.intendGroup(name, sourceId);
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
    const name = plainTaken ? `${pair.name}${this.names.managedGroupSuffix}` : pair.name;
    const { group, created } = await this.scimGroup(name, pair.externalId);
    const side: IdpSide & { scim: ScimGroup } = { scim: group, members: new Set() };
    pair.idp = side;
    await this.ownership.setGroup(group.id, { sourceId: pair.externalId, name: pair.name, owned: created, description: pair.description });
    if (pair.local) {
      await this.ownership.setGroup(pair.local.group.id, { ...this.record(pair.local.group.id, pair), companionOf: group.id });
      await this.copyRoles(pair.local.group.id, this.view.directories.local, await this.twin(pair, this.names.inviteVisibilityMs), this.view.directories.idp, false);
    }
    return side;
  }

  /** The pair's companion in the local directory, created when missing with the roles of the identity provider side. */
  async local(pair: GroupPair): Promise<LocalSide> {
    if (pair.local) return pair.local;
    const name = `${pair.name}${this.names.externalGroupSuffix}`;
    await this.ownership.intendGroup(name, pair.externalId);
    const made = await this.org.createGroup(this.view.directories.local, name, pair.description);
    const group = made ?? (await this.org.groupByName(name, this.view.directories.local));
    if (!group) throw new OrgsyncError('conflict', `Atlassian: creating group ${name} in the local directory answered 409 but no group has that name`);
    const owned = made !== undefined || this.ownership.intendedGroup(name, pair.externalId);
    pair.local = { group, members: new Set() };
    await this.ownership.setGroup(group.id, { sourceId: pair.externalId, name: pair.name, owned, description: pair.description, companionOf: pair.idp?.scim?.id });
    await this.syncRoles(pair);
    return pair.local;
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

  private record(id: string, pair: GroupPair) {
    return this.ownership.group(id) ?? { sourceId: pair.externalId, name: pair.name, owned: false };
  }
}
