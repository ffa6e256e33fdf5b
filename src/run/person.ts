/**
 * Provisioning one person, the pure part: find the person a key names in a snapshot, narrow the
 * snapshot to them, and keep only the operations and warnings about them from a reconcile of that
 * narrowed snapshot against the whole org.
 *
 * Why a whitelist. The narrowed snapshot lacks every other user, so a reconcile of it plans
 * `deactivateAccount`/`revokeAccess` for every other linked account ("gone"), `removeMembers` of
 * everyone else and changes to groups the person is not in. None of that is known: those people were
 * simply not looked at. So nothing from the narrowed result is kept unless it is about the person:
 * user operations whose source id is theirs, the person's own entries of `addMembers` /
 * `removeMembers`, and a `createGroup` only when the person is added to that new group. Guards are
 * then evaluated again on what is kept (the deprovision counts of the whole result are meaningless).
 *
 * The groups of the snapshot are kept whole: the person's memberships are then judged against every
 * group, so leaving a group is planned as in a full run. The person's own operations depend only on
 * their record, the groups, the org and the users who hold an address of the person's accounts
 * (kept too), so they are those of a full run, and the next full plan does not repeat them. Not
 * covered: a hold a full run would add for a user not kept here (none is known today).
 */
import type { Snapshot, SourceGroup, SourceUser } from '../model/directory.js';
import type { OrgState } from '../model/org.js';
import type { Operation, ReconcileResult, Warning } from '../model/plan.js';
import type { Policy } from '../model/policy.js';
import { normalizeEmail } from '../reconcile/email.js';
import { evaluateGuards, guardBasis, statusOf } from '../reconcile/guards.js';
import { summarize } from '../reconcile/index.js';
import { operation } from '../reconcile/ids.js';

export type PersonLookup =
  | { kind: 'found'; user: SourceUser }
  | { kind: 'not-found' }
  /** The key names several users, or the user it names shares its address with others. */
  | { kind: 'duplicate'; ids: string[] };

/**
 * The one source user a key names: a source id (exact), else an address compared after
 * normalization with each user's `email` and `userName`. A user found by id whose address another
 * user also has is a duplicate too: a full run would change neither of them.
 */
export function findPerson(users: readonly SourceUser[], key: string): PersonLookup {
  const wanted = key.trim();
  const byId = users.filter((user) => user.id === wanted);
  if (byId.length > 1) return { kind: 'duplicate', ids: byId.map((user) => user.id) };
  const address = byId.length === 1 ? addressOf(byId[0]!.email) : addressOf(wanted);
  const matches = address === null ? byId : users.filter((user) => user.id === wanted || addressOf(user.email) === address || addressOf(user.userName) === address);
  const ids = [...new Set(matches.map((user) => user.id))].sort();
  if (ids.length === 0) return { kind: 'not-found' };
  if (ids.length > 1) return { kind: 'duplicate', ids };
  return { kind: 'found', user: matches[0]! };
}

function addressOf(raw: string | null | undefined): string | null {
  const normalized = normalizeEmail(raw);
  return normalized.ok ? normalized.address : null;
}

/**
 * The snapshot with only the person among its users; groups, completeness and the person's read
 * issues kept. Also kept: users whose address is that of an account linked to the person. A full
 * run holds the person when such a user claims their old address (`ambiguous-match`); without
 * those users the narrowed run would not see it. Their own operations are dropped later.
 */
export function narrowSnapshot(snapshot: Snapshot, person: SourceUser, org: OrgState): Snapshot {
  const taken = new Set<string>();
  for (const account of org.users) {
    const address = account.externalId === person.id ? addressOf(account.email) : null;
    if (address !== null) taken.add(address);
  }
  const others = taken.size === 0 ? [] : snapshot.users.filter((user) => user.id !== person.id && taken.has(addressOf(user.email) ?? ''));
  return {
    complete: snapshot.complete,
    users: [person, ...others],
    groups: snapshot.groups,
    issues: snapshot.issues.filter((issue) => issue.subject === person.id),
  };
}

