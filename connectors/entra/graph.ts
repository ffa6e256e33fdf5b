/**
 * The parts of Microsoft Graph's wire format this connector reads: users and groups with the
 * selected properties, directory object references (members, `members@delta`), delta markers,
 * and the in-memory group record both the full and the incremental read produce.
 */

/** Properties read for every user; `$select` keeps pages small and returns `accountEnabled`. */
export const USER_FIELDS = ['id', 'mail', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'accountEnabled', 'jobTitle', 'department'] as const;

export const GROUP_FIELDS = ['id', 'displayName', 'description'] as const;

/** Graph's largest page for users, groups and member lists. */
export const PAGE_SIZE = 999;

export interface Removed {
  reason?: string;
}

export interface GraphUser {
  id: string;
  mail?: string | null;
  userPrincipalName?: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean | null;
  jobTitle?: string | null;
  department?: string | null;
  '@removed'?: Removed;
}

export interface GraphGroup {
  id: string;
  displayName?: string | null;
  description?: string | null;
  '@removed'?: Removed;
  'members@delta'?: DirectoryRef[];
}

/** A member as Graph lists it: an id and its type (`#microsoft.graph.user`, `...group`, devices, ...). */
export interface DirectoryRef {
  id: string;
  '@odata.type'?: string;
  '@removed'?: Removed;
}

export type MemberKind = 'user' | 'group';

/** A group with its members by id; members are users and nested groups only. */
export interface GroupRecord {
  id: string;
  displayName: string;
  description: string;
  members: Map<string, MemberKind>;
}

/** `user` or `group` for those member types; undefined for devices, contacts, service principals. */
export function memberKind(ref: DirectoryRef): MemberKind | undefined {
  switch (ref['@odata.type']) {
    case '#microsoft.graph.user':
      return 'user';
    case '#microsoft.graph.group':
      return 'group';
    default:
      return undefined;
  }
}

/** `?$select=...&$top=...`-style query text, values encoded, `$` names kept as Graph writes them. */
export function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * Headers of an advanced query. Graph accepts `ne`, `not`, `endsWith`, `eq null` and `$count` on
 * directory objects only with `ConsistencyLevel: eventual` and `$count=true` (otherwise 400
 * `Request_UnsupportedQuery`); filters it accepts by default also work this way, eventually consistent.
 */
export const ADVANCED_QUERY_HEADERS: Readonly<Record<string, string>> = { ConsistencyLevel: 'eventual' };

/** A collection request: its path and the headers every page of it needs. */
export interface ListRequest {
  path: string;
  headers?: Readonly<Record<string, string>>;
}

/** `resource` with these query options; a `$filter` makes it an advanced query (header and `$count=true`). */
export function listRequest(resource: string, params: Record<string, string | number | undefined>): ListRequest {
  if (params.$filter === undefined) return { path: `${resource}${query(params)}` };
  return { path: `${resource}${query({ ...params, $count: 'true' })}`, headers: ADVANCED_QUERY_HEADERS };
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
