/**
 * The user-provisioning (SCIM 2.0) API of the emulator under `/scim/directory/{scimDirectoryId}`:
 * `/Users` and `/Groups` with `startIndex`/`count` paging, `eq` filters, create (409 on a duplicate
 * userName or group name), PatchOp, and group delete. Users carry the Atlassian extension with their
 * account id. SCIM changes only accounts the org manages, and SCIM groups hold only SCIM users.
 */
import { ModelError, type AtlassianModel, type ScimGroupRecord, type ScimUserRecord } from './model.js';
import { objectBody, route, type Route, type RouteContext } from './router.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ATLASSIAN = 'urn:scim:schemas:extension:atlassian-external:1.0';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimApiIds {
  scimDirectoryId: string;
  pageSize: number;
}

function userJson(record: ScimUserRecord, base: string): Record<string, unknown> {
  return {
    schemas: [USER, ENTERPRISE, ATLASSIAN],
    id: record.id,
    ...(record.externalId ? { externalId: record.externalId } : {}),
    userName: record.userName,
    name: { givenName: record.givenName, familyName: record.familyName },
    displayName: record.displayName,
    emails: record.emails,
    active: record.active,
    ...(record.title ? { title: record.title } : {}),
    [ENTERPRISE]: { department: record.department, organization: record.organization },
    [ATLASSIAN]: { atlassianAccountId: record.accountId },
    meta: { resourceType: 'User', created: record.created, lastModified: record.lastModified, location: `${base}/Users/${record.id}` },
  };
}

function groupJson(model: AtlassianModel, record: ScimGroupRecord, base: string): Record<string, unknown> {
  const group = model.group(record.groupId);
  const members = [...group.members].flatMap((accountId) => {
    const user = model.scimUserOfAccount(accountId);
    return user ? [{ value: user.id, display: user.userName, $ref: `${base}/Users/${user.id}` }] : [];
  });
  return { schemas: [GROUP], id: record.id, displayName: group.name, ...(record.externalId ? { externalId: record.externalId } : {}), members, meta: { resourceType: 'Group', location: `${base}/Groups/${record.id}` } };
}

/** `attr eq "value"` filters on the attributes provisioning clients use. */
function filterOf(text: string | null): ((item: Record<string, unknown>) => boolean) | undefined {
  if (!text) return undefined;
  const found = /^\s*(userName|externalId|displayName|id)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(text);
  if (!found) throw new ModelError(400, `unsupported filter: ${text}`, 'invalidFilter');
  const attribute = found[1]!;
  const value = found[2]!.replace(/\\(.)/g, '$1');
  const caseExact = attribute === 'externalId' || attribute === 'id';
  return (item) => {
    const actual = item[attribute];
    return typeof actual === 'string' && (caseExact ? actual === value : actual.toLowerCase() === value.toLowerCase());
  };
}

function listResponse(items: Record<string, unknown>[], query: URLSearchParams, pageSize: number, filter: string | null) {
  const matches = filterOf(filter);
  const all = matches ? items.filter(matches) : items;
  const start = Math.max(1, Number(query.get('startIndex') ?? 1) || 1);
  const count = Math.min(pageSize, Math.max(0, Number(query.get('count') ?? pageSize) || 0));
  const page = all.slice(start - 1, start - 1 + count);
  return { status: 200, body: { schemas: [LIST], totalResults: all.length, startIndex: start, itemsPerPage: page.length, Resources: page } };
}

function userRecord(model: AtlassianModel, id: string): ScimUserRecord {
  const record = model.scimUsers.get(id);
  if (!record) throw new ModelError(404, `no user ${id} in this directory`);
  return record;
}

function groupRecord(model: AtlassianModel, id: string): ScimGroupRecord {
  const record = model.scimGroups.get(id);
  if (!record) throw new ModelError(404, `no group ${id} in this directory`);
  return record;
}

function text(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ModelError(400, `${what} must be a string`, 'invalidValue');
  return value;
}

type Emails = ScimUserRecord['emails'];

function emailsOf(value: unknown): Emails {
  if (!Array.isArray(value) || value.some((e) => typeof e?.value !== 'string')) throw new ModelError(400, 'emails must be a list of { value }', 'invalidValue');
  return value as Emails;
}