/** The groups the person belongs to, directly or through nested groups, sorted by name. */
export function groupsOf(groups: readonly SourceGroup[], personId: string): SourceGroup[] {
  const parents = new Map<string, SourceGroup[]>();
  for (const group of groups) {
    for (const member of group.members) {
      const list = parents.get(member);
      if (list) list.push(group);
      else parents.set(member, [group]);
    }
  }
  const found = new Map<string, SourceGroup>();
  const pending = [personId];
  while (pending.length > 0) {
    for (const group of parents.get(pending.pop() as string) ?? []) {
      if (found.has(group.id)) continue;
      found.set(group.id, group);
      pending.push(group.id);
    }
  }
  return [...found.values()].sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
}

/** The operations about the person (see the module doc), in the plan's order. */
export function operationsAbout(operations: readonly Operation[], personId: string): Operation[] {
  const kept: Operation[] = [];
  const newGroups = new Set<string>();
  for (const op of operations) {
    if (op.members !== null) {
      const mine = op.members.filter((member) => member.sourceId === personId);
      if (mine.length === 0) continue;
      kept.push(mine.length === op.members.length ? op : operation({ ...op, members: mine, reason: memberReason(op, personId) }));
      if (op.group && op.group.id === null && op.group.externalId !== null) newGroups.add(op.group.externalId);
    } else if (op.group === null && op.sourceId === personId) {
      kept.push(op);
    }
  }
  const creates = operations.filter((op) => op.kind === 'createGroup' && op.group?.externalId != null && newGroups.has(op.group.externalId));
  return [...creates, ...kept];
}

/** The reason of a member operation cut down to the person (the original counts every member). */
function memberReason(op: Operation, personId: string): string {
  const group = op.group?.externalId != null ? `directory group ${op.group.externalId}` : `the policy for ${op.group?.name ?? 'the group'}`;
  if (op.kind === 'addMembers') return `directory user ${personId} is a member of ${group} and not of the org group`;
  return `directory user ${personId} is in the org group but not among the active, in-scope members of ${group} (left the group, disabled or out of scope)`;
}

/**
 * Warnings about the users of the narrowed snapshot (by source id or address: the person, and
 * those kept because they hold the person's old address), and whether the read was incomplete.
 */
export function warningsAbout(warnings: readonly Warning[], users: readonly SourceUser[]): Warning[] {
  const subjects = new Set<string>();
  for (const user of users) {
    subjects.add(user.id);
    const address = addressOf(user.email);
    if (address !== null) subjects.add(address);
  }
  return warnings.filter((w) => w.code === 'incomplete-source' || (w.subject !== undefined && subjects.has(w.subject)));
}

/**
 * The result of reconciling the narrowed snapshot (`narrowSnapshot`: the person first), cut down
 * to the person: their operations and warnings, the guards evaluated on those operations, and the status that follows.
 */
export function resultAbout(result: ReconcileResult, narrowed: Snapshot, facts: { org: OrgState; policy: Policy }): ReconcileResult {
  const person = narrowed.users[0]!;
  const operations = operationsAbout(result.operations, person.id);
  let linkedCount = 0;
  for (const user of facts.org.users) if (user.externalId != null) linkedCount += 1;
  // The emptySource guard is about a whole read; one person read is never an empty directory.
  const guardFacts = { linkedCount, inScopeCount: 1, complete: narrowed.complete };
  const guards = evaluateGuards(operations, facts.policy, guardFacts);
  return {
    status: statusOf(operations, guards),
    fingerprints: result.fingerprints,
    summary: summarize(operations),
    guards,
    basis: guardBasis(facts.policy, guardFacts),
    warnings: warningsAbout(result.warnings, narrowed.users),
    operations,
  };
}
