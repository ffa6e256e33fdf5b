/**
 * Graph delta queries: a whole round (every page up to the `@odata.deltaLink`), the `latest`
 * shortcut that returns only a deltaLink, and single-user reads for users who enter the scope.
 *
 * In: a `GraphClient` and a path or stored deltaLink. Out: the round's entries and its new
 * deltaLink; for single-user reads, the users found and the ids Graph answered 404 for. An expired or invalid token surfaces as `OrgsyncError` code `entra-delta-expired`.
 */
import { OrgsyncError, isOrgsyncError } from '../../src/errors.js';
import type { CallOptions, GraphClient } from './client.js';
import { USER_FIELDS, query, type GraphUser } from './graph.js';
import { mapBounded } from './read.js';

export const USERS_DELTA = `users/delta${query({ $select: USER_FIELDS.join(',') })}`;
export const GROUPS_DELTA = `groups/delta${query({ $select: 'displayName,description,members' })}`;

export interface DeltaRound<T> {
  items: T[];
  deltaLink: string;
}

/** Every page from `link` (a delta path or a stored deltaLink) to the round's deltaLink. */
export async function deltaRound<T>(client: GraphClient, link: string, call: CallOptions): Promise<DeltaRound<T>> {
  const items: T[] = [];
  let deltaLink: string | undefined;
  for await (const page of client.pages<T>(link, call)) {
    for (const item of page.items) items.push(item);
    deltaLink = page.deltaLink ?? deltaLink;
  }
  if (deltaLink === undefined) throw new OrgsyncError('entra-response', `${client.describe(link)}: the last page carries no @odata.deltaLink`);
  return { items, deltaLink };
}

/** A deltaLink for "changes from now on", without reading anything (`$deltatoken=latest`). */
export async function latestDeltaLink(client: GraphClient, path: string, call: CallOptions): Promise<string> {
  const separator = path.includes('?') ? '&' : '?';
  return (await deltaRound<unknown>(client, `${path}${separator}$deltatoken=latest`, call)).deltaLink;
}

export interface UsersById {
  users: GraphUser[];
  /** Ids Graph answered 404 for, in the order asked. */
  notFound: string[];
}

/** The users with these ids (selected properties), and the ids Graph does not know (404). */
export async function readUsersById(client: GraphClient, ids: readonly string[], concurrency: number, call: CallOptions): Promise<UsersById> {
  const found = await mapBounded(ids, concurrency, async (id) => {
    try {
      return await client.get<GraphUser>(`users/${encodeURIComponent(id)}${query({ $select: USER_FIELDS.join(',') })}`, call);
    } catch (error) {
      if (isOrgsyncError(error) && error.status === 404) return undefined;
      throw error;
    }
  });
  return { users: found.filter((user): user is GraphUser => user !== undefined), notFound: ids.filter((_, i) => found[i] === undefined) };
}
