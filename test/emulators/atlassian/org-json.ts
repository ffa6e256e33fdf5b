/**
 * How the org API renders users, groups and role assignments (jira.js `src/admin/models/`
 * `multiDirectoryUser.ts`, `multiDirectoryUserGroup.ts`, `multiDirectoryGroup.ts`,
 * `managementAccess.ts`, `groupCounts.ts`, `multiDirectoryGroupRoleAssignment.ts`). A user is seen
 * from one directory (its membership there) or from `-` (every directory of the org).
 */
import type { Account, AtlassianModel, DirectoryUser, Group, RoleMap } from './model.js';

export type Membership = 'active' | 'suspended' | 'no_membership';

/** The memberships a user answer is built from: one directory's, or every visible one for `-`. */
export function membershipsIn(model: AtlassianModel, account: Account, scope: string): DirectoryUser[] {
  const directories = scope === '-' ? [...model.directories.values()] : [model.directory(scope)];
  return directories.flatMap((d) => {
    const user = d.users.get(account.accountId);
    return user && !model.pending(user) ? [user] : [];
  });
}

/** `active` in any directory wins; `suspended` only when suspended in all; none: `no_membership`. */
export function membershipStatus(memberships: DirectoryUser[]): Membership {
  if (memberships.length === 0) return 'no_membership';
  return memberships.some((m) => m.membershipStatus === 'active') ? 'active' : 'suspended';
}

/** The composite status (jira.js `multiDirectoryUserSearchRequest.ts` documents the rules). */
export function compositeStatus(account: Account, membership: Membership): 'active' | 'suspended' | 'not_invited' | 'deactivated' {
  if (account.accountStatus === 'inactive') return 'deactivated';
  if (membership === 'suspended') return 'suspended';
  return membership === 'no_membership' ? 'not_invited' : 'active';
}

function managementSource(memberships: DirectoryUser[]): 'invited' | 'synced' | null {
  if (memberships.length === 0) return null;
  return memberships.some((m) => m.managementSource === 'synced') ? 'synced' : 'invited';
}

export function userJson(model: AtlassianModel, account: Account, scope: string, expand: string[]): Record<string, unknown> {
  const memberships = membershipsIn(model, account, scope);
  const membership = membershipStatus(memberships);
  const added = memberships.map((m) => m.addedToOrg).sort()[0];
  return {
    accountId: account.accountId,
    accountType: 'atlassian',
    status: compositeStatus(account, membership),
    accountStatus: account.accountStatus,
    membershipStatus: membership,
    ...(added ? { addedToOrg: added } : {}),
    name: account.name,
    nickname: account.nickname ?? account.name,
    email: account.email,
    emailVerified: true,
    claimStatus: model.claimStatus(account),
    managementSource: managementSource(memberships),
    ...(account.jobTitle !== undefined ? { jobTitle: account.jobTitle } : {}),
    department: account.department ?? null,
    organization: account.organization ?? null,
    location: account.location ?? null,
    timeZone: account.timeZone ?? null,
    ...(expand.includes('groups') ? { groups: model.groupsOf(account.accountId, scope).map((g) => ({ id: g.id, name: g.name, description: g.description })) } : {}),
    links: { self: `/users/${account.accountId}` },
  };
}

export function groupJson(group: Group, expand: string[]): Record<string, unknown> {
  const counts = {
    ...(expand.includes('counts.users') ? { users: group.members.size } : {}),
    ...(expand.includes('counts.resources') ? { resources: group.roles.size } : {}),
  };
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    directoryId: group.directoryId,
    managementAccess: { deletable: !group.externalSynced, modifiable: !group.externalSynced, readable: true },
    externalSynced: group.externalSynced,
    managedBy: group.externalSynced ? 'external' : 'admins',
    ...(Object.keys(counts).length > 0 ? { counts } : {}),
    links: { self: `/groups/${group.id}` },
  };
}

export function roleAssignmentsJson(model: AtlassianModel, roles: RoleMap): Array<Record<string, unknown>> {
  return [...roles.entries()].map(([resourceId, set]) => ({
    resourceId,
    resourceOwner: model.resources.get(resourceId)?.owner ?? null,
    roles: [...set].sort(),
  }));
}

/** Test reading: the composite status the org API would report for an account seen from `scope`. */
export function statusOf(model: AtlassianModel, accountId: string, scope = '-'): ReturnType<typeof compositeStatus> {
  const account = model.account(accountId);
  return compositeStatus(account, membershipStatus(membershipsIn(model, account, scope)));
}
