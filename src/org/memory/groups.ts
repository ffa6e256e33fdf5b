/**
 * Group operations on an in-memory org (see `apply.ts` for the contract). Members are resolved by
 * their accountId, else by the account linked to their sourceId; the group by its id, else by the
 * group linked to its source group id.
 */
import { inputError, OrgsyncError } from '../../errors.js';
import type { OrgGroup } from '../../model/org.js';
import type { GroupRef, Operation } from '../../model/plan.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import { conflict, text, type OrgDraft } from './draft.js';

function needRef(op: Operation): GroupRef {
  if (!op.group) throw inputError(`${op.kind} ${op.id}: the operation names no group`);
  return op.group;
}

function needGroup(draft: OrgDraft, op: Operation, refs: OrgRefs): OrgGroup {
  const ref = needRef(op);
  const group = draft.findGroup(ref, refs);
  if (!group) throw new OrgsyncError('not-found', `${op.kind} ${op.id}: group "${ref.name}" does not exist`);
  return group;
}

export function createGroup(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const ref = needRef(op);
  const existing = draft.findGroup(ref, refs);
  if (existing) return { result: 'skipped', message: `group "${existing.name}" already exists`, groupId: existing.id };
  const name = text(op.after?.name) ?? ref.name;
  const clash = draft.groupNamed(name);
  if (clash) throw conflict(op, `a group named "${clash.name}" (${clash.id}) already exists`);
  const group: OrgGroup = { id: draft.newId('g', ['group', ref.externalId, name]), name, description: text(op.after?.description) ?? '', externalId: ref.externalId, source: 'sync', members: [] };
  draft.putGroup(group);
  return { result: 'applied', groupId: group.id };
}

export function updateGroup(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const group = needGroup(draft, op, refs);
  const after = op.after ?? {};
  const name = text(after.name) ?? group.name;
  const description = text(after.description) ?? group.description;
  const externalId = 'externalId' in after ? (text(after.externalId) ?? null) : group.externalId;
  if (name === group.name && description === group.description && externalId === group.externalId) {
    return { result: 'skipped', message: `group "${name}" already up to date`, groupId: group.id };
  }
  const clash = name.toLowerCase() === group.name.toLowerCase() ? undefined : draft.groupNamed(name);
  if (clash) throw conflict(op, `a group named "${clash.name}" (${clash.id}) already exists`);
  draft.putGroup({ ...group, name, description, externalId });
  return { result: 'applied', groupId: group.id };
}

export function deleteGroup(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const group = draft.findGroup(needRef(op), refs);
  if (!group) return { result: 'skipped', message: `group "${op.group?.name}" is already gone` };
  if (group.source !== 'sync') throw conflict(op, `group "${group.name}" was not created by the sync; it is never deleted`);
  draft.removeGroup(group.id);
  return { result: 'applied', groupId: group.id };
}

function memberIds(op: Operation, refs: OrgRefs): string[] {
  return (op.members ?? []).map((member) => {
    const id = member.accountId ?? (member.sourceId ? refs.accountFor(member.sourceId) : undefined);
    if (id === undefined) throw new OrgsyncError('not-found', `${op.kind} ${op.id}: no account for member ${member.email}`);
    return id;
  });
}

export function changeMembers(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const group = needGroup(draft, op, refs);
  const ids = memberIds(op, refs);
  const members = new Set(group.members);
  const adding = op.kind === 'addMembers';
  let changed = 0;
  for (const id of ids) {
    if (members.has(id) === adding) continue;
    if (adding) {
      if (!draft.user(id)) throw new OrgsyncError('not-found', `${op.kind} ${op.id}: account ${id} does not exist`);
      members.add(id);
    } else {
      members.delete(id);
    }
    changed += 1;
  }
  if (changed === 0) return { result: 'skipped', message: `members of "${group.name}" already as planned`, groupId: group.id };
  draft.putGroup({ ...group, members: [...members] });
  return { result: 'applied', message: `${changed} member${changed === 1 ? '' : 's'} ${adding ? 'added' : 'removed'}`, groupId: group.id };
}