/** Set one attribute of a SCIM user from a PatchOp path (or a create body key). */
function setUserAttribute(record: ScimUserRecord, path: string, value: unknown): void {
  const key = path.startsWith(`${ENTERPRISE}:`) ? path.slice(ENTERPRISE.length + 1) : path;
  if (/^emails\[.*\]\.value$/.test(key)) {
    const primary = record.emails.find((e) => e.primary) ?? record.emails[0];
    if (!primary) throw new ModelError(400, 'the user has no email to replace', 'noTarget');
    primary.value = text(value, path) ?? primary.value;
    return;
  }
  switch (key) {
    case 'active':
      if (typeof value !== 'boolean') throw new ModelError(400, `active must be a boolean, not ${JSON.stringify(value)}`, 'invalidValue');
      record.active = value;
      return;
    case 'emails':
      record.emails = emailsOf(value);
      return;
    case 'name':
      if (!value || typeof value !== 'object') throw new ModelError(400, 'name must be an object', 'invalidValue');
      for (const [part, v] of Object.entries(value)) setUserAttribute(record, `name.${part}`, v);
      return;
    case 'userName':
      record.userName = text(value, path) ?? record.userName;
      return;
    case 'name.givenName':
    case 'name.familyName':
      record[key === 'name.givenName' ? 'givenName' : 'familyName'] = text(value, path);
      return;
    case 'displayName':
    case 'externalId':
    case 'title':
    case 'department':
    case 'organization':
      record[key] = text(value, path);
      return;
    case ENTERPRISE:
    case ATLASSIAN:
      if (key === ENTERPRISE && value && typeof value === 'object') for (const [k, v] of Object.entries(value)) setUserAttribute(record, k, v);
      return;
    default:
      if (key === 'schemas' || key === 'meta' || key === 'id') return;
      throw new ModelError(400, `attribute ${path} is not supported`, 'invalidPath');
  }
}

interface PatchOp {
  op: string;
  path?: string;
  value?: unknown;
}

function operationsOf(body: unknown): PatchOp[] {
  const message = objectBody(body);
  const ops = message.Operations;
  if (!Array.isArray(ops) || ops.some((o) => typeof o?.op !== 'string')) throw new ModelError(400, 'a PatchOp needs Operations', 'invalidSyntax');
  return ops as PatchOp[];
}

function patchUser(model: AtlassianModel, record: ScimUserRecord, body: unknown): void {
  model.assertScimMayChange(record);
  const draft: ScimUserRecord = structuredClone(record);
  for (const { op, path, value } of operationsOf(body)) {
    const kind = op.toLowerCase();
    if (kind !== 'add' && kind !== 'replace' && kind !== 'remove') throw new ModelError(400, `unknown op ${op}`, 'invalidSyntax');
    if (!path) {
      if (kind === 'remove' || !value || typeof value !== 'object') throw new ModelError(400, `${op} without a path needs an object value`, 'noTarget');
      for (const [key, v] of Object.entries(value)) setUserAttribute(draft, key, v);
    } else setUserAttribute(draft, path, kind === 'remove' ? undefined : value);
  }
  const clash = [...model.scimUsers.values()].find((u) => u.id !== record.id && u.userName.toLowerCase() === draft.userName.toLowerCase());
  if (clash) throw new ModelError(409, `userName ${draft.userName} is taken`, 'uniqueness');
  Object.assign(record, draft, { lastModified: model.now() });
  model.syncAccount(record);
}

function createUser({ body, model }: RouteContext): ScimUserRecord {
  const request = objectBody(body);
  const userName = text(request.userName, 'userName');
  if (!userName) throw new ModelError(400, 'userName is required', 'invalidValue');
  if (request.active !== undefined && typeof request.active !== 'boolean') throw new ModelError(400, 'active must be a boolean', 'invalidValue');
  const draft = { userName, emails: request.emails === undefined ? [{ value: userName, primary: true }] : emailsOf(request.emails), active: request.active !== false } as ScimUserRecord;
  for (const [key, value] of Object.entries(request)) if (!['userName', 'emails', 'active'].includes(key)) setUserAttribute(draft, key, value);
  const { userName: u, emails, active, externalId, displayName, givenName, familyName, title, department, organization } = draft;
  return model.provision({ userName: u, emails, active, externalId, displayName, givenName, familyName, title, department, organization });
}

