/**
 * The org API's directories, domains and users (jira.js `src/admin/api/directory.ts`, `domains.ts`,
 * `users.ts`): the directory list, the domain list (v1, `links.next` an absolute URL), the user
 * search of one directory or of every directory (`-`), a user's details, invitations, and the
 * directory-scoped suspend, restore and remove.
 */
import { removeFromDirectory, setAccess } from './directory-rules.js';
import { ModelError } from './errors.js';
import { invite, parseInvitation } from './invite.js';
import type { Account, AtlassianModel } from './model.js';
import { compositeStatus, membershipStatus, membershipsIn, userJson } from './org-json.js';
import { cursorPage, decodeCursor, encodeCursor, enumList, limitOf, objectBody, route, stringList, type Route, type RouteContext } from './router.js';

export interface OrgApiOptions {
  orgId: string;
  /** Largest page any org API list answers. */
  maxPageSize: number;
}

const USER_EXPAND = ['platformRoles', 'counts.resources', 'productAccess', 'groups'];

function directories(options: OrgApiOptions, { query, model }: RouteContext) {
  const ids = query.getAll('directoryIds');
  const accountId = query.get('accountId');
  const term = query.get('searchTerm')?.toLowerCase();
  const list = [...model.directories.values()].filter(
    (d) => (ids.length === 0 || ids.includes(d.directoryId)) && (!accountId || d.users.has(accountId)) && (!term || d.name.toLowerCase().includes(term)),
  );
  const limit = limitOf(query.get('limit') ?? undefined, options.maxPageSize, options.maxPageSize);
  return { status: 200, body: cursorPage(list, query.get('cursor') ?? undefined, limit, (d) => ({ directoryId: d.directoryId, name: d.name, icon: d.icon })) };
}

function domains(options: OrgApiOptions, { query, origin, model }: RouteContext) {
  const offset = decodeCursor(query.get('cursor') ?? undefined);
  const data = model.domains.slice(offset, offset + options.maxPageSize);
  const next = offset + options.maxPageSize < model.domains.length ? offset + options.maxPageSize : null;
  const base = `${origin}/admin/v1/orgs/${options.orgId}/domains`;
  return {
    status: 200,
    body: {
      data: data.map((d) => ({ id: d.id, type: 'domains', attributes: { name: d.name, claim: { type: 'dns', status: d.status } }, links: { self: `${base}/${d.id}` } })),
      links: { self: base, next: next === null ? undefined : `${base}?cursor=${encodeCursor(next)}` },
    },
  };
}

/** Everyone a search of this scope can see, pending invitees included (the caller hides them). */
function candidates(model: AtlassianModel, scope: string, directoryIds: string[]): Account[] {
  if (scope !== '-') return [...model.directory(scope).users.keys()].map((id) => model.account(id));
  const inScope = (a: Account) => directoryIds.length === 0 || directoryIds.some((d) => model.directory(d).users.has(a.accountId));
  const inOrg = (a: Account) => model.directoriesOf(a.accountId).length > 0 || (directoryIds.length === 0 && model.claimStatus(a) === 'managed');
  return [...model.accounts.values()].filter((a) => inOrg(a) && inScope(a));
}

type Filter = (account: Account) => boolean;

function filtersOf(model: AtlassianModel, scope: string, query: Record<string, unknown>): Filter[] {
  const emails = new Set(stringList(query.emails, 'emails').map((e) => e.toLowerCase()));
  if (emails.size > 0 && query.searchTerm !== undefined) throw new ModelError(400, 'searchTerm and emails are mutually exclusive');
  if (query.claimStatus !== undefined && query.claimStatus !== 'managed' && query.claimStatus !== 'unmanaged') throw new ModelError(400, 'claimStatus must be managed or unmanaged');
  if (query.searchTerm !== undefined && typeof query.searchTerm !== 'string') throw new ModelError(400, 'searchTerm must be a string');
  const ids = new Set(stringList(query.accountIds, 'accountIds'));
  const domains = new Set(stringList(query.emailDomains, 'emailDomains').map((d) => d.toLowerCase()));
  const groupIds = new Set(stringList(query.groupIds, 'groupIds'));
  const status = enumList(query.status, 'status', ['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion']);
  const accountStatus = enumList(query.accountStatus, 'accountStatus', ['active', 'inactive', 'closed']);
  const membership = enumList(query.membershipStatus, 'membershipStatus', ['active', 'suspended', 'no_membership']);
  const term = (query.searchTerm as string | undefined)?.toLowerCase();
  const statusOf = (a: Account) => membershipStatus(membershipsIn(model, a, scope));
  return [
    (a) => ids.size === 0 || ids.has(a.accountId),
    (a) => emails.size === 0 || emails.has(a.email.toLowerCase()),
    (a) => domains.size === 0 || domains.has(a.email.slice(a.email.lastIndexOf('@') + 1).toLowerCase()),
    (a) => query.claimStatus === undefined || model.claimStatus(a) === query.claimStatus,
    (a) => groupIds.size === 0 || [...groupIds].some((g) => model.groups.get(g)?.members.has(a.accountId)),
    (a) => accountStatus.length === 0 || accountStatus.includes(a.accountStatus),
    (a) => membership.length === 0 || membership.includes(statusOf(a)),
    (a) => status.length === 0 || status.includes(compositeStatus(a, statusOf(a))),
    (a) => !term || a.name.toLowerCase().includes(term) || a.email.toLowerCase().includes(term),
  ];
}

