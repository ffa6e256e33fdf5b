/**
 * The lifecycle of a stored plan, as one state machine: every status change of a plan goes
 * through `checkTransition`, which names the plan and both statuses when a change is not allowed.
 *
 *   planned ──approve──▶ approved ──▶ applying ──▶ applied | partially-applied | failed
 *   blocked ──approve (override guards)──┘    ▲ └─(resume after a crash or hand-back)─┘
 *   planned | blocked ──▶ rejected | superseded | expired
 *   approved ──▶ failed (its apply could not start)
 */
import { OrgsyncError } from '../errors.js';

export const LIFECYCLE_STATUSES = [
  'planned',
  'blocked',
  'approved',
  'rejected',
  'applying',
  'applied',
  'partially-applied',
  'failed',
  'superseded',
  'expired',
] as const;

export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

const TRANSITIONS: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  planned: ['approved', 'rejected', 'superseded', 'expired'],
  blocked: ['approved', 'rejected', 'superseded', 'expired'],
  approved: ['applying', 'failed'],
  applying: ['applying', 'applied', 'partially-applied', 'failed'],
  rejected: [],
  applied: [],
  'partially-applied': [],
  failed: [],
  superseded: [],
  expired: [],
};

/** Statuses of a plan that is still waiting for a decision. */
export const AWAITING_DECISION: ReadonlySet<LifecycleStatus> = new Set(['planned', 'blocked']);

/** Statuses of a plan that will be (or is being) applied. */
export const APPLY_PENDING: ReadonlySet<LifecycleStatus> = new Set(['approved', 'applying']);

export function isLifecycleStatus(value: string): value is LifecycleStatus {
  return (LIFECYCLE_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: LifecycleStatus, to: LifecycleStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const REFUSALS: Partial<Record<LifecycleStatus, string>> = {
  superseded: 'it was superseded by a newer plan of the same profile; approve that one instead',
  expired: 'it expired before anyone decided on it; run a resync for a fresh plan',
  rejected: 'it was rejected',
  approved: 'it is already approved',
  applying: 'it is being applied',
  applied: 'it was already applied',
  'partially-applied': 'it was already applied (partially)',
  failed: 'its apply failed; run a resync for a fresh plan',
};

/** Throw a `plan-state` error unless `from -> to` is allowed; the message says why not. */
export function checkTransition(planId: string, from: LifecycleStatus, to: LifecycleStatus): void {
  if (canTransition(from, to)) return;
  const why = REFUSALS[from] ?? `a ${from} plan cannot become ${to}`;
  throw new OrgsyncError('plan-state', `plan ${planId} cannot become ${to}: ${why}`);
}
