/**
 * The state of an emulated Atlassian Cloud organization, as plain data: claimed domains, Atlassian
 * accounts (global, one per address), the org's directories (one local directory for invited people,
 * one identity-provider directory per SCIM connection) and who is in each, groups (each in one
 * directory) with their members and role assignments, the SCIM records of each identity-provider
 * directory, app resources, and the invitations sent. The rules that change this state live beside
 * it (`directory-rules.ts`, `scim-rules.ts`, `invite.ts`); the HTTP layers only translate.
 */
import { GROUP_NOT_FOUND, ModelError } from './errors.js';

export type ClaimStatus = 'verified' | 'unverified' | 'superseded' | 'missing_token' | 'deleted';

export interface Domain {
  id: string;
  name: string;
  status: ClaimStatus;
}

/** An Atlassian account: it exists outside the org; the org sees it through its directories or a claim. */
export interface Account {
  accountId: string;
  email: string;
  name: string;
  nickname?: string;
  jobTitle?: string;
  department?: string;
  organization?: string;
  location?: string;
  timeZone?: string;
  accountStatus: 'active' | 'inactive';
}

export type RoleMap = Map<string, Set<string>>;

/** An account's membership of one directory. */
export interface DirectoryUser {
  accountId: string;
  membershipStatus: 'active' | 'suspended';
  managementSource: 'invited' | 'synced';
  addedToOrg: string;
  /** App roles granted to this user directly (by invitation). */
  roles: RoleMap;
  /** Eventual consistency: a fresh invitee stays out of searches until both run out. */
  pending?: { until: number; searches: number };
}

export interface Directory {
  directoryId: string;
  name: string;
  icon: string;
  kind: 'local' | 'idp';
  /** Bearer token of this directory's SCIM API (identity-provider directories only). */
  scimToken?: string;
  users: Map<string, DirectoryUser>;
}

export interface Group {
  id: string;
  directoryId: string;
  name: string;
  description: string;
  /** Created by identity-provider sync (SCIM): read-only in the org API. */
  externalSynced: boolean;
  members: Set<string>;
  /** resourceId → role ids granted to every member. */
  roles: RoleMap;
}

/** An app instance roles can be granted on (a workspace: `ari:cloud:jira-software::site/...`). */
export interface Resource {
  id: string;
  owner: string;
  roles: Set<string>;
}

export interface ScimName {
  formatted?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface ScimMultiValue {
  value: string;
  type?: string;
  primary?: boolean;
}

/** A SCIM user of one identity-provider directory, linked to one account. */
export interface ScimUserRecord {
  id: string;
  directoryId: string;
  accountId: string;
  userName: string;
  externalId?: string;
  name: ScimName;
  displayName?: string;
  nickName?: string;
  title?: string;
  preferredLanguage?: string;
  department?: string;
  organization?: string;
  timezone?: string;
  emails: ScimMultiValue[];
  phoneNumbers: ScimMultiValue[];
  /** `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  enterprise: { organization?: string; department?: string };
  active: boolean;
  created: string;
  lastModified: string;
}

export interface ScimGroupRecord {
  id: string;
  directoryId: string;
  /** The org group it is: SCIM groups are the externally synced groups of their directory. */
  groupId: string;
  externalId?: string;
  created: string;
}

export interface Invitation {
  emails: string[];
  permissionRules: Array<{ resource: string; role: string }>;
  additionalGroups: string[];
  sendNotification: boolean;
  notificationText?: string;
}

/** The roles jira.js `roleAssociation.ts` lists for invitations and group role assignments. */
export const APP_ROLES = ['atlassian/user', 'atlassian/admin', 'atlassian/guest', 'atlassian/customer', 'atlassian/contributor', 'atlassian/basic', 'atlassian/stakeholder'];

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export interface ModelIds {
  localDirectoryId: string;
  scimDirectoryId: string;
  scimToken: string;
}

export class AtlassianModel {
  readonly domains: Domain[] = [];
  readonly accounts = new Map<string, Account>();
  readonly directories = new Map<string, Directory>();
  readonly groups = new Map<string, Group>();
  readonly resources = new Map<string, Resource>();
  readonly scimUsers = new Map<string, ScimUserRecord>();
  readonly scimGroups = new Map<string, ScimGroupRecord>();
  readonly invitations: Invitation[] = [];
  /** Invitation emails sent, per lower-cased address. */
  readonly emailsSent = new Map<string, number>();
  /** Test hook: per lower-cased address, assignments of an invitation that answer ERROR. */
  readonly inviteFailures = new Map<string, Array<{ kind: 'group' | 'role'; id?: string; reason: string }>>();
  /** Test hook: how long a new invitee stays out of user searches. */
  inviteDelay = { ms: 0, searches: 0 };
  readonly localDirectoryId: string;
  readonly scimDirectoryId: string;
  private counter = 0;

