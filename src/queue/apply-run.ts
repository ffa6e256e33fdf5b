/**
 * An `apply` run, holding the profile's lock: apply one approved plan through the profile's org
 * adapter with the plan's Redis journal, bounded by the profile's `apply` block (concurrency,
 * operations per second). A plan found `applying` was interrupted (crash, shutdown): the run
 * resumes it, skipping journaled operations, and the executor's preconditions report whatever
 * the interrupted run already changed as `skipped`, so nothing is applied twice.
 */
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { applyPlan } from '../apply/executor.js';
import type { Profile } from '../config/load.js';
import { openOrg } from '../run/pipeline.js';
import { APPLY_PENDING } from '../store/lifecycle.js';
import type { ApplyJobData } from './jobs.js';
import { runContext, type RunOutput, type Runtime } from './runtime.js';

/** Null when there is nothing to apply (the plan is gone or already finished). */
export async function runApply(rt: Runtime, profile: Profile, job: Job<ApplyJobData>, log: Logger, signal: AbortSignal): Promise<RunOutput | null> {
  const { planId } = job.data;
  const current = await rt.plans.get(planId);
  if (!current || !APPLY_PENDING.has(current.status)) {
    log.warn({ planId, status: current?.status ?? 'missing' }, 'nothing to apply');
    return null;
  }
  if (current.status === 'applying') log.info({ planId }, 'resuming an interrupted apply');
  const { plan } = await rt.plans.beginApply(planId);
  const ctx = runContext(rt, profile, { full: false, log, signal });
  const org = await openOrg(profile, ctx);
  try {
    const report = await applyPlan(plan, org, {
      journal: rt.plans.journal(planId),
      concurrency: profile.apply.concurrency,
      operationsPerSecond: profile.apply.operationsPerSecond,
      log,
      signal,
      now: rt.now,
      onResult: (r) => rt.metrics.operations.inc({ profile: profile.name, kind: r.kind, result: r.result }),
    });
    await rt.plans.finishApply(planId, report);
    await rt.notify.applyFinished(plan, report);
    return { outcome: report.status, planId, counts: { ...report.counts } };
  } finally {
    await org.close();
  }
}
