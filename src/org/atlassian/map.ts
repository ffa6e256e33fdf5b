/**
 * Pure translation of what the Atlassian APIs answered (joined in an `AtlassianView`) and the
 * ownership records into an `OrgState`, and of an invitation operation into an invite request.
 *
 * - A domain is claimed only with `claim.status: verified`; other statuses are reported as they are.
 * - A user is managed when `claimStatus` is `managed`. Its profile comes from its SCIM user when it
 *   has one (what provisioning wrote), else from the org API (`name`, `jobTitle` as `title`,
 *   `department`, `organization`). `externalId` is the SCIM `externalId`, else the source id the
 *   ownership records hold (invited externals). Status: an inactive account is `deactivated`; a
 *   suspended membership, or a revocation the records remember, is `suspended`; no membership is
 *   `invited`; anything else `active`. Users without an email (app accounts) are not people and are
 *   left out.
 * - A group's `externalId` is its SCIM group's `externalId`, else the records' source id; `source`
 *   is `sync` only for groups the records say the sync created.
 */
import { inputError } from '../../errors.js';
import type { OrgDomain, OrgGroup, OrgState, OrgUser, OrgUserStatus } from '../../model/org.js';
import type { Operation } from '../../model/plan.js';
import { userFields } from '../scim/map.js';
import type { Ownership, UserRecord } from '../scim/ownership.js';
import type { ApiDomain, ApiUser, InviteRequest } from './client.js';
import type { AtlassianView, GroupEntry } from './view.js';

export function orgDomain(domain: ApiDomain): OrgDomain {
  return { name: domain.attributes.name, status: domain.attributes.claim?.status ?? 'unknown' };
}

export function userStatus(user: ApiUser, record: UserRecord | undefined): OrgUserStatus {
  if (user.accountStatus === 'inactive' || user.accountStatus === 'closed' || user.status === 'deactivated' || user.status === 'for_deletion') return 'deactivated';
  if (record?.revoked || user.status === 'suspended' || user.membershipStatus === 'suspended') return 'suspended';
  if (user.status === 'not_invited' || user.membershipStatus === 'no_membership') return 'invited';
  return 'active';
}

function orgAttributes(user: ApiUser): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (user.jobTitle) attributes.title = user.jobTitle;
  if (user.department) attributes.department = user.department;
  if (user.organization) attributes.organization = user.organization;
  return attributes;
}

export function orgUser(user: ApiUser & { email: string }, view: AtlassianView, ownership: Ownership): OrgUser {
  const record = ownership.user(user.accountId);
  const scim = view.scimUserOf(user.accountId);
  const fields = scim ? userFields(scim) : undefined;
  return {
    id: user.accountId,
    email: user.email,
    externalId: fields?.externalId ?? record?.sourceId ?? null,
    displayName: fields ? fields.displayName : user.name || undefined,
    givenName: fields?.givenName,
    familyName: fields?.familyName,
    attributes: fields ? fields.attributes : orgAttributes(user),
    managed: user.claimStatus === 'managed',
    status: userStatus(user, record),
    source: record?.owned ? 'sync' : 'manual',
  };
}

export function orgGroup(entry: GroupEntry, ownership: Ownership): OrgGroup {
  const record = ownership.group(entry.group.id);
  return {
    id: entry.group.id,
    name: entry.group.name,
    description: entry.group.description ?? '',
    externalId: entry.scim?.externalId || record?.sourceId || null,
    source: record?.owned ? 'sync' : 'manual',
    members: [...entry.members].sort(),
  };
}

export function atlassianState(domains: ApiDomain[], view: AtlassianView, ownership: Ownership): OrgState {
  const users: OrgUser[] = [];
  for (const user of view.users.values()) {
    if (typeof user.email === 'string' && user.email !== '') users.push(orgUser(user as ApiUser & { email: string }, view, ownership));
  }
  const people = new Set(users.map((u) => u.id));
  const groups = [...view.groups.values()].map((entry) => orgGroup(entry, ownership)).map((g) => ({ ...g, members: g.members.filter((id) => people.has(id)) }));
  return { domains: domains.map(orgDomain), users, groups };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The invite request of an `inviteUser` operation: `after.groups` are group names (resolved by
 * `groupId`), `after.roles` role names (resolved through the settings' `roles`).
 */
export function inviteRequest(op: Operation, email: string, groupId: (name: string) => string | undefined, roles: Record<string, { resource: string; role: string }>): InviteRequest {
  const after = op.after ?? {};
  const additionalGroups = strings(after.groups).map((name) => {
    const id = groupId(name);
    if (!id) throw inputError(`inviteUser ${email}: the invitation names group "${name}", which the organization does not have`);
    return id;
  });
  const permissionRules = strings(after.roles).map((name) => {
    const rule = roles[name];
    if (!rule) throw inputError(`inviteUser ${email}: role "${name}" has no permission rule in the atlassian settings' roles (known: ${Object.keys(roles).join(', ') || 'none'})`);
    return { resource: rule.resource, role: rule.role };
  });
  return { emails: [email], permissionRules, additionalGroups, sendNotification: after.notify !== false };
}
