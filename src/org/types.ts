/**
 * The contract of an org adapter: the target organization seen as data, and changed one operation
 * at a time.
 *
 * In: validated settings and a state store (at construction); plan operations. Out: `OrgState`
 * and one `ApplyOutcome` per operation.
 *
 * - `readState()` returns domains with their claim status, users (managed flag, status,
 *   `externalId`, ownership) and groups (members, ownership). Ownership that the target does not
 *   record itself (who invited whom) the adapter keeps in its `StateStore`.
 * - `capabilities` lists the operation kinds the target can perform; reconcile plans no other kind.
 * - `apply(op, refs)` performs one operation. It is called only after `readState()` on the same
 *   instance and after the executor has checked the operation's precondition. `refs` resolves
 *   source ids to org ids, including objects created earlier in the same apply. It resolves with
 *   `applied` (and the id of anything it created), or `skipped` when the target already looks like
 *   `op.after` (e.g. a create answered 409 and the existing object was linked); it throws an
 *   `OrgsyncError` with the server's message otherwise (retry class set).
 *
 * - `batches` (optional) names kinds the target does better several at a time (e.g. invitations,
 *   25 addresses a call) with the most operations one call may carry; for those the executor calls
 *   `applyBatch` with operations whose preconditions hold, and records one result per operation.
 *   `applyBatch` answers, in order, an `ApplyOutcome` or a `BatchFailure` per operation; it throws
 *   only for a failure of the whole target (401/403), as `apply` does.
 *
 * Deliberately out: planning, retry policy across operations, journaling (the executor's job).
 */
import type { z } from 'zod';
import type { OrgState } from '../model/org.js';
import type { Policy } from '../model/policy.js';
import type { Operation, OperationKind } from '../model/plan.js';
import type { StateStore } from '../store/types.js';

export interface OrgRefs {
  /** The org account linked to a source user id, if any is known now. */
  accountFor(sourceId: string): string | undefined;
  /** The org group mirroring a source group id, if any is known now. */
  groupFor(sourceGroupId: string): string | undefined;
}

export interface ApplyOutcome {
  result: 'applied' | 'skipped';
  message?: string;
  /** Id of the org account a create/invite/link produced or found. */
  accountId?: string;
  /** Id of the org group a createGroup produced or found. */
  groupId?: string;
}

/** One operation of a batch that failed: why, and the account it reached anyway, if any. */
export interface BatchFailure {
  result: 'failed';
  message: string;
  accountId?: string;
}

export interface OrgAdapter {
  readonly kind: string;
  readonly capabilities: ReadonlySet<OperationKind>;
  readonly batches?: Partial<Record<OperationKind, number>>;
  readState(): Promise<OrgState>;
  apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome>;
  applyBatch?(operations: Operation[], refs: OrgRefs): Promise<Array<ApplyOutcome | BatchFailure>>;
  /** Release connections; flush anything buffered. */
  close(): Promise<void>;
}

export interface OrgAdapterFactory<S = unknown> {
  readonly kind: string;
  readonly settings: z.ZodType<S>;
  /** A policy setting the target cannot honour, found when the config is loaded: the policy key and why. */
  checkPolicy?(policy: Policy): { key: string; message: string } | undefined;
  create(settings: S, context: { baseDir: string; state: StateStore }): OrgAdapter;
}
