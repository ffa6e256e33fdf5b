/**
 * The Graph emulator's resources: users, a user by id, groups, a group's members and transitive
 * members, and the users/groups delta functions, answered in Graph's JSON (`@odata.context`,
 * absolute `@odata.nextLink` / `@odata.deltaLink`, `value`). List pages carry their offset and
 * page number in `$skiptoken`; delta rounds are computed once and served from a cursor, so a round
 * reflects the tenant at its start. Delta tokens remember the tenant version and an epoch: bumping
 * the epoch expires every token issued before.
 */
import { randomUUID } from 'node:crypto';
import { groupDelta, refJson, userDelta, type Entry } from './delta.js';
import { ODataError, advancedQueryRequired, isAdvancedQuery, parseFilter, parseSelect, parseTop, project } from './odata.js';
import type { Tenant } from './tenant.js';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  tenant: Tenant;
  url: URL;
  /** `http://127.0.0.1:PORT/v1.0` */
  base: string;
  params: string[];
  delta: DeltaState;
  /** The request's `ConsistencyLevel` header. */
  consistencyLevel?: string;
}

export interface DeltaState {
  epoch: number;
  pageSize: number;
  memberChunk: number;
  expired: { status: number; code: string };
  cursors: Map<string, { entries: Entry[]; offset: number; page: number; version: number; epoch: number; resource: string; select: string[] }>;
}

export interface Route {
  name: string;
  pattern: RegExp;
  handle(ctx: RouteContext): Answer;
}

export const USER_DEFAULTS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
const GROUP_DEFAULTS = ['displayName', 'description', 'mail', 'mailEnabled', 'securityEnabled', 'groupTypes'];
const USER_DELTA_DEFAULTS = [...USER_DEFAULTS];
const GROUP_DELTA_DEFAULTS = ['displayName', 'description', 'members'];

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  return { status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } } };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = <T>(token: string): T | undefined => {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString()) as T;
  } catch {
    return undefined;
  }
};

/** The 1-based page a request asks for, read from its `$skiptoken`. */
export function pageOf(url: URL): number {
  const token = url.searchParams.get('$skiptoken');
  if (token === null) return 1;
  const cursorPage = /^[\w-]+\.(\d+)$/.exec(token);
  if (cursorPage) return Number(cursorPage[1]);
  return decode<{ p?: number }>(token)?.p ?? 1;
}

function linkWith(ctx: RouteContext, replace: Record<string, string>): string {
  const params = [...ctx.url.searchParams].filter(([key]) => !(key in replace) && key !== '$skiptoken');
  const all = [...params, ...Object.entries(replace)].map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return `${ctx.base}${ctx.url.pathname.slice(ctx.url.pathname.indexOf('/', 1))}?${all.join('&')}`;
}

function listPage(ctx: RouteContext, items: readonly object[], context: string, shape: (item: object) => Entry): Answer {
  refuseSearch(ctx);
  const top = parseTop(ctx.url.searchParams.get('$top'), 100);
  const token = ctx.url.searchParams.get('$skiptoken');
  const at = token === null ? { o: 0, p: 1 } : decode<{ o: number; p: number }>(token);
  if (!at || typeof at.o !== 'number') return graphError(400, 'Request_BadRequest', 'Invalid $skiptoken');
  const value = items.slice(at.o, at.o + top).map(shape);
  const body: Entry = { '@odata.context': `${ctx.base}/$metadata#${context}` };
  if (isAdvancedQuery(ctx.url, ctx.consistencyLevel)) body['@odata.count'] = items.length;
  if (at.o + top < items.length) body['@odata.nextLink'] = linkWith(ctx, { $skiptoken: encode({ o: at.o + top, p: at.p + 1 }) });
  body.value = value;
  return { status: 200, body };
}

