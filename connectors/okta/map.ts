/**
 * Pure translation between Okta records and the directory model, and the Okta query expressions
 * the read layer sends. No I/O.
 */
import type { ReadIssue, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { OktaGroupRecord, OktaUserRecord, UserQuery } from './client.js';

const ACTIVE = new Set(['ACTIVE', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
const INACTIVE = new Set(['SUSPENDED', 'DEPROVISIONED']);

/**
 * Whether an Okta status counts as an active user: signed up or able to finish signing up is
 * active; suspended and deactivated are not; `STAGED` (created, never activated) follows
 * `stagedActive`. Undefined for a status Okta did not have when this was written.
 */
export function isActiveStatus(status: string, stagedActive: boolean): boolean | undefined {
  if (ACTIVE.has(status)) return true;
  if (INACTIVE.has(status)) return false;
  if (status === 'STAGED') return stagedActive;
  return undefined;
}

/**
 * One Okta user as a `SourceUser`. The address is `profile.email` (never `login`, which need not
 * be an address anyone verified); `displayName` falls back to first + last name. A status this
 * code does not know makes the user inactive and raises an `unknown-status` issue.
 */
export function toSourceUser(record: OktaUserRecord, stagedActive: boolean): { user: SourceUser; issue?: ReadIssue } {
  const active = isActiveStatus(record.status, stagedActive);
  const fullName = [record.firstName, record.lastName].filter(Boolean).join(' ');
  const attributes: Record<string, string> = {};
  if (record.title) attributes.title = record.title;
  if (record.department) attributes.department = record.department;
  const user: SourceUser = {
    id: record.id,
    email: record.email ?? null,
    ...(record.login ? { userName: record.login } : {}),
    ...(record.displayName || fullName ? { displayName: record.displayName ?? fullName } : {}),
    ...(record.firstName ? { givenName: record.firstName } : {}),
    ...(record.lastName ? { familyName: record.lastName } : {}),
    active: active ?? false,
    attributes,
  };
  if (active !== undefined) return { user };
  return {
    user,
    issue: { code: 'unknown-status', message: `Okta user ${record.id} has status "${record.status}", read as inactive`, subject: record.id },
  };
}

export function toSourceGroup(record: OktaGroupRecord, members: string[]): SourceGroup {
  return { id: record.id, displayName: record.name, description: record.description, members };
}

/**
 * The listings that together return every wanted user, one per purpose. Without `userSearch`: the
 * ordinary listing, and the `DEPROVISIONED` users it leaves out (Okta omits them unless a query
 * names that status). With it: one `search`, which already returns `DEPROVISIONED` users.
 */
export function userQueries(userSearch: string | undefined): UserQuery[] {
  if (userSearch) return [{ search: userSearch }];
  return [{}, { filter: 'status eq "DEPROVISIONED"' }];
}
