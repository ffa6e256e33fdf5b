/**
 * Delta rounds of the Graph emulator, as Graph shapes them: with no token, every object (groups
 * with all their members in `members@delta`); with a token taken at version `since`, only what
 * changed after it: new objects whole, changed objects with their id and the changed selected
 * properties, net member additions and removals (`@removed`), and removed objects as
 * `{ id, "@removed": { reason } }`. A group with many member changes is split over several entries
 * of at most `memberChunk` members, as Graph spreads a large group over pages.
 */
import { project } from './odata.js';
import type { MemberRef, Tenant, Tracked, TrackedGroup } from './tenant.js';

export type Entry = Record<string, unknown>;

const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';

export function refJson(ref: MemberRef): Entry {
  return { '@odata.type': ref.kind === 'user' ? USER_TYPE : GROUP_TYPE, id: ref.id };
}

function changedSince<T extends { id: string }>(tracked: Tracked<T>, since: number, select: readonly string[]): Entry | undefined {
  const keys = select.filter((key) => (tracked.changed.get(key) ?? 0) > since);
  return keys.length === 0 ? undefined : project(tracked.data, keys, []);
}

function removed(tombstones: Map<string, { seq: number; createdSeq: number; reason: string }>, since: number): Entry[] {
  const out: Entry[] = [];
  for (const [id, t] of tombstones) if (t.seq > since && t.createdSeq <= since) out.push({ id, '@removed': { reason: t.reason } });
  return out;
}

export function userDelta(tenant: Tenant, since: number | undefined, select: readonly string[]): Entry[] {
  const out: Entry[] = [];
  for (const user of tenant.users.values()) {
    if (since === undefined || user.createdSeq > since) out.push(project(user.data, select, select));
    else {
      const changed = changedSince(user, since, select);
      if (changed) out.push(changed);
    }
  }
  return since === undefined ? out : [...out, ...removed(tenant.removedUsers, since)];
}

/** Member changes after `since`, the last change of each member winning. */
function memberChanges(group: TrackedGroup, since: number): Entry[] {
  const last = new Map<string, Entry>();
  for (let i = group.log.length - 1; i >= 0 && group.log[i]!.seq > since; i--) {
    const event = group.log[i]!;
    if (last.has(event.id)) continue;
    const ref = refJson(event);
    last.set(event.id, event.op === 'add' ? ref : { ...ref, '@removed': { reason: 'deleted' } });
  }
  return [...last.values()].reverse();
}

function chunked(head: Entry, id: string, members: Entry[] | undefined, memberChunk: number): Entry[] {
  if (members === undefined) return [head];
  if (members.length <= memberChunk) return [{ ...head, 'members@delta': members }];
  const out: Entry[] = [];
  for (let i = 0; i < members.length; i += memberChunk) {
    out.push({ ...(i === 0 ? head : { id }), 'members@delta': members.slice(i, i + memberChunk) });
  }
  return out;
}

export function groupDelta(tenant: Tenant, since: number | undefined, select: readonly string[], memberChunk: number): Entry[] {
  const withMembers = select.includes('members');
  const props = select.filter((key) => key !== 'members');
  const out: Entry[] = [];
  for (const group of tenant.groups.values()) {
    const whole = since === undefined || group.createdSeq > since;
    const head = whole ? project(group.data, props, props) : changedSince(group, since, props);
    const members = !withMembers ? undefined : whole ? tenant.directMembers(group.data.id).map(refJson) : memberChanges(group, since);
    if (!whole && head === undefined && (members === undefined || members.length === 0)) continue;
    out.push(...chunked(head ?? { id: group.data.id }, group.data.id, members?.length === 0 && !whole ? undefined : members, memberChunk));
  }
  return since === undefined ? out : [...out, ...removed(tenant.removedGroups, since)];
}
