/**
 * Ownership records: what the target does not record itself — which accounts and groups the sync
 * created or invited, and which source object each one mirrors. Kept as one JSON document under a
 * key of the profile's `StateStore`.
 *
 * A user record links an org account id to a source user (`sourceId`); `owned` says the sync brought
 * the account in (so it may later revoke it); `revoked` marks access the sync took away without a
 * suspend; `invitation` marks an invitation that exists only here (no account on the target yet);
 * `groups` lists memberships of such an invitation. A group record links an org group id to a
 * source group, with `owned` for groups the sync created (for Atlassian, each side of a group pair
 * has its record; each names its pair in `pair`). A pending create records, before a group
 * is POSTed, that the sync is creating a group of that name for that source group: when the answer
 * is lost and a retry (or a later run) finds the group already there, the intent says the sync
 * made it. A record that cannot be parsed is an error naming the key: unknown ownership is never
 * "owns nothing".
 */
import { inputError, messageOf } from '../../errors.js';
import type { StateStore } from '../../store/types.js';

export interface UserRecord {
  sourceId: string | null;
  email: string;
  owned: boolean;
  revoked?: boolean;
  invitation?: boolean;
  /** Atlassian: when the invitation was sent (ISO time), until a read first finds the invitee. */
  invitedAt?: string;
  displayName?: string;
  groups?: string[];
}

export interface GroupRecord {
  sourceId: string | null;
  name: string;
  owned: boolean;
  description?: string;
  /** Atlassian: the id of the logical group (pair) this group is one side of. */
  pair?: string;
}

/** A group create the sync has sent (or is about to send) but whose outcome it has not recorded. */
export interface PendingCreate {
  name: string;
  sourceId: string | null;
}

interface Records {
  users: Record<string, UserRecord>;
  groups: Record<string, GroupRecord>;
  pending: Record<string, PendingCreate>;
}

function pendingKey(name: string): string {
  return `group:${name.trim().toLowerCase()}`;
}

function inviteKey(email: string): string {
  return `invite:${email.trim().toLowerCase()}`;
}

export const OWNERSHIP_KEY = 'org:ownership';

