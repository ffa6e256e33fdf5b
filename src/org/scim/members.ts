/**
 * Resolve the group and members an `addMembers`/`removeMembers`/`deleteGroup`/`updateGroup`
 * operation names to org ids: the ids the plan carries, else what `refs` knows now (objects
 * created earlier in the same apply). Pure apart from asking `refs`.
 */
import { OrgsyncError } from '../../errors.js';
import type { MemberRef, Operation } from '../../model/plan.js';
import type { OrgRefs } from '../types.js';

export interface ResolvedMember {
  member: MemberRef;
  accountId: string;
}

/** The org group id of a group operation; an error naming the group when it cannot be known. */
export function groupIdOf(op: Operation, refs: OrgRefs): string {
  const group = op.group;
  const id = group?.id ?? (group?.externalId ? refs.groupFor(group.externalId) : undefined);
  if (!id) throw new OrgsyncError('not-found', `${op.kind}: group ${group?.name ?? '(unnamed)'} has no org id (was it created?)`);
  return id;
}

/** Members with their account ids, and those no account could be found for. */
export function resolveMembers(op: Operation, refs: OrgRefs): { resolved: ResolvedMember[]; missing: MemberRef[] } {
  const resolved: ResolvedMember[] = [];
  const missing: MemberRef[] = [];
  for (const member of op.members ?? []) {
    const accountId = member.accountId ?? (member.sourceId ? refs.accountFor(member.sourceId) : undefined);
    if (accountId) resolved.push({ member, accountId });
    else missing.push(member);
  }
  return { resolved, missing };
}

/** Throw when some members could not be changed, after the others were. */
export function failIfAny(op: Operation, problems: string[]): void {
  if (problems.length === 0) return;
  const what = op.group?.name ?? '(unnamed)';
  throw new OrgsyncError('partial', `${op.kind} ${what}: ${problems.join('; ')}`);
}

/** A one-line summary of a membership change. */
export function membersMessage(op: Operation, changed: number, unchanged: number): string {
  const verb = op.kind === 'addMembers' ? 'added' : 'removed';
  return `${verb} ${changed} member${changed === 1 ? '' : 's'}${unchanged > 0 ? `, ${unchanged} already as planned` : ''}`;
}
