/**
 * Convergence through the real apply executor (preconditions, refs, concurrency inside a kind)
 * over an in-memory org: every operation of a plan is applied or skipped, none is refused, and
 * planning again yields no operation (the group-name exception of invariant 4 aside).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.js';
import { MemoryJournal } from '../../src/apply/types.js';
import type { Snapshot } from '../../src/model/directory.js';
import type { OrgState } from '../../src/model/org.js';
import type { ReconcileResult } from '../../src/model/plan.js';
import type { Policy } from '../../src/model/policy.js';
import { assemblePlan } from '../../src/plan/assemble.js';
import { reconcile } from '../../src/reconcile/index.js';
import { MemoryOrgAdapter } from '../builders.js';
import { orgArb, policyArb, snapshotArb } from './arbitraries.js';

async function applyThroughExecutor(org: OrgState, result: ReconcileResult) {
  const adapter = new MemoryOrgAdapter(org);
  const plan = assemblePlan(result, { profile: 'property', createdAt: '2026-01-01T00:00:00.000Z', sources: [] });
  const report = await applyPlan(plan, adapter, { journal: new MemoryJournal(), concurrency: 4 });
  return { state: adapter.state, refused: report.results.filter((r) => r.result === 'conflict' || r.result === 'failed') };
}

describe('plans through the apply executor', () => {
  it('are applied without conflicts or failures and converge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ snapshot: snapshotArb, org: orgArb, policy: policyArb }), async (c: { snapshot: Snapshot; org: OrgState; policy: Policy }) => {
        const first = reconcile(c);
        const { state, refused } = await applyThroughExecutor(c.org, first);
        expect(refused).toEqual([]);
        const second = reconcile({ ...c, org: state });
        if (!first.warnings.some((w) => w.code === 'group-name-conflict')) expect(second.operations).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
