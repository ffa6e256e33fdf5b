/**
 * The organization REST API of the emulator (`/admin/v1`, `/admin/v2`): domains (cursor paging via
 * an absolute `links.next` URL), user and group search (cursor in the body, `links.next` a cursor
 * string), groups and memberships, invitations, suspend and restore.
 */
import { ModelError, type Account, type AtlassianModel, type Group } from './model.js';
import { decodeCursor, encodeCursor, objectBody, route, stringList, type Route, type RouteContext } from './router.js';

export interface OrgApiIds {
  orgId: string;
  directoryId: string;
  maxPageSize: number;
}

function page<T>(items: T[], offset: number, limit: number): { data: T[]; next: number | null } {
  const data = items.slice(offset, offset + limit);
  return { data, next: offset + limit < items.length ? offset + limit : null };
}

function limitOf(value: unknown, max: number): number {
  if (value === undefined) return max;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ModelError(400, 'limit must be a positive integer');
  return Math.min(value, max);
}

function userJson(model: AtlassianModel, account: Account, expandGroups: boolean): Record<string, unknown> {
  const groups = [...model.groups.values()].filter((g) => g.members.has(account.accountId));
  return {
    accountId: account.accountId,
    accountType: 'atlassian',
    status: model.status(account),
    accountStatus: account.accountStatus,
    membershipStatus: account.membershipStatus,
    name: account.name,
    nickname: account.nickname ?? account.name,
    email: account.email,
    emailVerified: true,
    claimStatus: model.claimStatus(account),
    managementSource: account.managementSource,
    jobTitle: account.jobTitle,
    department: account.department ?? null,
    organization: account.organization ?? null,
    ...(expandGroups ? { groups: groups.map((g) => ({ id: g.id, name: g.name, description: g.description })) } : {}),
  };
}

function groupJson(group: Group, directoryId: string): Record<string, unknown> {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    directoryId,
    managementAccess: group.externalSynced ? 'read-only' : 'full',
    externalSynced: group.externalSynced,
    managedBy: group.externalSynced ? 'external' : 'admins',
    counts: { users: group.members.size },
  };
}

function searchUsers(ids: OrgApiIds, { body, model }: RouteContext) {
  const query = objectBody(body ?? {});
  const emails = new Set(stringList(query.emails, 'emails').map((e) => e.toLowerCase()));
  const accountIds = new Set(stringList(query.accountIds, 'accountIds'));
  const claim = stringList(query.claimStatus, 'claimStatus');
  const expand = stringList(query.expand, 'expand');
  const users = [...model.accounts.values()].filter(
    (a) => (emails.size === 0 || emails.has(a.email.toLowerCase())) && (accountIds.size === 0 || accountIds.has(a.accountId)) && (claim.length === 0 || claim.includes(model.claimStatus(a))),
  );
  const { data, next } = page(users, decodeCursor(query.cursor), limitOf(query.limit, ids.maxPageSize));
  return { status: 200, body: { data: data.map((a) => userJson(model, a, expand.includes('groups'))), links: { self: encodeCursor(0), next: next === null ? null : encodeCursor(next) } } };
}

function searchGroups(ids: OrgApiIds, { body, model }: RouteContext) {
  const query = objectBody(body ?? {});
  const names = new Set(stringList(query.groupNames, 'groupNames').map((n) => n.toLowerCase()));
  const groupIds = new Set(stringList(query.groupIds, 'groupIds'));
  const groups = [...model.groups.values()].filter((g) => (names.size === 0 || names.has(g.name.toLowerCase())) && (groupIds.size === 0 || groupIds.has(g.id)));
  const { data, next } = page(groups, decodeCursor(query.cursor), limitOf(query.limit, ids.maxPageSize));
  return { status: 200, body: { data: data.map((g) => groupJson(g, ids.directoryId)), links: { self: encodeCursor(0), next: next === null ? null : encodeCursor(next) } } };
}

