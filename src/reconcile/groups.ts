/**
 * Group operations: mirror the IdP groups the policy selects into org groups, and keep their
 * members in line (`members.ts`).
 *
 * In: the context, the correlation and the user plan. Out: operations; warnings to the sink.
 *
 * - Mirrored groups: `policy.groups.sync` (`all`, `none`, or IdP group display names). The org
 *   group is named `policy.groups.prefix + displayName` and linked by its `externalId`.
 * - Names compare case-insensitively. A name already held by an org group that does not mirror the
 *   IdP group (or by another mirrored group; linked groups first, then by IdP id) gives
 *   `group-name-conflict`: the group is neither created nor renamed.
 * - Relink: when the holder of the name is a group the sync created for an IdP group that is gone
 *   or no longer mirrored (an IdP group deleted and recreated), and the read is complete, the org
 *   group is relinked to the new IdP group (`updateGroup` of its `externalId`) instead of being
 *   deleted and created again, so its members and product access are kept.
 * - `deleteGroup`: only a group the sync created whose IdP group is gone or no longer mirrored.
 *   A hand-made group in that state is reported (`group-link-stale`) and left alone.
 * - A group the source knows by id only (`SourceGroup.unnamed`) is never renamed or re-described;
 *   one from a source without descriptions (`undescribed`) never has its description changed.
 * - A rename or a create that needs a name another group gives up in the same plan (renamed away or
 *   deleted) waits for the next run: plans apply creates before updates and deletes last.
 */
import type { SourceGroup } from '../model/directory.js';
import type { OrgGroup } from '../model/org.js';
import type { GroupRef, Operation } from '../model/plan.js';
import type { Context } from './context.js';
import type { Correlation } from './correlate.js';
import { operation } from './ids.js';
import { MemberDiff } from './members.js';
import { compareText } from './order.js';
import type { UserPlan } from './users.js';
import { examples, plural, type WarningSink } from './warnings.js';

interface Planner {
  ctx: Context;
  sink: WarningSink;
  members: MemberDiff;
  /** Lowercased org group names and who holds them: `org:<id>` or `new:<source group id>`. */
  names: Map<string, string>;
  orgGroups: Map<string, OrgGroup>;
  mirrored: Set<string>;
  /** Org groups relinked to a new IdP group in this plan. */
  relinked: Set<string>;
  /** Lowercased names of the groups every invitation grants. */
  invitationGroups: Set<string>;
  operations: Operation[];
}

export function planGroups(ctx: Context, corr: Correlation, users: UserPlan, sink: WarningSink): Operation[] {
  const sorted = [...ctx.orgGroups].sort((a, b) => compareText(a.id, b.id));
  const names = new Map<string, string>();
  for (const group of sorted) if (!names.has(group.name.toLowerCase())) names.set(group.name.toLowerCase(), `org:${group.id}`);
  const mirrored = selectMirrored(ctx, sink);
  const p: Planner = {
    ctx,
    sink,
    members: new MemberDiff(ctx, corr, users),
    names,
    orgGroups: new Map(sorted.map((group) => [group.id, group])),
    mirrored: new Set(mirrored.map((group) => group.id)),
    relinked: new Set(),
    invitationGroups: new Set(ctx.policy.external.groups.map((name) => name.toLowerCase())),
    operations: [],
  };
  const linked = linkedGroups(sorted);
  const unlinked: SourceGroup[] = [];
  for (const group of mirrored) {
    const mine = linked.get(group.id) ?? [];
    if (mine.length > 1) sink.warn('ambiguous-group', `org groups ${examples(mine.map((g) => g.id))} are all linked to directory group ${group.id}; none of them is changed`, group.id);
    else if (mine.length === 1) syncLinked(p, group, mine[0]);
    else unlinked.push(group);
  }
  for (const group of unlinked) createMirror(p, group);
  retireUnmirrored(p, linked);
  return p.operations;
}

/** The IdP groups to mirror, by id; duplicate ids are left out (and reported). */
function selectMirrored(ctx: Context, sink: WarningSink): SourceGroup[] {
  const sync = ctx.policy.groups.sync;
  if (sync === 'none') return [];
  const selected = new Map<string, SourceGroup>();
  if (sync === 'all') {
    for (const group of ctx.groups) selected.set(group.id, group);
  } else {
    for (const name of [...new Set(sync)].sort(compareText)) {
      const groups = ctx.graph.named(name);
      if (groups.length === 0) sink.warn('sync-group-missing', `group "${name}" in policy groups.sync is not in the directory`, name);
      for (const group of groups) selected.set(group.id, group);
    }
  }
  const told = ctx.graph.duplicateIds.size > 0 ? sink.subjectsOf('duplicate-group-id') : new Set<string>();
  for (const id of ctx.graph.duplicateIds) {
    if (selected.delete(id) && !told.has(id)) sink.warn('duplicate-group-id', `directory group id ${id} occurs more than once; it is not mirrored this run`, id);
  }
  return [...selected.values()].sort((a, b) => compareText(a.id, b.id));
}

/** Org groups by the IdP group they are linked to (input sorted by id, so each list is too). */
function linkedGroups(sorted: readonly OrgGroup[]): Map<string, OrgGroup[]> {
  const map = new Map<string, OrgGroup[]>();
  for (const group of sorted) {
    if (group.externalId == null) continue;
    const list = map.get(group.externalId);
    if (list) list.push(group);
    else map.set(group.externalId, [group]);
  }
  return map;
}

function desiredName(p: Planner, group: SourceGroup): string {
  return `${p.ctx.policy.groups.prefix}${group.displayName}`;
}

