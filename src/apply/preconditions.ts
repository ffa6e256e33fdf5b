/**
 * Preconditions: before an operation is applied, the subject must still look as the plan saw it.
 * Pure. `ok`: apply it. `done`: the target already looks like `after` (a resumed or repeated
 * apply): record `skipped`. `conflict`: something changed since the plan: do not overwrite it.
 */
import type { OrgGroup, OrgUser } from '../model/org.js';
import type { Operation } from '../model/plan.js';
import type { OrgRefs } from '../org/types.js';

export type Precondition = { verdict: 'ok' } | { verdict: 'done'; message: string } | { verdict: 'conflict'; message: string };

const ok: Precondition = { verdict: 'ok' };

export interface StateIndex {
  usersById: Map<string, OrgUser>;
  groupsById: Map<string, OrgGroup>;
  refs: OrgRefs;
}

/** The value of one plan field on an org user or group (`attributes` are flattened). */
function fieldOf(subject: OrgUser | OrgGroup, key: string): unknown {
  if (key in subject) {
    const value = (subject as unknown as Record<string, unknown>)[key];
    return key === 'email' && typeof value === 'string' ? value.toLowerCase() : value ?? null;
  }
  return 'attributes' in subject ? subject.attributes[key] ?? null : null;
}

function matches(subject: OrgUser | OrgGroup, fields: Record<string, unknown> | null): boolean {
  if (!fields) return true;
  return Object.entries(fields).every(([key, value]) => {
    const expected = key === 'email' && typeof value === 'string' ? value.toLowerCase() : value ?? null;
    return JSON.stringify(fieldOf(subject, key)) === JSON.stringify(expected);
  });
}

/** Fields of `after` that are plain profile fields (not invitation grants such as groups/roles). */
function comparable(after: Record<string, unknown> | null, before: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!after) return null;
  if (!before) return after;
  return Object.fromEntries(Object.keys(before).map((key) => [key, after[key] ?? null]));
}

function checkExisting(op: Operation, subject: OrgUser | OrgGroup | undefined, what: string): Precondition {
  if (!subject) return { verdict: 'conflict', message: `${what} no longer exists` };
  if (matches(subject, comparable(op.after, op.before))) return { verdict: 'done', message: `${what} already as planned` };
  if (matches(subject, op.before)) return ok;
  return { verdict: 'conflict', message: `${what} changed since the plan was made` };
}

function userPrecondition(op: Operation, index: StateIndex): Precondition {
  const linked = op.sourceId ? index.refs.accountFor(op.sourceId) : undefined;
  switch (op.kind) {
    case 'createAccount': {
      const existing = linked ? index.usersById.get(linked) : undefined;
      return existing?.managed ? { verdict: 'done', message: `account ${existing.id} already linked` } : ok;
    }
    case 'inviteUser': {
      if (op.accountId) {
        const user = index.usersById.get(op.accountId);
        if (!user) return { verdict: 'conflict', message: `account ${op.accountId} no longer exists` };
        return user.status === 'suspended' ? ok : { verdict: 'done', message: `access of ${user.email} already ${user.status}` };
      }
      const existing = linked ? index.usersById.get(linked) : undefined;
      return existing && !existing.managed ? { verdict: 'done', message: `${existing.email} already invited` } : ok;
    }
    default:
      return checkExisting(op, op.accountId ? index.usersById.get(op.accountId) : undefined, `account ${op.accountId}`);
  }
}

function groupPrecondition(op: Operation, index: StateIndex): Precondition {
  const ref = op.group;
  if (!ref) return { verdict: 'conflict', message: 'operation names no group' };
  const id = ref.id ?? (ref.externalId ? index.refs.groupFor(ref.externalId) : undefined);
  const group = id ? index.groupsById.get(id) : undefined;
  switch (op.kind) {
    case 'createGroup':
      return id ? { verdict: 'done', message: `group ${ref.name} already exists` } : ok;
    case 'deleteGroup':
      return group ? ok : { verdict: 'done', message: `group ${ref.name} already gone` };
    case 'updateGroup':
      return checkExisting(op, group, `group ${ref.name}`);
    default:
      return membersPrecondition(op, group, index);
  }
}

function membersPrecondition(op: Operation, group: OrgGroup | undefined, index: StateIndex): Precondition {
  const name = op.group?.name ?? '?';
  if (!group) {
    // A group created earlier in this apply is not in the state read at the start: let it through.
    return op.group?.externalId && index.refs.groupFor(op.group.externalId) ? ok : { verdict: 'conflict', message: `group ${name} does not exist` };
  }
  const present = new Set(group.members);
  const wanted = (op.members ?? []).map((m) => m.accountId ?? (m.sourceId ? index.refs.accountFor(m.sourceId) : undefined));
  const adding = op.kind === 'addMembers';
  const pending = wanted.filter((id) => id === undefined || present.has(id) !== adding);
  return pending.length === 0 ? { verdict: 'done', message: `members of ${name} already as planned` } : ok;
}

export function checkPrecondition(op: Operation, index: StateIndex): Precondition {
  return op.group ? groupPrecondition(op, index) : userPrecondition(op, index);
}
