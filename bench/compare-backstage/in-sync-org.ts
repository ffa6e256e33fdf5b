/**
 * An org file in line with a source snapshot, so that `orgsync plan` against it measures the
 * recurring run (read, reconcile, little to do) rather than a 100k-operation first sync. Users on
 * `domain` become managed accounts linked to their source user (deactivated when the source user
 * is disabled); other users with an address become invited external users; every group becomes a
 * sync-owned group holding its members' accounts, nested groups flattened. Pure.
 */
import type { Snapshot, SourceGroup } from '../../src/model/directory.js';

interface OrgFile {
  domains: Array<{ name: string; status: string }>;
  users: Array<Record<string, unknown>>;
  groups: Array<Record<string, unknown>>;
}

/** User ids reached from `root` through nested groups, each once; cycles are harmless. */
function transitiveUsers(root: SourceGroup, groups: ReadonlyMap<string, SourceGroup>, users: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  const seen = new Set<string>([root.id]);
  const queue = [root];
  while (queue.length > 0) {
    for (const member of queue.pop()!.members) {
      if (users.has(member)) out.add(member);
      const nested = groups.get(member);
      if (nested && !seen.has(member)) {
        seen.add(member);
        queue.push(nested);
      }
    }
  }
  return [...out];
}

export function inSyncOrg(snapshot: Snapshot, domain: string): OrgFile {
  const accounts = new Map<string, string>();
  const users: OrgFile['users'] = [];
  for (const user of snapshot.users) {
    if (!user.email) continue;
    const managed = user.email.toLowerCase().endsWith(`@${domain}`);
    if (!managed && !user.active) continue;
    const id = `a-${users.length + 1}`;
    accounts.set(user.id, id);
    const names = { displayName: user.displayName, givenName: user.givenName, familyName: user.familyName };
    const status = managed ? (user.active ? 'active' : 'deactivated') : 'invited';
    users.push({ id, email: user.email, externalId: user.id, ...names, attributes: managed ? user.attributes : {}, managed, status, source: 'sync' });
  }
  const byId = new Map(snapshot.groups.map((g) => [g.id, g]));
  const known = new Set(accounts.keys());
  const groups = snapshot.groups.map((group, i) => ({
    id: `og-${i + 1}`,
    name: group.displayName,
    description: group.description ?? '',
    externalId: group.id,
    source: 'sync',
    members: transitiveUsers(group, byId, known).map((id) => accounts.get(id)!),
  }));
  return { domains: [{ name: domain, status: 'verified' }], users, groups };
}
