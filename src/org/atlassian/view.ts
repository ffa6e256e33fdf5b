/**
 * What the Atlassian adapter last read or changed, joined across the two APIs: directory users
 * (org API) with the SCIM user provisioned for each (by the Atlassian extension's account id, else
 * by address), and groups with their members and, for groups synced from an identity provider,
 * the SCIM group behind them (same name). `readState` builds it; `apply` reads and updates it.
 */
import { OrgsyncError } from '../../errors.js';
import type { AccountDirectory } from '../scim/accounts.js';
import { emailKey, primaryEmail, type ScimGroup, type ScimUser } from '../scim/map.js';
import type { ApiGroup, ApiUser } from './client.js';

export const ATLASSIAN_EXTENSION = 'urn:scim:schemas:extension:atlassian-external:1.0';

export interface GroupEntry {
  group: ApiGroup;
  /** The SCIM group when the group is synced from an identity provider. */
  scim?: ScimGroup;
  members: Set<string>;
}

/** The account id the Atlassian extension of a SCIM user names, if any. */
export function extensionAccountId(user: ScimUser): string | undefined {
  const extension = user[ATLASSIAN_EXTENSION] as { atlassianAccountId?: unknown } | undefined;
  return typeof extension?.atlassianAccountId === 'string' ? extension.atlassianAccountId : undefined;
}

export class AtlassianView implements AccountDirectory {
  readonly users = new Map<string, ApiUser>();
  readonly scimUsers = new Map<string, ScimUser>();
  readonly groups = new Map<string, GroupEntry>();

  constructor(private readonly lookup: (email: string) => Promise<ApiUser | undefined>) {}

  static build(input: { users: ApiUser[]; groups: ApiGroup[]; scimUsers: ScimUser[]; scimGroups: ScimGroup[] }, lookup: (email: string) => Promise<ApiUser | undefined>): AtlassianView {
    const view = new AtlassianView(lookup);
    for (const user of input.users) view.users.set(user.accountId, user);
    const byEmail = new Map([...view.users.values()].filter((u) => u.email).map((u) => [emailKey(u.email!), u.accountId]));
    for (const scim of input.scimUsers) {
      const accountId = extensionAccountId(scim) ?? byEmail.get(emailKey(primaryEmail(scim))) ?? byEmail.get(emailKey(scim.userName));
      if (accountId) view.scimUsers.set(accountId, scim);
    }
    const scimByName = new Map(input.scimGroups.map((g) => [g.displayName.toLowerCase(), g]));
    for (const group of input.groups) {
      const scim = group.externalSynced !== false ? scimByName.get(group.name.toLowerCase()) : undefined;
      view.groups.set(group.id, { group, scim, members: new Set() });
    }
    for (const user of input.users) {
      for (const g of user.groups ?? []) view.groups.get(g.id)?.members.add(user.accountId);
    }
    return view;
  }

  scimUserOf(accountId: string): ScimUser | undefined {
    return this.scimUsers.get(accountId);
  }

  async accountIdOf(user: ScimUser): Promise<string> {
    const known = extensionAccountId(user);
    if (known) return known;
    const email = emailKey(primaryEmail(user));
    for (const candidate of this.users.values()) if (candidate.email && emailKey(candidate.email) === email) return candidate.accountId;
    const found = await this.lookup(email);
    if (!found) throw new OrgsyncError('not-found', `SCIM user ${user.userName} has no Atlassian account in the directory`);
    this.users.set(found.accountId, found);
    return found.accountId;
  }

  remember(accountId: string, user: ScimUser): void {
    this.scimUsers.set(accountId, user);
  }

  profileOf(accountId: string): Record<string, unknown> {
    const user = this.users.get(accountId);
    if (!user) return {};
    const profile: Record<string, unknown> = { displayName: user.name, title: user.jobTitle, department: user.department, organization: user.organization };
    return Object.fromEntries(Object.entries(profile).filter(([, value]) => typeof value === 'string' && value !== ''));
  }

  userByEmail(email: string): ApiUser | undefined {
    const key = emailKey(email);
    for (const user of this.users.values()) if (user.email && emailKey(user.email) === key) return user;
    return undefined;
  }

  groupByName(name: string): GroupEntry | undefined {
    const key = name.trim().toLowerCase();
    for (const entry of this.groups.values()) if (entry.group.name.trim().toLowerCase() === key) return entry;
    return undefined;
  }
}
