/**
 * Pure transformers from Graph objects to the directory model.
 *
 * In: raw Graph users (selected properties) and group records. Out: `SourceUser`s, `SourceGroup`s
 * and one whole `Snapshot`, sorted by id so equal directories give equal snapshots whether they
 * came from a full read or a delta. `mail` is the address; a user without one falls back to its
 * `userPrincipalName` unless that is a guest UPN (`...#EXT#@tenant`), which is no address at all:
 * then the email is null and a `ReadIssue` says why. Group members naming an object that is not in
 * the snapshot (a user outside the scope, a device) are left out. A user or group id read twice
 * keeps both records and is reported (`src/util/duplicate-ids.ts`).
 */
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { GraphGroup, GraphUser, GroupRecord, MemberKind, DirectoryRef } from './graph.js';
import { memberKind } from './graph.js';
import { duplicateIdIssues } from '../../src/util/duplicate-ids.js';

export interface MappedUser {
  user: SourceUser;
  issue?: ReadIssue;
}

function text(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isGuestUpn(upn: string): boolean {
  return upn.toUpperCase().includes('#EXT#');
}

/** One Graph user as a `SourceUser`, with an issue when it has no usable address. */
export function toSourceUser(raw: GraphUser): MappedUser {
  const mail = text(raw.mail);
  const upn = text(raw.userPrincipalName);
  let email: string | null = mail ?? null;
  let issue: ReadIssue | undefined;
  if (email === null && upn !== undefined && !isGuestUpn(upn)) email = upn;
  else if (email === null && upn !== undefined) {
    issue = { code: 'guest-without-mail', subject: raw.id, message: `Entra user ${raw.id} (${upn}) is a guest without mail; its UPN is not an address` };
  }
  const attributes: Record<string, string> = {};
  const title = text(raw.jobTitle);
  const department = text(raw.department);
  if (title !== undefined) attributes.title = title;
  if (department !== undefined) attributes.department = department;
  const user: SourceUser = { id: raw.id, email, active: raw.accountEnabled === true, attributes };
  if (upn !== undefined) user.userName = upn;
  const optional = { displayName: text(raw.displayName), givenName: text(raw.givenName), familyName: text(raw.surname) };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) user[key as keyof typeof optional] = value;
  return issue ? { user, issue } : { user };
}

/** A group record from a listed group and the member references read for it. */
export function toGroupRecord(group: GraphGroup, members: Iterable<DirectoryRef>): GroupRecord {
  const record: GroupRecord = { id: group.id, displayName: group.displayName ?? '', description: group.description ?? '', members: new Map<string, MemberKind>() };
  for (const ref of members) {
    const kind = memberKind(ref);
    if (kind !== undefined && typeof ref.id === 'string') record.members.set(ref.id, kind);
  }
  return record;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface SnapshotInput {
  users: Iterable<GraphUser>;
  groups: Iterable<GroupRecord>;
  issues: ReadIssue[];
  complete: boolean;
}

/** The whole snapshot: users mapped, groups with members restricted to objects in it. */
export function toSnapshot(input: SnapshotInput): Snapshot {
  const issues = [...input.issues];
  const users: SourceUser[] = [];
  for (const raw of input.users) {
    if (typeof raw.id !== 'string' || raw.id === '') {
      issues.push({ code: 'missing-id', message: `Entra user without an id skipped (${raw.userPrincipalName ?? raw.displayName ?? 'no name'})` });
      continue;
    }
    const mapped = toSourceUser(raw);
    users.push(mapped.user);
    if (mapped.issue) issues.push(mapped.issue);
  }
  const records = [...input.groups];
  // An id read twice (a page repeated, a delta replayed) is passed on twice: the core plans nothing for it.
  for (const issue of duplicateIdIssues(users, (u) => u.id, (_u, i) => `Entra user record ${i + 1}`, 'user')) issues.push(issue);
  for (const issue of duplicateIdIssues(records, (g) => g.id, (_g, i) => `Entra group record ${i + 1}`, 'group')) issues.push(issue);
  const userIds = new Set(users.map((u) => u.id));
  const groupIds = new Set(records.map((g) => g.id));
  const groups: SourceGroup[] = records.map((record) => ({
    id: record.id,
    displayName: record.displayName,
    description: record.description,
    members: [...record.members]
      .filter(([id, kind]) => (kind === 'user' ? userIds.has(id) : groupIds.has(id)))
      .map(([id]) => id)
      .sort(),
  }));
  return { complete: input.complete, users: users.sort(byId), groups: groups.sort(byId), issues };
}