  constructor(
    ids: ModelIds,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.localDirectoryId = ids.localDirectoryId;
    this.scimDirectoryId = ids.scimDirectoryId;
    this.addDirectory({ directoryId: ids.localDirectoryId, name: 'Local directory', kind: 'local' });
    this.addDirectory({ directoryId: ids.scimDirectoryId, name: 'Identity provider directory', kind: 'idp', scimToken: ids.scimToken });
  }

  /** Ids look like Atlassian's: account ids `712020:<uuid>`, others plain UUIDs; deterministic. */
  newId(kind: 'account' | 'group' | 'scim' | 'domain'): string {
    this.counter += 1;
    const uuid = `${hex(this.counter, 8)}-0000-4000-8000-${hex(kind.length * 1000 + this.counter, 12)}`;
    return kind === 'account' ? `712020:${uuid}` : uuid;
  }

  now(): number {
    return this.clock();
  }

  isoNow(): string {
    return new Date(this.clock()).toISOString();
  }

  // ---- directories -------------------------------------------------------------------------

  /** Add a directory; a second identity-provider directory needs its own SCIM token. */
  addDirectory(fields: { directoryId: string; name: string; kind: 'local' | 'idp'; scimToken?: string }): Directory {
    if (this.directories.has(fields.directoryId)) throw new ModelError(409, `Directory ${fields.directoryId} already exists`);
    const directory: Directory = { icon: `https://admin.atlassian.com/icons/${fields.kind}.svg`, users: new Map(), ...fields };
    this.directories.set(directory.directoryId, directory);
    return directory;
  }

  directory(directoryId: string): Directory {
    const directory = this.directories.get(directoryId);
    if (!directory) throw new ModelError(404, `Directory ${directoryId} was not found in this organization`);
    return directory;
  }

  /** The directories an account is in. */
  directoriesOf(accountId: string): Directory[] {
    return [...this.directories.values()].filter((d) => d.users.has(accountId));
  }

  /** Put an account in a directory (idempotent: an existing membership is kept as it is). */
  join(directoryId: string, accountId: string, managementSource: 'invited' | 'synced'): DirectoryUser {
    const directory = this.directory(directoryId);
    const existing = directory.users.get(accountId);
    if (existing) return existing;
    const user: DirectoryUser = { accountId, membershipStatus: 'active', managementSource, addedToOrg: this.isoNow(), roles: new Map() };
    directory.users.set(accountId, user);
    return user;
  }

  /** True while a fresh invitee is still out of searches (and out of reach of operations by id). */
  pending(user: DirectoryUser): boolean {
    if (!user.pending) return false;
    if (this.now() < user.pending.until || user.pending.searches > 0) return true;
    delete user.pending;
    return false;
  }

  /** A user of a directory, as an operation by account id finds it; 404 when absent or not yet visible. */
  directoryUser(directoryId: string, accountId: string): DirectoryUser {
    const user = this.directory(directoryId).users.get(accountId);
    if (!user || this.pending(user)) throw new ModelError(404, `User ${accountId} was not found in directory ${directoryId}`);
    return user;
  }

  // ---- domains and accounts ----------------------------------------------------------------

  addDomain(name: string, status: ClaimStatus = 'verified'): Domain {
    const domain = { id: this.newId('domain'), name: name.toLowerCase(), status };
    this.domains.push(domain);
    return domain;
  }

  /** True when the address is on a verified domain of the org (exact domain match only). */
  isClaimed(email: string): boolean {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    return this.domains.some((d) => d.status === 'verified' && d.name === domain);
  }

  claimStatus(account: Account): 'managed' | 'unmanaged' {
    return this.isClaimed(account.email) ? 'managed' : 'unmanaged';
  }

  accountByEmail(email: string): Account | undefined {
    const key = email.toLowerCase();
    for (const account of this.accounts.values()) if (account.email.toLowerCase() === key) return account;
    return undefined;
  }

