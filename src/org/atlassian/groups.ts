/**
 * Groups and memberships in an Atlassian organization.
 *
 * The sync creates its groups through the org API (not SCIM): only such a group can hold both
 * managed accounts and invited external users, and its members are changed one membership at a
 * time through the org API. A group synced from an identity provider (SCIM) cannot take members
 * through the org API; for such a group (one the sync mirrors but did not create) managed members
 * are changed by SCIM PatchOp in batches, and external members are refused with a message naming
 * them, since a SCIM group can hold only provisioned accounts. A create answered 409 links the
 * existing group, which stays `manual` unless the create was pending (recorded before the POST for
 * a name the read did not find): then the group is the one a lost answer hid, and the sync owns
 * it. Only groups the sync created are ever deleted.
 */
import { OrgsyncError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ScimClient } from '../scim/client.js';
import { memberPatches, type ScimGroup } from '../scim/map.js';
import { failIfAny, groupIdOf, membersMessage, resolveMembers, type ResolvedMember } from '../scim/members.js';
import type { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianClient } from './client.js';
import type { AtlassianView, GroupEntry } from './view.js';

const SCIM_MEMBER_BATCH = 100;

export class AtlassianGroups {
  constructor(
    private readonly org: AtlassianClient,
    private readonly scim: ScimClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
  ) {}

  async create(op: Operation): Promise<ApplyOutcome> {
    const name = op.group?.name ?? (typeof op.after?.name === 'string' ? op.after.name : '');
    const description = typeof op.after?.description === 'string' ? op.after.description : '';
    const sourceId = op.group?.externalId ?? null;
    if (!this.view.groupByName(name)) await this.ownership.intendGroup(name, sourceId);
    const created = await this.org.createGroup(name, description);
    if (created) {
      this.view.groups.set(created.id, { group: created, members: new Set() });
      await this.ownership.setGroup(created.id, { sourceId, name, owned: true });
      return { result: 'applied', groupId: created.id };
    }
    const existing = await this.org.groupByName(name);
    if (!existing) throw new OrgsyncError('conflict', `Atlassian: creating group ${name} answered 409 but no group has that name`);
    const record = this.ownership.group(existing.id);
    if (record?.sourceId && sourceId && record.sourceId !== sourceId) {
      throw new OrgsyncError('conflict', `group ${name} already mirrors source group ${record.sourceId}, not ${sourceId}`);
    }
    if (!this.view.groups.has(existing.id)) this.view.groups.set(existing.id, { group: existing, members: new Set() });
    await this.ownership.setGroup(existing.id, { sourceId, name, owned: record?.owned ?? this.ownership.intendedGroup(name, sourceId) });
    return { result: 'skipped', message: `group ${name} already existed; linked`, groupId: existing.id };
  }

  async delete(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const id = groupIdOf(op, refs);
    if (!this.ownership.group(id)?.owned) throw new OrgsyncError('conflict', `deleteGroup: group ${op.group?.name ?? id} was not created by the sync; it is never deleted`);
    const entry = this.view.groups.get(id);
    const existed = entry?.scim ? await this.scim.remove('Groups', entry.scim.id) : await this.org.deleteGroup(id);
    this.view.groups.delete(id);
    await this.ownership.deleteGroup(id);
    return existed ? { result: 'applied', groupId: id } : { result: 'skipped', message: `group ${op.group?.name ?? id} was already gone`, groupId: id };
  }

  async members(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const add = op.kind === 'addMembers';
    const id = groupIdOf(op, refs);
    const entry = this.view.groups.get(id);
    if (!entry) throw new OrgsyncError('not-found', `${op.kind}: group ${op.group?.name ?? id} does not exist in the directory`);
    const { resolved, missing } = resolveMembers(op, refs);
    const problems = missing.length > 0 ? [`no account for ${missing.map((m) => m.email).join(', ')}`] : [];
    const pending = dedupe(resolved).filter((r) => entry.members.has(r.accountId) !== add);
    const changed = entry.scim ? await this.changeScim(entry, entry.scim, pending, add, problems) : await this.changeOrg(entry, pending, add);
    failIfAny(op, problems);
    const message = membersMessage(op, changed, resolved.length - pending.length);
    return { result: changed === 0 ? 'skipped' : 'applied', message, groupId: id };
  }

  /** Remove an account from every group the sync owns; returns how many it left. */
  async leaveOwned(accountId: string): Promise<number> {
    let left = 0;
    for (const entry of this.view.groups.values()) {
      if (!entry.members.has(accountId) || !this.ownership.group(entry.group.id)?.owned) continue;
      const member: ResolvedMember = { member: { email: accountId, sourceId: null, accountId, classification: 'external' }, accountId };
      left += entry.scim ? await this.changeScim(entry, entry.scim, [member], false, []) : await this.changeOrg(entry, [member], false);
    }
    return left;
  }

  private async changeOrg(entry: GroupEntry, pending: ResolvedMember[], add: boolean): Promise<number> {
    let changed = 0;
    for (const { accountId } of pending) {
      if (add) await this.org.addMember(entry.group.id, accountId);
      else await this.org.removeMember(entry.group.id, accountId);
      if (add) entry.members.add(accountId);
      else entry.members.delete(accountId);
      changed += 1;
    }
    return changed;
  }

  /** Members of a SCIM-synced group change over SCIM; accounts without a SCIM user cannot be in it. */
  private async changeScim(entry: GroupEntry, group: ScimGroup, pending: ResolvedMember[], add: boolean, problems: string[]): Promise<number> {
    const scimIds = new Map<string, string>();
    const refused: string[] = [];
    for (const { member, accountId } of pending) {
      const user = this.view.scimUserOf(accountId);
      if (user) scimIds.set(user.id, accountId);
      else refused.push(member.email);
    }
    if (refused.length > 0) problems.push(`group ${entry.group.name} is synced from an identity provider and can hold only provisioned accounts; cannot ${add ? 'add' : 'remove'} ${refused.join(', ')}`);
    for (const operations of memberPatches(add ? 'add' : 'remove', [...scimIds.keys()], SCIM_MEMBER_BATCH)) {
      await this.scim.patch('Groups', group.id, operations, group.meta?.version);
    }
    for (const accountId of scimIds.values()) {
      if (add) entry.members.add(accountId);
      else entry.members.delete(accountId);
    }
    return scimIds.size;
  }
}

/** One entry per account (a plan may name a person twice, e.g. by source id and by account id). */
function dedupe(members: ResolvedMember[]): ResolvedMember[] {
  const byAccount = new Map<string, ResolvedMember>();
  for (const m of members) if (!byAccount.has(m.accountId)) byAccount.set(m.accountId, m);
  return [...byAccount.values()];
}
