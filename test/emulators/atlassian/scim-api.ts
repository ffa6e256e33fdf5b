/**
 * The user-provisioning (SCIM 2.0) API under `/scim/directory/{directoryId}`, one per identity-provider
 * directory (jira.js `src/userProvisioning/api/users.ts`, `groups.ts`): `/Users` and `/Groups` with
 * 1-based `startIndex`/`count` paging and single `eq` filters, create, get, replace (PUT), PatchOp,
 * delete. Users carry the enterprise and `atlassian-external` extensions.
 */
import { ModelError } from './errors.js';
import type { AtlassianModel, ScimGroupRecord, ScimUserRecord } from './model.js';
import { objectBody, route, type Route, type RouteContext } from './router.js';
import { createScimGroup, deleteScimGroup, deleteUser, keepName, memberAccounts, provision, updateUser } from './scim-rules.js';
import { ATLASSIAN, operationsOf, patchUser, readUser, userBody } from './scim-schema.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimApiOptions {
  /** Largest (and default) page. */
  pageSize: number;
}

function base(ctx: RouteContext): string {
  return `${ctx.origin}/scim/directory/${ctx.params.directoryId}`;
}

/** The SCIM users of a directory by account id, built once per answer. */
function scimIndex(model: AtlassianModel, directoryId: string): Map<string, ScimUserRecord> {
  const index = new Map<string, ScimUserRecord>();
  for (const user of model.scimUsers.values()) if (user.directoryId === directoryId) index.set(user.accountId, user);
  return index;
}

function userJson(model: AtlassianModel, record: ScimUserRecord, root: string): Record<string, unknown> {
  const groups = model.groupsOf(record.accountId, record.directoryId).flatMap((g) => {
    const scim = model.scimGroupOf(g.id);
    return scim ? [{ value: scim.id, display: g.name, type: 'direct', $ref: `${root}/Groups/${scim.id}` }] : [];
  });
  const body = userBody(record);
  return {
    ...body,
    schemas: [...(body.schemas as string[]), ATLASSIAN],
    id: record.id,
    [ATLASSIAN]: { atlassianAccountId: record.accountId },
    groups,
    meta: { resourceType: 'User', created: record.created, lastModified: record.lastModified, location: `${root}/Users/${record.id}` },
  };
}

function groupJson(model: AtlassianModel, record: ScimGroupRecord, root: string, index = scimIndex(model, record.directoryId)): Record<string, unknown> {
  const group = model.group(record.directoryId, record.groupId);
  const members = [...group.members].flatMap((accountId) => {
    const user = index.get(accountId);
    return user ? [{ type: 'User', value: user.id, display: user.userName, $ref: `${root}/Users/${user.id}` }] : [];
  });
  const meta = { resourceType: 'Group', created: record.created, location: `${root}/Groups/${record.id}` };
  return { schemas: [GROUP], id: record.id, displayName: group.name, ...(record.externalId ? { externalId: record.externalId } : {}), members, meta };
}

/** A single `attr eq "value"` filter on the attributes Atlassian documents (users: userName, externalId; groups: displayName). */
function filterOf<T>(text: string | null, attributes: Record<string, (item: T) => string | undefined>): ((item: T) => boolean) | undefined {
  if (!text) return undefined;
  const allowed = Object.keys(attributes);
  const found = /^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(text);
  const attribute = found && allowed.find((a) => a.toLowerCase() === found[1]!.toLowerCase());
  if (!found || !attribute) throw new ModelError(400, `Unsupported filter: ${text}; only ${allowed.map((a) => `${a} eq "..."`).join(' or ')}`, 'invalidFilter');
  const value = found[2]!.replace(/\\(.)/g, '$1');
  const read = attributes[attribute]!;
  const caseExact = attribute === 'externalId';
  return (item) => {
    const actual = read(item);
    return typeof actual === 'string' && (caseExact ? actual === value : actual.toLowerCase() === value.toLowerCase());
  };
}

/** Filter the records, then render only the requested page (1-based `startIndex`, `count`). */
function listResponse<T>(items: T[], query: URLSearchParams, pageSize: number, attributes: Record<string, (item: T) => string | undefined>, render: (page: T[]) => unknown[]) {
  const matches = filterOf(query.get('filter'), attributes);
  const all = matches ? items.filter(matches) : items;
  const start = Math.max(1, Number(query.get('startIndex') ?? 1) || 1);
  const count = Math.min(pageSize, Math.max(0, Number(query.get('count') ?? pageSize) || 0));
  const page = render(all.slice(start - 1, start - 1 + count));
  return { status: 200, body: { schemas: [LIST], totalResults: all.length, startIndex: start, itemsPerPage: page.length, Resources: page } };
}

function userRecord({ model, params }: RouteContext): ScimUserRecord {
  const record = model.scimUsers.get(params.id!);
  if (!record || record.directoryId !== params.directoryId) throw new ModelError(404, `User ${params.id} was not found in this directory`);
  return record;
}

function groupRecord({ model, params }: RouteContext): ScimGroupRecord {
  const record = model.scimGroups.get(params.id!);
  if (!record || record.directoryId !== params.directoryId) throw new ModelError(404, `Group ${params.id} was not found in this directory`);
  return record;
}

