/**
 * A `sync` run of one profile, holding its lock: read source and org, store the plan, and, when
 * the profile is in `auto` mode (or an on-demand request asked for it), approve a `ready` plan and
 * queue its apply. `review` plans wait for an operator; `blocked` plans always wait.
 *
 * The run is deferred (handed back to the queue) while an approved plan of the profile is still
 * queued or being applied, so a plan is never made against an org about to change. An approved
 * plan whose apply job is missing is queued again; one whose apply job failed for good is marked
 * failed.
 */
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Profile } from '../config/load.js';
import { durationMs } from '../config/schema.js';
import { planRun } from '../run/pipeline.js';
import { APPLY_PENDING } from '../store/lifecycle.js';
import { queueApply } from './control.js';
import { applyJobId, type SyncJobData } from './jobs.js';
import { takeResyncFlags, type ResyncFlags } from './resync.js';
import { runContext, type RunOutput, type Runtime } from './runtime.js';

export type SyncResult = RunOutput | { deferred: string };

export async function runSync(rt: Runtime, profile: Profile, job: Job<SyncJobData>, log: Logger, signal: AbortSignal): Promise<SyncResult> {
  const waitingFor = await pendingApply(rt, profile, log);
  if (waitingFor) return { deferred: `apply of plan ${waitingFor} comes first` };
  const flags: ResyncFlags = job.data.trigger === 'resync' ? await takeResyncFlags(rt.redis, rt.keys, job) : { full: false, apply: false };
  const startedAt = rt.now();
  const full = flags.full || (await fullReadDue(rt, profile, startedAt));
  const planned = await planRun(profile, runContext(rt, profile, { full, log, signal }));
  await planned.org.close();
  if (full) await rt.runs.setLastFullAt(profile.name, startedAt);
  const { plan } = planned;
  // Planning can take a while on a large directory: store nothing if the profile's lock was lost meanwhile.
  signal.throwIfAborted();
  await rt.notify.sourceRead(plan, String(job.id));
  if (plan.operations.length === 0) {
    await rt.plans.supersede(profile.name, null);
    return { outcome: 'no-changes', full, counts: {} };
  }
  const meta = await rt.plans.save(plan);
  const base = { planId: plan.id, full, counts: { ...plan.summary } as Record<string, number> };
  const applyNow = profile.mode === 'auto' || flags.apply;
  if (meta.status !== 'planned' || !applyNow) {
    await rt.notify.planWaiting(plan);
    return { ...base, outcome: meta.status === 'blocked' ? 'blocked' : 'planned' };
  }
  signal.throwIfAborted();
  const by = profile.mode === 'auto' ? 'auto mode' : (flags.by ?? 'resync --apply');
  await rt.plans.approve(plan.id, { by, comment: profile.mode === 'auto' ? 'profile mode is auto' : 'requested with resync --apply' });
  await queueApply(rt, meta);
  return { ...base, outcome: 'approved' };
}

async function fullReadDue(rt: Runtime, profile: Profile, now: Date): Promise<boolean> {
  const every = profile.schedule?.fullEvery;
  if (!every) return false;
  const last = await rt.runs.lastFullAt(profile.name);
  return last === null || now.getTime() - last.getTime() >= durationMs(every);
}

/**
 * The id of an approved plan of `profile` whose apply is queued or running, if any. Repairs the
 * apply queue on the way: re-queues a missing apply job, fails a plan whose apply job failed.
 */
async function pendingApply(rt: Runtime, profile: Profile, log: Logger): Promise<string | null> {
  const pending = (await rt.plans.list({ profile: profile.name, limit: Number.MAX_SAFE_INTEGER })).filter((m) => APPLY_PENDING.has(m.status));
  for (const meta of pending) {
    const job = await rt.queue.getJob(applyJobId(meta.id));
    const state = job ? await job.getState() : 'missing';
    if (state === 'failed' || state === 'completed') {
      const reason = job?.failedReason ? `apply job failed: ${job.failedReason}` : `apply job ended (${state}) without recording a result`;
      await rt.plans.failApply(meta.id, reason);
      log.warn({ planId: meta.id, reason }, 'plan marked failed');
      continue;
    }
    if (state === 'missing' || state === 'unknown') {
      log.warn({ planId: meta.id }, 'apply job of an approved plan was missing; queued it again');
      await queueApply(rt, meta);
    }
    return meta.id;
  }
  return null;
}
