/**
 * Apply plan operations to an Atlassian organization: managed-account lifecycle over SCIM, group
 * pairs and their memberships, invitations (in batches) and revocations.
 */
import { OrgsyncError } from '../../errors.js';
import { OPERATION_KINDS, type Operation, type OperationKind } from '../../model/plan.js';
import { applyAccountOperation, type ScimAccounts } from '../scim/accounts.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianExternals } from './externals.js';
import type { AtlassianGroups } from './groups.js';
import type { AtlassianMembers } from './members.js';

export const ATLASSIAN_CAPABILITIES: ReadonlySet<OperationKind> = new Set(OPERATION_KINDS);

export interface AtlassianHandlers {
  accounts: ScimAccounts;
  groups: AtlassianGroups;
  members: AtlassianMembers;
  externals: AtlassianExternals;
}

export async function applyAtlassian(op: Operation, refs: OrgRefs, h: AtlassianHandlers): Promise<ApplyOutcome> {
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
      return h.members.change(op, refs);
    case 'inviteUser':
      return h.externals.invite(op);
    case 'revokeAccess':
      return h.externals.revoke(op);
    default:
      throw new OrgsyncError('unsupported', `${op.kind}: not an operation this adapter knows`);
  }
}
