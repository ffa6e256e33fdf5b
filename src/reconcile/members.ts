/**
 * Group members: which accounts an org group should gain and lose to match its IdP group.
 *
 * In: the context, the correlation, the user plan, the IdP group and the org group (null when the
 * plan creates it). Out: the members to add and to remove, sorted by email, source id, account id.
 *
 * Desired members are the present source users in the IdP group (transitively, or directly with
 * `groups.nested: direct`) that have or get an account in this plan. Only accounts linked to a
 * source user (or linked by this plan) are ever removed, never unlinked (hand-made) members, never
 * the accounts of held users; an external user keeps membership of a group every invitation grants.
 *
 * Membership tests use generation stamps in typed arrays indexed by entry
 * (`stamp[index] === generation` means "seen in this group"), so no set is built per group.
 */
import type { SourceGroup } from '../model/directory.js';
import type { OrgGroup } from '../model/org.js';
import type { Classification, MemberRef } from '../model/plan.js';
import type { Context, OrgEntry, SourceEntry } from './context.js';
import type { Correlation } from './correlate.js';
import { compareText } from './order.js';
import { memberOf, NO_ACCOUNT, type UserPlan } from './users.js';

/** `MemberDiff.linkedSource` value: the account may never be removed from a group by the sync. */
const KEEP = -1;
/** `MemberDiff.linkedSource` value: linked to a source user the plan does not provision (gone, held elsewhere). */
const DEPARTED = -2;

export class MemberDiff {
  private readonly orgStamp: Int32Array;
  private readonly sourceStamp: Int32Array;
  private generation = 0;
  /** Member references made so far, by source entry index: one object per user, shared by its groups. */
  private readonly refs = new Map<number, MemberRef>();
  /**
   * By org entry index: the source entry index the account is linked to (or linked to by this
   * plan), `DEPARTED`, or `KEEP` for an account that is never removed (unlinked, held, invalid).
   */
  private readonly linkedSource: Int32Array;

  constructor(
    private readonly ctx: Context,
    private readonly corr: Correlation,
    private readonly users: UserPlan,
  ) {
    this.orgStamp = new Int32Array(ctx.orgList.length);
    this.sourceStamp = new Int32Array(ctx.sources.size);
    this.linkedSource = new Int32Array(ctx.orgList.length);
    for (const entry of ctx.orgList) this.linkedSource[entry.index] = this.linkOf(entry);
  }

  private linkOf(entry: OrgEntry): number {
    const sourceId = this.sourceIdOf(entry);
    if (sourceId === undefined || entry.classification === null || this.corr.heldAccounts.has(entry.user.id)) return KEEP;
    if (this.corr.heldSources.has(sourceId) || this.ctx.duplicateSourceIds.has(sourceId)) return KEEP;
    return this.ctx.sources.get(sourceId)?.index ?? DEPARTED;
  }

  private sourceIdOf(entry: OrgEntry): string | undefined {
    return entry.user.externalId ?? this.users.adopted.get(entry.user.id);
  }

  /** Members to add and remove; `grantedByInvitation`: every invitation grants this group. */
  diff(source: SourceGroup, group: OrgGroup | null, grantedByInvitation: boolean): { add: MemberRef[]; remove: MemberRef[] } {
    const generation = ++this.generation;
    const current = this.stampCurrent(group, generation);
    const add: MemberRef[] = [];
    this.ctx.graph.walk(source.id, this.ctx.policy.groups.nested, (id) => {
      const entry = this.ctx.sources.get(id);
      if (!entry) return this.ctx.duplicateSourceIds.has(id);
      if (this.sourceStamp[entry.index] === generation) return true;
      this.sourceStamp[entry.index] = generation;
      const at = this.users.accountIndex[entry.index];
      if (at === NO_ACCOUNT || (at >= 0 && this.orgStamp[at] === generation)) return true;
      const member = this.memberRef(entry);
      if (member) add.push(member);
      return true;
    });
    const remove = group && this.ctx.removals ? this.removable(current, generation, grantedByInvitation) : [];
    return { add: sortMembers(add), remove: sortMembers(remove) };
  }

  private stampCurrent(group: OrgGroup | null, generation: number): OrgEntry[] {
    const current: OrgEntry[] = [];
    for (const id of group?.members ?? []) {
      const entry = this.ctx.orgById.get(id);
      if (!entry || this.orgStamp[entry.index] === generation) continue;
      this.orgStamp[entry.index] = generation;
      current.push(entry);
    }
    return current;
  }

  /** Current members linked to a source user who should not be there. */
  private removable(current: readonly OrgEntry[], generation: number, grantedByInvitation: boolean): MemberRef[] {
    const remove: MemberRef[] = [];
    for (const entry of current) {
      const source = this.linkedSource[entry.index];
      if (source === KEEP) continue;
      if (source >= 0 && this.users.accountIndex[source] === entry.index) {
        const wanted = this.sourceStamp[source] === generation;
        if (wanted || (grantedByInvitation && entry.classification === 'external')) continue;
      }
      remove.push({ email: entry.user.email, sourceId: this.sourceIdOf(entry) as string, accountId: entry.user.id, classification: entry.classification as Classification });
    }
    return remove;
  }

  private memberRef(entry: SourceEntry): MemberRef | undefined {
    let member = this.refs.get(entry.index);
    if (member === undefined) {
      member = memberOf(this.ctx, this.users, entry);
      if (member) this.refs.set(entry.index, member);
    }
    return member;
  }
}

function sortMembers(members: MemberRef[]): MemberRef[] {
  return members.sort((a, b) => compareText(a.email, b.email) || compareText(a.sourceId ?? '', b.sourceId ?? '') || compareText(a.accountId ?? '', b.accountId ?? ''));
}
