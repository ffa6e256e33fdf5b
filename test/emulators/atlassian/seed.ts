/**
 * Seeding helpers for tests: put an organization in a known state without going through HTTP, by
 * the same rules the APIs apply (a provisioned user goes through Atlassian's SCIM schema).
 */
import type { Account, AtlassianModel, Group, ScimUserRecord } from './model.js';
import { createScimGroup, provision } from './scim-rules.js';
import { readUser } from './scim-schema.js';

export interface ProvisionSeed {
  email: string;
  userName?: string;
  externalId?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  title?: string;
  department?: string;
  active?: boolean;
  /** Default: the model's SCIM directory. */
  directoryId?: string;
}

/** A SCIM-provisioned user of an identity-provider directory (its account created or linked). */
export function seedProvisioned(model: AtlassianModel, seed: ProvisionSeed): ScimUserRecord {
  const name = { ...(seed.givenName ? { givenName: seed.givenName } : {}), ...(seed.familyName ? { familyName: seed.familyName } : {}) };
  const draft = readUser({
    userName: seed.userName ?? seed.email,
    emails: [{ value: seed.email, type: 'work', primary: true }],
    ...(seed.externalId !== undefined ? { externalId: seed.externalId } : {}),
    ...(seed.displayName !== undefined ? { displayName: seed.displayName } : {}),
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(seed.title !== undefined ? { title: seed.title } : {}),
    ...(seed.department !== undefined ? { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: seed.department } } : {}),
    active: seed.active ?? true,
  });
  return provision(model, seed.directoryId ?? model.scimDirectoryId, draft);
}

/** A SCIM group of an identity-provider directory whose members are the SCIM users with these addresses. */
export function seedScimGroup(model: AtlassianModel, name: string, memberEmails: string[] = [], directoryId: string = model.scimDirectoryId): Group {
  const members = memberEmails.map((email) => {
    const account = model.accountByEmail(email);
    const user = account && model.scimUserOfAccount(account.accountId, directoryId);
    if (!user) throw new Error(`seedScimGroup: ${email} is not a SCIM user of directory ${directoryId}`);
    return { value: user.id };
  });
  return model.group(directoryId, createScimGroup(model, directoryId, { displayName: name, members }).groupId);
}

/** An org-API group of the local directory whose members are the local-directory users with these addresses. */
export function seedLocalGroup(model: AtlassianModel, name: string, memberEmails: string[] = []): Group {
  const group = model.addGroup({ name });
  const local = model.directory(model.localDirectoryId);
  for (const email of memberEmails) {
    const account: Account | undefined = model.accountByEmail(email);
    if (!account || !local.users.has(account.accountId)) throw new Error(`seedLocalGroup: ${email} is not in the local directory`);
    group.members.add(account.accountId);
  }
  return group;
}
