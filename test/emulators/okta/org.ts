/**
 * The data of an emulated Okta org: users, groups, memberships in Okta's wire shape, with
 * seeding and the mutations tests need. Every mutation moves the timestamps Okta would move:
 * a user change moves the user's `lastUpdated` (and `statusChanged`), a membership change moves
 * the group's `lastMembershipUpdated`.
 */
export const USER_STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEPROVISIONED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface UserProfile {
  login: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  title?: string | null;
  department?: string | null;
  [key: string]: unknown;
}

export interface EmulatedUser {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: UserProfile;
}

export interface EmulatedGroup {
  id: string;
  type: GroupType;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: { name: string; description: string };
  /** Member user ids, kept sorted. */
  members: string[];
}

export interface SeedOptions {
  users: number;
  groups: number;
  /** Email domain of most users (default acme.com); every tenth user is on `externalDomain`. */
  domain?: string;
  externalDomain?: string;
  /** Groups each user belongs to (default 2). */
  groupsPerUser?: number;
}

const SEED_EPOCH = Date.parse('2024-01-01T00:00:00.000Z');
const STATUS_CYCLE: UserStatus[] = ['STAGED', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEPROVISIONED'];

function pad(prefix: string, n: number): string {
  return `${prefix}${n.toString(36).padStart(17, '0')}`;
}

function insertSorted(list: string[], id: string): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] === id) return false;
  list.splice(lo, 0, id);
  return true;
}

