/**
 * Pure translation of LDAP entries into the directory model. No I/O.
 *
 * In: user and group entries as read (attributes by name, any case; values strings or Buffers) and
 * the resolved profile. Out: one `Snapshot`, users and groups sorted by id.
 *
 * - A user's id is the `id` attribute: AD's binary `objectGUID` becomes the canonical GUID string
 *   (first three fields little-endian, lower case); anything else is taken as text. An entry
 *   without an id is an issue, not a user. Two entries with one id are both kept.
 * - The address is `mail`; on AD only, a user without one takes its `userPrincipalName` when that is
 *   on a routable domain (not `.local`, `.lan`, `.internal`, ... or a single label).
 * - Group members are matched by DN, normalized per RFC 4514 (`dn.ts`), against the users and
 *   groups read; `memberUid` values are matched against the users' `userName`. A member naming no
 *   entry read (outside `userBase`, not matching `userFilter`, or not existing) is not a user; a
 *   group with such members gets one `unresolved-member` issue.
 * - With `nested: flatten` each group also lists the users of the groups nested in it, however
 *   deep, computed here; cycles end where a group repeats.
 */
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { Entry } from './client.js';
import { dnKey } from './dn.js';
import type { DisabledRule, LdapProfile } from './settings.js';
import { duplicateIdIssues } from '../../src/util/duplicate-ids.js';

type Value = string | Buffer;

/** The values of `name` in `entry`, whatever the case the server wrote the name in. */
export function valuesOf(entry: Entry, name: string): Value[] {
  const exact = entry[name];
  if (exact !== undefined) return (Array.isArray(exact) ? exact : [exact]) as Value[];
  const wanted = name.toLowerCase();
  for (const [key, raw] of Object.entries(entry)) {
    if (key.toLowerCase() !== wanted) continue;
    return (Array.isArray(raw) ? raw : [raw]) as Value[];
  }
  return [];
}

function textOf(value: Value | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = (Buffer.isBuffer(value) ? value.toString('utf8') : value).trim();
  return text === '' ? undefined : text;
}

export function firstText(entry: Entry, name: string): string | undefined {
  return textOf(valuesOf(entry, name)[0]);
}

/** AD's objectGUID bytes as the canonical GUID string. */
export function formatGuid(bytes: Buffer): string | undefined {
  if (bytes.length !== 16) return undefined;
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of an entry: binary 16-byte values as a GUID, text as is (a GUID in lower case). */
export function idOf(entry: Entry, attribute: string): string | undefined {
  const value = valuesOf(entry, attribute)[0];
  if (Buffer.isBuffer(value)) return formatGuid(value) ?? (value.length > 0 ? value.toString('hex') : undefined);
  const text = textOf(value);
  return text !== undefined && GUID_TEXT.test(text) ? text.toLowerCase() : text;
}

const NON_ROUTABLE = new Set(['local', 'localdomain', 'lan', 'internal', 'intranet', 'corp', 'home', 'private', 'localhost', 'invalid', 'test']);

/** Whether an address is on a domain mail can reach: dotted, with a public-looking last label. */
export function onRoutableDomain(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');
  const labels = domain.split('.');
  return address.includes('@') && labels.length > 1 && labels.every((l) => l !== '') && !NON_ROUTABLE.has(labels[labels.length - 1]!);
}

export function isDisabled(entry: Entry, rule: DisabledRule): boolean {
  if (rule.kind === 'none') return false;
  if (rule.kind === 'userAccountControl') {
    const flags = Number.parseInt(firstText(entry, 'userAccountControl') ?? '0', 10);
    return Number.isFinite(flags) && (flags & 0x2) !== 0;
  }
  const values = valuesOf(entry, rule.attribute).map(textOf).filter((v): v is string => v !== undefined);
  if (rule.value === undefined) return values.length > 0;
  return values.some((v) => v.toLowerCase() === rule.value!.toLowerCase());
}

/** One user entry as a `SourceUser`, or an issue when it has no id. */
export function toSourceUser(entry: Entry, profile: LdapProfile): { user?: SourceUser; issue?: ReadIssue } {
  const names = profile.attributes;
  const id = idOf(entry, names.id);
  if (id === undefined) return { issue: { code: 'missing-id', message: `LDAP entry "${entry.dn}" has no ${names.id}; skipped`, subject: entry.dn } };
  const userName = firstText(entry, names.userName);
  let email = firstText(entry, names.email) ?? null;
  if (email === null && profile.upnFallback) {
    const upn = firstText(entry, 'userPrincipalName');
    if (upn !== undefined && onRoutableDomain(upn)) email = upn;
  }
  const attributes: Record<string, string> = {};
  for (const key of ['title', 'department'] as const) {
    const value = firstText(entry, names[key]);
    if (value !== undefined) attributes[key] = value;
  }
  const user: SourceUser = { id, email, active: !isDisabled(entry, profile.disabled), attributes };
  if (userName !== undefined) user.userName = userName;
  const optional = { displayName: firstText(entry, names.displayName), givenName: firstText(entry, names.givenName), familyName: firstText(entry, names.familyName) };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) user[key as keyof typeof optional] = value;
  return { user };
}

