/**
 * Pure translation of what the Atlassian APIs answered (joined in an `AtlassianView`) and the
 * ownership records into an `OrgState`, and of an invitation operation into an invite request.
 *
 * - A domain is claimed only with `claim.status: verified`; other statuses are reported as they are.
 * - A user is managed when `claimStatus` is `managed`. Its profile comes from its SCIM user when it
 *   has one (what provisioning wrote), else from the org API (`name`, `jobTitle` as `title`,
 *   `department`, `organization`). `externalId` is the SCIM `externalId`, else the source id the
 *   ownership records hold (invited externals). Status: an inactive account is `deactivated`; a
 *   suspended membership, or a revocation the records remember, is `suspended`; no membership is
 *   `invited`; anything else `active`. Each user carries the directory it was read in. Users
 *   without an email (app accounts) are not people and are left out.
 * - An invitation the sync sent whose invitee no search shows yet (Atlassian's search catches up
 *   after a while) is reported as an `invited` user with the id the invitation answered, for a day
 *   after it was sent, so the next plan does not invite again.
 * - A group is a pair (`pairs.ts`): members of both sides, `source: sync` when the sync created
 *   either side.
 */
import { inputError } from '../../errors.js';
import type { OrgDomain, OrgGroup, OrgState, OrgUser, OrgUserStatus } from '../../model/org.js';
import type { Operation } from '../../model/plan.js';
import { userFields } from '../scim/map.js';
import type { Ownership, UserRecord } from '../scim/ownership.js';
import type { ApiDomain, ApiUser, InviteRequest } from './client.js';
import { pairMembers, pairOwned, type GroupPair } from './pairs.js';
import { ATLASSIAN_SCHEMA } from './schema.js';
import type { AtlassianView, DirectoryUser } from './view.js';

/** How long an invitation the search does not show yet still counts as sent. */
export const INVITATION_VISIBILITY_MS = 24 * 60 * 60 * 1000;

export function orgDomain(domain: ApiDomain): OrgDomain {
  return { name: domain.attributes.name, status: domain.attributes.claim?.status ?? 'unknown' };
}

export function userStatus(user: ApiUser, record: UserRecord | undefined): OrgUserStatus {
  if (user.accountStatus === 'inactive' || user.accountStatus === 'closed' || user.status === 'deactivated' || user.status === 'for_deletion') return 'deactivated';
  if (record?.revoked || user.status === 'suspended' || user.membershipStatus === 'suspended') return 'suspended';
  if (user.status === 'not_invited' || user.membershipStatus === 'no_membership') return 'invited';
  return 'active';
}

function orgAttributes(user: ApiUser): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (user.jobTitle) attributes.title = user.jobTitle;
  if (user.department) attributes.department = user.department;
  if (user.organization) attributes.organization = user.organization;
  return attributes;
}

export function orgUser(user: DirectoryUser & { email: string }, view: AtlassianView, ownership: Ownership): OrgUser {
  const record = ownership.user(user.accountId);
  const scim = view.scimUserOf(user.accountId);
  const fields = scim ? userFields(scim, ATLASSIAN_SCHEMA) : undefined;
  return {
    id: user.accountId,
    email: user.email,
    externalId: fields?.externalId ?? record?.sourceId ?? null,
    displayName: fields ? fields.displayName : user.name || undefined,
    givenName: fields?.givenName,
    familyName: fields?.familyName,
    attributes: fields ? fields.attributes : orgAttributes(user),
    managed: user.claimStatus === 'managed',
    status: userStatus(user, record),
    source: record?.owned ? 'sync' : 'manual',
    directory: user.directoryId,
  };
}

export function orgGroup(pair: GroupPair, ownership: Ownership): OrgGroup {
  return {
    id: pair.id,
    name: pair.name,
    description: pair.description,
    externalId: pair.externalId,
    source: pairOwned(pair, ownership) ? 'sync' : 'manual',
    members: [...pairMembers(pair)].sort(),
  };
}

/** Invitations the sync sent that no read has shown yet, still within their day. */
function pendingInvitations(view: AtlassianView, ownership: Ownership, now: number): OrgUser[] {
  const out: OrgUser[] = [];
  for (const [id, record] of ownership.users()) {
    if (!record.invitedAt || view.users.has(id) || view.userByEmail(record.email)) continue;
    if (now - Date.parse(record.invitedAt) > INVITATION_VISIBILITY_MS) continue;
    out.push({ id, email: record.email, externalId: record.sourceId, displayName: record.displayName, attributes: {}, managed: false, status: 'invited', source: record.owned ? 'sync' : 'manual', directory: view.directories.local });
  }
  return out;
}

export function atlassianState(domains: ApiDomain[], view: AtlassianView, ownership: Ownership, now = Date.now()): OrgState {
  const users: OrgUser[] = [];
  for (const user of view.users.values()) {
    if (typeof user.email === 'string' && user.email !== '') users.push(orgUser(user as DirectoryUser & { email: string }, view, ownership));
  }
  for (const pending of pendingInvitations(view, ownership, now)) users.push(pending);
  const people = new Set(users.map((u) => u.id));
  const groups = [...view.pairs.values()].map((pair) => orgGroup(pair, ownership)).map((g) => ({ ...g, members: g.members.filter((id) => people.has(id)) }));
  return { domains: domains.map(orgDomain), users, groups };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The group names and permission rules an `inviteUser` operation grants (roles resolved through the settings' `roles`). */
export function invitationGrants(op: Operation, email: string, roles: Record<string, { resource: string; role: string }>): { groups: string[]; permissionRules: InviteRequest['permissionRules'] } {
  const after = op.after ?? {};
  const permissionRules = strings(after.roles).map((name) => {
    const rule = roles[name];
    if (!rule) throw inputError(`inviteUser ${email}: role "${name}" has no permission rule in the atlassian settings' roles (known: ${Object.keys(roles).join(', ') || 'none'})`);
    return { resource: rule.resource, role: rule.role };
  });
  return { groups: strings(after.groups), permissionRules };
}