function patchGroup(model: AtlassianModel, record: ScimGroupRecord, body: unknown): void {
  const group = model.group(record.directoryId, record.groupId);
  const draft = new Set(group.members);
  let externalId = record.externalId;
  for (const { op, path, value } of operationsOf(body)) {
    const removal = /^members\[value eq "([^"]+)"\]$/i.exec(path ?? '');
    const fields = !path && value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    if (removal) draft.delete(model.scimUsers.get(removal[1]!)?.accountId ?? '');
    else if (path?.toLowerCase() === 'members' || (fields && 'members' in fields)) {
      const ids = memberAccounts(model, record.directoryId, path ? (value ?? []) : fields!.members);
      if (op === 'replace') draft.clear();
      for (const id of ids) {
        if (op === 'remove') draft.delete(id);
        else draft.add(id);
      }
      if (op === 'remove' && ids.length === 0) draft.clear();
    } else if (path?.toLowerCase() === 'displayname' || (fields && 'displayName' in fields)) keepName(group, path ? value : fields!.displayName);
    else if (path?.toLowerCase() === 'externalid') externalId = op === 'remove' ? undefined : String(value);
    else throw new ModelError(400, `Path ${path ?? '(none)'} is not supported on groups`, 'invalidPath');
  }
  group.members.clear();
  for (const id of draft) group.members.add(id);
  record.externalId = externalId;
}

function userRoutes(root: string, options: ScimApiOptions): Route[] {
  return [
    route('GET', `${root}/Users`, (ctx) => {
      const users = [...ctx.model.scimUsers.values()].filter((u) => u.directoryId === ctx.params.directoryId);
      const attributes = { userName: (u: ScimUserRecord) => u.userName, externalId: (u: ScimUserRecord) => u.externalId };
      return listResponse(users, ctx.query, options.pageSize, attributes, (page) => page.map((u) => userJson(ctx.model, u, base(ctx))));
    }),
    route('POST', `${root}/Users`, (ctx) => ({ status: 201, body: userJson(ctx.model, provision(ctx.model, ctx.params.directoryId!, readUser(ctx.body)), base(ctx)) })),
    route('GET', `${root}/Users/:id`, (ctx) => ({ status: 200, body: userJson(ctx.model, userRecord(ctx), base(ctx)) })),
    route('PUT', `${root}/Users/:id`, (ctx) => {
      const record = userRecord(ctx);
      updateUser(ctx.model, record, readUser(ctx.body));
      return { status: 200, body: userJson(ctx.model, record, base(ctx)) };
    }),
    route('PATCH', `${root}/Users/:id`, (ctx) => {
      const record = userRecord(ctx);
      updateUser(ctx.model, record, patchUser(record, ctx.body));
      return { status: 200, body: userJson(ctx.model, record, base(ctx)) };
    }),
    route('DELETE', `${root}/Users/:id`, (ctx) => {
      deleteUser(ctx.model, userRecord(ctx));
      return { status: 204 };
    }),
  ];
}

function groupRoutes(root: string, options: ScimApiOptions): Route[] {
  return [
    route('GET', `${root}/Groups`, (ctx) => {
      const groups = [...ctx.model.scimGroups.values()].filter((g) => g.directoryId === ctx.params.directoryId);
      const attributes = { displayName: (g: ScimGroupRecord) => ctx.model.groups.get(g.groupId)?.name, externalId: (g: ScimGroupRecord) => g.externalId };
      const render = (page: ScimGroupRecord[]) => {
        const index = scimIndex(ctx.model, ctx.params.directoryId!);
        return page.map((g) => groupJson(ctx.model, g, base(ctx), index));
      };
      return listResponse(groups, ctx.query, options.pageSize, attributes, render);
    }),
    route('POST', `${root}/Groups`, (ctx) => {
      const request = objectBody(ctx.body);
      if (typeof request.displayName !== 'string' || !request.displayName) throw new ModelError(400, 'displayName is required', 'invalidValue');
      const externalId = typeof request.externalId === 'string' ? request.externalId : undefined;
      const record = createScimGroup(ctx.model, ctx.params.directoryId!, { displayName: request.displayName, externalId, members: request.members ?? [] });
      return { status: 201, body: groupJson(ctx.model, record, base(ctx)) };
    }),
    route('GET', `${root}/Groups/:id`, (ctx) => ({ status: 200, body: groupJson(ctx.model, groupRecord(ctx), base(ctx)) })),
    route('PUT', `${root}/Groups/:id`, (ctx) => {
      const record = groupRecord(ctx);
      const request = objectBody(ctx.body);
      const group = ctx.model.group(record.directoryId, record.groupId);
      keepName(group, request.displayName);
      const members = memberAccounts(ctx.model, record.directoryId, request.members ?? []);
      group.members.clear();
      for (const id of members) group.members.add(id);
      record.externalId = typeof request.externalId === 'string' ? request.externalId : undefined;
      return { status: 200, body: groupJson(ctx.model, record, base(ctx)) };
    }),
    route('PATCH', `${root}/Groups/:id`, (ctx) => {
      const record = groupRecord(ctx);
      patchGroup(ctx.model, record, ctx.body);
      return { status: 200, body: groupJson(ctx.model, record, base(ctx)) };
    }),
    route('DELETE', `${root}/Groups/:id`, (ctx) => {
      deleteScimGroup(ctx.model, groupRecord(ctx));
      return { status: 204 };
    }),
  ];
}

export function scimRoutes(options: ScimApiOptions): Route[] {
  const root = '/scim/directory/:directoryId';
  return [...userRoutes(root, options), ...groupRoutes(root, options)];
}
