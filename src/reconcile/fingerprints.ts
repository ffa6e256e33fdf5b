/**
 * Fingerprints a plan records: a hash of the org state it was planned against and of the policy.
 *
 * The org hash does not depend on the order the adapter listed things in: domains, users, groups,
 * group members and attribute names are sorted first. Each domain list, user and group becomes one
 * JSON array with the model's fields in a fixed order; the records are fed to one SHA-256 in chunks,
 * so a large org never becomes one giant string. The policy hash is `hashOf(policy)`.
 */
import { createHash, type Hash } from 'node:crypto';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Policy } from '../model/policy.js';
import { hashOf } from '../plan/fingerprint.js';
import { compareText } from './order.js';

const CHUNK = 1 << 16;

/** Attributes as sorted `[name, value]` pairs (an empty list when there are none). */
function attributePairs(attributes: Record<string, string>): [string, string][] {
  const keys = Object.keys(attributes);
  if (keys.length > 1) keys.sort(compareText);
  return keys.map((key) => [key, attributes[key]]);
}

function userRecord(user: OrgUser): string {
  return JSON.stringify([user.id, user.email, user.externalId ?? null, user.displayName ?? null, user.givenName ?? null, user.familyName ?? null, attributePairs(user.attributes), user.managed, user.status, user.source]);
}

function groupRecord(group: OrgGroup): string {
  return JSON.stringify([group.id, group.name, group.description, group.externalId ?? null, group.source, [...group.members].sort(compareText)]);
}

/** Feeds records (one JSON array each, so unambiguous) to a hash in chunks of about 64 KiB. */
class ChunkedHash {
  private readonly hash: Hash = createHash('sha256');
  private parts: string[] = [];
  private size = 0;

  add(record: string): void {
    this.parts.push(record);
    this.size += record.length;
    if (this.size >= CHUNK) this.flush();
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    this.hash.update(this.parts.join('\n'));
    this.parts = [];
    this.size = 0;
  }
}

export function orgFingerprint(org: OrgState): string {
  const hash = new ChunkedHash();
  const domains = [...org.domains].sort((a, b) => compareText(a.name, b.name) || compareText(a.status, b.status));
  hash.add(JSON.stringify(domains.map((domain) => [domain.name, domain.status])));
  for (const user of [...org.users].sort((a, b) => compareText(a.id, b.id))) hash.add(userRecord(user));
  for (const group of [...org.groups].sort((a, b) => compareText(a.id, b.id))) hash.add(groupRecord(group));
  return hash.digest();
}

export function policyFingerprint(policy: Policy): string {
  return hashOf(policy);
}
