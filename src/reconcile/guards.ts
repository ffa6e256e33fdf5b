/**
 * Guards (DESIGN §3): limits a plan is checked against before it may be applied. Every guard is
 * reported with its limit, the plan's figure and whether it passed; a plan that fails any guard is
 * `blocked`.
 *
 * - `maxDeprovisions`: deactivateAccount + revokeAccess operations.
 * - `maxDeprovisionPercent`: those operations as a percentage (two decimals) of the org users
 *   linked to the sync (with an `externalId`); any deprovision with no linked user counts as 100.
 * - `maxGroupDeletions`: deleteGroup operations.
 * - `emptySource` (always on, limit 0): a complete snapshot with no user in scope while the org has
 *   linked users; its figure is the number of linked users such a read would orphan.
 */
import type { GuardBasis, GuardResult, Operation, PlanStatus } from '../model/plan.js';
import type { Policy } from '../model/policy.js';

export interface GuardFacts {
  /** Org users with an externalId. */
  linkedCount: number;
  /** Source users in scope (active or not). */
  inScopeCount: number;
  complete: boolean;
}

export function evaluateGuards(operations: readonly Operation[], policy: Pick<Policy, 'guards'>, facts: GuardFacts): GuardResult[] {
  let deprovisions = 0;
  let deletions = 0;
  for (const op of operations) {
    if (op.kind === 'deactivateAccount' || op.kind === 'revokeAccess') deprovisions += 1;
    else if (op.kind === 'deleteGroup') deletions += 1;
  }
  const percent = facts.linkedCount > 0 ? Math.round((deprovisions * 10000) / facts.linkedCount) / 100 : deprovisions > 0 ? 100 : 0;
  const orphaned = facts.complete && facts.inScopeCount === 0 ? facts.linkedCount : 0;
  return [
    guard('maxDeprovisions', policy.guards.maxDeprovisions, deprovisions),
    guard('maxDeprovisionPercent', policy.guards.maxDeprovisionPercent, percent),
    guard('maxGroupDeletions', policy.guards.maxGroupDeletions, deletions),
    guard('emptySource', 0, orphaned),
  ];
}

/** The plan's status from its operations and guards. */
export function statusOf(operations: readonly Operation[], guards: readonly GuardResult[]): PlanStatus {
  return operations.length === 0 ? 'empty' : guards.every((g) => g.passed) ? 'ready' : 'blocked';
}

/** The figures the guards were computed from, kept in the plan so they can be computed again. */
export function guardBasis(policy: Pick<Policy, 'guards'>, facts: GuardFacts): GuardBasis {
  const { maxDeprovisions, maxDeprovisionPercent, maxGroupDeletions } = policy.guards;
  return { linkedUsers: facts.linkedCount, inScopeUsers: facts.inScopeCount, complete: facts.complete, limits: { maxDeprovisions, maxDeprovisionPercent, maxGroupDeletions } };
}

/** The guards computed again from a plan's own operations and basis. */
export function guardsFromBasis(operations: readonly Operation[], basis: GuardBasis): GuardResult[] {
  return evaluateGuards(operations, { guards: basis.limits }, { linkedCount: basis.linkedUsers, inScopeCount: basis.inScopeUsers, complete: basis.complete });
}

function guard(name: string, limit: number, actual: number): GuardResult {
  return { name, limit, actual, passed: actual <= limit };
}
