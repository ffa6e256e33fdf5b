/**
 * Read a plain SCIM 2.0 service as an `OrgState`.
 *
 * Plain SCIM has no domain API: the configured `domains` are reported as verified claims. A user is
 * managed when its address is on one of them. `externalId` is the SCIM `externalId` (or, for an
 * external the sync invited, the source id in the ownership records). Invitations sent through the
 * invitation webhook that have no SCIM user yet appear as `invited` users with the id the records
 * gave them. Groups carry their SCIM members plus the memberships recorded for such invitations;
 * SCIM groups have no description, so the description the sync set is kept in the records.
 *
 * In: a `ScimClient`, the ownership records, the claimed domains. Out: the state and a `ScimView`.
 * A page that fails fails the read; nothing is ever reported as absent because it was not read.
 * Group creates a previous run left pending are settled against the groups read (see `Ownership`).
 */
import type { OrgDomain, OrgGroup, OrgState, OrgUser, OrgUserStatus } from '../../model/org.js';
import { EmailNormalizer, domainOf } from '../../reconcile/email.js';
import type { ScimClient } from './client.js';
import { emailKey, userFields, type ScimGroup, type ScimUser } from './map.js';
import type { Ownership, UserRecord } from './ownership.js';
import { ScimView } from './view.js';

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function readScim(scim: ScimClient, ownership: Ownership, domains: readonly string[]): Promise<{ state: OrgState; view: ScimView }> {
  const [users, groups] = await Promise.all([collect(scim.list<ScimUser>('Users')), collect(scim.list<ScimGroup>('Groups'))]);
  const view = ScimView.of(users, groups);
  await ownership.settlePending(groups.map((g) => ({ id: g.id, name: g.displayName, externalId: g.externalId })));
  return { state: scimState(view, ownership, domains), view };
}

/** Pure: the org state of what was read, with the ownership records applied. */
export function scimState(view: ScimView, ownership: Ownership, domains: readonly string[]): OrgState {
  const claimed = new Set(domains);
  const normalizer = new EmailNormalizer();
  const invitations = new Map<string, [string, UserRecord]>();
  for (const [id, record] of ownership.users()) if (record.invitation) invitations.set(emailKey(record.email), [id, record]);

  const users: OrgUser[] = [];
  const seen = new Set<string>();
  for (const user of view.users.values()) {
    const fields = userFields(user);
    const key = emailKey(fields.email);
    seen.add(key);
    const record = ownership.user(user.id) ?? invitations.get(key)?.[1];
    const address = normalizer.address(fields.email);
    const managed = address !== null && claimed.has(domainOf(address));
    users.push({
      id: user.id,
      email: fields.email,
      externalId: fields.externalId ?? record?.sourceId ?? null,
      displayName: fields.displayName,
      givenName: fields.givenName,
      familyName: fields.familyName,
      attributes: fields.attributes,
      managed,
      status: statusOf(fields.active, record),
      source: record?.owned ? 'sync' : 'manual',
    });
  }
  for (const [key, [id, record]] of invitations) {
    if (!seen.has(key)) users.push(invitationUser(id, record));
  }
  const domainList: OrgDomain[] = domains.map((name) => ({ name, status: 'verified' }));
  return { domains: domainList, users, groups: [...view.groups.values()].map((group) => orgGroup(group, ownership, view, seen)) };
}

function statusOf(active: boolean, record: UserRecord | undefined): OrgUserStatus {
  if (record?.revoked) return 'suspended';
  return active ? 'active' : 'deactivated';
}

function invitationUser(id: string, record: UserRecord): OrgUser {
  return {
    id,
    email: record.email,
    externalId: record.sourceId,
    displayName: record.displayName,
    attributes: {},
    managed: false,
    status: record.revoked ? 'suspended' : 'invited',
    source: record.owned ? 'sync' : 'manual',
  };
}

/** A SCIM group as an org group; `scimEmails` are the addresses that have a SCIM user. */
function orgGroup(group: ScimGroup, ownership: Ownership, view: ScimView, scimEmails: ReadonlySet<string>): OrgGroup {
  const record = ownership.group(group.id);
  const members = (group.members ?? []).map((m) => m.value).filter((id) => view.users.has(id));
  for (const [id, user] of ownership.users()) {
    if (user.invitation && user.groups?.includes(group.id) && !scimEmails.has(emailKey(user.email))) members.push(id);
  }
  return {
    id: group.id,
    name: group.displayName,
    description: record?.description ?? '',
    externalId: group.externalId || record?.sourceId || null,
    source: record?.owned ? 'sync' : 'manual',
    members,
  };
}
