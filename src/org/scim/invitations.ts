/**
 * Invitations for a plain SCIM service, which has none of its own: each one is POSTed as JSON to
 * the configured `inviteWebhook`, and recorded in the ownership records (that record is the only
 * trace of an invitation until the receiving system creates a SCIM user for the address).
 *
 * Events (one JSON object per request; receivers must be idempotent, a retried request repeats):
 * - `{ type: "invite", email, sourceId, displayName, groups, roles, notify }` — grant access;
 * - `{ type: "restore", email, sourceId }` — give back the access a revoke took away;
 * - `{ type: "revoke", email, sourceId }` — take away the access the sync granted;
 * - `{ type: "add-member" | "remove-member", email, sourceId, group }` — a membership of an
 *   invited person who has no SCIM user yet (a SCIM group can only hold SCIM users).
 *
 * Revoking also removes a person who does have a SCIM user from the groups the sync owns; the
 * account itself is never deactivated. The revoked state is kept in the records and read back as
 * `suspended`; a restore clears it.
 */
import { OrgsyncError, inputError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import type { Operation } from '../../model/plan.js';
import type { ApplyOutcome } from '../types.js';
import type { InvitationMembers } from './groups.js';
import { emailKey } from './map.js';
import type { Ownership, UserRecord } from './ownership.js';
import type { ScimView } from './view.js';

export type InvitationEventType = 'invite' | 'restore' | 'revoke' | 'add-member' | 'remove-member';

/** Removes a SCIM user from every group the sync owns; returns how many it left. */
export type LeaveOwnedGroups = (accountId: string) => Promise<number>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class WebhookInvitations implements InvitationMembers {
  constructor(
    private readonly http: HttpClient,
    private readonly url: string,
    private readonly view: ScimView,
    private readonly ownership: Ownership,
  ) {}

  isInvitation(accountId: string): boolean {
    return this.ownership.user(accountId)?.invitation === true && !this.view.users.has(accountId);
  }

  async invite(op: Operation): Promise<ApplyOutcome> {
    if (op.accountId) return this.restore(op, op.accountId);
    const email = op.email ?? (typeof op.after?.email === 'string' ? op.after.email : null);
    if (!email || !op.sourceId) throw inputError(`inviteUser ${op.id}: the operation needs an email and a sourceId`);
    const after = op.after ?? {};
    const displayName = typeof after.displayName === 'string' ? after.displayName : undefined;
    await this.post('invite', email, op.sourceId, { displayName, groups: strings(after.groups), roles: strings(after.roles), notify: after.notify !== false });
    const existing = this.view.userByEmail(email);
    const id = existing?.id ?? `invitation:${emailKey(email)}`;
    const previous = this.ownership.user(id);
    const record: UserRecord = { sourceId: op.sourceId, email, owned: existing ? previous?.owned ?? false : true, invitation: !existing, displayName };
    await this.ownership.setUser(id, record);
    return { result: 'applied', accountId: id };
  }

  async revoke(op: Operation, leaveOwnedGroups: LeaveOwnedGroups): Promise<ApplyOutcome> {
    const { id, record } = this.recordOf(op);
    if (record.revoked) return { result: 'skipped', message: `access of ${record.email} already revoked`, accountId: id };
    let left = 0;
    if (this.view.users.has(id)) left = await leaveOwnedGroups(id);
    else left = await this.leaveOwnedInvitationGroups(id, record);
    await this.post('revoke', record.email, record.sourceId);
    await this.ownership.updateUser(id, (current) => ({ ...current, revoked: true }));
    return { result: 'applied', message: `access revoked; left ${left} group${left === 1 ? '' : 's'}`, accountId: id };
  }

  async change(action: 'add' | 'remove', accountId: string, groupId: string, groupName: string): Promise<boolean> {
    const record = this.ownership.user(accountId);
    if (!record || (record.groups ?? []).includes(groupId) === (action === 'add')) return false;
    await this.post(action === 'add' ? 'add-member' : 'remove-member', record.email, record.sourceId, { group: groupName });
    await this.ownership.updateUser(accountId, (current) => {
      const groups = (current.groups ?? []).filter((g) => g !== groupId);
      return { ...current, groups: action === 'add' ? [...groups, groupId] : groups };
    });
    return true;
  }

  private async restore(op: Operation, id: string): Promise<ApplyOutcome> {
    const record = this.ownership.user(id);
    if (!record) throw new OrgsyncError('not-found', `inviteUser ${op.id}: no invitation is recorded for account ${id}`);
    await this.post('restore', record.email, record.sourceId);
    await this.ownership.updateUser(id, (current) => ({ ...current, revoked: false }));
    return { result: 'applied', message: `access of ${record.email} restored`, accountId: id };
  }

  private recordOf(op: Operation): { id: string; record: UserRecord } {
    const id = op.accountId;
    const record = id ? this.ownership.user(id) : undefined;
    if (!id || !record) throw new OrgsyncError('not-found', `${op.kind} ${op.id}: no invitation is recorded for account ${id ?? '(none)'}`);
    return { id, record };
  }

  private async leaveOwnedInvitationGroups(id: string, record: UserRecord): Promise<number> {
    let left = 0;
    for (const groupId of record.groups ?? []) {
      if (!this.ownership.group(groupId)?.owned) continue;
      const name = this.view.groups.get(groupId)?.displayName ?? groupId;
      if (await this.change('remove', id, groupId, name)) left += 1;
    }
    return left;
  }

  private async post(type: InvitationEventType, email: string, sourceId: string | null, extra: Record<string, unknown> = {}): Promise<void> {
    await this.http.request('POST', this.url, { body: { type, email, sourceId, ...extra } });
  }
}
