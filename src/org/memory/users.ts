/**
 * Account operations on an in-memory org (see `apply.ts` for the contract). Each handler changes
 * the draft only when the account does not already look as the operation's `after` says.
 */
import { inputError } from '../../errors.js';
import type { OrgUser } from '../../model/org.js';
import type { Operation } from '../../model/plan.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import { addressOf, conflict, text, type OrgDraft } from './draft.js';

const PROFILE_FIELDS = new Set(['displayName', 'givenName', 'familyName']);

/** Set one plan field on a user record (profile fields at the top, others in `attributes`); null removes it. */
function withField(user: OrgUser, key: string, value: unknown): OrgUser {
  if (key === 'email') return typeof value === 'string' ? { ...user, email: value } : user;
  if (PROFILE_FIELDS.has(key)) {
    const next = { ...user };
    if (typeof value === 'string') next[key as 'displayName'] = value;
    else delete next[key as 'displayName'];
    return next;
  }
  const attributes = { ...user.attributes };
  if (typeof value === 'string') attributes[key] = value;
  else delete attributes[key];
  return { ...user, attributes };
}

function fieldOf(user: OrgUser, key: string): string | null {
  if (key === 'email') return user.email;
  if (PROFILE_FIELDS.has(key)) return user[key as 'displayName'] ?? null;
  return Object.hasOwn(user.attributes, key) ? (user.attributes[key] ?? null) : null;
}

function done(user: OrgUser, message: string): ApplyOutcome {
  return { result: 'skipped', message, accountId: user.id };
}

function needSource(op: Operation): string {
  if (!op.sourceId) throw inputError(`${op.kind} ${op.id}: the operation has no sourceId`);
  return op.sourceId;
}

function needAddress(op: Operation): string {
  const email = text(op.after?.email) ?? op.email;
  if (!email) throw inputError(`${op.kind} ${op.id}: the operation has no email`);
  return addressOf(email);
}

/** An existing account with the address: already linked to this source user (done), unlinked (link it), or a conflict. */
function linkExisting(draft: OrgDraft, op: Operation, existing: OrgUser, sourceId: string): ApplyOutcome {
  if (existing.externalId === sourceId) return done(existing, `${existing.email} already exists and is linked`);
  if (existing.externalId != null) throw conflict(op, `${existing.email} exists and is linked to source user ${existing.externalId}`);
  draft.putUser({ ...existing, externalId: sourceId });
  return { result: 'applied', message: `${existing.email} already existed; linked`, accountId: existing.id };
}

export function createAccount(draft: OrgDraft, op: Operation): ApplyOutcome {
  const sourceId = needSource(op);
  const address = needAddress(op);
  const existing = draft.userByAddress(address);
  if (existing) return linkExisting(draft, op, existing, sourceId);
  let user: OrgUser = { id: draft.newId('a', ['account', sourceId, address]), email: address, externalId: sourceId, attributes: {}, managed: true, status: 'active', source: 'sync' };
  for (const [key, value] of Object.entries(op.after ?? {})) if (key !== 'email') user = withField(user, key, value);
  draft.putUser(user);
  return { result: 'applied', accountId: user.id };
}

/** Add a user to the org groups named in the invitation (names compare case-insensitively). */
function grant(draft: OrgDraft, userId: string, groups: unknown): void {
  if (!Array.isArray(groups)) return;
  for (const name of groups) {
    const group = typeof name === 'string' ? draft.groupNamed(name) : undefined;
    if (group && !group.members.includes(userId)) draft.putGroup({ ...group, members: [...group.members, userId] });
  }
}

export function inviteUser(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const sourceId = needSource(op);
  if (op.accountId) return restoreAccess(draft, op, refs, sourceId);
  const address = needAddress(op);
  const existing = draft.userByAddress(address);
  if (existing) {
    const outcome = linkExisting(draft, op, existing, sourceId);
    grant(draft, existing.id, op.after?.groups);
    return draft.changed ? { ...outcome, result: 'applied' } : outcome;
  }
  const user: OrgUser = { id: draft.newId('x', ['invite', sourceId, address]), email: address, externalId: sourceId, attributes: {}, managed: false, status: 'invited', source: 'sync' };
  const displayName = text(op.after?.displayName);
  draft.putUser(displayName ? { ...user, displayName } : user);
  grant(draft, user.id, op.after?.groups);
  return { result: 'applied', accountId: user.id };
}

/** inviteUser with an accountId: restore an account whose access was revoked, and link it. */
function restoreAccess(draft: OrgDraft, op: Operation, refs: OrgRefs, sourceId: string): ApplyOutcome {
  const user = draft.subject(op, refs);
  if (user.externalId != null && user.externalId !== sourceId) throw conflict(op, `${user.email} is linked to source user ${user.externalId}`);
  if (user.status === 'deactivated') throw conflict(op, `${user.email} is deactivated`);
  if (user.status === 'suspended' || user.externalId !== sourceId) draft.putUser({ ...user, externalId: sourceId, status: user.status === 'suspended' ? 'active' : user.status });
  grant(draft, user.id, op.after?.groups);
  return draft.changed ? { result: 'applied', message: `access of ${user.email} restored`, accountId: user.id } : done(user, `access of ${user.email} already ${user.status}`);
}

export function revokeAccess(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const user = draft.subject(op, refs);
  for (const group of [...draft.groups]) {
    if (group.source === 'sync' && group.members.includes(user.id)) draft.putGroup({ ...group, members: group.members.filter((id) => id !== user.id) });
  }
  if (user.status !== 'suspended') draft.putUser({ ...user, status: 'suspended' });
  return draft.changed ? { result: 'applied', accountId: user.id } : done(user, `access of ${user.email} already revoked`);
}

export function setStatus(status: OrgUser['status']) {
  return (draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome => {
    const user = draft.subject(op, refs);
    if (user.status === status) return done(user, `${user.email} already ${status}`);
    draft.putUser({ ...user, status });
    return { result: 'applied', accountId: user.id };
  };
}

export function linkAccount(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const user = draft.subject(op, refs);
  const sourceId = text(op.after?.externalId) ?? needSource(op);
  if (user.externalId === sourceId) return done(user, `${user.email} already linked`);
  if (user.externalId != null) throw conflict(op, `${user.email} is linked to source user ${user.externalId}`);
  draft.putUser({ ...user, externalId: sourceId });
  return { result: 'applied', accountId: user.id };
}

export function updateAccount(draft: OrgDraft, op: Operation, refs: OrgRefs): ApplyOutcome {
  const current = draft.subject(op, refs);
  let user = current;
  for (const [key, value] of Object.entries(op.after ?? {})) {
    if (fieldOf(user, key) !== (typeof value === 'string' ? value : null)) user = withField(user, key, value);
  }
  if (user === current) return done(user, `${user.email} already up to date`);
  draft.putUser(user);
  return { result: 'applied', accountId: user.id };
}
