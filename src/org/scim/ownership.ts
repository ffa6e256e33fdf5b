/**
 * Ownership records: what the target does not record itself — which accounts and groups the sync
 * created or invited, and which source object each one mirrors. Kept as one JSON document under a
 * key of the profile's `StateStore`.
 *
 * A user record links an org account id to a source user (`sourceId`); `owned` says the sync brought
 * the account in (so it may later revoke it); `revoked` marks access the sync took away without a
 * suspend; `invitation` marks an invitation that exists only here (no account on the target yet);
 * `groups` lists memberships of such an invitation. A group record links an org group id to a
 * source group, with `owned` for groups the sync created. A record that cannot be parsed is an
 * error naming the key: unknown ownership is never "owns nothing".
 */
import { inputError, messageOf } from '../../errors.js';
import type { StateStore } from '../../store/types.js';

export interface UserRecord {
  sourceId: string | null;
  email: string;
  owned: boolean;
  revoked?: boolean;
  invitation?: boolean;
  displayName?: string;
  groups?: string[];
}

export interface GroupRecord {
  sourceId: string | null;
  name: string;
  owned: boolean;
  description?: string;
}

interface Records {
  users: Record<string, UserRecord>;
  groups: Record<string, GroupRecord>;
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
    if (text === null) return new Ownership(store, key, { users: {}, groups: {} });
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
    return new Ownership(store, key, { users: { ...records.users }, groups: { ...records.groups } });
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

  async setGroup(id: string, record: GroupRecord): Promise<void> {
    this.records.groups[id] = record;
    await this.save();
  }

  async deleteGroup(id: string): Promise<void> {
    delete this.records.groups[id];
    await this.save();
  }

  /** Writes are chained, each carrying everything recorded so far, so the last write is complete. */
  private save(): Promise<void> {
    const text = JSON.stringify(this.records);
    this.writing = this.writing.catch(() => undefined).then(() => this.store.set(this.key, text));
    return this.writing;
  }
}
