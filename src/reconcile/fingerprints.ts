/**
 * Fingerprints a plan records: a hash of the org state it was planned against and of the policy.
 * They tell "the org changed since the plan was made"; they are not a security boundary.
 *
 * The org fingerprint must not depend on the order the adapter lists things in, and must stay cheap
 * for a million users. So it treats users, groups and each group's members as multisets: every
 * record gets a 64-bit hash (two 32-bit lanes over its fields, length-prefixed so fields cannot run
 * into each other), and the hashes of a multiset are added up (mod 2^32 per lane), which is the same
 * in any order and needs no sort. The result is the SHA-256 of the sorted domains and of the counts
 * and sums of users and groups. A change to any field of any record changes the fingerprint except
 * with a probability of about 2^-64.
 *
 * The policy fingerprint is `hashOf(policy)`.
 */
import { createHash } from 'node:crypto';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Policy } from '../model/policy.js';
import { hashOf } from '../plan/fingerprint.js';
import { compareText } from './order.js';

const ABSENT = 0xffffffff;

/** Final avalanche of a 32-bit lane (MurmurHash3 fmix32), so that sums of hashes stay well spread. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The hash of one record, fed field by field; reused for every record. */
class RecordHash {
  a = 0;
  b = 0;

  // Lanes are kept as signed 32-bit integers (`| 0`), which the engine stores unboxed.
  start(kind: number): this {
    this.a = 0x811c9dc5 | 0;
    this.b = 0x9747b28c | 0;
    this.mix(kind);
    return this;
  }

  mix(n: number): void {
    this.a = Math.imul(this.a ^ n, 0x01000193);
    const b = Math.imul(this.b ^ n, 0x5bd1e995);
    this.b = b ^ (b >>> 15);
  }

  text(value: string | null | undefined): this {
    if (value == null) {
      this.mix(ABSENT);
      return this;
    }
    this.mix(value.length);
    // `mix` of each code unit, with the lanes in locals: this loop runs for every character of the org.
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < value.length; i += 1) {
      const n = value.charCodeAt(i);
      a = Math.imul(a ^ n, 0x01000193);
      const m = Math.imul(b ^ n, 0x5bd1e995);
      b = m ^ (m >>> 15);
    }
    this.a = a;
    this.b = b;
    return this;
  }
}

/** An order-independent sum of record hashes. */
class Multiset {
  count = 0;
  a = 0;
  b = 0;

  add(record: RecordHash): void {
    this.count += 1;
    this.a = (this.a + fmix(record.a)) | 0;
    this.b = (this.b + fmix(record.b)) | 0;
  }

  foldInto(record: RecordHash): void {
    record.mix(this.count);
    record.mix(this.a);
    record.mix(this.b);
  }
}

/**
 * Sort a handful of names in place, in code-unit order (`compareText`). An insertion sort: a user
 * has a few attributes, and `Array.prototype.sort` allocates a work area on every call, which for a
 * million users was most of what a run allocated.
 */
function sortFew(names: string[]): void {
  for (let i = 1; i < names.length; i += 1) {
    const name = names[i];
    let j = i - 1;
    for (; j >= 0 && compareText(names[j], name) > 0; j -= 1) names[j + 1] = names[j];
    names[j + 1] = name;
  }
}

function hashUser(record: RecordHash, user: OrgUser): RecordHash {
  record.start(1).text(user.id).text(user.email).text(user.externalId).text(user.displayName).text(user.givenName).text(user.familyName);
  const names = Object.keys(user.attributes);
  sortFew(names);
  record.mix(names.length);
  for (const name of names) record.text(name).text(user.attributes[name]);
  return record.text(user.managed ? 'managed' : 'unmanaged').text(user.status).text(user.source);
}

function hashGroup(record: RecordHash, group: OrgGroup): RecordHash {
  const members = new Multiset();
  for (const member of group.members) members.add(record.start(3).text(member));
  record.start(2).text(group.id).text(group.name).text(group.description).text(group.externalId).text(group.source);
  members.foldInto(record);
  return record;
}

export function orgFingerprint(org: OrgState): string {
  const record = new RecordHash();
  const users = new Multiset();
  for (const user of org.users) users.add(hashUser(record, user));
  const groups = new Multiset();
  for (const group of org.groups) groups.add(hashGroup(record, group));
  const domains = org.domains.map((domain) => [domain.name, domain.status]).sort((x, y) => compareText(x[0], y[0]) || compareText(x[1], y[1]));
  const summary = { domains, users: [users.count, users.a >>> 0, users.b >>> 0], groups: [groups.count, groups.a >>> 0, groups.b >>> 0] };
  return createHash('sha256').update(JSON.stringify(summary)).digest('hex');
}

export function policyFingerprint(policy: Policy): string {
  return hashOf(policy);
}
