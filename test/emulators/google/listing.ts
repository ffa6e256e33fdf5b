/**
 * The three Directory API lists the connector reads, with Google's parameters, limits, paging and
 * error bodies: `GET /admin/directory/v1/users`, `/groups` and `/groups/{groupKey}/members`.
 *
 * Paging: `maxResults` within the method's range (users 1-500, default 100; groups and members
 * 1-200, default 200), an opaque `nextPageToken` while more remain, the list property left out of an
 * empty page. A listing is taken once, at its first page; later pages serve that result. `customer` (`my_customer` or the id) or `domain` is required for users and groups.
 * `query` understands a documented subset (users: `isSuspended=`, `isArchived=`, `orgDepartment=`,
 * `email:prefix*`; groups: `email:prefix*`, `name:'...'`); anything else is refused as Invalid Input.
 */
import type { Workspace, WorkspaceGroup, WorkspaceUser } from './workspace.js';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly domain = 'global',
  ) {
    super(message);
  }
}

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

/** Google's error body: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`. */
export function errorAnswer(error: ApiError, headers?: Record<string, string>): Answer {
  const body = { error: { code: error.status, message: error.message, errors: [{ message: error.message, domain: error.domain, reason: error.reason }], status: STATUS_NAMES[error.status] ?? 'UNKNOWN' } };
  return { status: error.status, body, headers };
}

function pageSize(url: URL, max: number, fallback: number): number {
  const raw = url.searchParams.get('maxResults');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(400, 'invalid', `Invalid value '${raw}'. Values must be within the range: [1, ${max}]`);
  return n;
}

/**
 * Page tokens name the listing they belong to, where the next page starts and the cursor holding the
 * listing's result as the first page saw it (so later pages do not filter the directory again).
 */
interface Token {
  l: string;
  o: number;
  c: number;
}

const cursors = new Map<number, readonly unknown[]>();
let nextCursor = 0;

function tokenFor(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function parseToken(url: URL, listing: string): Token | undefined {
  const token = url.searchParams.get('pageToken');
  if (token === null || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Token>;
    if (parsed.l === listing && typeof parsed.o === 'number' && parsed.o >= 0 && typeof parsed.c === 'number') return parsed as Token;
  } catch {
    // fall through to the refusal
  }
  throw new ApiError(400, 'invalid', 'Invalid page token');
}

function offsetOf(url: URL, listing: string): number {
  return parseToken(url, listing)?.o ?? 0;
}

/** The 1-based page a request asks for (for fault injection). */
export function pageNumber(url: URL, max: number, fallback: number): number {
  try {
    return Math.floor(offsetOf(url, listingKey(url)) / pageSize(url, max, fallback)) + 1;
  } catch {
    return 1;
  }
}

function listingKey(url: URL): string {
  const keep = ['customer', 'domain', 'query', 'maxResults'].map((k) => `${k}=${url.searchParams.get(k) ?? ''}`);
  return `${url.pathname}?${keep.join('&')}`;
}

function page<T>(url: URL, list: () => readonly T[], size: number, kind: string, property: string): Answer {
  const listing = listingKey(url);
  const token = parseToken(url, listing);
  const cursor = token?.c ?? (nextCursor += 1);
  const items = token ? (cursors.get(cursor) as readonly T[] | undefined) : list();
  if (!items) throw new ApiError(400, 'invalid', 'Invalid page token');
  const offset = token?.o ?? 0;
  const slice = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { kind, etag: `"${kind}-${items.length}"` };
  if (slice.length > 0) body[property] = slice;
  if (offset + size < items.length) {
    body.nextPageToken = tokenFor({ l: listing, o: offset + size, c: cursor });
    cursors.set(cursor, items);
  } else cursors.delete(cursor);
  return { status: 200, body };
}

/** Which domains a users/groups listing covers: the customer's, or the one `domain`. */
function coveredDomains(url: URL, workspace: Workspace): string[] {
  const customer = url.searchParams.get('customer');
  const domain = url.searchParams.get('domain');
  if (customer !== null && customer !== '') {
    if (customer !== 'my_customer' && customer !== workspace.customerId) throw new ApiError(400, 'badRequest', 'Bad Request');
    return workspace.domains;
  }
  if (domain !== null && domain !== '') {
    if (!workspace.domains.includes(domain.toLowerCase())) throw new ApiError(403, 'forbidden', 'Not Authorized to access this resource/api');
    return [domain.toLowerCase()];
  }
  throw new ApiError(400, 'badRequest', 'Bad Request');
}

const onDomains = (address: string, domains: string[]) => domains.includes(address.slice(address.lastIndexOf('@') + 1).toLowerCase());

function userFilter(query: string | null): (user: WorkspaceUser) => boolean {
  if (query === null || query.trim() === '') return () => true;
  const tests = query.trim().split(/\s+/).map((term): ((u: WorkspaceUser) => boolean) => {
    let m: RegExpExecArray | null;
    if ((m = /^isSuspended=(true|false)$/.exec(term))) return (u) => u.suspended === (m![1] === 'true');
    if ((m = /^isArchived=(true|false)$/.exec(term))) return (u) => u.archived === (m![1] === 'true');
    if ((m = /^orgDepartment='([^']*)'$/.exec(term))) return (u) => (u.organizations ?? []).some((o) => o.department === m![1]);
    if ((m = /^email:([^*\s]+)\*$/.exec(term))) return (u) => u.primaryEmail.toLowerCase().startsWith(m![1]!.toLowerCase());
    throw new ApiError(400, 'invalid', 'Invalid Input');
  });
  return (user) => tests.every((test) => test(user));
}

function groupFilter(query: string | null): (group: WorkspaceGroup) => boolean {
  if (query === null || query.trim() === '') return () => true;
  let m: RegExpExecArray | null;
  const term = query.trim();
  if ((m = /^email:([^*\s]+)\*$/.exec(term))) return (g) => g.email.toLowerCase().startsWith(m![1]!.toLowerCase());
  if ((m = /^name:'([^']*)'$/.exec(term))) return (g) => g.name === m![1];
  throw new ApiError(400, 'invalid', 'Invalid Input');
}

export function listUsers(url: URL, workspace: Workspace): Answer {
  const domains = coveredDomains(url, workspace);
  const size = pageSize(url, 500, 100);
  const keep = userFilter(url.searchParams.get('query'));
  return page(url, () => workspace.users.filter((u) => onDomains(u.primaryEmail, domains) && keep(u)), size, 'admin#directory#users', 'users');
}

export function listGroups(url: URL, workspace: Workspace): Answer {
  const domains = coveredDomains(url, workspace);
  const size = pageSize(url, 200, 200);
  const keep = groupFilter(url.searchParams.get('query'));
  const groups = () => workspace.groups.filter((g) => onDomains(g.email, domains) && keep(g)).map(({ members: _members, ...group }) => group);
  return page(url, groups, size, 'admin#directory#groups', 'groups');
}

export function listMembers(url: URL, workspace: Workspace, groupKey: string): Answer {
  const group = workspace.findGroup(groupKey);
  if (!group) throw new ApiError(404, 'notFound', 'Resource Not Found: groupKey');
  return page(url, () => group.members, pageSize(url, 200, 200), 'admin#directory#members', 'members');
}
