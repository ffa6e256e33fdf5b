/**
 * Pure translation between plan fields and SCIM 2.0 resources (RFC 7643), shared by the generic
 * SCIM adapter and the Atlassian adapter (whose managed accounts are provisioned over SCIM).
 *
 * In: flat plan fields (`email`, `displayName`, `givenName`, `familyName`, `status`, `externalId`
 * and managed attribute names such as `title` or `department`). Out: SCIM create bodies, PatchOp
 * operations, and the flat fields read back from a SCIM user. An attribute SCIM has no place for is
 * an error naming it, so a plan never silently loses a change.
 */
import { inputError } from '../../errors.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ScimMeta {
  version?: string;
  [key: string]: unknown;
}

export interface ScimUser {
  id: string;
  userName: string;
  externalId?: string | null;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  emails?: ScimEmail[];
  active?: boolean;
  meta?: ScimMeta;
  [key: string]: unknown;
}

export interface ScimMember {
  value: string;
  display?: string;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId?: string | null;
  members?: ScimMember[];
  meta?: ScimMeta;
}

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/**
 * Which profile attributes a SCIM service has a place for: core attributes, and the enterprise
 * extension's. A plan attribute outside the schema is an error naming it.
 */
export interface ScimSchema {
  /** Names the messages use, e.g. "SCIM" or "Atlassian's SCIM". */
  name: string;
  core: ReadonlySet<string>;
  enterprise: ReadonlySet<string>;
}

/** RFC 7643's user attributes (what a generic SCIM 2.0 service accepts). */
export const RFC_SCHEMA: ScimSchema = {
  name: 'SCIM',
  core: new Set(['title', 'nickName', 'userType', 'preferredLanguage', 'locale', 'timezone', 'profileUrl']),
  enterprise: new Set(['department', 'organization', 'division', 'costCenter', 'employeeNumber']),
};

/** The plan fields every schema has (they are not profile attributes). */
export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set(['displayName', 'givenName', 'familyName']);

/** The attribute names a schema supports, for messages and config checks. */
export function supportedAttributes(schema: ScimSchema): string[] {
  return [...ACCOUNT_FIELDS, ...schema.core, ...schema.enterprise];
}

/** Fields of a plan's `before`/`after` that are not profile attributes. */
const USER_FIELDS = new Set(['email', 'displayName', 'givenName', 'familyName', 'status', 'externalId']);

/** A user as the plan sees it, read back from SCIM. */
export interface UserFields {
  email: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  attributes: Record<string, string>;
  active: boolean;
  externalId: string | null;
}

function attributePath(name: string, schema: ScimSchema): string {
  if (schema.core.has(name)) return name;
  if (schema.enterprise.has(name)) return `${ENTERPRISE_SCHEMA}:${name}`;
  throw inputError(`attribute "${name}" has no ${schema.name} counterpart (supported: ${[...schema.core, ...schema.enterprise].join(', ')})`);
}

/** The primary address of a SCIM user: the primary email, else the first, else `userName`. */
export function primaryEmail(user: Pick<ScimUser, 'emails' | 'userName'>): string {
  const emails = user.emails ?? [];
  return (emails.find((e) => e.primary) ?? emails[0])?.value ?? user.userName;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function userFields(user: ScimUser, schema: ScimSchema = RFC_SCHEMA): UserFields {
  const attributes: Record<string, string> = {};
  for (const name of schema.core) {
    const value = text(user[name]);
    if (value !== undefined) attributes[name] = value;
  }
  const enterprise = (user[ENTERPRISE_SCHEMA] ?? {}) as Record<string, unknown>;
  for (const name of schema.enterprise) {
    const value = text(enterprise[name]) ?? text(user[name]);
    if (value !== undefined) attributes[name] = value;
  }
  return {
    email: primaryEmail(user),
    displayName: text(user.displayName),
    givenName: text(user.name?.givenName),
    familyName: text(user.name?.familyName),
    attributes,
    active: user.active !== false,
    externalId: text(user.externalId) ?? null,
  };
}

/** Split plan fields into the user fields and the profile attributes. */
function splitFields(fields: Record<string, unknown>): { core: Record<string, unknown>; attributes: Record<string, unknown> } {
  const core: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) (USER_FIELDS.has(key) ? core : attributes)[key] = value;
  return { core, attributes };
}

