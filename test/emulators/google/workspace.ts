/**
 * The emulated Google Workspace: one customer with its domains, users, groups and group members,
 * held in memory in the shapes of the Directory API's User, Group and Member resources.
 *
 * `seedWorkspace` fills it deterministically (user i is `user<i>@<domain>`, group j holds a slice of
 * the users), so tests and benchmarks can predict what a read must return.
 */
export interface WorkspaceUser {
  kind: 'admin#directory#user';
  id: string;
  etag: string;
  primaryEmail: string;
  name: { givenName?: string; familyName?: string; fullName?: string };
  isAdmin: boolean;
  suspended: boolean;
  archived: boolean;
  customerId: string;
  orgUnitPath: string;
  creationTime: string;
  aliases?: string[];
  organizations?: Array<{ primary?: boolean; title?: string; department?: string; customType?: string }>;
}

export interface WorkspaceMember {
  kind: 'admin#directory#member';
  etag: string;
  /** Absent for an address outside the Workspace that has no Google account. */
  id?: string;
  email?: string;
  role: 'OWNER' | 'MANAGER' | 'MEMBER';
  type: 'USER' | 'GROUP' | 'CUSTOMER';
  status?: string;
}

export interface WorkspaceGroup {
  kind: 'admin#directory#group';
  id: string;
  etag: string;
  email: string;
  name: string;
  description: string;
  adminCreated: boolean;
  directMembersCount: string;
  members: WorkspaceMember[];
}

export type UserInput = Partial<Omit<WorkspaceUser, 'kind' | 'etag' | 'customerId'>> & { primaryEmail: string };

let sequence = 0;
const etag = () => `"etag-${(sequence += 1).toString(36)}"`;

export class Workspace {
  readonly users: WorkspaceUser[] = [];
  readonly groups: WorkspaceGroup[] = [];
  private nextId = 100000000000000000000n;

  constructor(
    readonly customerId = 'C03az79cb',
    readonly domains: string[] = ['acme.example'],
  ) {}

  private id(): string {
    this.nextId += 1n;
    return this.nextId.toString();
  }

  addUser(input: UserInput): WorkspaceUser {
    const user: WorkspaceUser = {
      kind: 'admin#directory#user',
      id: input.id ?? this.id(),
      etag: etag(),
      name: {},
      isAdmin: false,
      suspended: false,
      archived: false,
      orgUnitPath: '/',
      creationTime: '2024-01-01T00:00:00.000Z',
      ...input,
      customerId: this.customerId,
    };
    this.users.push(user);
    return user;
  }

  addGroup(input: { email: string; name?: string; description?: string; id?: string }): WorkspaceGroup {
    const group: WorkspaceGroup = {
      kind: 'admin#directory#group',
      id: input.id ?? this.id(),
      etag: etag(),
      email: input.email,
      name: input.name ?? input.email,
      description: input.description ?? '',
      adminCreated: true,
      directMembersCount: '0',
      members: [],
    };
    this.groups.push(group);
    return group;
  }

  /** Add a member to a group: a user or group of this Workspace, the customer, or an outside address. */
  addMember(group: WorkspaceGroup, member: { user?: WorkspaceUser; group?: WorkspaceGroup; customer?: true; external?: string; externalId?: string }): void {
    const base = { kind: 'admin#directory#member' as const, etag: etag(), role: 'MEMBER' as const };
    if (member.user) group.members.push({ ...base, id: member.user.id, email: member.user.primaryEmail, type: 'USER', status: member.user.suspended ? 'SUSPENDED' : 'ACTIVE' });
    else if (member.group) group.members.push({ ...base, id: member.group.id, email: member.group.email, type: 'GROUP' });
    else if (member.customer) group.members.push({ ...base, id: this.customerId, type: 'CUSTOMER' });
    else if (member.external) {
      const entry: WorkspaceMember = { ...base, email: member.external, type: 'USER', status: 'ACTIVE' };
      if (member.externalId) entry.id = member.externalId;
      group.members.push(entry);
    }
    group.directMembersCount = String(group.members.length);
  }

  findGroup(key: string): WorkspaceGroup | undefined {
    const lower = key.toLowerCase();
    return this.groups.find((g) => g.id === key) ?? this.groups.find((g) => g.email.toLowerCase() === lower);
  }

  findUser(key: string): WorkspaceUser | undefined {
    const lower = key.toLowerCase();
    return this.users.find((u) => u.id === key || u.primaryEmail.toLowerCase() === lower || u.aliases?.some((a) => a.toLowerCase() === lower));
  }
}

export interface SeedOptions {
  users: number;
  groups: number;
  /** Members of each group (default 50), taken in turn from the users. */
  membersPerGroup?: number;
  domain?: string;
}

/** A Workspace with `users` users (user0 is an admin) and `groups` groups of consecutive users. */
export function seedWorkspace(options: SeedOptions): Workspace {
  const domain = options.domain ?? 'acme.example';
  const workspace = new Workspace('C03az79cb', [domain]);
  for (let i = 0; i < options.users; i++) {
    workspace.addUser({
      primaryEmail: `user${i}@${domain}`,
      name: { givenName: `Given${i}`, familyName: `Family${i}`, fullName: `Given${i} Family${i}` },
      isAdmin: i === 0,
      suspended: i % 97 === 5,
      organizations: i % 3 === 0 ? undefined : [{ primary: true, title: `Title ${i % 11}`, department: `Dept ${i % 7}` }],
    });
  }
  const per = Math.min(options.membersPerGroup ?? 50, options.users);
  for (let j = 0; j < options.groups; j++) {
    const group = workspace.addGroup({ email: `group${j}@${domain}`, name: `Group ${j}`, description: `Seeded group ${j}` });
    for (let k = 0; k < per; k++) workspace.addMember(group, { user: workspace.users[(j * per + k) % options.users]! });
  }
  return workspace;
}
