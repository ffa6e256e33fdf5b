/**
 * External users of an Atlassian organization: invitation, restoring access, revoking access.
 *
 * - `inviteUser` POSTs an invitation with the permission rules of `after.roles` and the groups of
 *   `after.groups`; the account the org answers with is recorded as linked to the source user (and
 *   owned by the sync unless the address was already in the directory). With an `accountId` it
 *   restores that account's suspended access and grants the invitation's groups again.
 * - `revokeAccess` removes the person from every group the sync owns, then (with `revoke: suspend`)
 *   suspends their access in the directory. The account itself is never deactivated or removed.
 */
import { OrgsyncError, inputError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { Ownership } from '../scim/ownership.js';
import { emailKey } from '../scim/map.js';
import type { ApplyOutcome } from '../types.js';
import type { AtlassianClient } from './client.js';
import type { AtlassianGroups } from './groups.js';
import { inviteRequest } from './map.js';
import type { AtlassianSettings } from './settings.js';
import type { AtlassianView } from './view.js';

export class AtlassianExternals {
  constructor(
    private readonly org: AtlassianClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
    private readonly groups: AtlassianGroups,
    private readonly settings: Pick<AtlassianSettings, 'roles' | 'revoke'>,
  ) {}

  async invite(op: Operation): Promise<ApplyOutcome> {
    if (op.accountId) return this.restore(op, op.accountId);
    const email = op.email ?? (typeof op.after?.email === 'string' ? op.after.email : null);
    if (!email || !op.sourceId) throw inputError(`inviteUser ${op.id}: the operation needs an email and a sourceId`);
    const request = inviteRequest(op, email, (name) => this.view.groupByName(name)?.group.id, this.settings.roles);
    const existing = this.view.userByEmail(email);
    const previous = existing ? this.ownership.user(existing.accountId) : undefined;
    if (previous?.sourceId && previous.sourceId !== op.sourceId) {
      throw new OrgsyncError('conflict', `inviteUser: ${email} is already linked to source user ${previous.sourceId}`);
    }
    const answer = await this.org.invite(request);
    const accountId = answer.find((a) => emailKey(a.email) === emailKey(email))?.id ?? answer[0]?.id ?? (await this.org.userByEmail(email))?.accountId;
    if (!accountId) throw new OrgsyncError('not-found', `inviteUser: the invitation of ${email} was accepted but no account can be found`);
    await this.ownership.setUser(accountId, { sourceId: op.sourceId, email, owned: previous?.owned ?? !existing });
    for (const groupId of request.additionalGroups) this.view.groups.get(groupId)?.members.add(accountId);
    return { result: 'applied', accountId };
  }

  async revoke(op: Operation): Promise<ApplyOutcome> {
    const accountId = op.accountId;
    if (!accountId) throw inputError(`revokeAccess ${op.id}: the operation has no accountId`);
    const left = await this.groups.leaveOwned(accountId);
    const suspend = this.settings.revoke === 'suspend';
    if (suspend) await this.org.suspend(accountId);
    const fallback = { sourceId: op.sourceId, email: op.email ?? accountId, owned: false, revoked: !suspend };
    await this.ownership.updateUser(accountId, (current) => ({ ...current, revoked: !suspend }), fallback);
    const how = suspend ? 'access suspended' : 'access revoked';
    return { result: 'applied', message: `${how}; left ${left} group${left === 1 ? '' : 's'} the sync owns`, accountId };
  }

  private async restore(op: Operation, accountId: string): Promise<ApplyOutcome> {
    const record = this.ownership.user(accountId);
    if (record?.sourceId && op.sourceId && record.sourceId !== op.sourceId) {
      throw new OrgsyncError('conflict', `inviteUser: account ${accountId} is linked to source user ${record.sourceId}, not ${op.sourceId}`);
    }
    const user = this.view.users.get(accountId);
    if (this.settings.revoke === 'suspend' || user?.membershipStatus === 'suspended') await this.org.restore(accountId);
    const request = inviteRequest(op, record?.email ?? op.email ?? accountId, (name) => this.view.groupByName(name)?.group.id, this.settings.roles);
    for (const groupId of request.additionalGroups) {
      const entry = this.view.groups.get(groupId);
      if (!entry || entry.members.has(accountId)) continue;
      await this.org.addMember(groupId, accountId);
      entry.members.add(accountId);
    }
    const email = record?.email ?? op.email ?? user?.email ?? accountId;
    const sourceId = op.sourceId ?? record?.sourceId ?? null;
    await this.ownership.updateUser(accountId, (current) => ({ ...current, sourceId, revoked: false }), { email, owned: false, sourceId, revoked: false });
    return { result: 'applied', message: `access of ${email} restored`, accountId };
  }
}
