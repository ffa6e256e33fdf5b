/**
 * A `Baseline` as the `Snapshot` the reconcile core reads. Pure.
 *
 * Users and groups come out sorted by id. Group members that name no user read are dropped: when
 * `userSearch` narrows the users that is expected and silent, otherwise (a user created between
 * two listings) it is reported as an `unknown-member` issue. A group the policy scopes users by
 * that was not found makes the snapshot incomplete: its members are unknown, not absent.
 */
import { compareText } from '../../src/reconcile/order.js';
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../../src/model/directory.js';
import type { Baseline } from './read.js';
import { duplicateIdIssues } from '../../src/util/duplicate-ids.js';
import type { OktaUserRecord } from './client.js';
import { toSourceGroup, toSourceUser } from './map.js';

export interface SnapshotOptions {
  stagedActive: boolean;
  /** Group names the policy scopes users by (`scope.groups`). */
  scopeGroups: readonly string[];
  /** Whether users were narrowed by a search expression. */
  narrowed: boolean;
}

export function toSnapshot(baseline: Baseline, options: SnapshotOptions): Snapshot {
  const issues: ReadIssue[] = [];
  const users: SourceUser[] = [];
  const records = usersOf(baseline);
  for (const record of records) {
    const mapped = toSourceUser(record, options.stagedActive);
    users.push(mapped.user);
    if (mapped.issue) issues.push(mapped.issue);
  }
  for (const issue of duplicateIdIssues(records, (r) => r.id, (r) => `Okta user record with status ${r.status}`, 'user')) issues.push(issue);
  const groups: SourceGroup[] = [];
  for (const id of [...baseline.groups.keys()].sort(compareText)) {
    const group = baseline.groups.get(id)!;
    const members = [...new Set(group.members)].filter((m) => baseline.users.has(m)).sort(compareText);
    const unknown = new Set(group.members).size - members.length;
    if (unknown > 0 && !options.narrowed) {
      issues.push({ code: 'unknown-member', message: `Okta group "${group.name}" lists ${unknown} member(s) not among the users read`, subject: id });
    }
    groups.push(toSourceGroup(group, members));
  }
  const names = new Set(groups.map((g) => g.displayName));
  const missing = options.scopeGroups.filter((name) => !names.has(name));
  for (const name of missing) {
    issues.push({ code: 'missing-scope-group', message: `scope group "${name}" was not found in Okta (or not read): its members are unknown`, subject: name });
  }
  return { complete: missing.length === 0, users, groups, issues };
}

/**
 * Every user record by id, a repeated id (listed twice, e.g. deactivated between the two
 * listings) with all its records: the core plans nothing for it, rather than this code picking one.
 */
function usersOf(baseline: Baseline): OktaUserRecord[] {
  const records = [...baseline.users.values()];
  for (const repeat of baseline.repeatedUsers ?? []) records.push(repeat);
  return records.sort((a, b) => compareText(a.id, b.id));
}