/** The body of `POST /Users` for a new account with the plan's fields, linked to `externalId`. */
export function userBody(fields: Record<string, unknown>, email: string, externalId: string | null, schema: ScimSchema = RFC_SCHEMA): Record<string, unknown> {
  const { core, attributes } = splitFields(fields);
  const body: Record<string, unknown> = {
    schemas: [USER_SCHEMA],
    userName: email,
    emails: [{ value: email, type: 'work', primary: true }],
    active: core.status === undefined ? true : core.status === 'active',
  };
  if (externalId) body.externalId = externalId;
  if (text(core.displayName)) body.displayName = core.displayName;
  const name: Record<string, string> = {};
  if (text(core.givenName)) name.givenName = core.givenName as string;
  if (text(core.familyName)) name.familyName = core.familyName as string;
  if (Object.keys(name).length > 0) body.name = name;
  const enterprise: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const v = text(value);
    if (v === undefined) continue;
    if (schema.enterprise.has(key)) enterprise[key] = v;
    else body[attributePath(key, schema)] = v;
  }
  if (Object.keys(enterprise).length > 0) {
    body.schemas = [USER_SCHEMA, ENTERPRISE_SCHEMA];
    body[ENTERPRISE_SCHEMA] = enterprise;
  }
  return body;
}

function setOrRemove(path: string, value: unknown): PatchOperation {
  return value === null || value === undefined || value === '' ? { op: 'remove', path } : { op: 'replace', path, value };
}

function fieldOperations(key: string, value: unknown, schema: ScimSchema): PatchOperation[] {
  switch (key) {
    case 'email':
      return [
        { op: 'replace', path: 'userName', value },
        { op: 'replace', path: 'emails', value: [{ value, type: 'work', primary: true }] },
      ];
    case 'status':
      if (value !== 'active' && value !== 'deactivated') throw inputError(`status "${String(value)}" cannot be set through SCIM (only active or deactivated)`);
      return [{ op: 'replace', path: 'active', value: value === 'active' }];
    case 'givenName':
    case 'familyName':
      return [setOrRemove(`name.${key}`, value)];
    case 'displayName':
    case 'externalId':
      return [setOrRemove(key, value)];
    default:
      return [setOrRemove(attributePath(key, schema), value)];
  }
}

/** PatchOp operations that make a SCIM user carry `fields` (keys as in a plan's `after`). */
export function userPatch(fields: Record<string, unknown>, schema: ScimSchema = RFC_SCHEMA): PatchOperation[] {
  return Object.entries(fields).flatMap(([key, value]) => fieldOperations(key, value, schema));
}

/** The body of `POST /Groups`. */
export function groupBody(name: string, externalId: string | null): Record<string, unknown> {
  return { schemas: [GROUP_SCHEMA], displayName: name, ...(externalId ? { externalId } : {}), members: [] };
}

/** Member changes as PatchOp bodies, at most `batchSize` members each. */
export function memberPatches(action: 'add' | 'remove', ids: string[], batchSize: number): PatchOperation[][] {
  const batches: PatchOperation[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    const slice = ids.slice(i, i + batchSize);
    batches.push(
      action === 'add'
        ? [{ op: 'add', path: 'members', value: slice.map((value) => ({ value })) }]
        : slice.map((id) => ({ op: 'remove' as const, path: `members[value eq ${quote(id)}]` })),
    );
  }
  return batches;
}

/** A SCIM filter string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Lower-case an address for look-ups (SCIM `userName` is case-insensitive). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
