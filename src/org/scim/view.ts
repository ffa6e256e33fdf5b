/**
 * What the generic SCIM adapter last read or changed: SCIM users and groups by id, with look-ups
 * by address and by name. `readState` fills it; `apply` reads and updates it, so operations later
 * in one apply see what earlier ones created (and the versions their answers carried).
 */
import type { AccountDirectory } from './accounts.js';
import { emailKey, primaryEmail, type ScimGroup, type ScimUser } from './map.js';

export class ScimView implements AccountDirectory {
  readonly users = new Map<string, ScimUser>();
  readonly groups = new Map<string, ScimGroup>();

  static of(users: ScimUser[], groups: ScimGroup[]): ScimView {
    const view = new ScimView();
    for (const user of users) view.users.set(user.id, user);
    for (const group of groups) view.groups.set(group.id, group);
    return view;
  }

  scimUserOf(accountId: string): ScimUser | undefined {
    return this.users.get(accountId);
  }

  async accountIdOf(user: ScimUser): Promise<string> {
    return user.id;
  }

  remember(accountId: string, user: ScimUser): void {
    this.users.set(accountId, user);
  }

  userByEmail(email: string): ScimUser | undefined {
    const key = emailKey(email);
    for (const user of this.users.values()) {
      if (emailKey(primaryEmail(user)) === key || emailKey(user.userName) === key) return user;
    }
    return undefined;
  }

  groupByName(name: string): ScimGroup | undefined {
    const key = name.trim().toLowerCase();
    for (const group of this.groups.values()) if (group.displayName.trim().toLowerCase() === key) return group;
    return undefined;
  }
}
