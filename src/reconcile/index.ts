/**
 * The reconcile core: (snapshot, org state, policy, target capabilities) -> plan body.
 * Pure: no I/O, no clock, no randomness. Same inputs, byte-identical result.
 *
 * The steps, each in its own module: index both sides (`context`), report on the inputs
 * (`report`), correlate source users with org accounts (`correlate`), hold look-alike addresses
 * (`confusables`), plan user operations
 * (`users`), group operations (`groups`) and unmatched managed accounts (`unmatched`), drop what the
 * target cannot do (`capabilities`), order (`order`), then check the guards (`guards`).
 * Email normalization, which connectors and adapters share, lives in `email`.
 */
import type { Snapshot } from '../model/directory.js';
import type { OrgState } from '../model/org.js';
import { OPERATION_KINDS, type Operation, type OperationKind, type ReconcileResult } from '../model/plan.js';
import type { Policy } from '../model/policy.js';
import { dropUnsupported } from './capabilities.js';
import { holdConfusables } from './confusables.js';
import { buildContext } from './context.js';
import { correlate } from './correlate.js';
import { orgFingerprint, policyFingerprint } from './fingerprints.js';
import { planGroups } from './groups.js';
import { evaluateGuards, guardBasis, statusOf } from './guards.js';
import { sortOperations, sortWarnings } from './order.js';
import { reportInputs } from './report.js';
import { planUnmatched } from './unmatched.js';
import { planUsers } from './users.js';
import { WarningSink } from './warnings.js';

export interface ReconcileInput {
  snapshot: Snapshot;
  org: OrgState;
  policy: Policy;
  /** Operation kinds the target can perform; others become `unsupported-operation` warnings. Default: all. */
  capabilities?: ReadonlySet<OperationKind>;
}

/**
 * Told the name of each phase as it ends (`index`, `report`, `correlate`, `users`, `groups`,
 * `unmatched`, `order`, `guards`, `fingerprints`), so a caller can time the phases; the core itself
 * reads no clock.
 */
export type PhaseObserver = (phase: string) => void;

export function reconcile(input: ReconcileInput, observe: PhaseObserver = () => {}): ReconcileResult {
  const ctx = buildContext(input);
  observe('index');
  const sink = new WarningSink();
  reportInputs(ctx, input.snapshot, sink);
  observe('report');
  const corr = correlate(ctx, sink);
  observe('correlate');
  holdConfusables(ctx, corr, sink);
  const users = planUsers(ctx, corr, sink);
  observe('users');
  const groups = planGroups(ctx, corr, users, sink);
  observe('groups');
  const unmatched = planUnmatched(ctx, corr, users.adopted, sink);
  observe('unmatched');
  sink.flushWithheld();
  const operations = sortOperations(dropUnsupported([...users.operations, ...groups, ...unmatched], ctx.capable, sink));
  observe('order');
  let inScopeCount = 0;
  for (const entry of ctx.sourceList) if (entry.inScope) inScopeCount += 1;
  const facts = { linkedCount: ctx.linkedCount, inScopeCount, complete: ctx.complete };
  const guards = evaluateGuards(operations, input.policy, facts);
  observe('guards');
  const fingerprints = { org: orgFingerprint(input.org), policy: policyFingerprint(input.policy) };
  observe('fingerprints');
  return {
    status: statusOf(operations, guards),
    fingerprints,
    summary: summarize(operations),
    guards,
    basis: guardBasis(input.policy, facts),
    warnings: sortWarnings(sink.warnings),
    operations,
  };
}

/** Operation counts per kind, in plan order. */
export function summarize(operations: readonly Operation[]): Partial<Record<OperationKind, number>> {
  const counts = new Map<OperationKind, number>();
  for (const op of operations) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
  const summary: Partial<Record<OperationKind, number>> = {};
  for (const kind of OPERATION_KINDS) if (counts.has(kind)) summary[kind] = counts.get(kind);
  return summary;
}

export { normalizeEmail, normalizeDomain, EmailNormalizer, domainClaims, isClaimed } from './email.js';
