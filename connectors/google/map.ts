/**
 * Pure transformers from Directory API records to the directory model.
 *
 * Users: `id` is the link key; the email is `primaryEmail` (aliases never); `suspended` or
 * `archived` users are inactive; names from `name`; `title` and `department` from the primary
 * organization (the first when none is marked primary). Records are kept as read: two records with
 * one id both reach the snapshot, where the reconcile core reports `duplicate-source-id`.
 *
 * Members, resolved per listed group with a visited set (cycles end the walk):
 * - `USER` naming a user read: that user's id;
 * - `USER` that is no user read and whose address is on no domain of the users read: an **external
 *   member**. It becomes a source user with id `external:<normalized address>` (so every group
 *   naming that address points at one user, and the id stays the same from read to read), email as
 *   Google gives it, active, no profile; the reconcile core invites it like any unclaimed address;
 * - `USER` on a domain of the users read but not read (left out by `userQuery`): left out;
 * - `GROUP` that the group listing returned: its id (the reconcile core flattens or not), except the
 *   group itself met again through an unlisted group;
 * - `GROUP` outside the listing: walked in place, its members counted as the group's own;
 * - `CUSTOMER`: everyone in the customer, i.e. every user read.
 */
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import { EmailNormalizer } from '../../src/reconcile/email.js';
import type { GoogleGroup, GoogleMember, GoogleUser } from './client.js';
import type { DirectoryRead } from './read.js';
import { duplicateIdIssues } from '../../src/util/duplicate-ids.js';

export const EXTERNAL_PREFIX = 'external:';

/** The source id of an external member: stable for one normalized address. */
export function externalMemberId(normalizedAddress: string): string {
  return `${EXTERNAL_PREFIX}${normalizedAddress}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

interface Organization {
  primary?: boolean;
  title?: string;
  department?: string;
}

function primaryOrganization(raw: GoogleUser): Organization | undefined {
  const list = Array.isArray(raw.organizations) ? (raw.organizations as Organization[]) : [];
  return list.find((org) => org?.primary === true) ?? list[0];
}

/** One Directory API user as a `SourceUser` (the caller has checked `id`). */
export function toSourceUser(raw: GoogleUser & { id: string }): SourceUser {
  const email = text(raw.primaryEmail) ?? null;
  const attributes: Record<string, string> = {};
  const org = primaryOrganization(raw);
  const title = text(org?.title);
  const department = text(org?.department);
  if (title !== undefined) attributes.title = title;
  if (department !== undefined) attributes.department = department;
  const user: SourceUser = { id: raw.id, email, active: raw.suspended !== true && raw.archived !== true, attributes };
  if (email !== null) user.userName = email;
  const names = { displayName: text(raw.name?.fullName), givenName: text(raw.name?.givenName), familyName: text(raw.name?.familyName) };
  for (const [key, value] of Object.entries(names)) if (value !== undefined) user[key as keyof typeof names] = value;
  return user;
}

/** What member resolution needs to know about the users read. */
export interface MemberContext {
  userIds: ReadonlySet<string>;
  /** Every user id, in snapshot order: what a `CUSTOMER` member stands for. */
  everyone: readonly string[];
  /** Normalized domains of the users read. */
  domains: ReadonlySet<string>;
  listedGroups: ReadonlySet<string>;
  members: ReadonlyMap<string, GoogleMember[]>;
  normalizer: EmailNormalizer;
  /** External members met so far, by normalized address. */
  externals: Map<string, SourceUser>;
}

/** The external user for a member, or undefined when the member is not external. */
function externalUser(member: GoogleMember, ctx: MemberContext): SourceUser | undefined {
  const normalized = ctx.normalizer.normalize(member.email);
  if (!normalized.ok || ctx.domains.has(normalized.domain)) return undefined;
  let user = ctx.externals.get(normalized.address);
  if (!user) {
    user = { id: externalMemberId(normalized.address), email: member.email!.trim(), userName: member.email!.trim(), active: true, attributes: {} };
    ctx.externals.set(normalized.address, user);
  }
  return user;
}

/** The member ids of listed group `groupId`, nested groups outside the listing walked in place. */
export function resolveMembers(groupId: string, ctx: MemberContext): string[] {
  const out = new Set<string>();
  const visited = new Set<string>([groupId]);
  const pending = [groupId];
  let everyone = false;
  while (pending.length > 0) {
    for (const member of ctx.members.get(pending.pop() as string) ?? []) {
      const id = typeof member.id === 'string' && member.id !== '' ? member.id : undefined;
      if (member.type === 'CUSTOMER') everyone = true;
      else if (member.type === 'GROUP' && id !== undefined && ctx.listedGroups.has(id)) {
        if (id !== groupId) out.add(id);
      }
      else if (member.type === 'GROUP' && id !== undefined && !visited.has(id)) {
        visited.add(id);
        pending.push(id);
      } else if (member.type === 'USER' && id !== undefined && ctx.userIds.has(id)) out.add(id);
      else if (member.type === 'USER') {
        const external = externalUser(member, ctx);
        if (external) out.add(external.id);
      }
    }
  }
  if (everyone) for (const id of ctx.everyone) out.add(id);
  return Array.from(out).sort();
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function toSourceGroup(group: GoogleGroup & { id: string }, ctx: MemberContext): SourceGroup {
  return { id: group.id, displayName: text(group.name) ?? text(group.email) ?? group.id, description: group.description ?? '', members: resolveMembers(group.id, ctx) };
}

/** The whole snapshot of one read. A record without an id makes it incomplete. */
export function toSnapshot(read: DirectoryRead): Snapshot {
  const issues: ReadIssue[] = [];
  const users: SourceUser[] = [];
  for (const [i, raw] of read.users.entries()) {
    if (typeof raw.id === 'string' && raw.id !== '') users.push(toSourceUser(raw as GoogleUser & { id: string }));
    else issues.push({ code: 'missing-id', message: `Google user #${i + 1} (${raw.primaryEmail ?? 'no address'}) has no id and was skipped` });
  }
  const normalizer = new EmailNormalizer();
  const domains = new Set<string>();
  for (const user of users) {
    const normalized = normalizer.normalize(user.email);
    if (normalized.ok) domains.add(normalized.domain);
  }
  const groups = read.groups.filter((group): group is GoogleGroup & { id: string } => typeof group.id === 'string' && group.id !== '');
  if (groups.length < read.groups.length) issues.push({ code: 'missing-id', message: `${read.groups.length - groups.length} Google group(s) without an id skipped` });
  const everyone = users.map((user) => user.id);
  const ctx: MemberContext = { userIds: new Set(everyone), everyone, domains, listedGroups: new Set(groups.map((g) => g.id)), members: read.members, normalizer, externals: new Map() };
  const sourceGroups = groups.map((group) => toSourceGroup(group, ctx)).sort(byId);
  const externals = Array.from(ctx.externals.values());
  const complete = issues.length === 0;
  issues.push(...duplicateIdIssues(read.users, (u) => u.id ?? '', (u, i) => `user #${i + 1} (${u.primaryEmail ?? 'no address'})`, 'user'));
  issues.push(...duplicateIdIssues(groups, (g) => g.id, (g, i) => `group #${i + 1} (${g.email ?? g.name ?? g.id})`, 'group'));
  return { complete, users: users.concat(externals).sort(byId), groups: sourceGroups, issues };
}
