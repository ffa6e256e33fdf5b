/**
 * IdP group structure: flattening nested groups and deciding which source users are in scope.
 *
 * In: the snapshot's groups (members are user ids or group ids; cycles are tolerated) and the
 * policy's scope group names. Out: a walk over a group's members (the caller tells users from
 * groups) and user-id sets. Flattening walks the group graph with a visited set, so a cycle ends
 * the walk instead of looping.
 */
import type { SourceGroup } from '../model/directory.js';

export type NestedMode = 'flatten' | 'direct';

export class GroupGraph {
  private readonly byId = new Map<string, SourceGroup>();
  private readonly byName = new Map<string, SourceGroup[]>();
  /** Group ids that appear more than once in the snapshot. */
  readonly duplicateIds = new Set<string>();

  constructor(groups: readonly SourceGroup[]) {
    for (const group of groups) {
      const seen = this.byId.get(group.id);
      if (seen) {
        this.duplicateIds.add(group.id);
        this.byId.set(group.id, { ...seen, members: [...seen.members, ...group.members] });
      } else {
        this.byId.set(group.id, group);
      }
      const named = this.byName.get(group.displayName);
      if (named) named.push(group);
      else this.byName.set(group.displayName, [group]);
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Groups with exactly this display name. */
  named(name: string): readonly SourceGroup[] {
    return this.byName.get(name) ?? [];
  }

  /**
   * Walk a group: `visit(members, descend)` is called with the member list of the group and, with
   * `flatten`, of every group nested in it. The visitor decides which ids name users and calls
   * `descend(id)` for the others; an id that names a group is then walked (each group once, so
   * cycles end the walk). With `direct`, `descend` does nothing. A member id that the visitor takes
   * for a user is never walked as a group.
   */
  walk(groupId: string, mode: NestedMode, visit: (members: readonly string[], descend: (id: string) => void) => void): void {
    const visited = new Set<string>([groupId]);
    const pending = [groupId];
    const descend = (id: string): void => {
      if (mode === 'flatten' && this.byId.has(id) && !visited.has(id)) {
        visited.add(id);
        pending.push(id);
      }
    };
    while (pending.length > 0) {
      const group = this.byId.get(pending.pop() as string);
      if (group) visit(group.members, descend);
    }
  }

  /** The ids of the users in a group (see `walk`), each once. */
  users(groupId: string, mode: NestedMode, isUser: (id: string) => boolean): Set<string> {
    const users = new Set<string>();
    this.walk(groupId, mode, (members, descend) => {
      for (const id of members) {
        if (isUser(id)) users.add(id);
        else descend(id);
      }
    });
    return users;
  }
}

export interface Scope {
  /** True when the policy names no scope group: every source user is in scope. */
  all: boolean;
  /** Ids of the users in scope (transitive members of the named groups); empty when `all`. */
  members: ReadonlySet<string>;
  /** Scope group names that no group in the snapshot has. */
  missing: string[];
}

/** Resolve the policy's scope group names against the snapshot. Membership is always transitive. */
export function resolveScope(graph: GroupGraph, names: readonly string[], isUser: (id: string) => boolean): Scope {
  if (names.length === 0) return { all: true, members: new Set(), missing: [] };
  const members = new Set<string>();
  const missing: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const groups = graph.named(name);
    if (groups.length === 0) missing.push(name);
    for (const group of groups) {
      for (const user of graph.users(group.id, 'flatten', isUser)) members.add(user);
    }
  }
  return { all: false, members, missing };
}

