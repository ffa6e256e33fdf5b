/**
 * Atlassian's SCIM user schema, enforced: jira.js `src/userProvisioning/models/scimUser.ts` (core
 * attributes), `scimUserName.ts`, `scimUserEmail.ts`, `scimUserPhoneNumber.ts`,
 * `enterpriseUserExtension.ts` (`organization`, `department` only) and
 * `externalAtlassianScimExtension.ts` (`atlassianAccountId`, read-only). An attribute outside it
 * (`userType`, `locale`, `profileUrl`, the enterprise `division`, `costCenter`, `employeeNumber`,
 * `manager`, ...) is refused with 400. Attribute names match case-insensitively (RFC 7643 §2.1).
 * A PATCH is applied to the user's JSON form, which is then read again through the same schema.
 */
import { ModelError } from './errors.js';
import type { ScimMultiValue, ScimName, ScimUserRecord } from './model.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ATLASSIAN = 'urn:scim:schemas:extension:atlassian-external:1.0';

const STRINGS = ['externalId', 'userName', 'displayName', 'nickName', 'title', 'preferredLanguage', 'department', 'organization', 'timezone'] as const;
/** Accepted and ignored: read-only or server-issued. */
const IGNORED = ['schemas', 'id', 'meta', 'groups', ATLASSIAN];
const TOP = [...STRINGS, 'name', 'emails', 'phoneNumbers', 'active', ENTERPRISE, ...IGNORED];
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const ENTERPRISE_PARTS = ['organization', 'department'] as const;
const MULTI_VALUE_PARTS = ['value', 'type', 'primary'];

export type ScimUserDraft = Omit<ScimUserRecord, 'id' | 'directoryId' | 'accountId' | 'created' | 'lastModified'>;

function canonical(key: string, allowed: readonly string[]): string | undefined {
  return allowed.find((a) => a.toLowerCase() === key.toLowerCase());
}

export function outsideSchema(attribute: string): ModelError {
  return new ModelError(400, `Attribute '${attribute}' is not part of the Atlassian SCIM user schema`, 'invalidSyntax');
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ModelError(400, `${what} must be an object`, 'invalidValue');
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ModelError(400, `${what} must be a string`, 'invalidValue');
  return value;
}

function parts<K extends string>(value: unknown, allowed: readonly K[], what: string): Partial<Record<K, string>> {
  const result: Partial<Record<K, string>> = {};
  for (const [key, v] of Object.entries(object(value, what))) {
    const name = canonical(key, allowed) as K | undefined;
    if (!name) throw outsideSchema(`${what}.${key}`);
    const s = text(v, `${what}.${name}`);
    if (s !== undefined) result[name] = s;
  }
  return result;
}

function multiValues(value: unknown, what: string): ScimMultiValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ModelError(400, `${what} must be a list`, 'invalidValue');
  return value.map((item) => {
    const entry = object(item, what);
    const unknown = Object.keys(entry).find((k) => !canonical(k, MULTI_VALUE_PARTS));
    if (unknown) throw outsideSchema(`${what}.${unknown}`);
    const read = (k: string) => entry[Object.keys(entry).find((e) => e.toLowerCase() === k.toLowerCase()) ?? k];
    const v = text(read('value'), `${what}.value`);
    if (!v) throw new ModelError(400, `every entry of ${what} needs a value`, 'invalidValue');
    const primary = read('primary');
    if (primary !== undefined && typeof primary !== 'boolean') throw new ModelError(400, `${what}.primary must be a boolean`, 'invalidValue');
    return { value: v, ...(text(read('type'), `${what}.type`) ? { type: read('type') as string } : {}), ...(primary !== undefined ? { primary } : {}) };
  });
}

function checkEmails(emails: ScimMultiValue[]): void {
  if (emails.length === 0) throw new ModelError(400, 'emails is required: a user needs an email address', 'invalidValue');
  const primaries = emails.filter((e) => e.primary === true).length;
  if (primaries !== 1 && emails.length > 1) throw new ModelError(400, 'One email must be marked as primary', 'invalidValue');
}

/** Read a user body (create, replace, or a patched user's JSON) through Atlassian's schema. */
export function readUser(body: unknown): ScimUserDraft {
  const draft: ScimUserDraft = { userName: '', name: {}, emails: [], phoneNumbers: [], enterprise: {}, active: true };
  for (const [key, value] of Object.entries(object(body, 'the request body'))) {
    const name = canonical(key, TOP);
    if (!name) throw outsideSchema(key);
    if ((STRINGS as readonly string[]).includes(name)) (draft as unknown as Record<string, unknown>)[name] = text(value, name);
    else if (name === 'name') draft.name = value == null ? {} : (parts(value, NAME_PARTS, 'name') as ScimName);
    else if (name === 'emails') draft.emails = multiValues(value, 'emails');
    else if (name === 'phoneNumbers') draft.phoneNumbers = multiValues(value, 'phoneNumbers');
    else if (name === ENTERPRISE) draft.enterprise = value == null ? {} : parts(value, ENTERPRISE_PARTS, ENTERPRISE);
    else if (name === 'active') {
      if (typeof value !== 'boolean') throw new ModelError(400, `active must be a boolean, not ${JSON.stringify(value)}`, 'invalidValue');
      draft.active = value;
    }
  }
  if (!draft.userName) throw new ModelError(400, 'userName is required', 'invalidValue');
  checkEmails(draft.emails);
  return draft;
}

