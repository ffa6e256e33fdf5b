/**
 * Resolve source ids to org ids while applying: from the state read before the apply, then from
 * whatever the apply creates. When one source id links several accounts (a person reclassified
 * across the claimed/external line), the one still in use wins over a deactivated one.
 */
import type { OrgState, OrgUser } from '../model/org.js';
import type { OrgRefs } from '../org/types.js';

export class MutableRefs implements OrgRefs {
  private readonly accounts = new Map<string, OrgUser | { id: string; status: 'active' }>();
  private readonly groups = new Map<string, string>();

  constructor(state: OrgState) {
    for (const user of state.users) {
      if (!user.externalId) continue;
      const known = this.accounts.get(user.externalId);
      if (!known || known.status === 'deactivated') this.accounts.set(user.externalId, user);
    }
    for (const group of state.groups) if (group.externalId) this.groups.set(group.externalId, group.id);
  }

  accountFor(sourceId: string): string | undefined {
    return this.accounts.get(sourceId)?.id;
  }

  groupFor(sourceGroupId: string): string | undefined {
    return this.groups.get(sourceGroupId);
  }

  /** Remember an account the apply created, invited or linked. */
  noteAccount(sourceId: string, accountId: string): void {
    this.accounts.set(sourceId, { id: accountId, status: 'active' });
  }

  noteGroup(sourceGroupId: string, groupId: string): void {
    this.groups.set(sourceGroupId, groupId);
  }
}