function domains(ids: OrgApiIds, { query, origin, model }: RouteContext) {
  const { data, next } = page(model.domains, decodeCursor(query.get('cursor') ?? undefined), ids.maxPageSize);
  const base = `${origin}/admin/v1/orgs/${ids.orgId}/domains`;
  return {
    status: 200,
    body: {
      data: data.map((d) => ({ id: d.id, type: 'domains', attributes: { name: d.name, claim: { type: 'dns', status: d.status } }, links: { self: `${base}/${d.id}` } })),
      links: { self: base, next: next === null ? undefined : `${base}?cursor=${encodeCursor(next)}` },
    },
  };
}

function mutableGroup(model: AtlassianModel, groupId: string): Group {
  const group = model.group(groupId);
  if (group.externalSynced) throw new ModelError(400, `group ${group.name} is synced from an identity provider; manage it in the identity provider instead`);
  return group;
}

function invite({ body, model }: RouteContext) {
  const request = objectBody(body);
  const emails = stringList(request.emails, 'emails');
  if (emails.length === 0) throw new ModelError(400, 'emails must name at least one address');
  const rules = (request.permissionRules ?? []) as Array<{ resource: string; role: string }>;
  if (!Array.isArray(rules) || rules.some((r) => typeof r?.resource !== 'string' || typeof r?.role !== 'string')) {
    throw new ModelError(400, 'permissionRules must be a list of { resource, role }');
  }
  const groups = stringList(request.additionalGroups, 'additionalGroups');
  const accounts = model.invite({ emails, permissionRules: rules, additionalGroups: groups, sendNotification: request.sendNotification !== false });
  const results = (a: Account) => [...rules.map((r) => ({ type: 'role', resource: r.resource, role: r.role, status: 'SUCCESS' })), ...groups.map((id) => ({ type: 'group', id, status: 'SUCCESS' }))].map((r) => ({ ...r, accountId: a.accountId }));
  return { status: 200, body: { data: accounts.map((a) => ({ id: a.accountId, email: a.email, results: results(a) })) } };
}

export function orgRoutes(ids: OrgApiIds): Route[] {
  const org = `/admin/v2/orgs/${ids.orgId}`;
  const dir = `${org}/directories/${ids.directoryId}`;
  return [
    route('GET', `/admin/v1/orgs/${ids.orgId}/domains`, (ctx) => domains(ids, ctx)),
    route('POST', `${dir}/users/search`, (ctx) => searchUsers(ids, ctx)),
    route('POST', `${dir}/groups/search`, (ctx) => searchGroups(ids, ctx)),
    route('POST', `${dir}/groups`, ({ body, model }) => {
      const request = objectBody(body);
      if (typeof request.name !== 'string') throw new ModelError(400, 'name is required');
      const group = model.addGroup({ name: request.name, description: typeof request.description === 'string' ? request.description : '' });
      return { status: 201, body: groupJson(group, ids.directoryId) };
    }),
    route('GET', `${dir}/groups/:groupId`, ({ params, model }) => ({ status: 200, body: groupJson(model.group(params.groupId!), ids.directoryId) })),
    route('DELETE', `${dir}/groups/:groupId`, ({ params, model }) => {
      model.groups.delete(mutableGroup(model, params.groupId!).id);
      return { status: 204 };
    }),
    route('POST', `${dir}/groups/:groupId/memberships`, ({ params, body, model }) => {
      const group = mutableGroup(model, params.groupId!);
      const accountId = objectBody(body).accountId;
      if (typeof accountId !== 'string') throw new ModelError(400, 'accountId is required');
      group.members.add(model.account(accountId).accountId);
      return { status: 204 };
    }),
    route('DELETE', `${dir}/groups/:groupId/memberships/:accountId`, ({ params, model }) => {
      const group = mutableGroup(model, params.groupId!);
      if (!group.members.delete(params.accountId!)) throw new ModelError(404, `user ${params.accountId} is not a member of ${group.name}`);
      return { status: 204 };
    }),
    route('POST', `${org}/users/invite`, invite),
    route('POST', `${dir}/users/:accountId/suspend`, ({ params, model }) => {
      model.account(params.accountId!).membershipStatus = 'suspended';
      return { status: 204 };
    }),
    route('POST', `${dir}/users/:accountId/restore`, ({ params, model }) => {
      model.account(params.accountId!).membershipStatus = 'active';
      return { status: 204 };
    }),
  ];
}
