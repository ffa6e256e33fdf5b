/**
 * An organization held in memory, changed one plan operation at a time: the semantics every
 * operation kind has on an `OrgState`. The file org adapter applies plans with it; tests use it to
 * check that applying a plan converges.
 *
 * `applyOperation(state, op, refs)` is pure: it returns the new state and the outcome, and leaves
 * `state` as it was (records that did not change are shared). The outcome is `applied` when the
 * state changed and `skipped` (with the same state object) when it already looked as `op.after`
 * says, so applying an operation twice changes nothing the second time. Preconditions (`before`) are
 * the executor's job and are not checked here. Failures throw an `OrgsyncError`: `not-found` (the
 * subject or a member does not exist), `conflict` (the state contradicts the operation, e.g. an
 * address linked to another source user, or a hand-made group to delete), `input` (a malformed
 * operation).
 *
 * Semantics:
 * - createAccount: a managed, active account, `externalId` = sourceId, `source: sync`, fields from
 *   `after` (profile fields at the top, other keys in `attributes`); an unlinked account with the
 *   same address is linked instead.
 * - inviteUser: an unmanaged account, status `invited`, `source: sync`, added to the groups named in
 *   `after.groups`; an unlinked account with the address is linked instead. With an accountId:
 *   restore that account (`suspended` becomes `active`), link it and grant the groups.
 * - revokeAccess: removed from every group the sync owns, status `suspended`; never deleted.
 * - deactivateAccount / reactivateAccount: status `deactivated` / `active`.
 * - linkAccount: `externalId` set; updateAccount: the fields in `after` set (null removes one).
 * - createGroup / updateGroup (name, description, externalId: a relink) / deleteGroup (only a group
 *   the sync owns) / addMembers / removeMembers.
 * New ids derive from content (source id and address, or source group id and name): the same plan
 * applied to the same state gives the same ids.
 */
import type { OrgState } from '../../model/org.js';
import type { Operation, OperationKind } from '../../model/plan.js';
import type { ApplyOutcome, OrgRefs } from '../types.js';
import { OrgDraft } from './draft.js';
import { changeMembers, createGroup, deleteGroup, updateGroup } from './groups.js';
import { createAccount, inviteUser, linkAccount, revokeAccess, setStatus, updateAccount } from './users.js';

type Handler = (draft: OrgDraft, op: Operation, refs: OrgRefs) => ApplyOutcome;

const HANDLERS: Record<OperationKind, Handler> = {
  createGroup,
  updateGroup,
  linkAccount,
  createAccount,
  reactivateAccount: setStatus('active'),
  updateAccount,
  inviteUser,
  addMembers: changeMembers,
  removeMembers: changeMembers,
  revokeAccess,
  deactivateAccount: setStatus('deactivated'),
  deleteGroup,
};

export function applyOperation(state: OrgState, op: Operation, refs: OrgRefs): { state: OrgState; outcome: ApplyOutcome } {
  const draft = new OrgDraft(state);
  const outcome = HANDLERS[op.kind](draft, op, refs);
  return { state: draft.state(), outcome };
}
