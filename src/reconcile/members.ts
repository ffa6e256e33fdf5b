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
 * This is the hot loop of a run (one step per membership on each side), so it works on list
 * positions and typed arrays: `src[2i]` stamps source user i as seen in the current group and
 * `src[2i + 1]` holds its account (`UserPlan.accountIndex`); `org[2j]` stamps org user j as a
 * current member and `org[2j + 1]` holds the source position it is linked to (or KEEP/DEPARTED).
 * A stamp equal to the group's generation number means "in this group"; nothing is built per group.
 */
import type { SourceGroup } from '../model/directory.js';
import type { OrgGroup } from '../model/org.js';
import type { Classification, MemberRef } from '../model/plan.js';
import type { Context, OrgEntry } from './context.js';
import type { Correlation } from './correlate.js';
import { compareText } from './order.js';
import { memberOf, NEW_ACCOUNT, NO_ACCOUNT, type UserPlan } from './users.js';

/** Link value: the account is never removed from a group by the sync (unlinked, held, invalid address). */
const KEEP = -1;
/** Link value: linked to a source user that is not in the snapshot. */
const DEPARTED = -2;

export class MemberDiff {
  private readonly src: Int32Array;
  private readonly org: Int32Array;
  private generation = 0;
  /**
   * Positions of the current members of the group being compared: the first `currentCount` slots.
   * A typed array sized once, since emptying a plain array (`length = 0`) drops its storage and
   * every group grew it again.
   */
  private readonly current: Int32Array;
  private currentCount = 0;
  /** Member references made so far, by source position: one object per user, shared by its groups. */
  private readonly refs: (MemberRef | undefined)[];

  constructor(
    private readonly ctx: Context,
    private readonly corr: Correlation,
    private readonly users: UserPlan,
  ) {
    this.src = new Int32Array(2 * ctx.sourceList.length);
    for (let i = 0; i < ctx.sourceList.length; i += 1) this.src[2 * i + 1] = users.accountIndex[i];
    this.org = new Int32Array(2 * ctx.orgList.length);
    for (const entry of ctx.orgList) this.org[2 * entry.index + 1] = this.linkOf(entry);
    this.refs = new Array<MemberRef | undefined>(ctx.sourceList.length);
    this.current = new Int32Array(ctx.orgList.length);
  }

  private linkOf(entry: OrgEntry): number {
    if (entry.classification === null || this.corr.heldAccount[entry.index] === 1) return KEEP;
    const linked = entry.linkedSource;
    if (linked >= 0) return this.corr.heldSource[linked] === 1 ? KEEP : linked;
    // Not linked to a listed source user: adopted in this plan, gone, or linked to a duplicated id.
    const sourceId = this.sourceIdOf(entry);
    if (sourceId === undefined || this.corr.heldSources.has(sourceId) || this.ctx.duplicateSourceIds.has(sourceId)) return KEEP;
    return this.ctx.sourceIndex.get(sourceId) ?? DEPARTED;
  }

  private sourceIdOf(entry: OrgEntry): string | undefined {
    return entry.user.externalId ?? this.users.adopted.get(entry.user.id);
  }

  /** Members to add and remove; `grantedByInvitation`: every invitation grants this group. */
  diff(source: SourceGroup, group: OrgGroup | null, grantedByInvitation: boolean): { add: MemberRef[]; remove: MemberRef[] } {
    const generation = ++this.generation;
    this.stampCurrent(group, generation);
    const add = this.missing(source, generation);
    const remove = group && this.ctx.removals ? this.removable(generation, grantedByInvitation) : [];
    return { add: sortMembers(add), remove: sortMembers(remove) };
  }

  private stampCurrent(group: OrgGroup | null, generation: number): void {
    const { org, current } = this;
    const index = this.ctx.orgIndex;
    this.currentCount = 0;
    if (group === null) return;
    // An indexed loop: `for...of` here allocated an iterator result per member before optimization.
    const members = group.members;
    for (let k = 0; k < members.length; k += 1) {
      const at = index.get(members[k]);
      if (at === undefined || org[2 * at] === generation) continue;
      org[2 * at] = generation;
      current[this.currentCount++] = at;
    }
  }

  /** Desired members that are not current members. */
  private missing(source: SourceGroup, generation: number): MemberRef[] {
    const { src, org } = this;
    const index = this.ctx.sourceIndex;
    const duplicates = this.ctx.duplicateSourceIds;
    const add: MemberRef[] = [];
    this.ctx.graph.walk(source.id, this.ctx.policy.groups.nested, (members, descend) => {
      for (let k = 0; k < members.length; k += 1) {
        const id = members[k];
        const i = index.get(id);
        if (i === undefined) {
          if (!duplicates.has(id)) descend(id);
          continue;
        }
        if (src[2 * i] === generation) continue;
        src[2 * i] = generation;
        const account = src[2 * i + 1];
        if (account === NO_ACCOUNT || (account !== NEW_ACCOUNT && org[2 * account] === generation)) continue;
        const member = this.memberRef(i);
        if (member) add.push(member);
      }
    });
    return add;
  }

  /** Current members linked to a source user who should not be there. */
  private removable(generation: number, grantedByInvitation: boolean): MemberRef[] {
    const { src, org } = this;
    const remove: MemberRef[] = [];
    for (let k = 0; k < this.currentCount; k += 1) {
      const at = this.current[k];
      const source = org[2 * at + 1];
      if (source === KEEP) continue;
      const kept = source >= 0 && src[2 * source + 1] === at;
      if (kept && src[2 * source] === generation) continue;
      const entry = this.ctx.orgList[at];
      if (kept && grantedByInvitation && entry.classification === 'external') continue;
      remove.push({ email: entry.user.email, sourceId: this.sourceIdOf(entry) as string, accountId: entry.user.id, classification: entry.classification as Classification });
    }
    return remove;
  }

  private memberRef(position: number): MemberRef | undefined {
    let member = this.refs[position];
    if (member === undefined) {
      member = memberOf(this.ctx, this.users, this.ctx.sourceList[position]);
      this.refs[position] = member;
    }
    return member;
  }
}

function sortMembers(members: MemberRef[]): MemberRef[] {
  return members.sort((a, b) => compareText(a.email, b.email) || compareText(a.sourceId ?? '', b.sourceId ?? '') || compareText(a.accountId ?? '', b.accountId ?? ''));
}
