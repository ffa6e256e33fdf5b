/**
 * The baseline an incremental read merges Graph deltas into, and its stored form.
 *
 * In: raw users (selected properties), group records with **direct** members, the two deltaLinks
 * and a `context` string naming what the baseline was read for (tenant, base URL, scope). Out: the
 * JSON kept under one key of the profile's `StateStore` (one key, so cursor and baseline never
 * disagree), and back. A stored value that does not parse, has another version or another context
 * is "no baseline": the caller reads everything again.
 *
 * The merge functions are pure (they return new maps) and idempotent: Graph sends changed objects
 * with their current state and may replay a delta, so applying the same entries twice gives the
 * same baseline. A changed user carries only changed properties; absent properties keep their value.
 */
import type { DirectoryRef, GraphGroup, GraphUser, GroupRecord, MemberKind } from './graph.js';
import { memberKind } from './graph.js';

export const STATE_KEY = 'entra.baseline';
const VERSION = 1;

export interface Baseline {
  context: string;
  usersDeltaLink: string;
  groupsDeltaLink: string;
  users: Map<string, GraphUser>;
  groups: Map<string, GroupRecord>;
}

interface StoredGroup {
  id: string;
  displayName: string;
  description: string;
  users: string[];
  groups: string[];
}

interface Stored {
  version: number;
  context: string;
  usersDeltaLink: string;
  groupsDeltaLink: string;
  users: GraphUser[];
  groups: StoredGroup[];
}

export function serializeBaseline(baseline: Baseline): string {
  const groups: StoredGroup[] = [...baseline.groups.values()].map((g) => {
    const members = [...g.members];
    return {
      id: g.id,
      displayName: g.displayName,
      description: g.description,
      users: members.filter(([, kind]) => kind === 'user').map(([id]) => id),
      groups: members.filter(([, kind]) => kind === 'group').map(([id]) => id),
    };
  });
  const stored: Stored = { version: VERSION, context: baseline.context, usersDeltaLink: baseline.usersDeltaLink, groupsDeltaLink: baseline.groupsDeltaLink, users: [...baseline.users.values()], groups };
  return JSON.stringify(stored);
}

/** The baseline stored in `text` when it was made for `context`; otherwise undefined. */
export function parseBaseline(text: string | null, context: string): Baseline | undefined {
  if (text === null) return undefined;
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return undefined;
  }
  if (stored?.version !== VERSION || stored.context !== context || !Array.isArray(stored.users) || !Array.isArray(stored.groups)) return undefined;
  if (typeof stored.usersDeltaLink !== 'string' || typeof stored.groupsDeltaLink !== 'string') return undefined;
  const groups = new Map<string, GroupRecord>();
  for (const g of stored.groups) {
    const members = new Map<string, MemberKind>();
    for (const id of g.users) members.set(id, 'user');
    for (const id of g.groups) members.set(id, 'group');
    groups.set(g.id, { id: g.id, displayName: g.displayName, description: g.description, members });
  }
  return { context, usersDeltaLink: stored.usersDeltaLink, groupsDeltaLink: stored.groupsDeltaLink, users: new Map(stored.users.map((u) => [u.id, u])), groups };
}

/** Properties of a delta entry that describe the object (not annotations such as `@removed`). */
function properties<T extends object>(entry: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (!key.includes('@')) out[key] = value;
  return out as Partial<T>;
}

/** Users after a users/delta round: removed ones dropped, changed ones patched, new ones added. */
export function applyUserDelta(users: ReadonlyMap<string, GraphUser>, entries: Iterable<GraphUser>): Map<string, GraphUser> {
  const next = new Map(users);
  for (const entry of entries) {
    if (typeof entry.id !== 'string') continue;
    if (entry['@removed']) next.delete(entry.id);
    else next.set(entry.id, { ...next.get(entry.id), ...properties(entry), id: entry.id });
  }
  return next;
}

function applyMemberDelta(members: Map<string, MemberKind>, refs: DirectoryRef[]): void {
  for (const ref of refs) {
    if (typeof ref.id !== 'string') continue;
    const kind = memberKind(ref);
    if (ref['@removed']) members.delete(ref.id);
    else if (kind !== undefined) members.set(ref.id, kind);
  }
}

/**
 * Groups after a groups/delta round. `members@delta` holds direct members added or (with
 * `@removed`) removed; one group may appear in several entries, each with part of its members.
 * Members that are removed objects stay until Graph reports their removal from the group.
 */
export function applyGroupDelta(groups: ReadonlyMap<string, GroupRecord>, entries: Iterable<GraphGroup>): Map<string, GroupRecord> {
  const next = new Map(groups);
  const copied = new Set<string>();
  for (const entry of entries) {
    if (typeof entry.id !== 'string') continue;
    if (entry['@removed']) {
      next.delete(entry.id);
      continue;
    }
    const old = next.get(entry.id);
    const record: GroupRecord = copied.has(entry.id) && old ? old : { id: entry.id, displayName: old?.displayName ?? '', description: old?.description ?? '', members: new Map(old?.members) };
    copied.add(entry.id);
    if (entry.displayName !== undefined) record.displayName = entry.displayName ?? '';
    if (entry.description !== undefined) record.description = entry.description ?? '';
    applyMemberDelta(record.members, entry['members@delta'] ?? []);
    next.set(entry.id, record);
  }
  return next;
}


export interface ScopedUserDelta {
  users: Map<string, GraphUser>;
  /** Users to read one by one: they entered the scope (or came back) and the baseline lacks them. */
  toFetch: string[];
}

/**
 * Users after a users/delta round when only the scope's users are kept. Entries for users outside
 * the baseline are not trusted to be whole (Graph sends changed properties only), so a user who
 * enters the scope, or reappears in this round, is listed in `toFetch` instead, unless this round's
 * last entry for them removed them (a member list may still name a deleted user). Users who left
 * the scope are dropped. `before`/`after`: user ids in scope before and after the groups delta.
 */
export function applyScopedUserDelta(
  users: ReadonlyMap<string, GraphUser>,
  entries: readonly GraphUser[],
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): ScopedUserDelta {
  const next = applyUserDelta(users, entries.filter((entry) => entry['@removed'] !== undefined || users.has(entry.id)));
  for (const id of [...next.keys()]) if (!after.has(id)) next.delete(id);
  const reappeared = new Set(entries.filter((entry) => entry['@removed'] === undefined).map((entry) => entry.id));
  const removedLast = new Map(entries.map((entry) => [entry.id, entry['@removed'] !== undefined]));
  const toFetch = [...after].filter((id) => !next.has(id) && removedLast.get(id) !== true && (!before.has(id) || reappeared.has(id))).sort();
  return { users: next, toFetch };
}
