/**
 * Turn the pure core's result into a plan document: add the profile, the sources read, the
 * creation time and a plan id (a hash of all of it, so two plans made at different times differ).
 */
import { PLAN_SCHEMA, type Plan, type ReconcileResult, type SourceSummary } from '../model/plan.js';
import { hashOf } from './fingerprint.js';

export function assemblePlan(result: ReconcileResult, meta: { profile: string; createdAt: string; sources: SourceSummary[] }): Plan {
  const id = `p-${hashOf([meta.profile, meta.createdAt, result.fingerprints, result.operations.map((op) => op.id)]).slice(0, 20)}`;
  return {
    schema: PLAN_SCHEMA,
    id,
    createdAt: meta.createdAt,
    status: result.status,
    profile: meta.profile,
    fingerprints: result.fingerprints,
    sources: meta.sources,
    summary: result.summary,
    guards: result.guards,
    warnings: result.warnings,
    operations: result.operations,
  };
}