function memberIds(model: AtlassianModel, value: unknown): string[] {
  if (!Array.isArray(value)) throw new ModelError(400, 'members must be a list of { value }', 'invalidValue');
  return value.map((m: { value?: unknown }) => {
    if (typeof m?.value !== 'string') throw new ModelError(400, 'a member needs a value', 'invalidValue');
    const user = model.scimUsers.get(m.value);
    if (!user) throw new ModelError(400, `member ${m.value} is not a user of this provisioning directory`, 'invalidValue');
    return user.accountId;
  });
}

function patchGroup(model: AtlassianModel, record: ScimGroupRecord, body: unknown): void {
  const group = model.group(record.groupId);
  for (const { op, path, value } of operationsOf(body)) {
    const kind = op.toLowerCase();
    const removal = /^members\[value eq "([^"]+)"\]$/.exec(path ?? '');
    if (removal) {
      const user = model.scimUsers.get(removal[1]!);
      if (user) group.members.delete(user.accountId);
    } else if (path === 'members' || (!path && value && typeof value === 'object' && 'members' in value)) {
      const ids = memberIds(model, path ? (value ?? []) : (value as { members: unknown }).members);
      if (kind === 'replace') group.members.clear();
      for (const id of ids) {
        if (kind === 'remove') group.members.delete(id);
        else group.members.add(id);
      }
    } else if (path === 'displayName') {
      const name = text(value, 'displayName');
      if (!name) throw new ModelError(400, 'displayName is required', 'invalidValue');
      const clash = model.groupByName(name);
      if (clash && clash.id !== group.id) throw new ModelError(409, `a group named ${name} exists`, 'uniqueness');
      group.name = name;
    } else if (path === 'externalId') record.externalId = kind === 'remove' ? undefined : text(value, 'externalId');
    else throw new ModelError(400, `path ${path ?? '(none)'} is not supported on groups`, 'invalidPath');
  }
}

export function scimRoutes(ids: ScimApiIds): Route[] {
  const root = `/scim/directory/${ids.scimDirectoryId}`;
  const base = (origin: string) => `${origin}${root}`;
  return [
    route('GET', `${root}/Users`, ({ query, model, origin }) => listResponse([...model.scimUsers.values()].map((u) => userJson(u, base(origin))), query, ids.pageSize, query.get('filter'))),
    route('POST', `${root}/Users`, (ctx) => ({ status: 201, body: userJson(createUser(ctx), base(ctx.origin)) })),
    route('GET', `${root}/Users/:id`, ({ params, model, origin }) => ({ status: 200, body: userJson(userRecord(model, params.id!), base(origin)) })),
    route('PATCH', `${root}/Users/:id`, ({ params, body, model, origin }) => {
      const record = userRecord(model, params.id!);
      patchUser(model, record, body);
      return { status: 200, body: userJson(record, base(origin)) };
    }),
    route('GET', `${root}/Groups`, ({ query, model, origin }) => listResponse([...model.scimGroups.values()].map((g) => groupJson(model, g, base(origin))), query, ids.pageSize, query.get('filter'))),
    route('POST', `${root}/Groups`, ({ body, model, origin }) => {
      const request = objectBody(body);
      const name = text(request.displayName, 'displayName');
      if (!name) throw new ModelError(400, 'displayName is required', 'invalidValue');
      const members = memberIds(model, request.members ?? []);
      const group = model.addGroup({ name, externalSynced: true });
      for (const id of members) group.members.add(id);
      const record: ScimGroupRecord = { id: model.newId('scim'), groupId: group.id, externalId: text(request.externalId, 'externalId') };
      model.scimGroups.set(record.id, record);
      return { status: 201, body: groupJson(model, record, base(origin)) };
    }),
    route('GET', `${root}/Groups/:id`, ({ params, model, origin }) => ({ status: 200, body: groupJson(model, groupRecord(model, params.id!), base(origin)) })),
    route('PATCH', `${root}/Groups/:id`, ({ params, body, model, origin }) => {
      const record = groupRecord(model, params.id!);
      patchGroup(model, record, body);
      return { status: 200, body: groupJson(model, record, base(origin)) };
    }),
    route('DELETE', `${root}/Groups/:id`, ({ params, model }) => {
      const record = groupRecord(model, params.id!);
      model.scimGroups.delete(record.id);
      model.groups.delete(record.groupId);
      return { status: 204 };
    }),
  ];
}