/** A fresh invitee (every membership still pending) is left out, and the search counts against the delay. */
function hiddenByDelay(model: AtlassianModel, account: Account, scope: string): boolean {
  const directories = scope === '-' ? model.directoriesOf(account.accountId) : [model.directory(scope)];
  const memberships = directories.flatMap((d) => (d.users.has(account.accountId) ? [d.users.get(account.accountId)!] : []));
  const pending = memberships.filter((m) => model.pending(m));
  for (const m of pending) m.pending!.searches = Math.max(0, m.pending!.searches - 1);
  return pending.length > 0 && pending.length === memberships.length;
}

function searchUsers(options: OrgApiOptions, { params, body, model }: RouteContext) {
  const scope = params.directoryId!;
  const query = objectBody(body ?? {});
  const expand = enumList(query.expand, 'expand', USER_EXPAND);
  const filters = filtersOf(model, scope, query);
  const matches = candidates(model, scope, stringList(query.directoryIds, 'directoryIds')).filter((a) => filters.every((f) => f(a)));
  const visible = matches.filter((a) => !hiddenByDelay(model, a, scope));
  const limit = limitOf(query.limit, 50, options.maxPageSize);
  return { status: 200, body: cursorPage(visible, query.cursor, limit, (a) => userJson(model, a, scope, expand)) };
}

export function userRoutes(options: OrgApiOptions): Route[] {
  const org = `/admin/v2/orgs/${options.orgId}`;
  const dir = `${org}/directories/:directoryId`;
  const realDirectory = (ctx: RouteContext) => {
    if (ctx.params.directoryId === '-') throw new ModelError(400, 'This operation needs a directory id, not -');
    return ctx.params.directoryId!;
  };
  return [
    route('GET', `/admin/v1/orgs/${options.orgId}/domains`, (ctx) => domains(options, ctx)),
    route('GET', `${org}/directories`, (ctx) => directories(options, ctx)),
    route('POST', `${dir}/users/search`, (ctx) => {
      if (ctx.params.directoryId !== '-') ctx.model.directory(ctx.params.directoryId!);
      return searchUsers(options, ctx);
    }),
    route('POST', `${org}/users/invite`, ({ body, model }) => ({ status: 200, body: { data: invite(model, parseInvitation(body)) } })),
    route('POST', `${dir}/users/:accountId/suspend`, (ctx) => {
      setAccess(ctx.model, realDirectory(ctx), ctx.params.accountId!, 'suspended');
      return { status: 204 };
    }),
    route('POST', `${dir}/users/:accountId/restore`, (ctx) => {
      setAccess(ctx.model, realDirectory(ctx), ctx.params.accountId!, 'active');
      return { status: 204 };
    }),
    route('GET', `${dir}/users/:accountId`, ({ params, model }) => {
      const accountId = params.accountId!;
      if (params.directoryId !== '-') model.directoryUser(params.directoryId!, accountId);
      else if (membershipsIn(model, model.account(accountId), '-').length === 0 && model.claimStatus(model.account(accountId)) !== 'managed') {
        throw new ModelError(404, `User ${accountId} was not found in this organization`);
      }
      const { groups: _groups, links: _links, ...data } = userJson(model, model.account(accountId), params.directoryId!, []);
      return { status: 200, body: { data } };
    }),
    route('DELETE', `${dir}/users/:accountId`, (ctx) => {
      removeFromDirectory(ctx.model, realDirectory(ctx), ctx.params.accountId!);
      return { status: 204 };
    }),
  ];
}