/** `$search` on directory objects works only with `ConsistencyLevel: eventual`; the emulator implements no search beyond that refusal. */
function refuseSearch(ctx: RouteContext): void {
  if (ctx.url.searchParams.get('$search') === null) return;
  if (ctx.consistencyLevel?.toLowerCase() !== 'eventual') {
    throw new ODataError('Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  throw new ODataError('Request_UnsupportedQuery', 'The emulator does not implement $search.');
}

/** The items `$filter` keeps; an operator that needs advanced query parameters is refused without them, as Graph does. */
function filtered<T extends object>(ctx: RouteContext, items: readonly T[]): readonly T[] {
  const filter = parseFilter(ctx.url.searchParams.get('$filter'));
  if (!filter) return items;
  const operator = filter.advanced[0];
  if (operator !== undefined && !isAdvancedQuery(ctx.url, ctx.consistencyLevel)) throw advancedQueryRequired(operator);
  return items.filter((item) => filter.predicate(item as Record<string, unknown>));
}

function members(ctx: RouteContext, transitive: boolean): Answer {
  const id = ctx.params[0]!;
  if (!ctx.tenant.groups.has(id)) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  const select = parseSelect(ctx.url.searchParams.get('$select'));
  const refs = transitive ? ctx.tenant.transitiveMembers(id) : ctx.tenant.directMembers(id);
  return listPage(ctx, refs, 'directoryObjects', (ref) => {
    const r = ref as { id: string; kind: 'user' | 'group' };
    const object = r.kind === 'user' ? ctx.tenant.users.get(r.id)!.data : ctx.tenant.groups.get(r.id)!.data;
    return { ...refJson(r), ...project(object, select, r.kind === 'user' ? USER_DEFAULTS : GROUP_DEFAULTS) };
  });
}

function deltaAnswer(ctx: RouteContext, resource: string, cursorId: string, page: number): Answer {
  const cursor = ctx.delta.cursors.get(cursorId)!;
  const value = cursor.entries.slice(cursor.offset, cursor.offset + ctx.delta.pageSize);
  cursor.offset += value.length;
  const body: Entry = { '@odata.context': `${ctx.base}/$metadata#${resource}`, value };
  if (cursor.offset < cursor.entries.length) {
    body['@odata.nextLink'] = `${ctx.base}/${resource}/delta?$skiptoken=${cursorId}.${page + 1}`;
    cursor.page = page + 1;
  } else {
    ctx.delta.cursors.delete(cursorId);
    body['@odata.deltaLink'] = `${ctx.base}/${resource}/delta?$deltatoken=${encode({ e: cursor.epoch, v: cursor.version, s: cursor.select })}`;
  }
  return { status: 200, body };
}

function delta(ctx: RouteContext, resource: 'users' | 'groups'): Answer {
  const { delta: state, url, tenant } = ctx;
  const expired = () => graphError(state.expired.status, state.expired.code, 'The sync state generation is not found. Please restart the sync from scratch.');
  const skip = url.searchParams.get('$skiptoken');
  if (skip !== null) {
    const [id, page] = skip.split('.');
    const cursor = state.cursors.get(id ?? '');
    if (!cursor || cursor.epoch !== state.epoch || cursor.resource !== resource) return expired();
    return deltaAnswer(ctx, resource, id!, Number(page));
  }
  const tokenText = url.searchParams.get('$deltatoken');
  const defaults = resource === 'users' ? USER_DELTA_DEFAULTS : GROUP_DELTA_DEFAULTS;
  let select = parseSelect(url.searchParams.get('$select')) ?? defaults;
  let since: number | undefined;
  if (tokenText !== null && tokenText !== 'latest') {
    const token = decode<{ e: number; v: number; s: string[] }>(tokenText);
    if (!token || token.e !== state.epoch) return expired();
    [since, select] = [token.v, token.s];
  }
  const entries = tokenText === 'latest' ? [] : resource === 'users' ? userDelta(tenant, since, select) : groupDelta(tenant, since, select, state.memberChunk);
  const cursorId = randomUUID();
  state.cursors.set(cursorId, { entries, offset: 0, page: 1, version: tenant.version, epoch: state.epoch, resource, select });
  return deltaAnswer(ctx, resource, cursorId, 1);
}

/** The tenant's organization resource; any id names it (the emulator has one tenant). */
function organization(ctx: RouteContext): Answer {
  const id = ctx.params[0]!;
  const body = { '@odata.context': `${ctx.base}/$metadata#organization/$entity`, id, displayName: ctx.tenant.domain, verifiedDomains: [{ name: ctx.tenant.domain, isDefault: true }] };
  return { status: 200, body: project(body, parseSelect(ctx.url.searchParams.get('$select')), ['displayName', 'verifiedDomains']) };
}

function userById(ctx: RouteContext): Answer {
  const user = ctx.tenant.users.get(ctx.params[0]!);
  if (!user) return graphError(404, 'Request_ResourceNotFound', `Resource '${ctx.params[0]}' does not exist or one of its queried reference-property objects are not present.`);
  return { status: 200, body: { '@odata.context': `${ctx.base}/$metadata#users/$entity`, ...project(user.data, parseSelect(ctx.url.searchParams.get('$select')), USER_DEFAULTS) } };
}

const ID = '([^/]+)';

export const ROUTES: Route[] = [
  { name: 'users/delta', pattern: /^\/users\/delta$/, handle: (ctx) => delta(ctx, 'users') },
  { name: 'groups/delta', pattern: /^\/groups\/delta$/, handle: (ctx) => delta(ctx, 'groups') },
  {
    name: 'users',
    pattern: /^\/users$/,
    handle: (ctx) => listPage(ctx, filtered(ctx, ctx.tenant.userList()), 'users', (u) => project(u, parseSelect(ctx.url.searchParams.get('$select')), USER_DEFAULTS)),
  },
  { name: 'users/{id}', pattern: new RegExp(`^/users/${ID}$`), handle: userById },
  { name: 'organization/{id}', pattern: new RegExp(`^/organization/${ID}$`), handle: organization },
  {
    name: 'groups',
    pattern: /^\/groups$/,
    handle: (ctx) => listPage(ctx, filtered(ctx, ctx.tenant.groupList()), 'groups', (g) => project(g, parseSelect(ctx.url.searchParams.get('$select')), GROUP_DEFAULTS)),
  },
  { name: 'groups/{id}/members', pattern: new RegExp(`^/groups/${ID}/members$`), handle: (ctx) => members(ctx, false) },
  { name: 'groups/{id}/transitiveMembers', pattern: new RegExp(`^/groups/${ID}/transitiveMembers$`), handle: (ctx) => members(ctx, true) },
];

/** The route for a path under the version segment, with its decoded parameters. */
export function matchRoute(path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

export { ODataError };
