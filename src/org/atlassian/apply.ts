/**
 * Apply one plan operation to an Atlassian organization: managed-account lifecycle over SCIM,
 * groups and memberships, invitations and revocations. `updateGroup` is not a capability (the org
 * API has no group update), so the reconcile core never plans it here.
 */
import { OrgsyncError } from '../../errors.js';
import type { Operation, OperationKind } from '../../model/plan.js';
import type { ScimAccounts } from '../scim/accounts.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import type { AtlassianExternals } from './externals.js';
import type { AtlassianGroups } from './groups.js';

export const ATLASSIAN_CAPABILITIES: ReadonlySet<OperationKind> = new Set<OperationKind>([
  'createGroup',
  'linkAccount',
  'createAccount',
  'reactivateAccount',
  'updateAccount',
  'inviteUser',
  'addMembers',
  'removeMembers',
  'revokeAccess',
  'deactivateAccount',
  'deleteGroup',
]);

export interface AtlassianHandlers {
  accounts: ScimAccounts;
  groups: AtlassianGroups;
  externals: AtlassianExternals;
}

export async function applyAtlassian(op: Operation, refs: OrgRefs, h: AtlassianHandlers): Promise<ApplyOutcome> {
  switch (op.kind) {
    case 'createAccount':
      return h.accounts.create(op);
    case 'linkAccount':
      return h.accounts.link(op);
    case 'updateAccount':
      return h.accounts.update(op);
    case 'reactivateAccount':
      return h.accounts.setActive(op, true);
    case 'deactivateAccount':
      return h.accounts.setActive(op, false);
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
  }
}
