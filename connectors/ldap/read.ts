/**
 * Reading users and groups from an LDAP server: which searches to send and how to gather what
 * comes back. Takes an opened `LdapClient`, so it runs against any server the client can reach.
 *
 * Users: one paged search of `userBase` (`scope`) with `userFilter`, asking only for the mapped
 * attributes. Groups: one paged search of `groupBase` with `groupFilter`. A group whose member
 * list comes back ranged (Active Directory returns at most 1,500 values per attribute, as
 * `member;range=0-1499`) has the rest read by further base searches (`member;range=1500-*`, ...)
 * until the server answers with a range ending in `*` ([MS-ADTS] 3.1.1.3.1.3.3 "Range Retrieval of
 * Attribute Values": the answer names the range it holds, possibly fewer values than asked for).
 * Any failure propagates: nothing partial.
 */
import { OrgsyncError } from '../../src/errors.js';
import type { Entry, LdapClient, SearchRequest } from './client.js';
import { valuesOf, type GroupEntry } from './map.js';
import type { LdapProfile } from './settings.js';

export interface RawDirectory {
  users: Entry[];
  groups: GroupEntry[];
}

/** The attributes a user search asks for (`modifyTimestamp` for the incremental cursor). */
export function userAttributes(profile: LdapProfile): string[] {
  const names = profile.attributes;
  const wanted = [names.id, names.email, names.userName, names.displayName, names.givenName, names.familyName, names.title, names.department, 'modifyTimestamp'];
  if (profile.upnFallback) wanted.push('userPrincipalName');
  if (profile.disabled.kind === 'userAccountControl') wanted.push('userAccountControl');
  if (profile.disabled.kind === 'attribute') wanted.push(profile.disabled.attribute);
  return [...new Set(wanted)];
}

/** Attributes read as bytes: AD's `objectGUID` (in the case the server writes it, and as configured). */
export function binaryAttributes(profile: LdapProfile): string[] {
  return profile.attributes.id.toLowerCase() === 'objectguid' ? [...new Set([profile.attributes.id, 'objectGUID'])] : [];
}

/** The attributes a group search asks for (`modifyTimestamp` for the incremental cursor). */
export function groupAttributes(profile: LdapProfile): string[] {
  const names = profile.attributes;
  return [...new Set([names.id, names.groupName, names.groupDescription, 'modifyTimestamp', ...names.member])];
}

/** Every entry of a paged search. */
export async function collect(client: LdapClient, request: SearchRequest): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const page of client.pages(request)) for (const entry of page) out.push(entry);
  return out;
}

export function readUsers(client: LdapClient, profile: LdapProfile): Promise<Entry[]> {
  return collect(client, { base: profile.userBase, scope: profile.scope, filter: profile.userFilter, attributes: userAttributes(profile), binary: binaryAttributes(profile), pageSize: profile.pageSize });
}

/** `member;range=0-1499` as its parts; undefined for an attribute name without a range. */
export function parseRange(name: string): { attribute: string; start: number; end: number | '*' } | undefined {
  const match = /^([^;]+);range=(\d+)-(\d+|\*)$/i.exec(name);
  if (!match) return undefined;
  return { attribute: match[1]!, start: Number(match[2]), end: match[3] === '*' ? '*' : Number(match[3]) };
}

/** The values of every member attribute of a group entry, reading the ranges the server held back. */
export async function memberValues(client: LdapClient, entry: Entry, memberAttributes: string[]): Promise<GroupEntry['members']> {
  const out: GroupEntry['members'] = [];
  for (const attribute of memberAttributes) {
    const values = valuesOf(entry, attribute).map(String);
    let ranged = rangedValues(entry, attribute);
    while (ranged !== undefined) {
      for (const value of ranged.values) values.push(value);
      if (ranged.end === '*') break;
      const name = `${attribute};range=${ranged.end + 1}-*`;
      const next = await client.entry(entry.dn, [name]);
      ranged = next === undefined ? undefined : rangedValues(next, attribute);
      if (ranged === undefined) {
        throw new OrgsyncError('ldap-range', `ldap source: ${client.url} gave no ${name} for "${entry.dn}": its member list could not be read whole`);
      }
    }
    out.push({ attribute, values });
  }
  return out;
}

/** The values and range end of the ranged form of `attribute` (e.g. `member;range=0-1499`) in `entry`. */
function rangedValues(entry: Entry, attribute: string): { values: string[]; end: number | '*' } | undefined {
  for (const key of Object.keys(entry)) {
    const range = parseRange(key);
    if (range && range.attribute.toLowerCase() === attribute.toLowerCase()) return { values: valuesOf(entry, key).map(String), end: range.end };
  }
  return undefined;
}

export async function readGroups(client: LdapClient, profile: LdapProfile): Promise<GroupEntry[]> {
  if (profile.groupBase === undefined) return [];
  const entries = await collect(client, { base: profile.groupBase, scope: profile.scope, filter: profile.groupFilter, attributes: groupAttributes(profile), binary: binaryAttributes(profile), pageSize: profile.pageSize });
  const groups: GroupEntry[] = [];
  for (const entry of entries) groups.push({ entry, members: await memberValues(client, entry, profile.attributes.member) });
  return groups;
}

export async function readDirectory(client: LdapClient, profile: LdapProfile): Promise<RawDirectory> {
  const users = await readUsers(client, profile);
  const groups = await readGroups(client, profile);
  return { users, groups };
}
