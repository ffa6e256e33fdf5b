/**
 * The state of an emulated Atlassian Cloud organization: claimed domains, the accounts of one user
 * directory (managed or not by the domain they are on), groups and memberships, the SCIM
 * provisioning directory's users and groups, and the invitations sent. Plain data plus the rules
 * the org API and SCIM share (see ASSUMPTIONS.md); the HTTP layers translate to and from it.
 */

export type ClaimStatus = 'verified' | 'unverified' | 'superseded' | 'missing_token' | 'deleted';

export interface Domain {
  id: string;
  name: string;
  status: ClaimStatus;
}

export interface Account {
  accountId: string;
  email: string;
  name: string;
  nickname?: string;
  jobTitle?: string;
  department?: string;
  organization?: string;
  accountStatus: 'active' | 'inactive';
  membershipStatus: 'active' | 'suspended';
  managementSource: 'invited' | 'synced' | null;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  /** Created by identity-provider sync (SCIM): the org API cannot change its members. */
  externalSynced: boolean;
  members: Set<string>;
}

export interface ScimUserRecord {
  id: string;
  accountId: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  title?: string;
  department?: string;
  organization?: string;
  emails: Array<{ value: string; type?: string; primary?: boolean }>;
  active: boolean;
  created: string;
  lastModified: string;
}

export interface ScimGroupRecord {
  id: string;
  /** The org group it is: SCIM groups are externally synced org groups. */
  groupId: string;
  externalId?: string;
}

export interface Invitation {
  emails: string[];
  permissionRules: Array<{ resource: string; role: string }>;
  additionalGroups: string[];
  sendNotification: boolean;
}

export class ModelError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export class AtlassianModel {
  readonly domains: Domain[] = [];
  readonly accounts = new Map<string, Account>();
  readonly groups = new Map<string, Group>();
  readonly scimUsers = new Map<string, ScimUserRecord>();
  readonly scimGroups = new Map<string, ScimGroupRecord>();
  readonly invitations: Invitation[] = [];
  private counter = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Ids look like Atlassian's: account ids `712020:<uuid>`, others plain UUIDs; deterministic. */
  newId(kind: 'account' | 'group' | 'scim' | 'domain'): string {
    this.counter += 1;
    const uuid = `${hex(this.counter, 8)}-0000-4000-8000-${hex(kind.length * 1000 + this.counter, 12)}`;
    return kind === 'account' ? `712020:${uuid}` : uuid;
  }

  now(): string {
    return this.clock().toISOString();
  }

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

  /** The composite status the org API reports. */
  status(account: Account): 'active' | 'suspended' | 'deactivated' {
    if (account.accountStatus === 'inactive') return 'deactivated';
    return account.membershipStatus === 'suspended' ? 'suspended' : 'active';
  }

  accountByEmail(email: string): Account | undefined {
    const key = email.toLowerCase();
    return [...this.accounts.values()].find((a) => a.email.toLowerCase() === key);
  }

  addAccount(fields: Partial<Account> & { email: string }): Account {
    if (this.accountByEmail(fields.email)) throw new ModelError(409, `an account with email ${fields.email} exists`);
    const account: Account = {
      accountId: this.newId('account'),
      name: fields.email,
      accountStatus: 'active',
      membershipStatus: 'active',
      managementSource: null,
      ...fields,
    };
    this.accounts.set(account.accountId, account);
    return account;
  }

  account(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw new ModelError(404, `no user ${accountId} in the directory`);
    return account;
  }

  groupByName(name: string): Group | undefined {
    const key = name.toLowerCase();
    return [...this.groups.values()].find((g) => g.name.toLowerCase() === key);
  }

  addGroup(fields: { name: string; description?: string; externalSynced?: boolean }): Group {
    if (!fields.name.trim()) throw new ModelError(400, 'a group needs a name');
    if (this.groupByName(fields.name)) throw new ModelError(409, `a group named ${fields.name} already exists`, 'uniqueness');
    const group: Group = { id: this.newId('group'), name: fields.name, description: fields.description ?? '', externalSynced: fields.externalSynced ?? false, members: new Set() };
    this.groups.set(group.id, group);
    return group;
  }

  group(groupId: string): Group {
    const group = this.groups.get(groupId);
    if (!group) throw new ModelError(404, `no group ${groupId} in the directory`);
    return group;
  }

  scimUserOfAccount(accountId: string): ScimUserRecord | undefined {
    return [...this.scimUsers.values()].find((u) => u.accountId === accountId);
  }

  scimGroupOf(groupId: string): ScimGroupRecord | undefined {
    return [...this.scimGroups.values()].find((g) => g.groupId === groupId);
  }

  /**
   * Provision a user over SCIM: a new account, or the existing managed account with that address
   * (which becomes linked). An existing account that the org does not manage cannot be provisioned.
   */
  provision(fields: Omit<ScimUserRecord, 'id' | 'accountId' | 'created' | 'lastModified'>): ScimUserRecord {
    const key = fields.userName.toLowerCase();
    if ([...this.scimUsers.values()].some((u) => u.userName.toLowerCase() === key)) {
      throw new ModelError(409, `a user with userName ${fields.userName} already exists in this directory`, 'uniqueness');
    }
    const email = (fields.emails.find((e) => e.primary) ?? fields.emails[0])?.value ?? fields.userName;
    let account = this.accountByEmail(email);
    if (account && this.claimStatus(account) !== 'managed') {
      throw new ModelError(400, `the account of ${email} is not managed by this organization and cannot be provisioned`, 'invalidValue');
    }
    account ??= this.addAccount({ email, name: fields.displayName ?? email });
    account.managementSource = 'synced';
    const record: ScimUserRecord = { ...fields, id: this.newId('scim'), accountId: account.accountId, created: this.now(), lastModified: this.now() };
    this.scimUsers.set(record.id, record);
    this.syncAccount(record);
    return record;
  }

  /** Carry a SCIM user's profile and `active` onto its account. */
  syncAccount(record: ScimUserRecord): void {
    const account = this.account(record.accountId);
    const email = (record.emails.find((e) => e.primary) ?? record.emails[0])?.value ?? record.userName;
    account.email = email;
    account.name = record.displayName ?? ([record.givenName, record.familyName].filter(Boolean).join(' ') || email);
    account.jobTitle = record.title;
    account.department = record.department;
    account.organization = record.organization;
    account.accountStatus = record.active ? 'active' : 'inactive';
  }

  /** SCIM may change only accounts the org manages. */
  assertScimMayChange(record: ScimUserRecord): void {
    const account = this.account(record.accountId);
    if (this.claimStatus(account) !== 'managed') {
      throw new ModelError(400, `the account of ${account.email} is not managed by this organization; SCIM cannot update it`, 'mutability');
    }
  }

  /** Invite addresses: existing accounts join the directory, new ones are created; groups granted. */
  invite(invitation: Invitation): Account[] {
    const groups = invitation.additionalGroups.map((id) => this.group(id));
    const synced = groups.find((g) => g.externalSynced);
    if (synced) throw new ModelError(400, `group ${synced.name} is synced from an identity provider; invited users cannot be added to it`);
    this.invitations.push(invitation);
    return invitation.emails.map((email) => {
      const account = this.accountByEmail(email) ?? this.addAccount({ email, name: email, managementSource: 'invited' });
      for (const group of groups) group.members.add(account.accountId);
      return account;
    });
  }
}
