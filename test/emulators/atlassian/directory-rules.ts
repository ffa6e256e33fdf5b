/**
 * What the org API may do to directories and groups, and what it refuses (jira.js
 * `src/admin/api/groups.ts` and `users.ts`): a group holds members of its own directory only; a group
 * synced from an identity provider is read-only here; suspend, restore and remove act on one directory.
 */
import { INVALID_ROLE, ModelError } from './errors.js';
import type { AtlassianModel, Group, RoleMap } from './model.js';

export const SAME_DIRECTORY = 'The user must be in the same directory as the group';
export const SYNCED_ADD = "You can't add a user to a group synced from an identity provider. Manage this group in your identity provider instead.";
export const SYNCED_REMOVE = "You can't remove a user from a group synced from an identity provider. Manage this group in your identity provider instead.";
export const SYNCED_DELETE = "You can't delete a group synced from an identity provider. Manage this group in your identity provider instead.";
export const IDP_CREATE = "You can't create a group in an identity provider directory. Create it in your identity provider instead.";

/** Org-API group creation: local directory only (identity-provider groups come from SCIM). */
export function createGroup(model: AtlassianModel, directoryId: string, name: unknown, description: unknown): Group {
  if (typeof name !== 'string' || !name.trim()) throw new ModelError(400, 'name is required');
  if (description !== undefined && typeof description !== 'string') throw new ModelError(400, 'description must be a string');
  if (model.directory(directoryId).kind !== 'local') throw new ModelError(400, IDP_CREATE);
  return model.addGroup({ name, description, directoryId });
}

/** Add a member through the org API: same directory, not an IdP-synced group, a visible user. */
export function addMember(model: AtlassianModel, directoryId: string, groupId: string, accountId: unknown): void {
  const group = model.group(directoryId, groupId);
  if (typeof accountId !== 'string' || !accountId) throw new ModelError(400, 'accountId is required');
  if (group.externalSynced) throw new ModelError(400, SYNCED_ADD);
  const elsewhere = model.directoriesOf(accountId).filter((d) => d.directoryId !== group.directoryId);
  if (!model.directory(group.directoryId).users.has(accountId) && elsewhere.length > 0) throw new ModelError(400, SAME_DIRECTORY);
  model.directoryUser(group.directoryId, accountId);
  group.members.add(accountId);
}

export function removeMember(model: AtlassianModel, directoryId: string, groupId: string, accountId: string): void {
  const group = model.group(directoryId, groupId);
  if (group.externalSynced) throw new ModelError(400, SYNCED_REMOVE);
  if (!group.members.delete(accountId)) throw new ModelError(404, `User ${accountId} is not a member of group ${group.name}`);
}

export function deleteGroup(model: AtlassianModel, directoryId: string, groupId: string): void {
  const group = model.group(directoryId, groupId);
  if (group.externalSynced) throw new ModelError(400, SYNCED_DELETE);
  model.groups.delete(group.id);
}

/** Suspend or restore access in one directory; the path's directory must hold the user. */
export function setAccess(model: AtlassianModel, directoryId: string, accountId: string, membershipStatus: 'active' | 'suspended'): void {
  model.directoryUser(directoryId, accountId).membershipStatus = membershipStatus;
}

/** Remove a user from a directory and from that directory's groups (they must be invited again). */
export function removeFromDirectory(model: AtlassianModel, directoryId: string, accountId: string): void {
  model.directoryUser(directoryId, accountId);
  model.directory(directoryId).users.delete(accountId);
  for (const group of model.groupsOf(accountId, directoryId)) group.members.delete(accountId);
}

/** A role a resource accepts; 404 for an unknown resource, 400 for a role it does not have. */
export function checkRole(model: AtlassianModel, resourceId: unknown, roleId: unknown): { resourceId: string; roleId: string } {
  if (typeof resourceId !== 'string' || typeof roleId !== 'string') throw new ModelError(400, 'resourceId and roleId are required');
  const resource = model.resource(resourceId);
  if (!resource.roles.has(roleId)) throw new ModelError(400, `Role ${roleId} is not valid for resource ${resourceId}`, undefined, INVALID_ROLE);
  return { resourceId, roleId };
}

export function grant(roles: RoleMap, resourceId: string, roleId: string): void {
  const set = roles.get(resourceId) ?? new Set<string>();
  set.add(roleId);
  roles.set(resourceId, set);
}

export function revoke(roles: RoleMap, resourceId: string, roleId: string): void {
  const set = roles.get(resourceId);
  if (!set) return;
  set.delete(roleId);
  if (set.size === 0) roles.delete(resourceId);
}
