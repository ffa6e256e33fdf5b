/**
 * What SCIM does to the organization (jira.js `src/userProvisioning/api/users.ts` and `groups.ts`):
 * `POST /Users` creates an account, or links the existing account with that address, and puts it in
 * the identity-provider directory (409 for a userName the directory already has); SCIM changes the
 * profile only of accounts the org manages; a SCIM group is a read-only group of its directory whose
 * members are SCIM users of that directory; a synced group cannot be renamed.
 */
import { ModelError } from './errors.js';
import type { AtlassianModel, Group, ScimGroupRecord, ScimUserRecord } from './model.js';
import { primaryEmail, type ScimUserDraft } from './scim-schema.js';

function userNameTaken(model: AtlassianModel, directoryId: string, userName: string, except?: string): boolean {
  const key = userName.toLowerCase();
  for (const u of model.scimUsers.values()) if (u.directoryId === directoryId && u.id !== except && u.userName.toLowerCase() === key) return true;
  return false;
}

/** Create (or link) a SCIM user in an identity-provider directory. */
export function provision(model: AtlassianModel, directoryId: string, draft: ScimUserDraft): ScimUserRecord {
  if (model.directory(directoryId).kind !== 'idp') throw new ModelError(404, `Directory ${directoryId} is not an identity provider directory`);
  if (userNameTaken(model, directoryId, draft.userName)) throw new ModelError(409, `A user with userName ${draft.userName} already exists in this directory`, 'uniqueness');
  const email = primaryEmail(draft);
  const account = model.accountByEmail(email) ?? model.addAccount({ email, name: draft.displayName ?? email });
  if (model.scimUserOfAccount(account.accountId, directoryId)) throw new ModelError(409, `The account of ${email} is already provisioned in this directory`, 'uniqueness');
  model.join(directoryId, account.accountId, 'synced');
  const now = model.isoNow();
  const record: ScimUserRecord = { ...structuredClone(draft), id: model.newId('scim'), directoryId, accountId: account.accountId, created: now, lastModified: now };
  model.scimUsers.set(record.id, record);
  syncAccount(model, record);
  return record;
}

function displayName(record: ScimUserRecord): string | undefined {
  const parts = [record.name.givenName, record.name.familyName].filter(Boolean).join(' ');
  return record.displayName ?? record.name.formatted ?? (parts || undefined);
}

/**
 * Carry a SCIM user onto the org: a managed account takes the profile and `active`; an account the
 * org does not manage keeps its profile, and `active: false` suspends it in this directory only.
 */
export function syncAccount(model: AtlassianModel, record: ScimUserRecord): void {
  const account = model.account(record.accountId);
  const member = model.directory(record.directoryId).users.get(record.accountId);
  if (model.claimStatus(account) !== 'managed') {
    if (member) member.membershipStatus = record.active ? 'active' : 'suspended';
    return;
  }
  account.email = primaryEmail(record);
  account.name = displayName(record) ?? account.email;
  account.nickname = record.nickName;
  account.jobTitle = record.title;
  account.department = record.enterprise.department ?? record.department;
  account.organization = record.enterprise.organization ?? record.organization;
  account.timeZone = record.timezone;
  account.accountStatus = record.active ? 'active' : 'inactive';
}

/** Replace a SCIM user's attributes (PUT, or a PATCH's result): what the draft leaves out is cleared. Only managed accounts can change. */
export function updateUser(model: AtlassianModel, record: ScimUserRecord, draft: ScimUserDraft): void {
  const account = model.account(record.accountId);
  if (model.claimStatus(account) !== 'managed') {
    throw new ModelError(400, `The account of ${account.email} is not managed by this organization; SCIM cannot change it`, 'mutability');
  }
  if (userNameTaken(model, record.directoryId, draft.userName, record.id)) throw new ModelError(409, `A user with userName ${draft.userName} already exists in this directory`, 'uniqueness');
  const other = model.accountByEmail(primaryEmail(draft));
  if (other && other.accountId !== record.accountId) throw new ModelError(409, `Another account already uses ${primaryEmail(draft)}`, 'uniqueness');
  const { id, directoryId, accountId, created } = record;
  for (const key of Object.keys(record)) delete (record as unknown as Record<string, unknown>)[key];
  Object.assign(record, structuredClone(draft), { id, directoryId, accountId, created, lastModified: model.isoNow() });
  syncAccount(model, record);
}

/** DELETE /Users/{id}: unlink from the identity provider, leave the directory, deactivate a managed account. */
export function deleteUser(model: AtlassianModel, record: ScimUserRecord): void {
  model.scimUsers.delete(record.id);
  model.directory(record.directoryId).users.delete(record.accountId);
  for (const group of model.groupsOf(record.accountId, record.directoryId)) group.members.delete(record.accountId);
  const account = model.account(record.accountId);
  if (model.claimStatus(account) === 'managed') account.accountStatus = 'inactive';
}

/** Account ids of SCIM member references; each must be a SCIM user of the group's directory. */
export function memberAccounts(model: AtlassianModel, directoryId: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new ModelError(400, 'members must be a list of { value }', 'invalidValue');
  return value.map((m: { value?: unknown }) => {
    if (typeof m?.value !== 'string') throw new ModelError(400, 'Every member needs a value', 'invalidValue');
    const user = model.scimUsers.get(m.value);
    if (!user || user.directoryId !== directoryId) throw new ModelError(400, `Member ${m.value} is not a user of this directory`, 'invalidValue');
    return user.accountId;
  });
}

export function createScimGroup(model: AtlassianModel, directoryId: string, fields: { displayName: string; externalId?: string; members: unknown }): ScimGroupRecord {
  const members = memberAccounts(model, directoryId, fields.members);
  const group = model.addGroup({ name: fields.displayName, directoryId, externalSynced: true });
  for (const id of members) group.members.add(id);
  const record: ScimGroupRecord = { id: model.newId('scim'), directoryId, groupId: group.id, externalId: fields.externalId, created: model.isoNow() };
  model.scimGroups.set(record.id, record);
  return record;
}

/** Renaming a synced group is not supported (jira.js `patchGroup`): the same name is accepted. */
export function keepName(group: Group, name: unknown): void {
  if (typeof name !== 'string' || !name) throw new ModelError(400, 'displayName must be a non-empty string', 'invalidValue');
  if (name !== group.name) throw new ModelError(400, `Renaming a synced group is not supported: create a group named ${name}, move the members, then delete ${group.name}`, 'mutability');
}

export function deleteScimGroup(model: AtlassianModel, record: ScimGroupRecord): void {
  model.scimGroups.delete(record.id);
  model.groups.delete(record.groupId);
}
