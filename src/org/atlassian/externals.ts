/**
 * External users of an Atlassian organization: invitations (in batches), restoring access,
 * revoking access. Invitees land in the local directory.
 *
 * - `inviteMany` sends the invitations of several `inviteUser` operations in as few calls as their
 *   grants allow (same groups, roles and notification; at most `inviteBatchSize` addresses a call).
 *   Atlassian answers 200 even when parts fail: each address's role and group results are read, and
 *   an `ERROR` makes that operation failed with Atlassian's `statusReason` (the account it reached
 *   is still linked, so nobody is invited twice). An address already in the local directory is not
 *   invited again: it is linked and joins the invitation's groups (keeping the app roles it has).
 * - An invitation is never sent twice for a lost answer: the call is not repeated by the HTTP layer
 *   (only a 429 is); the addresses are looked up first (waiting up to `inviteVisibilityMs` for the
 *   search to show them) and only those still absent are invited again. The intent is recorded
 *   before the call, so an apply resumed after a crash looks the address up first too, and owns
 *   the account it finds.
 * - With an `accountId`, `inviteUser` restores that account's suspended access and grants the
 *   invitation's groups again.
 * - `revokeAccess` removes the person from every group the sync owns, then (with `revoke: suspend`)
 *   suspends their access in their directory. The account itself is never deactivated or removed.
 */
import { OrgsyncError, inputError, isRetryable } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import { emailKey } from '../scim/map.js';
import type { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, BatchFailure } from '../types.js';
import type { AtlassianClient, InviteAnswer, InviteRequest } from './client.js';
import { eventually } from './eventually.js';
import { invitationGrants } from './map.js';
import { memberFailure, type AtlassianMembers } from './members.js';
import type { PairSides } from './sides.js';
import type { AtlassianSettings } from './settings.js';
import type { AtlassianView } from './view.js';

interface Prepared {
  index: number;
  op: Operation;
  email: string;
  sourceId: string;
  groupIds: string[];
  request: Omit<InviteRequest, 'emails'>;
}

type Outcome = ApplyOutcome | BatchFailure;

function failed(error: unknown, accountId?: string): BatchFailure {
  return { result: 'failed', message: memberFailure(error), ...(accountId ? { accountId } : {}) };
}

