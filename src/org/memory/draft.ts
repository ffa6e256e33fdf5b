/**
 * A working copy of an `OrgState` for applying one operation: the user and group lists are copied,
 * records are replaced (never mutated) when they change, so the input state is left as it was and
 * unchanged records are shared with it.
 */
import { OrgsyncError } from '../../errors.js';
import type { OrgGroup, OrgState, OrgUser } from '../../model/org.js';
import type { GroupRef, Operation } from '../../model/plan.js';
import { hashOf } from '../../plan/fingerprint.js';
import { EmailNormalizer } from '../../reconcile/email.js';
import type { OrgRefs } from '../types.js';

export class OrgDraft {
  readonly users: OrgUser[];
  readonly groups: OrgGroup[];
  changed = false;

  constructor(private readonly base: OrgState) {
    this.users = [...base.users];
    this.groups = [...base.groups];
  }

  state(): OrgState {
    return this.changed ? { domains: this.base.domains, users: this.users, groups: this.groups } : this.base;
  }

  user(id: string): OrgUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  userByAddress(address: string): OrgUser | undefined {
    return this.users.find((user) => addressOf(user.email) === address);
  }

  group(id: string): OrgGroup | undefined {
    return this.groups.find((group) => group.id === id);
  }

  groupNamed(name: string): OrgGroup | undefined {
    const key = name.toLowerCase();
    return this.groups.find((group) => group.name.toLowerCase() === key);
  }

  putUser(user: OrgUser): void {
    const index = this.users.findIndex((u) => u.id === user.id);
    if (index >= 0) this.users[index] = user;
    else this.users.push(user);
    this.changed = true;
  }

  putGroup(group: OrgGroup): void {
    const index = this.groups.findIndex((g) => g.id === group.id);
    if (index >= 0) this.groups[index] = group;
    else this.groups.push(group);
    this.changed = true;
  }

  removeGroup(id: string): void {
    const index = this.groups.findIndex((g) => g.id === id);
    if (index >= 0) {
      this.groups.splice(index, 1);
      this.changed = true;
    }
  }

  /** A new id derived from content (`prefix-` + hash), unique in this state. */
  newId(prefix: string, parts: unknown[]): string {
    const base = `${prefix}-${hashOf(parts).slice(0, 12)}`;
    let id = base;
    for (let n = 2; this.user(id) || this.group(id); n += 1) id = `${base}-${n}`;
    return id;
  }

  /** The account an operation acts on: its accountId, else the account linked to its sourceId. */
  subject(op: Operation, refs: OrgRefs): OrgUser {
    const id = op.accountId ?? (op.sourceId ? refs.accountFor(op.sourceId) : undefined);
    const user = id === undefined ? undefined : this.user(id);
    if (!user) throw new OrgsyncError('not-found', `${op.kind} ${op.id}: account ${id ?? `of source user ${op.sourceId ?? '?'}`} does not exist`);
    return user;
  }

  /** The group an operation acts on: its id, else the group linked to its source group id. */
  findGroup(ref: GroupRef, refs: OrgRefs): OrgGroup | undefined {
    const id = ref.id ?? (ref.externalId ? refs.groupFor(ref.externalId) : undefined);
    return id === undefined ? undefined : this.group(id);
  }
}

/** Shared by every draft: it only remembers how domains normalize, which never changes. */
const normalizer = new EmailNormalizer();

/** The normalized address of an org user's email, or the raw text lowercased when it is not valid. */
export function addressOf(email: string): string {
  return normalizer.address(email) ?? email.trim().toLowerCase();
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function conflict(op: Operation, message: string): OrgsyncError {
  return new OrgsyncError('conflict', `${op.kind} ${op.id}: ${message}`);
}
