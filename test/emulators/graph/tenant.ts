/**
 * An in-memory Entra tenant for the Graph emulator: users, groups, direct memberships, and a
 * change log precise enough for delta queries to return exactly the changes since a token.
 *
 * Every mutation advances `version`. Users and groups remember when they were created and when each
 * property last changed; groups keep a log of member additions and removals; removed objects leave
 * a tombstone. Deleting a user or group also removes it from every group it was a member of.
 */

export type ObjectKind = 'user' | 'group';

export interface UserData {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  accountEnabled: boolean;
  jobTitle: string | null;
  department: string | null;
  userType: 'Member' | 'Guest';
}

export interface GroupData {
  id: string;
  displayName: string;
  description: string | null;
  members: Set<string>;
}

export type UserInput = Partial<UserData>;

export interface GroupInput {
  id?: string;
  displayName: string;
  description?: string | null;
  members?: string[];
}

export interface MemberEvent {
  seq: number;
  id: string;
  kind: ObjectKind;
  op: 'add' | 'remove';
}

export interface Tracked<T> {
  data: T;
  createdSeq: number;
  /** Property name -> version of its last change. */
  changed: Map<string, number>;
}

export interface TrackedGroup extends Tracked<GroupData> {
  log: MemberEvent[];
}

export interface Tombstone {
  seq: number;
  createdSeq: number;
  reason: 'deleted' | 'changed';
}

export interface MemberRef {
  id: string;
  kind: ObjectKind;
}

function guid(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export class Tenant {
  private seq = 0;
  private counter = 0;
  readonly users = new Map<string, Tracked<UserData>>();
  readonly groups = new Map<string, TrackedGroup>();
  readonly removedUsers = new Map<string, Tombstone>();
  readonly removedGroups = new Map<string, Tombstone>();
  private userCache: UserData[] | undefined;
  private groupCache: GroupData[] | undefined;

  constructor(readonly domain = 'contoso.com') {}

  /** Advances with every change; delta tokens remember it. */
  get version(): number {
    return this.seq;
  }

  addUser(input: UserInput = {}): UserData {
    const n = ++this.counter;
    const local = `user${n}`;
    const data: UserData = {
      id: guid('aaaaaaaa', n),
      userPrincipalName: `${local}@${this.domain}`,
      mail: `${local}@${this.domain}`,
      displayName: `User ${n}`,
      givenName: 'User',
      surname: String(n),
      accountEnabled: true,
      jobTitle: null,
      department: null,
      userType: 'Member',
      ...input,
    };
    if (this.users.has(data.id) || this.groups.has(data.id)) throw new Error(`duplicate id ${data.id}`);
    this.users.set(data.id, { data, createdSeq: ++this.seq, changed: new Map() });
    this.userCache = undefined;
    return data;
  }

  /** A B2B guest: UPN `name_partner.com#EXT#@<tenant>.onmicrosoft.com`, `mail` as given (may be null). */
  addGuest(email: string, input: UserInput = {}): UserData {
    const upn = `${email.replace('@', '_')}#EXT#@${this.domain.split('.')[0]}.onmicrosoft.com`;
    return this.addUser({ userPrincipalName: upn, mail: email, userType: 'Guest', ...input });
  }

  updateUser(id: string, patch: Partial<Omit<UserData, 'id'>>): void {
    const user = this.mustUser(id);
    const seq = ++this.seq;
    for (const [key, value] of Object.entries(patch)) {
      (user.data as unknown as Record<string, unknown>)[key] = value;
      user.changed.set(key, seq);
    }
  }

  removeUser(id: string, reason: 'deleted' | 'changed' = 'deleted'): void {
    const user = this.mustUser(id);
    for (const group of this.groups.values()) if (group.data.members.has(id)) this.removeMember(group.data.id, id);
    this.users.delete(id);
    this.removedUsers.set(id, { seq: ++this.seq, createdSeq: user.createdSeq, reason });
    this.userCache = undefined;
  }

  addGroup(input: GroupInput): GroupData {
    const n = ++this.counter;
    const data: GroupData = { id: input.id ?? guid('bbbbbbbb', n), displayName: input.displayName, description: input.description ?? null, members: new Set() };
    if (this.users.has(data.id) || this.groups.has(data.id)) throw new Error(`duplicate id ${data.id}`);
    this.groups.set(data.id, { data, createdSeq: ++this.seq, changed: new Map(), log: [] });
    this.groupCache = undefined;
    for (const member of input.members ?? []) this.addMember(data.id, member);
    return data;
  }

  updateGroup(id: string, patch: { displayName?: string; description?: string | null }): void {
    const group = this.mustGroup(id);
    const seq = ++this.seq;
    for (const [key, value] of Object.entries(patch)) {
      (group.data as unknown as Record<string, unknown>)[key] = value;
      group.changed.set(key, seq);
    }
  }

  removeGroup(id: string): void {
    const group = this.mustGroup(id);
    for (const other of this.groups.values()) if (other.data.members.has(id)) this.removeMember(other.data.id, id);
    this.groups.delete(id);
    this.removedGroups.set(id, { seq: ++this.seq, createdSeq: group.createdSeq, reason: 'deleted' });
    this.groupCache = undefined;
  }

  addMember(groupId: string, memberId: string): void {
    const group = this.mustGroup(groupId);
    const kind = this.kindOf(memberId);
    if (!kind) throw new Error(`no user or group ${memberId}`);
    if (group.data.members.has(memberId)) return;
    group.data.members.add(memberId);
    group.log.push({ seq: ++this.seq, id: memberId, kind, op: 'add' });
  }

  removeMember(groupId: string, memberId: string): void {
    const group = this.mustGroup(groupId);
    if (!group.data.members.delete(memberId)) return;
    group.log.push({ seq: ++this.seq, id: memberId, kind: this.kindOf(memberId) ?? 'user', op: 'remove' });
  }

  kindOf(id: string): ObjectKind | undefined {
    if (this.users.has(id)) return 'user';
    if (this.groups.has(id)) return 'group';
    return undefined;
  }

  userList(): UserData[] {
    this.userCache ??= [...this.users.values()].map((u) => u.data);
    return this.userCache;
  }

  groupList(): GroupData[] {
    this.groupCache ??= [...this.groups.values()].map((g) => g.data);
    return this.groupCache;
  }

  directMembers(groupId: string): MemberRef[] {
    return [...this.mustGroup(groupId).data.members].map((id) => ({ id, kind: this.kindOf(id) ?? 'user' }));
  }

  /** Users and groups reachable through nested membership, each once; cycles are harmless. */
  transitiveMembers(groupId: string): MemberRef[] {
    const out = new Map<string, MemberRef>();
    const queue = [groupId];
    const seen = new Set<string>(queue);
    while (queue.length > 0) {
      for (const ref of this.directMembers(queue.shift()!)) {
        if (ref.id !== groupId) out.set(ref.id, ref);
        if (ref.kind === 'group' && !seen.has(ref.id)) {
          seen.add(ref.id);
          queue.push(ref.id);
        }
      }
    }
    return [...out.values()];
  }

  mustUser(id: string): Tracked<UserData> {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  mustGroup(id: string): TrackedGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }
}