export class AtlassianExternals {
  constructor(
    private readonly org: AtlassianClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
    private readonly members: AtlassianMembers,
    private readonly sides: PairSides,
    private readonly settings: Pick<AtlassianSettings, 'roles' | 'revoke' | 'inviteVisibilityMs' | 'inviteBatchSize'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async invite(op: Operation): Promise<ApplyOutcome> {
    const [outcome] = await this.inviteMany([op]);
    if (!outcome || outcome.result === 'failed') throw new OrgsyncError('invite-failed', outcome?.message ?? `inviteUser ${op.id}: no outcome`);
    return outcome;
  }

  async inviteMany(ops: Operation[]): Promise<Outcome[]> {
    const out: Outcome[] = [];
    const batches = new Map<string, Prepared[]>();
    for (const [index, op] of ops.entries()) {
      try {
        if (op.accountId) {
          out[index] = await this.restore(op, op.accountId);
          continue;
        }
        const prepared = await this.prepare(op, index);
        const existing = this.view.userByEmail(prepared.email) ?? (await this.sentBefore(prepared.email));
        if (existing) {
          out[index] = await this.linkExisting(prepared, existing.accountId);
          continue;
        }
        const key = JSON.stringify(prepared.request);
        const list = batches.get(key);
        if (list) list.push(prepared);
        else batches.set(key, [prepared]);
      } catch (error) {
        out[index] = failed(error);
      }
    }
    for (const batch of batches.values()) {
      for (let i = 0; i < batch.length; i += this.settings.inviteBatchSize) await this.send(batch.slice(i, i + this.settings.inviteBatchSize), out);
    }
    return ops.map((_, i) => out[i] ?? { result: 'failed', message: 'no outcome' });
  }

  /**
   * An earlier attempt that sent this invitation but never recorded its outcome: the invitee, once
   * the local directory's search shows them (waiting up to `inviteVisibilityMs`).
   */
  private async sentBefore(email: string): Promise<{ accountId: string } | undefined> {
    if (!this.ownership.intendedInvite(email)) return undefined;
    const accountId = (await this.lookUp([email])).get(emailKey(email));
    return accountId === undefined ? undefined : { accountId };
  }

  /** Email, source id, group ids (the local companions, created when missing) and permission rules of an invitation. */
  private async prepare(op: Operation, index: number): Promise<Prepared> {
    const email = op.email ?? (typeof op.after?.email === 'string' ? op.after.email : null);
    if (!email || !op.sourceId) throw inputError(`inviteUser ${op.id}: the operation needs an email and a sourceId`);
    const { groups, permissionRules } = invitationGrants(op, email, this.settings.roles);
    const groupIds: string[] = [];
    for (const name of groups) {
      const pair = this.view.pairByName(name);
      if (!pair) throw inputError(`inviteUser ${email}: the invitation names group "${name}", which the organization does not have`);
      groupIds.push((await this.sides.local(pair)).group.id);
    }
    const existing = this.view.userByEmail(email);
    const previous = existing ? this.ownership.user(existing.accountId) : undefined;
    if (previous?.sourceId && previous.sourceId !== op.sourceId) throw new OrgsyncError('conflict', `inviteUser: ${email} is already linked to source user ${previous.sourceId}`);
    const request = { permissionRules, additionalGroups: groupIds, sendNotification: op.after?.notify !== false };
    return { index, op, email, sourceId: op.sourceId, groupIds, request };
  }

  /** Send one batch of invitations and read each address's answer into `out`. */
  private async send(batch: Prepared[], out: Outcome[]): Promise<void> {
    let answers: InviteAnswer[];
    try {
      await this.ownership.intendInvites(batch.map((p) => ({ email: p.email, sourceId: p.sourceId })));
      answers = await this.sendOnce(batch);
    } catch (error) {
      // A refusal means nothing was sent; after a failure that may have acted, the intent stays for the next attempt.
      for (const p of batch) {
        if (!isRetryable(error)) await this.ownership.settleInvite(p.email);
        out[p.index] = failed(error);
      }
      return;
    }
    const byEmail = new Map(answers.filter((a) => typeof a.email === 'string').map((a) => [emailKey(a.email!), a]));
    for (const p of batch) {
      try {
        out[p.index] = await this.settle(p, byEmail.get(emailKey(p.email)));
      } catch (error) {
        out[p.index] = failed(error);
      }
    }
  }

  /** POST the invitation once; a lost answer is settled by looking the addresses up before inviting the absent ones again. */
  private async sendOnce(batch: Prepared[]): Promise<InviteAnswer[]> {
    const request = { ...batch[0]!.request, emails: batch.map((p) => p.email) };
    try {
      return await this.org.invite(request);
    } catch (error) {
      if (!isRetryable(error)) throw error;
    }
    const found = await this.lookUp(request.emails);
    const absent = request.emails.filter((email) => !found.has(emailKey(email)));
    const again = absent.length > 0 ? await this.org.invite({ ...request, emails: absent }) : [];
    return [...[...found.values()].map((accountId) => ({ id: accountId, email: this.view.users.get(accountId)?.email })), ...again];
  }

  /** The accounts the local directory has for these addresses, waiting for the search to show them all. */
  private async lookUp(emails: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    await eventually(async () => {
      const missing = emails.filter((e) => !found.has(emailKey(e)));
      for (const user of await this.org.usersByEmail(missing, this.view.directories.local)) {
        if (!user.email) continue;
        found.set(emailKey(user.email), user.accountId);
        this.view.addUser(user, this.view.directories.local);
      }
      return found.size >= emails.length ? true : undefined;
    }, this.settings.inviteVisibilityMs);
    return found;
  }

  /** One address's answer: link the account, remember the invitation, fail with Atlassian's reasons for any refused grant. */
  private async settle(p: Prepared, answer: InviteAnswer | undefined): Promise<Outcome> {
    const accountId = answer?.id ?? (await this.lookUp([p.email])).get(emailKey(p.email));
    if (!accountId) throw new OrgsyncError('not-found', `inviteUser: the invitation of ${p.email} was answered, but no account can be found`);
    await this.ownership.setUser(accountId, { sourceId: p.sourceId, email: p.email, owned: true, invitedAt: this.now().toISOString(), ...displayName(p.op) });
    await this.ownership.settleInvite(p.email);
    if (!this.view.users.has(accountId)) this.view.addUser({ accountId, email: p.email, claimStatus: 'unmanaged' }, this.view.directories.local);
    this.members.fresh.add(accountId);
    const refused = refusals(answer, (id) => this.view.pair(id)?.name ?? id);
    const refusedGroups = new Set(refused.map((r) => r.group).filter((g): g is string => g !== undefined));
    for (const groupId of p.groupIds) if (!refusedGroups.has(groupId)) this.view.pair(groupId)?.local?.members.add(accountId);
    if (refused.length === 0) return { result: 'applied', accountId };
    return { result: 'failed', message: `inviteUser ${p.email}: invited, but Atlassian refused ${refused.map((r) => r.text).join('; ')}`, accountId };
  }

  /** An address already in the directory: link it and give it the invitation's groups, without a second invitation. */
  private async linkExisting(p: Prepared, accountId: string): Promise<Outcome> {
    const previous = this.ownership.user(accountId);
    for (const groupId of p.groupIds) {
      const local = this.view.pair(groupId)?.local;
      if (!local || local.members.has(accountId)) continue;
      await this.org.addMember(this.view.directories.local, groupId, accountId);
      local.members.add(accountId);
    }
    await this.ownership.setUser(accountId, { ...previous, sourceId: p.sourceId, email: p.email, owned: previous?.owned ?? this.ownership.intendedInvite(p.email) });
    await this.ownership.settleInvite(p.email);
    return { result: 'applied', message: `${p.email} is already in the directory; linked without a new invitation`, accountId };
  }

  async revoke(op: Operation): Promise<ApplyOutcome> {
    const accountId = op.accountId;
    if (!accountId) throw inputError(`revokeAccess ${op.id}: the operation has no accountId`);
    const left = await this.members.leaveOwned(accountId);
    const suspend = this.settings.revoke === 'suspend';
    if (suspend) await this.org.suspend(this.view.directoryOf(accountId) ?? this.view.directories.local, accountId);
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
    const directory = this.view.directoryOf(accountId) ?? this.view.directories.local;
    if (this.settings.revoke === 'suspend' || user?.membershipStatus === 'suspended') await this.org.restore(directory, accountId);
    const email = record?.email ?? op.email ?? user?.email ?? accountId;
    const prepared = await this.prepare({ ...op, accountId: null, email }, 0);
    for (const groupId of prepared.groupIds) {
      const local = this.view.pair(groupId)?.local;
      if (!local || local.members.has(accountId)) continue;
      await this.org.addMember(this.view.directories.local, groupId, accountId);
      local.members.add(accountId);
    }
    const sourceId = op.sourceId ?? record?.sourceId ?? null;
    await this.ownership.updateUser(accountId, (current) => ({ ...current, sourceId, revoked: false }), { email, owned: false, sourceId, revoked: false });
    return { result: 'applied', message: `access of ${email} restored`, accountId };
  }
}

function displayName(op: Operation): { displayName?: string } {
  return typeof op.after?.displayName === 'string' ? { displayName: op.after.displayName } : {};
}

/** The grants an invitation answer refused, each as a line with Atlassian's reason. */
function refusals(answer: InviteAnswer | undefined, groupName: (id: string) => string): Array<{ text: string; group?: string }> {
  const out: Array<{ text: string; group?: string }> = [];
  for (const result of answer?.results ?? []) {
    for (const role of result.roleAssignmentResult ?? []) {
      if (role.status === 'ERROR') out.push({ text: `role ${role.role ?? '?'} on ${role.resource ?? '?'}: ${role.statusReason ?? 'no reason given'}` });
    }
    for (const group of result.groupAssignmentResult ?? []) {
      if (group.status === 'ERROR') out.push({ text: `group ${groupName(group.group ?? '?')}: ${group.statusReason ?? 'no reason given'}`, group: group.group });
    }
  }
  return out;
}