/** Claim a name for `owner`; false (and a warning) when another group holds it. */
function claimName(p: Planner, name: string, owner: string, source: SourceGroup): boolean {
  const holder = p.names.get(name.toLowerCase());
  if (holder !== undefined && holder !== owner) {
    const by = holder.startsWith('new:') ? `directory group ${holder.slice(4)}, mirrored too` : `org group ${holder.slice(4)}, which does not mirror it`;
    p.sink.warn('group-name-conflict', `directory group ${source.id} needs the org group name "${name}", which is taken by ${by}; the group is not ${owner.startsWith('new:') ? 'created' : 'renamed'}`, source.id);
    return false;
  }
  p.names.set(name.toLowerCase(), owner);
  return true;
}

/** `updateGroup` for the fields that differ (`before`/`after` hold only those), then the members. */
function update(p: Planner, source: SourceGroup, group: OrgGroup, changes: { name?: string; externalId?: string }, reason: string): void {
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  if (changes.externalId !== undefined) {
    before.externalId = group.externalId;
    after.externalId = changes.externalId;
  }
  if (changes.name !== undefined && changes.name !== group.name) {
    before.name = group.name;
    after.name = changes.name;
  }
  if (!source.undescribed && (source.description ?? '') !== (group.description ?? '')) {
    before.description = group.description;
    after.description = source.description ?? '';
  }
  if (Object.keys(after).length > 0) {
    const why = reason || `directory group ${source.id} has a different ${Object.keys(after).join(' and ')}`;
    p.operations.push(operation({ kind: 'updateGroup', group: { id: group.id, externalId: group.externalId, name: group.name }, reason: why, before, after }));
  }
  memberOperations(p, source, group, { id: group.id, externalId: source.id, name: (after.name as string | undefined) ?? group.name });
}

function syncLinked(p: Planner, source: SourceGroup, group: OrgGroup): void {
  // A group known by its id only has no name or description to compare: only its members are kept in line.
  if (source.unnamed) return memberOperations(p, source, group, { id: group.id, externalId: source.id, name: group.name });
  const wanted = desiredName(p, source);
  const name = wanted !== group.name && claimName(p, wanted, `org:${group.id}`, source) ? wanted : group.name;
  update(p, source, group, { name }, '');
}

function createMirror(p: Planner, source: SourceGroup): void {
  const name = desiredName(p, source);
  const holder = p.names.get(name.toLowerCase());
  const orphan = holder?.startsWith('org:') ? relinkable(p, holder.slice(4)) : undefined;
  if (orphan) {
    p.relinked.add(orphan.id);
    const reason = `directory group ${source.id} has the name of this group, which the sync created for directory group ${orphan.externalId}, no longer mirrored: the group is relinked, keeping its members and access`;
    update(p, source, orphan, { name, externalId: source.id }, reason);
    return;
  }
  if (!claimName(p, name, `new:${source.id}`, source)) return;
  const ref: GroupRef = { id: null, externalId: source.id, name };
  p.operations.push(operation({ kind: 'createGroup', group: ref, reason: `directory group ${source.id} is mirrored and has no org group`, after: { name, description: source.description ?? '' } }));
  if (p.ctx.capable('createGroup')) memberOperations(p, source, null, ref);
}

/** A group the sync created for an IdP group that is gone or no longer mirrored, if the read allows reusing it. */
function relinkable(p: Planner, id: string): OrgGroup | undefined {
  const group = p.orgGroups.get(id);
  if (!group || group.source !== 'sync' || group.externalId == null || !p.ctx.removals) return undefined;
  if (p.mirrored.has(group.externalId) || p.ctx.graph.duplicateIds.has(group.externalId) || p.relinked.has(group.id)) return undefined;
  return p.ctx.capable('updateGroup') ? group : undefined;
}

function memberOperations(p: Planner, source: SourceGroup, group: OrgGroup | null, ref: GroupRef): void {
  const { add, remove } = p.members.diff(source, group, p.invitationGroups.has(ref.name.toLowerCase()));
  if (add.length > 0) {
    p.operations.push(operation({ kind: 'addMembers', group: ref, members: add, reason: `${plural(add.length, 'member')} of directory group ${source.id} ${add.length === 1 ? 'is' : 'are'} not in the org group` }));
  }
  if (remove.length > 0) {
    p.operations.push(operation({ kind: 'removeMembers', group: ref, members: remove, reason: `${plural(remove.length, 'linked member')} of the org group ${remove.length === 1 ? 'is' : 'are'} not among the active, in-scope members of directory group ${source.id} (left the group, disabled, gone or out of scope)` }));
  }
}

/** Org groups linked to IdP groups that are gone or not mirrored: delete the sync's own, report the rest. */
function retireUnmirrored(p: Planner, linked: ReadonlyMap<string, OrgGroup[]>): void {
  for (const [externalId, groups] of linked) {
    if (p.mirrored.has(externalId) || p.ctx.graph.duplicateIds.has(externalId)) continue;
    const state = p.ctx.graph.has(externalId) ? 'is no longer mirrored' : 'is gone from the directory';
    for (const group of groups) {
      if (p.relinked.has(group.id)) continue;
      if (group.source !== 'sync') {
        p.sink.warn('group-link-stale', `org group "${group.name}" (${group.id}) was made by hand and is linked to directory group ${externalId}, which ${state}; it is left as it is`, group.id);
      } else if (p.ctx.removals) {
        const ref: GroupRef = { id: group.id, externalId, name: group.name };
        p.operations.push(operation({ kind: 'deleteGroup', group: ref, reason: `the sync created this group for directory group ${externalId}, which ${state}`, before: { name: group.name, externalId } }));
      }
    }
  }
}