/** The user's attributes as a SCIM body (no id, meta or read-only extension). */
export function userBody(record: ScimUserDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [USER_SCHEMA, ENTERPRISE] };
  for (const key of STRINGS) if (record[key] !== undefined) body[key] = record[key];
  if (Object.keys(record.name).length > 0) body.name = { ...record.name };
  body.emails = record.emails.map((e) => ({ ...e }));
  if (record.phoneNumbers.length > 0) body.phoneNumbers = record.phoneNumbers.map((p) => ({ ...p }));
  if (Object.keys(record.enterprise).length > 0) body[ENTERPRISE] = { ...record.enterprise };
  body.active = record.active;
  return body;
}

export function primaryEmail(record: Pick<ScimUserDraft, 'emails' | 'userName'>): string {
  return (record.emails.find((e) => e.primary) ?? record.emails[0])?.value ?? record.userName;
}

// ---- PATCH ---------------------------------------------------------------------------------

interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** The operations of a PatchOp message (`Operations`, any case: attribute names are case-insensitive). */
export function operationsOf(body: unknown): PatchOp[] {
  const message = object(body, 'the request body');
  const key = Object.keys(message).find((k) => k.toLowerCase() === 'operations');
  const ops = key ? message[key] : undefined;
  if (!Array.isArray(ops) || ops.length === 0) throw new ModelError(400, 'A PatchOp needs a non-empty Operations list', 'invalidSyntax');
  return ops.map((o: { op?: unknown; path?: unknown; value?: unknown }) => {
    const op = typeof o?.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new ModelError(400, `Unknown PATCH op ${JSON.stringify(o?.op)}`, 'invalidSyntax');
    if (o.path !== undefined && typeof o.path !== 'string') throw new ModelError(400, 'path must be a string', 'invalidPath');
    return { op, path: o.path as string | undefined, value: o.value };
  });
}

/** `emails[type eq "work"].value`, `name.givenName`, `urn:...:User:department`, `active`. */
function splitPath(path: string): { top: string; filter?: { attr: string; value: string }; sub?: string } {
  const lower = path.toLowerCase();
  if (lower.startsWith(`${ENTERPRISE.toLowerCase()}:`)) return { top: ENTERPRISE, sub: path.slice(ENTERPRISE.length + 1) };
  if (lower === ENTERPRISE.toLowerCase()) return { top: ENTERPRISE };
  const found = /^(\w+)(?:\[(\w+)\s+eq\s+"?([^"\]]*)"?\])?(?:\.(\w+))?$/i.exec(path);
  if (!found) throw new ModelError(400, `Unsupported path ${path}`, 'invalidPath');
  const top = canonical(found[1]!, TOP);
  if (!top) throw new ModelError(400, `Attribute '${found[1]}' is not part of the Atlassian SCIM user schema`, 'invalidPath');
  return { top, ...(found[2] ? { filter: { attr: found[2], value: found[3]! } } : {}), ...(found[4] ? { sub: found[4] } : {}) };
}

function applyToList(list: unknown, filter: { attr: string; value: string }, sub: string | undefined, value: unknown, remove: boolean): unknown[] {
  const items = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  const matches = (item: Record<string, unknown>) => String(item[filter.attr]).toLowerCase() === filter.value.toLowerCase();
  if (!items.some(matches)) {
    if (remove || !sub) throw new ModelError(400, `No value matches ${filter.attr} eq "${filter.value}"`, 'noTarget');
    return [...items, { [filter.attr]: filter.attr === 'primary' ? filter.value === 'true' : filter.value, [sub]: value }];
  }
  if (remove && !sub) return items.filter((item) => !matches(item));
  return items.map((item) => (matches(item) ? (sub ? { ...item, [sub]: remove ? undefined : value } : (value as Record<string, unknown>)) : item));
}

function applyOne(doc: Record<string, unknown>, { op, path, value }: PatchOp): void {
  const remove = op === 'remove';
  if (!path) {
    if (remove) throw new ModelError(400, 'remove needs a path', 'noTarget');
    for (const [key, v] of Object.entries(object(value, 'value'))) applyOne(doc, { op, path: key, value: v });
    return;
  }
  const { top, filter, sub } = splitPath(path);
  if (filter) doc[top] = applyToList(doc[top], filter, sub, value, remove);
  else if (sub) doc[top] = { ...((doc[top] as object | undefined) ?? {}), [sub]: remove ? undefined : value };
  else if (op === 'add' && (top === 'emails' || top === 'phoneNumbers') && Array.isArray(value)) doc[top] = [...((doc[top] as unknown[]) ?? []), ...value];
  else if (op === 'add' && (top === 'name' || top === ENTERPRISE) && value && typeof value === 'object') doc[top] = { ...((doc[top] as object | undefined) ?? {}), ...value };
  else doc[top] = remove ? undefined : value;
}

/** Apply a PatchOp to a user; the result goes through the schema again. */
export function patchUser(record: ScimUserDraft, body: unknown): ScimUserDraft {
  const doc = userBody(record);
  for (const op of operationsOf(body)) applyOne(doc, op);
  const clean = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  return readUser(clean);
}
