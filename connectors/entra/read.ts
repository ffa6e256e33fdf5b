/**
 * The full read: every user (or only the scope's), every group and each group's members.
 *
 * In: a `GraphClient` and what to read. Out: raw users, group records and the scope group names
 * that match no group. Users are paged with `$select` and `$top=999`; each group's direct
 * `members` are read with at most `concurrency` requests in flight, nested groups kept as group ids
 * (the reconcile core flattens them when the policy says `nested: flatten`; direct lists are also
 * what the delta baseline needs, and cost Graph less than `transitiveMembers`). The users and the groups are
 * read side by side; the first failure stops everything still queued and is thrown: a read that
 * did not see every page never returns.
 */
import pLimit from 'p-limit';
import type { CallOptions, GraphClient, GraphPage } from './client.js';
import { GROUP_FIELDS, PAGE_SIZE, USER_FIELDS, listRequest, memberKind, odataString, query, type DirectoryRef, type GraphGroup, type GraphUser, type GroupRecord, type ListRequest } from './graph.js';
import { toGroupRecord } from './map.js';

export interface FullReadRequest {
  /** Names of the groups whose transitive members are the users to read; empty: every user. */
  scopeGroups: readonly string[];
  userFilter?: string;
  concurrency: number;
  call: CallOptions;
}

export interface FullRead {
  users: GraphUser[];
  groups: GroupRecord[];
  /** Scope group names no group has. */
  missingScope: string[];
}

export async function collect<T>(pages: AsyncIterable<GraphPage<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) for (const item of page.items) out.push(item);
  return out;
}

/** Run `fn` on every item, `concurrency` at a time; on the first failure start nothing more. */
export async function mapBounded<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency);
  try {
    return await Promise.all(items.map((item) => limit(() => fn(item))));
  } finally {
    limit.clearQueue();
  }
}

/** Run tasks side by side with a shared signal that is aborted when any of them fails. */
export async function together<T extends unknown[]>(outer: CallOptions, tasks: { [K in keyof T]: (call: CallOptions) => Promise<T[K]> }): Promise<T> {
  const controller = new AbortController();
  const call = { ...outer, signal: outer.signal ? AbortSignal.any([outer.signal, controller.signal]) : controller.signal };
  const running = tasks.map((task) =>
    task(call).catch((error: unknown) => {
      controller.abort(error);
      throw error;
    }),
  );
  return (await Promise.all(running)) as T;
}

/** Every user (selected properties), or those `filter` keeps (an advanced query). */
export function usersRequest(filter?: string): ListRequest {
  return listRequest('users', { $select: USER_FIELDS.join(','), $top: PAGE_SIZE, $filter: filter });
}

function readUserList(client: GraphClient, filter: string | undefined, call: CallOptions): Promise<GraphUser[]> {
  const request = usersRequest(filter);
  return collect(client.pages<GraphUser>(request.path, call, request.headers));
}

export function membersPath(groupId: string, nested: 'flatten' | 'direct', select = 'id'): string {
  const relation = nested === 'flatten' ? 'transitiveMembers' : 'members';
  return `groups/${encodeURIComponent(groupId)}/${relation}${query({ $select: select, $top: PAGE_SIZE })}`;
}

export async function readGroups(client: GraphClient, call: CallOptions): Promise<GraphGroup[]> {
  return collect(client.pages<GraphGroup>(`groups${query({ $select: GROUP_FIELDS.join(','), $top: PAGE_SIZE })}`, call));
}

/** Every group with its direct members; `concurrency` member lists in flight. */
export async function readGroupRecords(client: GraphClient, request: FullReadRequest, call: CallOptions): Promise<GroupRecord[]> {
  const groups = await readGroups(client, call);
  return mapBounded(groups, request.concurrency, async (group) => toGroupRecord(group, await collect(client.pages<DirectoryRef>(membersPath(group.id, 'direct'), call))));
}

/** The groups whose display name is exactly one of `names` (Graph's `eq` ignores case; the policy does not). */
export async function findGroups(client: GraphClient, names: readonly string[], call: CallOptions): Promise<{ found: GraphGroup[]; missing: string[] }> {
  const found: GraphGroup[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const request = listRequest('groups', { $filter: `displayName eq ${odataString(name)}`, $select: GROUP_FIELDS.join(',') });
    const matches = (await collect(client.pages<GraphGroup>(request.path, call, request.headers))).filter((group) => group.displayName === name);
    if (matches.length === 0) missing.push(name);
    found.push(...matches);
  }
  return { found, missing };
}

/** Transitive user members of the scope groups, with user properties (or ids only, then intersected with the filtered users). */
async function readScopeUsers(client: GraphClient, request: FullReadRequest, call: CallOptions): Promise<{ users: GraphUser[]; missing: string[] }> {
  const { found, missing } = await findGroups(client, request.scopeGroups, call);
  const select = request.userFilter === undefined ? USER_FIELDS.join(',') : 'id';
  const lists = await mapBounded(found, request.concurrency, (group) => collect(client.pages<GraphUser & DirectoryRef>(membersPath(group.id, 'flatten', select), call)));
  const members = new Map<string, GraphUser>();
  for (const item of lists.flat()) if (memberKind(item) === 'user') members.set(item.id, withoutType(item));
  if (request.userFilter === undefined) return { users: [...members.values()], missing };
  const filtered = await readUserList(client, request.userFilter, call);
  return { users: filtered.filter((u) => members.has(u.id)), missing };
}

function withoutType(item: GraphUser & DirectoryRef): GraphUser {
  const { '@odata.type': _type, ...user } = item;
  return user;
}

async function readUsers(client: GraphClient, request: FullReadRequest, call: CallOptions): Promise<{ users: GraphUser[]; missing: string[] }> {
  if (request.scopeGroups.length > 0) return readScopeUsers(client, request, call);
  return { users: await readUserList(client, request.userFilter, call), missing: [] };
}

export async function readFull(client: GraphClient, request: FullReadRequest): Promise<FullRead> {
  const [users, groups] = await together<[{ users: GraphUser[]; missing: string[] }, GroupRecord[]]>(request.call, [
    (call) => readUsers(client, request, call),
    (call) => readGroupRecords(client, request, call),
  ]);
  return { users: users.users, groups, missingScope: users.missing };
}
