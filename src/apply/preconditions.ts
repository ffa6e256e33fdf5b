/**
 * Preconditions: before an operation is applied, the subject must still look as the plan saw it.
 * Pure. `ok`: apply it. `done`: the target already looks like `after` (a resumed or repeated
 * apply): record `skipped`. `conflict`: something changed since the plan: do not overwrite it.
 */
import type { OrgGroup, OrgUser } from '../model/org.js';
import { EXTERNAL_KINDS, MANAGED_KINDS, type Operation } from '../model/plan.js';
import { domainOf, isClaimed, normalizeDomain, normalizeEmail, type DomainClaims } from '../reconcile/email.js';
import type { OrgRefs } from '../org/types.js';

export type Precondition = { verdict: 'ok' } | { verdict: 'done'; message: string } | { verdict: 'conflict'; message: string };

const ok: Precondition = { verdict: 'ok' };

export interface StateIndex {
  usersById: Map<string, OrgUser>;
  groupsById: Map<string, OrgGroup>;
  refs: OrgRefs;
  /** The org's domain claims as read just before the apply. */
  claims: DomainClaims;
}

/** An address in the one normalized form the plan uses; the raw text when it cannot be normalized. */
function emailKey(value: string): string {
  const normalized = normalizeEmail(value);
  return normalized.ok ? normalized.address : value;
}

/** The value of one plan field on an org user or group (`attributes` are flattened). */
function fieldOf(subject: OrgUser | OrgGroup, key: string): unknown {
  if (key in subject) {
    const value = (subject as unknown as Record<string, unknown>)[key];
    return key === 'email' && typeof value === 'string' ? emailKey(value) : value ?? null;
  }
  return 'attributes' in subject ? subject.attributes[key] ?? null : null;
}

function matches(subject: OrgUser | OrgGroup, fields: Record<string, unknown> | null): boolean {
  if (!fields) return true;
  return Object.entries(fields).every(([key, value]) => {
    const expected = key === 'email' && typeof value === 'string' ? emailKey(value) : value ?? null;
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
      const sameAddress = existing !== undefined && op.email !== null && emailKey(existing.email) === emailKey(op.email);
      return existing && !existing.managed && sameAddress && existing.status !== 'suspended' ? { verdict: 'done', message: `${existing.email} already invited` } : ok;
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

/**
 * The claimed/external line, checked again at apply time: a managed-account operation only for a
 * domain the org still claims, an invitation or revocation only for one it does not. A claim that
 * changed since the plan is a conflict, never a reason to manage someone else's account.
 */
function claimPrecondition(op: Operation, index: StateIndex): Precondition | undefined {
  const managed = MANAGED_KINDS.has(op.kind);
  if (!managed && !EXTERNAL_KINDS.has(op.kind)) return undefined;
  // An address change moves the account to the new address's domain: that one must be claimed too.
  const newAddress = managed && typeof op.after?.email === 'string' ? domainOf(emailKey(op.after.email)) : null;
  for (const raw of [op.domain, newAddress]) {
    if (raw === null) continue;
    const domain = normalizeDomain(raw);
    const claimed = domain !== null && isClaimed(index.claims, domain);
    if (managed && !claimed) return { verdict: 'conflict', message: `domain ${raw} is not claimed by the org now; managed-account operations are refused` };
    if (!managed && claimed) return { verdict: 'conflict', message: `domain ${raw} is claimed by the org now; the person is no longer external` };
  }
  if (op.domain === null) return { verdict: 'conflict', message: `${op.kind} names no domain; it cannot be checked against the org's claims` };
  return undefined;
}

export function checkPrecondition(op: Operation, index: StateIndex): Precondition {
  if (op.group) return groupPrecondition(op, index);
  return claimPrecondition(op, index) ?? userPrecondition(op, index);
}