export class OktaOrg {
  /** Users in id order (ids only grow, so insertion order). */
  readonly users: EmulatedUser[] = [];
  readonly groups: EmulatedGroup[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly groupById = new Map<string, EmulatedGroup>();
  private nextUser = 1;
  private nextGroup = 1;
  private lastTick = 0;

  /** A timestamp later than every earlier one, so each change is distinguishable. */
  tick(): string {
    this.lastTick = Math.max(Date.now(), this.lastTick + 1);
    return new Date(this.lastTick).toISOString();
  }

  user(id: string): EmulatedUser | undefined {
    const i = this.userIndex.get(id);
    return i === undefined ? undefined : this.users[i];
  }

  group(id: string): EmulatedGroup | undefined {
    return this.groupById.get(id);
  }

  /** Position of the first user after `afterId` (0 without one). */
  userPositionAfter(afterId: string | null): number {
    if (!afterId) return 0;
    const i = this.userIndex.get(afterId);
    if (i !== undefined) return i + 1;
    let lo = 0;
    let hi = this.users.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.users[mid]!.id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addUser(profile: Partial<UserProfile> & { email: string }, status: UserStatus = 'ACTIVE', at = this.tick()): EmulatedUser {
    const id = pad('00u', this.nextUser++);
    const user: EmulatedUser = {
      id,
      status,
      created: at,
      activated: status === 'STAGED' ? null : at,
      statusChanged: at,
      lastLogin: null,
      lastUpdated: at,
      passwordChanged: null,
      type: { id: 'oty00000000000000001' },
      profile: { login: profile.email, ...profile },
    };
    this.userIndex.set(id, this.users.length);
    this.users.push(user);
    const everyone = this.groups.find((g) => g.type === 'BUILT_IN');
    if (everyone) this.addMember(everyone.id, id, at);
    return user;
  }

  /** Change a user's status and/or profile fields; moves `lastUpdated`. */
  updateUser(id: string, change: { status?: UserStatus; profile?: Partial<UserProfile> }): EmulatedUser {
    const user = this.requireUser(id);
    const at = this.tick();
    if (change.status && change.status !== user.status) {
      user.status = change.status;
      user.statusChanged = at;
    }
    if (change.profile) user.profile = { ...user.profile, ...change.profile };
    user.lastUpdated = at;
    return user;
  }

  /** Remove a user for good (Okta's delete after deactivation): out of every group too. */
  deleteUser(id: string): void {
    this.requireUser(id);
    for (const group of this.groups) if (group.members.includes(id)) this.removeMember(group.id, id);
    const i = this.userIndex.get(id)!;
    this.users.splice(i, 1);
    this.userIndex.clear();
    this.users.forEach((u, n) => this.userIndex.set(u.id, n));
  }

  addGroup(name: string, type: GroupType = 'OKTA_GROUP', description = '', at = this.tick()): EmulatedGroup {
    const group: EmulatedGroup = { id: pad('00g', this.nextGroup++), type, created: at, lastUpdated: at, lastMembershipUpdated: at, profile: { name, description }, members: [] };
    this.groups.push(group);
    this.groupById.set(group.id, group);
    return group;
  }

  deleteGroup(id: string): void {
    const group = this.requireGroup(id);
    this.groups.splice(this.groups.indexOf(group), 1);
    this.groupById.delete(id);
  }

  renameGroup(id: string, name: string): void {
    const group = this.requireGroup(id);
    group.profile = { ...group.profile, name };
    group.lastUpdated = this.tick();
  }

  addMember(groupId: string, userId: string, at?: string): void {
    const group = this.requireGroup(groupId);
    this.requireUser(userId);
    if (insertSorted(group.members, userId)) group.lastMembershipUpdated = at ?? this.tick();
  }

  removeMember(groupId: string, userId: string): void {
    const group = this.requireGroup(groupId);
    const i = group.members.indexOf(userId);
    if (i === -1) return;
    group.members.splice(i, 1);
    group.lastMembershipUpdated = this.tick();
  }

  private requireUser(id: string): EmulatedUser {
    const user = this.user(id);
    if (!user) throw new Error(`emulated Okta: no user ${id}`);
    return user;
  }

  private requireGroup(id: string): EmulatedGroup {
    const group = this.group(id);
    if (!group) throw new Error(`emulated Okta: no group ${id}`);
    return group;
  }
}

/**
 * An org of `users` users in every status (one in sixteen in each status other than ACTIVE, the
 * rest ACTIVE; every tenth user on `externalDomain`; `login` never equal to `email`), `groups`
 * groups (every fifth an APP_GROUP) plus the built-in `Everyone`, and each user in
 * `groupsPerUser` groups. Timestamps lie in 2024, long before any test's changes.
 */
export function seedOrg(options: SeedOptions): OktaOrg {
  const org = new OktaOrg();
  const domain = options.domain ?? 'acme.com';
  const external = options.externalDomain ?? 'partner.example';
  const at = (n: number) => new Date(SEED_EPOCH + n * 1000).toISOString();
  org.addGroup('Everyone', 'BUILT_IN', 'All users in your organization', at(0));
  const groups = Array.from({ length: options.groups }, (_, g) =>
    org.addGroup(`Group ${g + 1}`, g % 5 === 4 ? 'APP_GROUP' : 'OKTA_GROUP', `Seeded group ${g + 1}`, at(1)),
  );
  for (let i = 0; i < options.users; i++) {
    const status: UserStatus = i % 16 < STATUS_CYCLE.length ? STATUS_CYCLE[i % 16]! : 'ACTIVE';
    const user = org.addUser(seedProfile(i, i % 10 === 9 ? external : domain), status, at(10 + i));
    for (let k = 0; k < Math.min(options.groupsPerUser ?? 2, groups.length); k++) {
      org.addMember(groups[(i * (k + 1) + k * 7) % groups.length]!.id, user.id, at(10 + i));
    }
  }
  return org;
}

function seedProfile(i: number, domain: string): UserProfile {
  const profile: UserProfile = {
    login: `user${i}@login.${domain}`,
    email: `user${i}@${domain}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    title: i % 3 === 0 ? 'Engineer' : null,
    department: ['R&D', 'Sales', 'Support'][i % 3]!,
  };
  if (i % 2 === 0) profile.displayName = `User Number ${i}`;
  return profile;
}
