/**
 * The three listings the emulator serves (users, groups, group members): `filter` / `search` /
 * `q`, `limit`, `after` cursors and `Link` headers, as Okta pages them. Pure functions of the org
 * and the request URL; they return a status, a body and extra headers.
 */
import { ExpressionError, attributesOf, evaluate, operatorsOf, parseExpression, type Expr } from './expression.js';
import type { EmulatedGroup, EmulatedUser, OktaOrg } from './org.js';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Users in the body of a user listing, members in the body of a member listing (for counters). */
  users?: number;
  members?: number;
}

const USER_FILTER_ATTRS = new Set(['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);
const GROUP_FILTER_ATTRS = new Set(['type', 'id', 'lastUpdated', 'lastMembershipUpdated']);
const FILTER_OPS = new Set(['eq', 'gt', 'ge', 'lt', 'le', 'and', 'or']);
/** Operators Okta documents as unsupported in `search` ("The `ne` (not equal) operator isn't supported"). */
const SEARCH_REFUSED_OPS = new Set(['ne']);

export function oktaError(status: number, errorCode: string, errorSummary: string): Answer {
  return { status, body: { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${Date.now().toString(36)}`, errorCauses: [] } };
}

const invalidSearch = (why: string) => oktaError(400, 'E0000031', `Invalid search criteria. ${why}`);

/**
 * The predicate a listing applies, or an error answer. `withDeprovisioned`: whether `DEPROVISIONED`
 * users may be listed, which Okta does for every `search` and for a `filter` that asks about `status`.
 */
function criteria(url: URL, filterAttrs: Set<string>): { expr?: Expr; withDeprovisioned: boolean } | Answer {
  const filter = url.searchParams.get('filter');
  const search = url.searchParams.get('search');
  if (filter !== null && search !== null) return invalidSearch('Use filter or search, not both.');
  const text = filter ?? search;
  if (text === null) return { withDeprovisioned: false };
  let expr: Expr;
  try {
    expr = parseExpression(text);
  } catch (error) {
    return invalidSearch(error instanceof ExpressionError ? error.message : String(error));
  }
  const attrs = attributesOf(expr);
  if (filter !== null) {
    const bad = attrs.find((a) => !filterAttrs.has(a)) ?? operatorsOf(expr).find((o) => !FILTER_OPS.has(o));
    if (bad) return invalidSearch(`filter does not support ${bad}; use search.`);
    return { expr, withDeprovisioned: attrs.includes('status') };
  }
  const refused = operatorsOf(expr).find((o) => SEARCH_REFUSED_OPS.has(o));
  if (refused) return invalidSearch(`search does not support the operator ${refused}.`);
  return { expr, withDeprovisioned: true };
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as Answer).status === 'number';
}

function pageLimit(url: URL, fallback: number, max: number): number {
  const raw = Number(url.searchParams.get('limit'));
  return Number.isInteger(raw) && raw > 0 ? Math.min(raw, max) : fallback;
}

function links(url: URL, base: string, nextAfter: string | undefined, limit: number): Record<string, string> {
  const self = new URL(url.pathname + url.search, base);
  const parts = [`<${self.href}>; rel="self"`];
  if (nextAfter !== undefined) {
    const next = new URL(self.href);
    next.searchParams.set('after', nextAfter);
    next.searchParams.set('limit', String(limit));
    parts.push(`<${next.href}>; rel="next"`);
  }
  return { link: parts.join(', ') };
}

/** Collect up to `limit` matches from `start`, and whether another match follows. */
function page<T>(items: readonly T[], start: number, limit: number, match: (item: T) => boolean): { found: T[]; more: boolean } {
  const found: T[] = [];
  for (let i = start; i < items.length; i++) {
    if (!match(items[i]!)) continue;
    if (found.length === limit) return { found, more: true };
    found.push(items[i]!);
  }
  return { found, more: false };
}

export function wireUser(user: EmulatedUser, base: string): Record<string, unknown> {
  return { ...user, credentials: { provider: { type: 'OKTA', name: 'OKTA' } }, _links: { self: { href: `${base}/api/v1/users/${user.id}` } } };
}

function wireGroup(group: EmulatedGroup, base: string): Record<string, unknown> {
  const { members: _members, ...rest } = group;
  const href = `${base}/api/v1/groups/${group.id}`;
  return { ...rest, objectClass: ['okta:user_group'], _links: { self: { href }, users: { href: `${href}/users` } } };
}

/** GET /api/v1/users: DEPROVISIONED users only for a `search`, or a `filter` that asks about `status`. */
export function listUsers(org: OktaOrg, url: URL, base: string): Answer {
  const c = criteria(url, USER_FILTER_ATTRS);
  if (isAnswer(c)) return c;
  const q = url.searchParams.get('q')?.toLowerCase();
  const limit = pageLimit(url, q ? 10 : 200, 200);
  const match = (u: EmulatedUser) => {
    if (c.expr ? !evaluate(c.expr, u) : false) return false;
    if (u.status === 'DEPROVISIONED' && (!c.withDeprovisioned || q)) return false;
    if (!q) return true;
    return [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => typeof v === 'string' && v.toLowerCase().startsWith(q));
  };
  const { found, more } = page(org.users, org.userPositionAfter(url.searchParams.get('after')), limit, match);
  const next = more ? found[found.length - 1]!.id : undefined;
  return { status: 200, body: found.map((u) => wireUser(u, base)), headers: links(url, base, next, limit), users: found.length };
}

/** GET /api/v1/groups. */
export function listGroups(org: OktaOrg, url: URL, base: string): Answer {
  const c = criteria(url, GROUP_FILTER_ATTRS);
  if (isAnswer(c)) return c;
  const q = url.searchParams.get('q')?.toLowerCase();
  const limit = pageLimit(url, 10_000, 10_000);
  const after = url.searchParams.get('after');
  const start = after ? org.groups.findIndex((g) => g.id > after) : 0;
  const match = (g: EmulatedGroup) => (!c.expr || evaluate(c.expr, g)) && (!q || g.profile.name.toLowerCase().startsWith(q));
  const { found, more } = page(org.groups, start === -1 ? org.groups.length : start, limit, match);
  const next = more ? found[found.length - 1]!.id : undefined;
  return { status: 200, body: found.map((g) => wireGroup(g, base)), headers: links(url, base, next, limit) };
}

/** GET /api/v1/groups/{id}/users: every member, whatever its status. */
export function listGroupUsers(org: OktaOrg, groupId: string, url: URL, base: string): Answer {
  const group = org.group(groupId);
  if (!group) return oktaError(404, 'E0000007', `Not found: Resource not found: ${groupId} (UserGroup)`);
  const limit = pageLimit(url, 1000, 1000);
  const after = url.searchParams.get('after');
  let start = 0;
  if (after) {
    start = group.members.findIndex((id) => id > after);
    if (start === -1) start = group.members.length;
  }
  const ids = group.members.slice(start, start + limit);
  const more = start + limit < group.members.length;
  const users = ids.map((id) => org.user(id)).filter((u): u is EmulatedUser => u !== undefined);
  return { status: 200, body: users.map((u) => wireUser(u, base)), headers: links(url, base, more ? ids[ids.length - 1] : undefined, limit), members: users.length };
}