export class Ownership {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: StateStore,
    private readonly key: string,
    private readonly records: Records,
  ) {}

  static async load(store: StateStore, key = OWNERSHIP_KEY): Promise<Ownership> {
    const text = await store.get(key);
    if (text === null) return new Ownership(store, key, { users: {}, groups: {}, pending: {} });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw inputError(`ownership records under "${key}" are not valid JSON: ${messageOf(error)}`, error);
    }
    const records = parsed as Partial<Records> | null;
    if (!records || typeof records !== 'object' || typeof records.users !== 'object' || typeof records.groups !== 'object') {
      throw inputError(`ownership records under "${key}" lack the users/groups maps`);
    }
    if (records.pending !== undefined && (typeof records.pending !== 'object' || records.pending === null)) {
      throw inputError(`ownership records under "${key}" have a pending map that is not an object`);
    }
    return new Ownership(store, key, { users: { ...records.users }, groups: { ...records.groups }, pending: { ...records.pending } });
  }

  user(id: string): UserRecord | undefined {
    return this.records.users[id];
  }

  group(id: string): GroupRecord | undefined {
    return this.records.groups[id];
  }

  users(): Array<[string, UserRecord]> {
    return Object.entries(this.records.users);
  }

  async setUser(id: string, record: UserRecord): Promise<void> {
    this.records.users[id] = record;
    await this.save();
  }

  /**
   * Change a user record from its current value (read at the moment of the change, so concurrent
   * operations on one record do not overwrite each other's changes). Without a record: `otherwise`
   * is recorded when given, else nothing changes.
   */
  async updateUser(id: string, change: (current: UserRecord) => UserRecord, otherwise?: UserRecord): Promise<void> {
    const current = this.records.users[id];
    if (current) await this.setUser(id, change(current));
    else if (otherwise) await this.setUser(id, otherwise);
  }

  async deleteUser(id: string): Promise<void> {
    delete this.records.users[id];
    await this.save();
  }

  /** Record a group; this settles a pending create of a group of that name. */
  async setGroup(id: string, record: GroupRecord): Promise<void> {
    this.records.groups[id] = record;
    delete this.records.pending[pendingKey(record.name)];
    await this.save();
  }

  async deleteGroup(id: string): Promise<void> {
    delete this.records.groups[id];
    await this.save();
  }

  /** Record, before the request is sent, that the sync is creating group `name` for `sourceId`. */
  async intendGroup(name: string, sourceId: string | null): Promise<void> {
    this.records.pending[pendingKey(name)] = { name, sourceId };
    await this.save();
  }

  /** Whether a create of group `name` for `sourceId` is pending, i.e. a group of that name found now is the sync's. */
  intendedGroup(name: string, sourceId: string | null): boolean {
    const pending = this.records.pending[pendingKey(name)];
    return pending !== undefined && pending.sourceId === sourceId;
  }

  /** Forget the pending create of group `name` (its outcome is recorded, or it certainly failed). */
  async settleGroup(name: string): Promise<void> {
    if (!(pendingKey(name) in this.records.pending)) return;
    delete this.records.pending[pendingKey(name)];
    await this.save();
  }

  /**
   * Settle the creates a previous run left pending (its answer was lost), given the groups a read
   * found: a group of that name with no record (and no other source's `externalId`) is the one the
   * sync made and is recorded as owned; a create that found no group never happened. Writes only
   * when something was pending.
   */
  async settlePending(groups: Iterable<{ id: string; name: string; externalId?: string | null }>): Promise<void> {
    const pending = Object.entries(this.records.pending).filter(([key]) => key.startsWith('group:'));
    if (pending.length === 0) return;
    const byKey = new Map<string, { id: string; externalId?: string | null }>();
    for (const g of groups) if (!this.records.groups[g.id]) byKey.set(pendingKey(g.name), g);
    for (const [key, intent] of pending) {
      const found = byKey.get(key);
      if (found && (!found.externalId || found.externalId === intent.sourceId)) this.records.groups[found.id] = { sourceId: intent.sourceId, name: intent.name, owned: true };
      delete this.records.pending[key];
    }
    await this.save();
  }

  /**
   * Record, before an invitation is sent, that the sync is inviting these addresses: if the answer is
   * lost (or the run dies), a later attempt looks the address up before inviting it again, and owns
   * the account it finds. Settled when the outcome is recorded.
   */
  async intendInvites(invites: Array<{ email: string; sourceId: string | null }>): Promise<void> {
    for (const { email, sourceId } of invites) this.records.pending[inviteKey(email)] = { name: email, sourceId };
    await this.save();
  }

  /** Whether an invitation of `email` was sent (or about to be) without its outcome being recorded. */
  intendedInvite(email: string): boolean {
    return inviteKey(email) in this.records.pending;
  }

  async settleInvite(email: string): Promise<void> {
    if (!(inviteKey(email) in this.records.pending)) return;
    delete this.records.pending[inviteKey(email)];
    await this.save();
  }

  /** Forget when invitations were sent once their invitees are seen (`accountIds` read); writes only on a change. */
  async seeInvitees(accountIds: Iterable<string>): Promise<void> {
    let changed = false;
    for (const id of accountIds) {
      const record = this.records.users[id];
      if (record?.invitedAt === undefined) continue;
      const { invitedAt: _sent, ...rest } = record;
      this.records.users[id] = rest;
      changed = true;
    }
    if (changed) await this.save();
  }

  /** Writes are chained, each carrying everything recorded so far, so the last write is complete. */
  private save(): Promise<void> {
    const text = JSON.stringify(this.records);
    this.writing = this.writing.catch(() => undefined).then(() => this.store.set(this.key, text));
    return this.writing;
  }
}
