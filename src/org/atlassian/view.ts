/**
 * What the Atlassian adapter last read or changed, joined across the two directories and the two
 * APIs: people (org API) with the directory each is in and, for provisioned accounts, their SCIM
 * user (by the `atlassian-external` extension's account id, else by address); and groups as pairs
 * (`pairs.ts`). `readState` builds it; `apply` reads and updates it, so later operations of one
 * apply see what earlier ones created.
 */
import { OrgsyncError } from '../../errors.js';
import type { AccountDirectory } from '../scim/accounts.js';
import { emailKey, primaryEmail, type ScimUser } from '../scim/map.js';
import type { ApiUser } from './client.js';
import type { Directories } from './directories.js';
import type { GroupPair } from './pairs.js';

export const ATLASSIAN_EXTENSION = 'urn:scim:schemas:extension:atlassian-external:1.0';

/** An org-API user and the directory it was read in. */
export interface DirectoryUser extends ApiUser {
  directoryId: string;
}

/** The account id the Atlassian extension of a SCIM user names, if any. */
export function extensionAccountId(user: ScimUser): string | undefined {
  const extension = user[ATLASSIAN_EXTENSION] as { atlassianAccountId?: unknown } | undefined;
  return typeof extension?.atlassianAccountId === 'string' ? extension.atlassianAccountId : undefined;
}

export type Lookup = (email: string, directoryId: string) => Promise<ApiUser | undefined>;

export class AtlassianView implements AccountDirectory {
  readonly users = new Map<string, DirectoryUser>();
  readonly scimUsers = new Map<string, ScimUser>();
  /** Group pairs by logical id. */
  readonly pairs = new Map<string, GroupPair>();
  private readonly byEmail = new Map<string, string>();

  constructor(
    readonly directories: Directories,
    private readonly lookup: Lookup,
  ) {}

  /**
   * Add a user read in a directory. An account read in both directories is kept once, as a member
   * of the identity provider directory (where its managed lifecycle is).
   */
  addUser(user: ApiUser, directoryId: string): void {
    const known = this.users.get(user.accountId);
    if (known && known.directoryId === this.directories.idp) return;
    this.users.set(user.accountId, { ...user, directoryId });
    if (user.email) this.byEmail.set(emailKey(user.email), user.accountId);
  }

  /** Join SCIM users to accounts: by the extension's account id, else by address. */
  joinScimUsers(scimUsers: ScimUser[]): void {
    for (const scim of scimUsers) {
      const accountId = extensionAccountId(scim) ?? this.byEmail.get(emailKey(primaryEmail(scim))) ?? this.byEmail.get(emailKey(scim.userName));
      if (accountId) this.scimUsers.set(accountId, scim);
    }
  }

  scimUserOf(accountId: string): ScimUser | undefined {
    return this.scimUsers.get(accountId);
  }

  /** The account of a SCIM user: the extension's id, else the identity provider directory's user with that address. */
  async accountIdOf(user: ScimUser): Promise<string> {
    const known = extensionAccountId(user);
    if (known) return known;
    const email = emailKey(primaryEmail(user));
    const id = this.byEmail.get(email);
    if (id && this.users.get(id)?.directoryId === this.directories.idp) return id;
    const found = await this.lookup(email, this.directories.idp);
    if (!found) throw new OrgsyncError('not-found', `SCIM user ${user.userName} has no Atlassian account in the identity provider directory`);
    this.addUser(found, this.directories.idp);
    return found.accountId;
  }

  /** Remember a SCIM user this apply created or changed; its account is in the identity provider directory. */
  remember(accountId: string, user: ScimUser): void {
    this.scimUsers.set(accountId, user);
    const email = primaryEmail(user);
    const known = this.users.get(accountId);
    this.users.set(accountId, { ...known, accountId, email: known?.email ?? email, directoryId: this.directories.idp });
    this.byEmail.set(emailKey(email), accountId);
  }

  profileOf(accountId: string): Record<string, unknown> {
    const user = this.users.get(accountId);
    if (!user) return {};
    const profile: Record<string, unknown> = { displayName: user.name, title: user.jobTitle, department: user.department, organization: user.organization };
    return Object.fromEntries(Object.entries(profile).filter(([, value]) => typeof value === 'string' && value !== ''));
  }

  userByEmail(email: string): DirectoryUser | undefined {
    const id = this.byEmail.get(emailKey(email));
    return id === undefined ? undefined : this.users.get(id);
  }

  /** The directory an account is in now, as far as this view knows. */
  directoryOf(accountId: string): string | undefined {
    if (this.scimUsers.has(accountId)) return this.directories.idp;
    return this.users.get(accountId)?.directoryId;
  }

  /** The pair a group id names: its logical id, or the id of either side. */
  pair(id: string): GroupPair | undefined {
    const direct = this.pairs.get(id);
    if (direct) return direct;
    for (const pair of this.pairs.values()) {
      if (pair.local?.group.id === id || pair.idp?.group?.id === id || pair.idp?.scim?.id === id) return pair;
    }
    return undefined;
  }

  /** Whether a group of this name was read (or made) on one side: then a create answered 409 found it, not a lost create. */
  knowsGroup(name: string, side: 'idp' | 'local'): boolean {
    const key = name.trim().toLowerCase();
    for (const pair of this.pairs.values()) {
      const names = side === 'idp' ? [pair.idp?.scim?.displayName, pair.idp?.group?.name] : [pair.local?.group.name];
      if (names.some((n) => n?.trim().toLowerCase() === key)) return true;
    }
    return false;
  }

  pairByName(name: string): GroupPair | undefined {
    const key = name.trim().toLowerCase();
    for (const pair of this.pairs.values()) if (pair.name.trim().toLowerCase() === key) return pair;
    return undefined;
  }
}
