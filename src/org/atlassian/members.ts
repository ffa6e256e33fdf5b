/**
 * Membership changes of a group pair (`pairs.ts`). Each member goes to the side of its own
 * directory: accounts in the identity provider directory through SCIM PATCH on the SCIM group (in
 * batches of `memberBatchSize`), accounts in the local directory through org-API memberships on the
 * companion. A side is created when a member first needs it. Nobody is ever added to a group
 * outside their directory, and no org-API membership change is tried on an identity-provider group.
 *
 * One member's refusal does not stop the others: every member is tried (a refused SCIM batch is
 * retried member by member to find who was refused), then the operation fails naming each member
 * that failed and why. A 401/403 concerns the whole target and is rethrown at once.
 *
 * A person invited earlier in the same apply may not be visible to the org API yet: their
 * membership is retried while the org answers 404, for at most `inviteVisibilityMs`; a member whose
 * directory is unknown is looked up by address in the local directory within the same bound.
 */
import { isOrgsyncError, messageOf, OrgsyncError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ScimClient } from '../scim/client.js';
import { memberPatches } from '../scim/map.js';
import { failIfAny, groupIdOf, membersMessage, resolveMembers, type ResolvedMember } from '../scim/members.js';
import type { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianClient } from './client.js';
import { sleep } from '../../http/retry.js';
import { eventually } from './eventually.js';
import { pairMembers, type GroupPair } from './pairs.js';
import type { AtlassianSettings } from './settings.js';
import type { PairSides } from './sides.js';
import type { AtlassianView } from './view.js';

const TARGET_WIDE = new Set([401, 403]);

/** Rethrow what concerns the whole target; otherwise the failure's one-line message. */
export function memberFailure(error: unknown): string {
  if (isOrgsyncError(error) && error.status !== undefined && TARGET_WIDE.has(error.status)) throw error;
  return messageOf(error);
}

interface Routed {
  idp: ResolvedMember[];
  local: ResolvedMember[];
}

export class AtlassianMembers {
  /** Accounts invited during this apply, or whose invitation no search shows yet (their visibility may lag). */
  readonly fresh = new Set<string>();

  constructor(
    private readonly org: AtlassianClient,
    private readonly scim: ScimClient,
    private readonly view: AtlassianView,
    private readonly ownership: Ownership,
    private readonly sides: PairSides,
    private readonly settings: Pick<AtlassianSettings, 'memberBatchSize' | 'inviteVisibilityMs'>,
  ) {}

  async change(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const add = op.kind === 'addMembers';
    const id = groupIdOf(op, refs);
    const pair = this.view.pair(id);
    if (!pair) throw new OrgsyncError('not-found', `${op.kind}: group ${op.group?.name ?? id} does not exist in the organization`);
    const { resolved, missing } = resolveMembers(op, refs);
    const problems = missing.map((m) => `${m.email}: no account`);
    const present = pairMembers(pair);
    const pending = dedupe(resolved).filter((r) => present.has(r.accountId) !== add);
    const routed = add ? await this.route(pending, problems) : holding(pair, pending);
    const changed = (await this.changeIdp(pair, routed.idp, add, problems)) + (await this.changeLocal(pair, routed.local, add, problems));
    if (changed > 0) await this.sides.syncRoles(pair).catch((error: unknown) => problems.push(`copying role assignments to the companion: ${memberFailure(error)}`));
    failIfAny(op, problems);
    const message = membersMessage(op, changed, resolved.length - pending.length);
    return { result: changed === 0 ? 'skipped' : 'applied', message, groupId: pair.id };
  }

  /** Remove an account from both sides of every pair the sync owns; returns how many groups it left. */
  async leaveOwned(accountId: string): Promise<number> {
    let left = 0;
    for (const pair of this.view.pairs.values()) {
      const member: ResolvedMember = { member: { email: accountId, sourceId: null, accountId, classification: 'external' }, accountId };
      const problems: string[] = [];
      const owned = (id: string | undefined) => id !== undefined && this.ownership.group(id)?.owned === true;
      const idp = owned(pair.idp?.scim?.id) && pair.idp?.members.has(accountId) ? await this.changeIdp(pair, [member], false, problems) : 0;
      const local = owned(pair.local?.group.id) && pair.local?.members.has(accountId) ? await this.changeLocal(pair, [member], false, problems) : 0;
      if (problems.length > 0) throw new OrgsyncError('partial', `leaving group ${pair.name}: ${problems.join('; ')}`);
      if (idp + local > 0) left += 1;
    }
    return left;
  }

  /** Which side each member to add belongs to, by the directory their account is in. */
  private async route(members: ResolvedMember[], problems: string[]): Promise<Routed> {
    const routed: Routed = { idp: [], local: [] };
    for (const m of members) {
      const directory = this.view.directoryOf(m.accountId) ?? (await this.find(m));
      if (directory === this.view.directories.idp) {
        if (this.view.scimUserOf(m.accountId)) routed.idp.push(m);
        else problems.push(`${m.member.email}: in the identity provider directory without a SCIM user; only the identity provider can change its groups`);
      } else if (directory === this.view.directories.local) routed.local.push(m);
      else problems.push(`${m.member.email}: account ${m.accountId} is in neither directory (waited ${this.settings.inviteVisibilityMs} ms for it to appear)`);
    }
    return routed;
  }

