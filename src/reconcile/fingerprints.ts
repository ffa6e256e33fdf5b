/**
 * Fingerprints a plan records: a hash of the org state it was planned against and of the policy.
 *
 * The org hash does not depend on the order the adapter listed things in: domains, users, groups,
 * group members and attribute names are sorted first. It is a SHA-256 over one JSON array per
 * record with the model's fields in a fixed order, streamed record by record, so a large org never
 * becomes one giant string. The policy hash is `hashOf(policy)`.
 */
import { createHash } from 'node:crypto';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Policy } from '../model/policy.js';
import { hashOf } from '../plan/fingerprint.js';
import { compareText } from './order.js';

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.keys(record)
    .sort(compareText)
    .map((key) => [key, record[key]]);
}

function userRecord(user: OrgUser): string {
  return JSON.stringify([user.id, user.email, user.externalId ?? null, user.displayName ?? null, user.givenName ?? null, user.familyName ?? null, sortedEntries(user.attributes), user.managed, user.status, user.source]);
}

function groupRecord(group: OrgGroup): string {
  return JSON.stringify([group.id, group.name, group.description, group.externalId ?? null, group.source, [...group.members].sort(compareText)]);
}

export function orgFingerprint(org: OrgState): string {
  const hash = createHash('sha256');
  const domains = [...org.domains].sort((a, b) => compareText(a.name, b.name) || compareText(a.status, b.status));
  hash.update(`d${JSON.stringify(domains.map((domain) => [domain.name, domain.status]))}\n`);
  for (const user of [...org.users].sort((a, b) => compareText(a.id, b.id))) hash.update(`u${userRecord(user)}\n`);
  for (const group of [...org.groups].sort((a, b) => compareText(a.id, b.id))) hash.update(`g${groupRecord(group)}\n`);
  return hash.digest('hex');
}

export function policyFingerprint(policy: Policy): string {
  return hashOf(policy);
}
