/**
 * The org API's groups (jira.js `src/admin/api/groups.ts`): search (one directory or `-`), get,
 * create, delete, memberships and role assignments. Groups synced from an identity provider are
 * listed here read-only; the refusals are in `directory-rules.ts`.
 */
import { addMember, checkRole, createGroup, deleteGroup, grant, removeMember, revoke } from './directory-rules.js';
import { ModelError } from './errors.js';
import type { AtlassianModel, Group } from './model.js';
import { groupJson, roleAssignmentsJson } from './org-json.js';
import type { OrgApiOptions } from './org-users.js';
import { cursorPage, enumList, limitOf, objectBody, route, stringList, type Route, type RouteContext } from './router.js';

const GROUP_EXPAND = ['counts.resources', 'counts.users'];

function groupFilters(query: Record<string, unknown>): Array<(g: Group) => boolean> {
  const names = new Set(stringList(query.groupNames, 'groupNames').map((n) => n.toLowerCase()));
  const ids = new Set(stringList(query.groupIds, 'groupIds'));
  if (names.size > 0 && (ids.size > 0 || query.searchTerm !== undefined)) throw new ModelError(400, 'groupNames cannot be combined with groupIds or searchTerm');
  if (query.searchTerm !== undefined && typeof query.searchTerm !== 'string') throw new ModelError(400, 'searchTerm must be a string');
  const term = (query.searchTerm as string | undefined)?.toLowerCase();
  const members = stringList(query.accountIds, 'accountIds');
  const directories = new Set(stringList(query.directoryIds, 'directoryIds'));
  const resources = new Set(stringList(query.resourceIds, 'resourceIds'));
  const roles = new Set(stringList(query.roleIds, 'roleIds'));
  return [
    (g) => names.size === 0 || names.has(g.name.toLowerCase()),
    (g) => ids.size === 0 || ids.has(g.id),
    (g) => !term || g.name.toLowerCase().includes(term),
    (g) => members.length === 0 || members.some((m) => g.members.has(m)),
    (g) => directories.size === 0 || directories.has(g.directoryId),
    (g) => resources.size === 0 || [...g.roles.keys()].some((r) => resources.has(r)),
    (g) => roles.size === 0 || [...g.roles.values()].some((set) => [...set].some((r) => roles.has(r))),
  ];
}

function searchGroups(options: OrgApiOptions, { params, body, model }: RouteContext) {
  const scope = params.directoryId!;
  if (scope !== '-') model.directory(scope);
  const query = objectBody(body ?? {});
  const expand = enumList(query.expand, 'expand', GROUP_EXPAND);
  const filters = groupFilters(query);
  const groups = [...model.groups.values()].filter((g) => (scope === '-' || g.directoryId === scope) && filters.every((f) => f(g)));
  return { status: 200, body: cursorPage(groups, query.cursor, limitOf(query.limit, 20, options.maxPageSize), (g) => groupJson(g, expand)) };
}

function roleAssignments(options: OrgApiOptions, { params, query, model }: RouteContext) {
  const group = model.group(params.directoryId!, params.groupId!);
  const limit = limitOf(query.get('limit') ?? undefined, options.maxPageSize, options.maxPageSize);
  const all = roleAssignmentsJson(model, group.roles);
  return { status: 200, body: cursorPage(all, query.get('cursor') ?? undefined, limit, (r) => r) };
}

function changeRole(model: AtlassianModel, ctx: RouteContext, change: typeof grant): { status: number } {
  const group = model.group(ctx.params.directoryId!, ctx.params.groupId!);
  const request = objectBody(ctx.body);
  const { resourceId, roleId } = checkRole(model, request.resourceId, request.roleId);
  change(group.roles, resourceId, roleId);
  return { status: 204 };
}

export function groupRoutes(options: OrgApiOptions): Route[] {
  const groups = `/admin/v2/orgs/${options.orgId}/directories/:directoryId/groups`;
  return [
    route('POST', `${groups}/search`, (ctx) => searchGroups(options, ctx)),
    route('POST', groups, ({ params, body, model }) => {
      const request = objectBody(body);
      return { status: 201, body: groupJson(createGroup(model, params.directoryId!, request.name, request.description), []) };
    }),
    route('GET', `${groups}/:groupId`, ({ params, model }) => ({ status: 200, body: { data: groupJson(model.group(params.directoryId!, params.groupId!), GROUP_EXPAND) } })),
    route('DELETE', `${groups}/:groupId`, ({ params, model }) => {
      deleteGroup(model, params.directoryId!, params.groupId!);
      return { status: 204 };
    }),
    route('POST', `${groups}/:groupId/memberships`, ({ params, body, model }) => {
      addMember(model, params.directoryId!, params.groupId!, objectBody(body).accountId);
      return { status: 204 };
    }),
    route('DELETE', `${groups}/:groupId/memberships/:accountId`, ({ params, model }) => {
      removeMember(model, params.directoryId!, params.groupId!, params.accountId!);
      return { status: 204 };
    }),
    route('GET', `${groups}/:groupId/role-assignments`, (ctx) => roleAssignments(options, ctx)),
    route('POST', `${groups}/:groupId/role-assignments/assign`, (ctx) => changeRole(ctx.model, ctx, grant)),
    route('POST', `${groups}/:groupId/role-assignments/revoke`, (ctx) => changeRole(ctx.model, ctx, revoke)),
  ];
}
