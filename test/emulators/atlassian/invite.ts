/**
 * `POST /admin/v2/orgs/{orgId}/users/invite` (jira.js `src/admin/api/users.ts` `inviteUsers`, models
 * `multidirectoryInviteApiRequest.ts`, `adminInviteResponse.ts`, `singleAdminInviteResult.ts`,
 * `roleAssignmentResult.ts`, `groupAssignmentResult.ts`). Invitees land in the local directory. The
 * call answers 200 even when parts fail: each address gets `roleAssignmentResult[]` and
 * `groupAssignmentResult[]` entries with `status: INVITED | ERROR` and a `statusReason`.
 */
import { SAME_DIRECTORY, grant } from './directory-rules.js';
import { ModelError } from './errors.js';
import type { AtlassianModel, DirectoryUser, Invitation } from './model.js';

export const MAX_INVITE_EMAILS = 25;

export interface RoleResult {
  resource: string;
  role: string;
  status: 'INVITED' | 'ERROR';
  statusReason: string | null;
}

export interface GroupResult {
  group: string;
  status: 'INVITED' | 'ERROR';
  statusReason: string | null;
}

export interface InviteResult {
  id: string;
  email: string;
  results: Array<{ roleAssignmentResult: RoleResult[]; groupAssignmentResult: GroupResult[] }>;
}

function strings(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ModelError(400, `${what} must be a list of strings`);
  return value as string[];
}

/** Read an invitation body; 400 for a malformed one or more than 25 addresses. */
export function parseInvitation(body: unknown): Invitation {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ModelError(400, 'The request body must be a JSON object');
  const request = body as Record<string, unknown>;
  const emails = strings(request.emails, 'emails');
  if (emails.length === 0) throw new ModelError(400, 'emails must name at least one address');
  if (emails.length > MAX_INVITE_EMAILS) throw new ModelError(400, `You can invite up to ${MAX_INVITE_EMAILS} email addresses at a time; this request has ${emails.length}`);
  const bad = emails.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
  if (bad !== undefined) throw new ModelError(400, `${JSON.stringify(bad)} is not a valid email address`);
  const rules = request.permissionRules ?? [];
  if (!Array.isArray(rules) || rules.some((r) => typeof r?.resource !== 'string' || typeof r?.role !== 'string')) {
    throw new ModelError(400, 'permissionRules must be a list of { resource, role }');
  }
  if (request.sendNotification !== undefined && typeof request.sendNotification !== 'boolean') throw new ModelError(400, 'sendNotification must be a boolean');
  if (request.notificationText !== undefined && typeof request.notificationText !== 'string') throw new ModelError(400, 'notificationText must be a string');
  return {
    emails,
    permissionRules: (rules as Array<{ resource: string; role: string }>).map((r) => ({ resource: r.resource, role: r.role })),
    additionalGroups: strings(request.additionalGroups, 'additionalGroups'),
    sendNotification: request.sendNotification === true,
    ...(typeof request.notificationText === 'string' ? { notificationText: request.notificationText } : {}),
  };
}

function injected(model: AtlassianModel, email: string, kind: 'group' | 'role', id: string): string | undefined {
  return model.inviteFailures.get(email.toLowerCase())?.find((f) => f.kind === kind && (f.id === undefined || f.id === id))?.reason;
}

function assignRole(model: AtlassianModel, email: string, user: DirectoryUser, rule: { resource: string; role: string }): RoleResult {
  const fail = (statusReason: string): RoleResult => ({ ...rule, status: 'ERROR', statusReason });
  const hook = injected(model, email, 'role', rule.resource);
  if (hook) return fail(hook);
  const resource = model.resources.get(rule.resource);
  if (!resource) return fail(`Resource ${rule.resource} was not found in this organization`);
  if (!resource.roles.has(rule.role)) return fail(`Role ${rule.role} is not valid for resource ${rule.resource}`);
  grant(user.roles, rule.resource, rule.role);
  return { ...rule, status: 'INVITED', statusReason: null };
}

function assignGroup(model: AtlassianModel, email: string, accountId: string, groupId: string): GroupResult {
  const fail = (statusReason: string): GroupResult => ({ group: groupId, status: 'ERROR', statusReason });
  const hook = injected(model, email, 'group', groupId);
  if (hook) return fail(hook);
  const group = model.groups.get(groupId);
  if (!group) return fail(`Group ${groupId} was not found in this organization`);
  if (group.directoryId !== model.localDirectoryId) return fail(SAME_DIRECTORY);
  group.members.add(accountId);
  return { group: groupId, status: 'INVITED', statusReason: null };
}

/** Invite one address: its account (new unless the address has one) joins the local directory. */
function inviteOne(model: AtlassianModel, invitation: Invitation, email: string): InviteResult {
  const account = model.accountByEmail(email) ?? model.addAccount({ email, name: email });
  const fresh = !model.directory(model.localDirectoryId).users.has(account.accountId);
  const user = model.join(model.localDirectoryId, account.accountId, 'invited');
  if (fresh && (model.inviteDelay.ms > 0 || model.inviteDelay.searches > 0)) {
    user.pending = { until: model.now() + model.inviteDelay.ms, searches: model.inviteDelay.searches };
  }
  if (invitation.sendNotification) model.emailsSent.set(email.toLowerCase(), model.emailsSentTo(email) + 1);
  const roleAssignmentResult = invitation.permissionRules.map((rule) => assignRole(model, email, user, rule));
  const groupAssignmentResult = invitation.additionalGroups.map((groupId) => assignGroup(model, email, account.accountId, groupId));
  return { id: account.accountId, email: account.email, results: [{ roleAssignmentResult, groupAssignmentResult }] };
}

export function invite(model: AtlassianModel, invitation: Invitation): InviteResult[] {
  model.invitations.push(invitation);
  return invitation.emails.map((email) => inviteOne(model, invitation, email));
}
