/**
 * The read: every user, every group and the direct members of each group, plus the members of
 * groups nested in them that the group listing did not return (another domain, or left out by
 * `groupQuery`), so nesting can be resolved without asking Google for derived memberships.
 *
 * In: a `DirectoryClient` and what to read. Out: raw users, listed groups and every member list
 * read, by group id. Users and groups are listed side by side; member lists are read at most
 * `concurrency` at a time, a nested group at most once however often (or circularly) it is named.
 * The first failure stops everything still queued and is thrown: a read that did not see every
 * page never returns.
 */
import pLimit from 'p-limit';
import type { CallOptions, DirectoryClient, GoogleGroup, GoogleMember, GoogleUser, ListingParams } from './client.js';

export interface ReadRequest {
  users: ListingParams;
  groups: ListingParams;
  concurrency: number;
  signal?: AbortSignal;
}

export interface DirectoryRead {
  users: GoogleUser[];
  groups: GoogleGroup[];
  /** Direct members by group id: every listed group, and every group nested in one. */
  members: Map<string, GoogleMember[]>;
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) for (const item of page) out.push(item);
  return out;
}

/** Member lists of `roots` and of every group nested in them, `concurrency` lists in flight. */
export async function readMemberLists(client: DirectoryClient, roots: readonly string[], concurrency: number, call: CallOptions): Promise<Map<string, GoogleMember[]>> {
  const limit = pLimit(concurrency);
  const members = new Map<string, GoogleMember[]>();
  const scheduled = new Set<string>();
  const tasks: Promise<void>[] = [];
  const schedule = (groupId: string): void => {
    if (scheduled.has(groupId)) return;
    scheduled.add(groupId);
    const task = limit(async () => {
      const list = await collect(client.members(groupId, call));
      members.set(groupId, list);
      for (const member of list) if (member.type === 'GROUP' && typeof member.id === 'string') schedule(member.id);
    });
    task.catch(() => undefined); // awaited below; this only keeps a later failure from going unhandled
    tasks.push(task);
  };
  for (const id of roots) schedule(id);
  try {
    for (let i = 0; i < tasks.length; i++) await tasks[i];
  } finally {
    limit.clearQueue();
  }
  return members;
}

/** Everything the snapshot is made from. */
export async function readDirectory(client: DirectoryClient, request: ReadRequest): Promise<DirectoryRead> {
  const controller = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  const call = { signal };
  const stopOnFailure = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  const usersRead = stopOnFailure(collect(client.users(request.users, call)));
  const groupsRead = stopOnFailure(
    collect(client.groups(request.groups, call)).then(async (groups) => {
      const ids = groups.flatMap((group) => (typeof group.id === 'string' ? [group.id] : []));
      return { groups, members: await readMemberLists(client, ids, request.concurrency, call) };
    }),
  );
  const [users, { groups, members }] = await Promise.all([usersRead, groupsRead]);
  return { users, groups, members };
}