  /** Create an Atlassian account (in no directory: a claimed account the org has not provisioned, or a stranger). */
  addAccount(fields: Partial<Account> & { email: string }): Account {
    if (this.accountByEmail(fields.email)) throw new ModelError(409, `An account with email ${fields.email} already exists`);
    const account: Account = { accountId: this.newId('account'), name: fields.email, accountStatus: 'active', ...fields };
    this.accounts.set(account.accountId, account);
    return account;
  }

  account(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw new ModelError(404, `User ${accountId} was not found in this organization`);
    return account;
  }

  /** Test seeding: an invited person in the local directory (a new account unless the address has one). */
  seedInvited(fields: Partial<Account> & { email: string; membershipStatus?: 'active' | 'suspended' }): Account {
    const { membershipStatus, ...accountFields } = fields;
    const account = this.accountByEmail(fields.email) ?? this.addAccount(accountFields);
    this.join(this.localDirectoryId, account.accountId, 'invited').membershipStatus = membershipStatus ?? 'active';
    return account;
  }

  // ---- groups and resources ----------------------------------------------------------------

  groupByName(name: string, directoryId: string = this.localDirectoryId): Group | undefined {
    const key = name.toLowerCase();
    for (const group of this.groups.values()) if (group.directoryId === directoryId && group.name.toLowerCase() === key) return group;
    return undefined;
  }

  /** A group; names are unique inside a directory (case-insensitive), not across directories. */
  addGroup(fields: { name: string; description?: string; directoryId?: string; externalSynced?: boolean }): Group {
    const directoryId = fields.directoryId ?? this.localDirectoryId;
    this.directory(directoryId);
    if (!fields.name.trim()) throw new ModelError(400, 'A group needs a name', 'invalidValue');
    if (this.groupByName(fields.name, directoryId)) throw new ModelError(409, `A group named ${fields.name} already exists in directory ${directoryId}`, 'uniqueness');
    const group: Group = { id: this.newId('group'), directoryId, name: fields.name, description: fields.description ?? '', externalSynced: fields.externalSynced ?? false, members: new Set(), roles: new Map() };
    this.groups.set(group.id, group);
    return group;
  }

  /** A group of a directory (`-`: of any directory); 404 Group Not Found otherwise. */
  group(directoryId: string, groupId: string): Group {
    const group = this.groups.get(groupId);
    if (!group || (directoryId !== '-' && group.directoryId !== directoryId)) {
      throw new ModelError(404, `Group ${groupId} was not found in directory ${directoryId}`, undefined, GROUP_NOT_FOUND);
    }
    return group;
  }

  groupsOf(accountId: string, directoryId: string): Group[] {
    return [...this.groups.values()].filter((g) => g.members.has(accountId) && (directoryId === '-' || g.directoryId === directoryId));
  }

  /** An app instance roles can be granted on; by default every role of `APP_ROLES`. */
  addResource(id: string, fields: { owner?: string; roles?: string[] } = {}): Resource {
    const resource = { id, owner: fields.owner ?? (id.split(':')[2] || 'jira-software'), roles: new Set(fields.roles ?? APP_ROLES) };
    this.resources.set(id, resource);
    return resource;
  }

  resource(id: string): Resource {
    const resource = this.resources.get(id);
    if (!resource) throw new ModelError(404, `Resource ${id} was not found in this organization`);
    return resource;
  }

  // ---- SCIM records --------------------------------------------------------------------------

  scimUserOfAccount(accountId: string, directoryId: string = this.scimDirectoryId): ScimUserRecord | undefined {
    for (const user of this.scimUsers.values()) if (user.accountId === accountId && user.directoryId === directoryId) return user;
    return undefined;
  }

  scimGroupOf(groupId: string): ScimGroupRecord | undefined {
    for (const record of this.scimGroups.values()) if (record.groupId === groupId) return record;
    return undefined;
  }

  // ---- invitations (test hooks) --------------------------------------------------------------

  /** Invitation emails sent to an address so far. */
  emailsSentTo(address: string): number {
    return this.emailsSent.get(address.toLowerCase()) ?? 0;
  }

  /** From now on, this address's invitations answer ERROR for a group (or every group), or a role resource (or every one). */
  failInviteAssignment(address: string, failure: { kind: 'group' | 'role'; id?: string; reason?: string }): void {
    const key = address.toLowerCase();
    const reason = failure.reason ?? (failure.kind === 'group' ? 'Failed to add the user to the group' : 'Failed to assign the role');
    this.inviteFailures.set(key, [...(this.inviteFailures.get(key) ?? []), { kind: failure.kind, id: failure.id, reason }]);
  }
}