  /** Look a member up by address in the local directory, waiting (up to `waitMs`) for a fresh invitee to appear. */
  private async find(m: ResolvedMember, waitMs = this.settings.inviteVisibilityMs): Promise<string | undefined> {
    const local = this.view.directories.local;
    const found = await eventually(async () => (await this.org.usersByEmail([m.member.email], local)).find((u) => u.accountId === m.accountId), waitMs);
    if (!found) return undefined;
    this.view.addUser(found, local);
    return local;
  }

  private async changeIdp(pair: GroupPair, members: ResolvedMember[], add: boolean, problems: string[]): Promise<number> {
    if (members.length === 0) return 0;
    let side;
    try {
      side = add ? await this.sides.idp(pair) : pair.idp;
    } catch (error) {
      const reason = memberFailure(error);
      for (const m of members) problems.push(`${m.member.email}: ${reason}`);
      return 0;
    }
    if (!side?.scim) return 0;
    const bySCIM = new Map<string, ResolvedMember>();
    for (const m of members) {
      const user = this.view.scimUserOf(m.accountId);
      if (user) bySCIM.set(user.id, m);
      else problems.push(`${m.member.email}: has no SCIM user, so it cannot be in the identity provider group`);
    }
    let changed = 0;
    for (const batch of chunks([...bySCIM.keys()], this.settings.memberBatchSize)) {
      const done = await this.patchBatch(side.scim.id, batch, add, (id, reason) => problems.push(`${bySCIM.get(id)!.member.email}: ${reason}`));
      for (const id of done) {
        const accountId = bySCIM.get(id)!.accountId;
        if (add) side.members.add(accountId);
        else side.members.delete(accountId);
        changed += 1;
      }
    }
    return changed;
  }

  /** PATCH one batch; when the batch is refused, each member alone, to name who was refused. Returns the SCIM ids changed. */
  private async patchBatch(groupId: string, ids: string[], add: boolean, refuse: (id: string, reason: string) => void): Promise<string[]> {
    const action = add ? 'add' : 'remove';
    const attempt = async (slice: string[]): Promise<string | undefined> => {
      try {
        await this.scim.patch('Groups', groupId, memberPatches(action, slice, slice.length)[0]!);
        return undefined;
      } catch (error) {
        return memberFailure(error);
      }
    };
    const whole = await attempt(ids);
    if (whole === undefined) return ids;
    if (ids.length === 1) {
      refuse(ids[0]!, whole);
      return [];
    }
    const done: string[] = [];
    for (const id of ids) {
      const reason = await attempt([id]);
      if (reason === undefined) done.push(id);
      else refuse(id, reason);
    }
    return done;
  }

  private async changeLocal(pair: GroupPair, members: ResolvedMember[], add: boolean, problems: string[]): Promise<number> {
    if (members.length === 0) return 0;
    let side;
    try {
      side = add ? await this.sides.local(pair) : pair.local;
    } catch (error) {
      const reason = memberFailure(error);
      for (const m of members) problems.push(`${m.member.email}: ${reason}`);
      return 0;
    }
    if (!side) return 0;
    const directory = this.view.directories.local;
    let changed = 0;
    for (const m of members) {
      try {
        if (add) await this.visible(m, () => this.org.addMember(directory, side.group.id, m.accountId));
        else await this.org.removeMember(directory, side.group.id, m.accountId);
        if (add) side.members.add(m.accountId);
        else side.members.delete(m.accountId);
        changed += 1;
      } catch (error) {
        problems.push(`${m.member.email}: ${memberFailure(error)}`);
      }
    }
    return changed;
  }

  /**
   * Run `write`; for an account invited in this apply that the org answers 404 for, wait until the
   * local directory's search shows the account, then write again, within the bound.
   */
  private async visible(m: ResolvedMember, write: () => Promise<void>): Promise<void> {
    if (!this.fresh.has(m.accountId)) return write();
    const deadline = Date.now() + this.settings.inviteVisibilityMs;
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (!isOrgsyncError(error) || error.status !== 404 || Date.now() >= deadline) throw error;
      }
      await this.find(m, Math.max(0, deadline - Date.now()));
      await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }
}

/** One entry per account (a plan may name a person twice, e.g. by source id and by account id). */
function dedupe(members: ResolvedMember[]): ResolvedMember[] {
  const byAccount = new Map<string, ResolvedMember>();
  for (const m of members) if (!byAccount.has(m.accountId)) byAccount.set(m.accountId, m);
  return [...byAccount.values()];
}

/** Members to remove, by the side that holds them (both, when an account is on both). */
function holding(pair: GroupPair, members: ResolvedMember[]): Routed {
  return { idp: members.filter((m) => pair.idp?.members.has(m.accountId)), local: members.filter((m) => pair.local?.members.has(m.accountId)) };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
