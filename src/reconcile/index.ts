/**
 * The reconcile core: (snapshot, org state, policy, target capabilities) -> plan body.
 * Pure: no I/O, no clock, no randomness. Same inputs, byte-identical operations.
 */
import type { Snapshot } from '../model/directory.js';
import type { OrgState } from '../model/org.js';
import type { OperationKind, ReconcileResult } from '../model/plan.js';
import type { Policy } from '../model/policy.js';

export interface ReconcileInput {
  snapshot: Snapshot;
  org: OrgState;
  policy: Policy;
  /** Operation kinds the target can perform; others become `unsupported-operation` warnings. Default: all. */
  capabilities?: ReadonlySet<OperationKind>;
}

export function reconcile(_input: ReconcileInput): ReconcileResult {
  throw new Error('reconcile: under construction');
}
