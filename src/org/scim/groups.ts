/**
 * Groups on a plain SCIM service: create (a 409 finds the group by `displayName` and links it),
 * rename, delete, and member changes as PatchOp bodies of at most `memberBatchSize` members.
 * Groups the sync creates are recorded as owned; a group found by a 409 is linked but stays
 * `manual` (the sync did not create it, so it will never delete it), unless the create was pending
 * (recorded before the POST for a name the read did not find): then the group is the one a lost
 * answer hid, and the sync owns it.
 */
import { OrgsyncError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { ScimClient } from './client.js';
import { groupBody, memberPatches, type PatchOperation, type ScimGroup } from './map.js';
import { failIfAny, groupIdOf, membersMessage, resolveMembers, type ResolvedMember } from './members.js';
import type { Ownership } from './ownership.js';
import type { ScimView } from './view.js';

/** Changes memberships of people who exist only as invitations (no SCIM user). */
export interface InvitationMembers {
  isInvitation(accountId: string): boolean;
  change(action: 'add' | 'remove', accountId: string, groupId: string, groupName: string): Promise<boolean>;
}

export class ScimGroups {
  constructor(
    private readonly scim: ScimClient,
    private readonly view: ScimView,
    private readonly ownership: Ownership,
    private readonly batchSize: number,
    private readonly invitations: InvitationMembers,
  ) {}

  async create(op: Operation): Promise<ApplyOutcome> {
    const name = op.group?.name ?? String(op.after?.name ?? '');
    const sourceId = op.group?.externalId ?? null;
    const description = typeof op.after?.description === 'string' ? op.after.description : '';
    if (!this.view.groupByName(name)) await this.ownership.intendGroup(name, sourceId);
    const answer = await this.scim.create<ScimGroup>('Groups', groupBody(name, sourceId));
    if (answer.created) {
      this.view.groups.set(answer.resource.id, answer.resource);
      await this.ownership.setGroup(answer.resource.id, { sourceId, name, owned: true, description });
      return { result: 'applied', groupId: answer.resource.id };
    }
    const existing = await this.scim.find<ScimGroup>('Groups', 'displayName', name);
    if (!existing) throw new OrgsyncError('conflict', `SCIM Groups: creating ${name} answered 409 (${answer.detail}) but no group has that displayName`);
    if (existing.externalId && sourceId && existing.externalId !== sourceId) {
      throw new OrgsyncError('conflict', `SCIM group ${name} already mirrors source group ${existing.externalId}, not ${sourceId}`);
    }
    const linked = sourceId && !existing.externalId ? await this.patch(existing, [{ op: 'replace', path: 'externalId', value: sourceId }]) : existing;
    this.view.groups.set(linked.id, linked);
    const owned = this.ownership.intendedGroup(name, sourceId);
    if (!this.ownership.group(linked.id)) await this.ownership.setGroup(linked.id, { sourceId, name, owned, description });
    else await this.ownership.settleGroup(name);
    return { result: 'skipped', message: `group ${name} already existed; linked`, groupId: linked.id };
  }

  async update(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const id = groupIdOf(op, refs);
    const group = this.groupOf(id, op);
    const after = op.after ?? {};
    const changes: PatchOperation[] = [];
    if (typeof after.name === 'string' && after.name !== group.displayName) changes.push({ op: 'replace', path: 'displayName', value: after.name });
    // A relink (the IdP group was recreated under a new id) moves the group's link to the new id.
    const relinkTo = typeof after.externalId === 'string' ? after.externalId : undefined;
    if (relinkTo !== undefined && group.externalId && group.externalId !== relinkTo) changes.push({ op: 'replace', path: 'externalId', value: relinkTo });
    if (changes.length > 0) await this.patch(group, changes);
    const record = this.ownership.group(id);
    const name = typeof after.name === 'string' ? after.name : group.displayName;
    const description = typeof after.description === 'string' ? after.description : record?.description;
    const sourceId = relinkTo ?? op.group?.externalId ?? record?.sourceId ?? null;
    await this.ownership.setGroup(id, { sourceId, owned: record?.owned ?? false, name, description });
    return { result: 'applied', groupId: id };
  }

  async delete(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const id = groupIdOf(op, refs);
    if (!this.ownership.group(id)?.owned) throw new OrgsyncError('conflict', `deleteGroup: group ${op.group?.name ?? id} was not created by the sync; it is never deleted`);
    const existed = await this.scim.remove('Groups', id, this.view.groups.get(id)?.meta?.version);
    this.view.groups.delete(id);
    await this.ownership.deleteGroup(id);
    return existed ? { result: 'applied', groupId: id } : { result: 'skipped', message: `group ${op.group?.name} was already gone` };
  }

  async members(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const action = op.kind === 'addMembers' ? 'add' : 'remove';
    const id = groupIdOf(op, refs);
    const group = this.groupOf(id, op);
    const { resolved, missing } = resolveMembers(op, refs);
    const problems = missing.length > 0 ? [`no account for ${missing.map((m) => m.email).join(', ')}`] : [];
    const invited = resolved.filter((r) => this.invitations.isInvitation(r.accountId));
    const pending = this.pending(group, resolved.filter((r) => !this.invitations.isInvitation(r.accountId)), action);
    let current = group;
    for (const operations of memberPatches(action, pending, this.batchSize)) current = await this.patch(current, operations);
    let changed = pending.length;
    for (const r of invited) if (await this.invitations.change(action, r.accountId, id, group.displayName)) changed += 1;
    failIfAny(op, problems);
    const unchanged = resolved.length - changed;
    return changed === 0 ? { result: 'skipped', message: membersMessage(op, 0, unchanged), groupId: id } : { result: 'applied', message: membersMessage(op, changed, unchanged), groupId: id };
  }

  /** Remove a SCIM user from every group the sync owns; returns how many groups it left. */
  async leaveOwned(accountId: string): Promise<number> {
    let left = 0;
    for (const group of [...this.view.groups.values()]) {
      if (!this.ownership.group(group.id)?.owned || !(group.members ?? []).some((m) => m.value === accountId)) continue;
      await this.patch(group, memberPatches('remove', [accountId], 1)[0]!);
      left += 1;
    }
    return left;
  }

  /** Account ids whose membership still has to change. */
  private pending(group: ScimGroup, members: ResolvedMember[], action: 'add' | 'remove'): string[] {
    const present = new Set((group.members ?? []).map((m) => m.value));
    return [...new Set(members.map((m) => m.accountId))].filter((id) => present.has(id) !== (action === 'add'));
  }

  private groupOf(id: string, op: Operation): ScimGroup {
    const group = this.view.groups.get(id);
    if (!group) throw new OrgsyncError('not-found', `${op.kind}: group ${op.group?.name ?? id} does not exist on the SCIM service`);
    return group;
  }

  /** PATCH a group and remember what it looks like now (the answer when it lists members, else a fresh read). */
  private async patch(group: ScimGroup, operations: Parameters<ScimClient['patch']>[2]): Promise<ScimGroup> {
    const answer = await this.scim.patch<ScimGroup>('Groups', group.id, operations, group.meta?.version);
    const fresh = answer?.members !== undefined ? answer : ((await this.scim.get<ScimGroup>('Groups', group.id)) ?? group);
    this.view.groups.set(group.id, fresh);
    return fresh;
  }
}
