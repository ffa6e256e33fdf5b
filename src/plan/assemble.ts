/**
 * Turn the pure core's result into a plan document: add the profile, the sources read, the
 * creation time, a plan id (a hash of all of it, so two plans made at different times differ) and
 * the whole-plan digest.
 */
import { PLAN_SCHEMA, type Plan, type ReconcileResult, type SourceSummary } from '../model/plan.js';
import { planDigest } from './digest.js';
import { hashOf } from './fingerprint.js';

export interface PlanMeta {
  profile: string;
  createdAt: string;
  sources: SourceSummary[];
}

/** The plan id: a hash of the profile, the time, the fingerprints and the operation ids. */
export function planId(meta: Pick<PlanMeta, 'profile' | 'createdAt'>, result: Pick<ReconcileResult, 'fingerprints' | 'operations'>): string {
  return `p-${hashOf([meta.profile, meta.createdAt, result.fingerprints, result.operations.map((op) => op.id)]).slice(0, 20)}`;
}

export function assemblePlan(result: ReconcileResult, meta: PlanMeta): Plan {
  const plan: Omit<Plan, 'digest'> = {
    schema: PLAN_SCHEMA,
    id: planId(meta, result),
    createdAt: meta.createdAt,
    status: result.status,
    profile: meta.profile,
    fingerprints: result.fingerprints,
    sources: meta.sources,
    summary: result.summary,
    guards: result.guards,
    basis: result.basis,
    warnings: result.warnings,
    operations: result.operations,
  };
  return { ...plan, digest: planDigest(plan) };
}
