/**
 * Scope from direct memberships (pure): which users are members, directly or through nested
 * groups, of the groups named in `policy.scope.groups`.
 *
 * In: group records with direct members and the scope group names. Out: the user ids in scope,
 * and the names that match no group exactly (as the reconcile core matches them). Cycles are harmless.
 */
import type { GroupRecord } from './graph.js';

export interface ScopeResult {
  userIds: Set<string>;
  missing: string[];
}

export function scopeFromGroups(groups: ReadonlyMap<string, GroupRecord>, names: readonly string[]): ScopeResult {
  const wanted = new Set(names);
  const roots = [...groups.values()].filter((g) => wanted.has(g.displayName));
  const found = new Set(roots.map((g) => g.displayName));
  const missing = names.filter((name) => !found.has(name));
  const userIds = new Set<string>();
  const seen = new Set<string>();
  const queue = roots.map((g) => g.id);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const [member, kind] of groups.get(id)?.members ?? []) {
      if (kind === 'user') userIds.add(member);
      else queue.push(member);
    }
  }
  return { userIds, missing };
}
