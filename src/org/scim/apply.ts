/**
 * Apply one plan operation to a plain SCIM service: route it to the account, group or invitation
 * handler. The handlers share the view `readState` filled, so later operations of one apply see
 * the accounts and groups earlier ones created.
 */
import { OrgsyncError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import { applyAccountOperation, type ScimAccounts } from './accounts.js';
import type { ScimGroups } from './groups.js';
import type { WebhookInvitations } from './invitations.js';

export interface ScimHandlers {
  accounts: ScimAccounts;
  groups: ScimGroups;
  /** Present only when an invitation webhook is configured. */
  invitations?: WebhookInvitations;
}

export async function applyScim(op: Operation, refs: OrgRefs, h: ScimHandlers): Promise<ApplyOutcome> {
  const account = applyAccountOperation(op, h.accounts);
  if (account) return account;
  switch (op.kind) {
    case 'createGroup':
      return h.groups.create(op);
    case 'updateGroup':
      return h.groups.update(op, refs);
    case 'deleteGroup':
      return h.groups.delete(op, refs);
    case 'addMembers':
    case 'removeMembers':
      return h.groups.members(op, refs);
    case 'inviteUser':
      return invitations(op, h).invite(op);
    case 'revokeAccess':
      return invitations(op, h).revoke(op, (id) => h.groups.leaveOwned(id));
    default:
      throw new OrgsyncError('unsupported', `${op.kind}: not an operation this adapter knows`);
  }
}

function invitations(op: Operation, h: ScimHandlers): WebhookInvitations {
  if (!h.invitations) throw new OrgsyncError('unsupported', `${op.kind}: plain SCIM has no invitations; configure inviteWebhook`);
  return h.invitations;
}
