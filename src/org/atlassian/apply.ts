/**
 * Apply one plan operation to an Atlassian organization: managed-account lifecycle over SCIM,
 * groups and memberships, invitations and revocations. `updateGroup` is not a capability (the org
 * API has no group update), so the reconcile core never plans it here.
 */
import { OrgsyncError } from '../../errors.js';
import { OPERATION_KINDS, type Operation, type OperationKind } from '../../model/plan.js';
import { applyAccountOperation, type ScimAccounts } from '../scim/accounts.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianExternals } from './externals.js';
import type { AtlassianGroups } from './groups.js';

export const ATLASSIAN_CAPABILITIES: ReadonlySet<OperationKind> = new Set(OPERATION_KINDS.filter((kind) => kind !== 'updateGroup'));

export interface AtlassianHandlers {
  accounts: ScimAccounts;
  groups: AtlassianGroups;
  externals: AtlassianExternals;
}

export async function applyAtlassian(op: Operation, refs: OrgRefs, h: AtlassianHandlers): Promise<ApplyOutcome> {
  const account = applyAccountOperation(op, h.accounts);
  if (account) return account;
  switch (op.kind) {
    case 'createGroup':
      return h.groups.create(op);
    case 'deleteGroup':
      return h.groups.delete(op, refs);
    case 'addMembers':
    case 'removeMembers':
      return h.groups.members(op, refs);
    case 'inviteUser':
      return h.externals.invite(op);
    case 'revokeAccess':
      return h.externals.revoke(op);
    case 'updateGroup':
      throw new OrgsyncError('unsupported', 'updateGroup: the Atlassian organization API cannot rename or re-describe a group');
    default:
      throw new OrgsyncError('unsupported', `${op.kind}: not an operation this adapter knows`);
  }
}