/** A group entry as read, with every member value (ranged values already joined). */
export interface GroupEntry {
  entry: Entry;
  /** Member values by the attribute that held them (`member`, `uniqueMember`, `memberUid`). */
  members: { attribute: string; values: string[] }[];
}

interface Index {
  byDn: Map<string, string>;
  userIds: Set<string>;
  byUserName: Map<string, string>;
}

function resolveMember(attribute: string, value: string, index: Index): string | undefined {
  if (attribute.toLowerCase() === 'memberuid') return index.byUserName.get(value.trim().toLowerCase());
  const key = dnKey(value);
  return key === undefined ? undefined : index.byDn.get(key);
}

function toSourceGroup(group: GroupEntry, id: string, profile: LdapProfile, index: Index): { group: SourceGroup; unresolved: number } {
  const members = new Set<string>();
  let unresolved = 0;
  for (const { attribute, values } of group.members) {
    for (const value of values) {
      const member = resolveMember(attribute, value, index);
      if (member === undefined) unresolved += 1;
      else if (member !== id) members.add(member);
    }
  }
  const displayName = firstText(group.entry, profile.attributes.groupName) ?? group.entry.dn;
  const description = firstText(group.entry, profile.attributes.groupDescription) ?? '';
  return { group: { id, displayName, description, members: [...members] }, unresolved };
}

/** Add to every group the users of the groups nested in it at any depth (each group visited once). */
export function flattenGroups(groups: SourceGroup[], userIds: ReadonlySet<string>): SourceGroup[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  return groups.map((group) => {
    const members = new Set(group.members);
    const seen = new Set([group.id]);
    const queue = group.members.filter((m) => byId.has(m));
    for (let i = 0; i < queue.length; i += 1) {
      const nested = queue[i]!;
      if (seen.has(nested)) continue;
      seen.add(nested);
      for (const member of byId.get(nested)!.members) {
        if (userIds.has(member)) members.add(member);
        else if (byId.has(member) && !seen.has(member)) queue.push(member);
      }
    }
    return { ...group, members: [...members] };
  });
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => byText(a.id, b.id);

export interface MapInput {
  users: Entry[];
  groups: GroupEntry[];
  nested: 'flatten' | 'direct';
  complete: boolean;
  issues: ReadIssue[];
}

/** The whole snapshot from the entries read. */
export function toSnapshot(input: MapInput, profile: LdapProfile): Snapshot {
  const issues = [...input.issues];
  const users: SourceUser[] = [];
  const index: Index = { byDn: new Map(), userIds: new Set(), byUserName: new Map() };
  for (const entry of input.users) {
    const mapped = toSourceUser(entry, profile);
    if (mapped.issue) issues.push(mapped.issue);
    if (!mapped.user) continue;
    users.push(mapped.user);
    index.userIds.add(mapped.user.id);
    const key = dnKey(entry.dn);
    if (key !== undefined) index.byDn.set(key, mapped.user.id);
    if (mapped.user.userName !== undefined) index.byUserName.set(mapped.user.userName.toLowerCase(), mapped.user.id);
  }
  const ids = new Map<GroupEntry, string>();
  for (const group of input.groups) {
    const id = idOf(group.entry, profile.attributes.id);
    if (id === undefined) {
      issues.push({ code: 'missing-id', message: `LDAP group "${group.entry.dn}" has no ${profile.attributes.id}; skipped`, subject: group.entry.dn });
      continue;
    }
    ids.set(group, id);
    const key = dnKey(group.entry.dn);
    if (key !== undefined) index.byDn.set(key, id);
  }
  let groups: SourceGroup[] = [];
  for (const [entry, id] of ids) {
    const mapped = toSourceGroup(entry, id, profile, index);
    groups.push(mapped.group);
    if (mapped.unresolved > 0) {
      issues.push({ code: 'unresolved-member', subject: id, message: `LDAP group "${mapped.group.displayName}" names ${mapped.unresolved} member(s) that are no user or group read (outside userBase, not matching userFilter, or not existing)` });
    }
  }
  issues.push(...duplicateIdIssues(users, (u) => u.id, (u) => `the entry of ${u.userName ?? u.email ?? u.id}`, 'user'));
  issues.push(...duplicateIdIssues(ids, ([, id]) => id, ([group]) => `entry "${group.entry.dn}"`, 'group'));
  if (input.nested === 'flatten') groups = flattenGroups(groups, index.userIds);
  for (const group of groups) group.members.sort(byText);
  return { complete: input.complete, users: users.sort(byId), groups: groups.sort(byId), issues };
}
