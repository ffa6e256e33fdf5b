/**
 * The job processor: one run per job, never two runs of one profile at once.
 *
 * Each job first takes its profile's lock. A job that finds it taken is handed back (moved to
 * delayed, retried shortly; no attempt is used up), as is a job whose run must wait for an apply,
 * whose worker is shutting down, or whose lock was lost. A finished run writes one run record,
 * one log line (counts, never the plan or any setting) and its metrics, while it still holds the
 * lock, so run records of one profile never overlap. A failed run is recorded
 * with its reason; see `failures.ts` for what is retried.
 */
import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import type { Profile } from '../config/load.js';
import { messageOf } from '../errors.js';
import type { RunRecord, RunTrigger } from '../store/runs.js';
import { runApply } from './apply-run.js';
import { classifyFailure, jobError } from './failures.js';
import type { ApplyJobData, JobData, SyncJobData } from './jobs.js';
import type { RunOutput, Runtime } from './runtime.js';
import { runSync } from './sync-run.js';

type Attempt = { done: RunOutput | null } | { handBack: string; delayMs: number };

export function createProcessor(rt: Runtime, lockRetryMs: number): Processor<JobData> {
  return async (job, token, cancel) => {
    const log = rt.log.child({ profile: job.data.profile, run: job.name, jobId: job.id });
    const profile = rt.config.profiles.find((p) => p.name === job.data.profile);
    if (!profile) {
      const reason = `profile "${job.data.profile}" is not in the config`;
      if (job.name === 'apply') await rt.plans.failApply((job.data as ApplyJobData).planId, reason).catch(() => undefined);
      throw new UnrecoverableError(reason);
    }
    const lock = await rt.locks.acquire(profile.name);
    if (!lock) {
      log.debug({ reason: 'another run of the profile is in progress' }, 'run handed back to the queue');
      return handBack(job, token, jitter(lockRetryMs));
    }
    const signal = cancel ? AbortSignal.any([lock.signal, cancel]) : lock.signal;
    const startedAt = rt.now();
    let attempt: Attempt;
    try {
      attempt = await runOnce(rt, profile, job, log, signal, lockRetryMs);
      if ('done' in attempt && attempt.done) await finished(rt, job, startedAt, attempt.done, log);
    } catch (error) {
      throw await failed(rt, job, startedAt, error, log);
    } finally {
      await lock.release().catch((error: unknown) => log.warn({ reason: messageOf(error) }, 'could not release the profile lock; it lapses on its own'));
    }
    if ('handBack' in attempt) {
      log.info({ reason: attempt.handBack }, 'run handed back to the queue');
      return handBack(job, token, attempt.delayMs);
    }
    return attempt.done;
  };
}

async function runOnce(rt: Runtime, profile: Profile, job: Job<JobData>, log: Logger, signal: AbortSignal, lockRetryMs: number): Promise<Attempt> {
  try {
    if (job.name === 'apply') return { done: await runApply(rt, profile, job as Job<ApplyJobData>, log, signal) };
    const result = await runSync(rt, profile, job as Job<SyncJobData>, log, signal);
    return 'deferred' in result ? { handBack: result.deferred, delayMs: jitter(lockRetryMs) } : { done: result };
  } catch (error) {
    if (!signal.aborted) throw error;
    return { handBack: messageOf(signal.reason), delayMs: 0 };
  }
}

function jitter(ms: number): number {
  return Math.round(ms * (1 + Math.random() * 0.5));
}

async function handBack(job: Job<JobData>, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

function triggerOf(job: Job<JobData>): RunTrigger {
  return job.name === 'apply' ? 'approval' : (job.data as SyncJobData).trigger;
}

function baseRecord(rt: Runtime, job: Job<JobData>, startedAt: Date, finishedAt: Date): Omit<RunRecord, 'outcome'> {
  const kind = job.name === 'apply' ? 'apply' : 'sync';
  const times = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() };
  return { profile: job.data.profile, kind, trigger: triggerOf(job), jobId: String(job.id), worker: rt.workerId, ...times };
}

async function finished(rt: Runtime, job: Job<JobData>, startedAt: Date, output: RunOutput, log: Logger): Promise<void> {
  const finishedAt = rt.now();
  const record: RunRecord = { ...baseRecord(rt, job, startedAt, finishedAt), ...output };
  await rt.runs.record(record);
  observe(rt, record, startedAt, finishedAt);
  const { profile: _p, jobId: _j, ...line } = record;
  log.info({ ...line, durationMs: finishedAt.getTime() - startedAt.getTime() }, `${record.kind} run: ${record.outcome}`);
}

async function failed(rt: Runtime, job: Job<JobData>, startedAt: Date, error: unknown, log: Logger): Promise<Error> {
  const failure = classifyFailure(error);
  const finalAttempt = failure.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const finishedAt = rt.now();
  const planId = job.name === 'apply' ? (job.data as ApplyJobData).planId : undefined;
  if (planId && finalAttempt) await rt.plans.failApply(planId, failure.reason).catch(() => undefined);
  const record: RunRecord = { ...baseRecord(rt, job, startedAt, finishedAt), outcome: 'error', error: failure.reason, willRetry: !finalAttempt, ...(planId ? { planId } : {}) };
  await rt.runs.record(record).catch(() => undefined);
  if (finalAttempt) await rt.notify.runFailed({ profile: record.profile, run: record.kind, jobId: record.jobId, reason: failure.reason, attempts: job.attemptsMade + 1, ...(planId ? { planId } : {}) });
  observe(rt, record, startedAt, finishedAt);
  const { profile: _p, jobId: _j, ...line } = record;
  log.error({ ...line, durationMs: finishedAt.getTime() - startedAt.getTime() }, `${record.kind} run failed${finalAttempt ? '' : '; will retry'}: ${failure.reason}`);
  return jobError(error, failure);
}

function observe(rt: Runtime, record: RunRecord, startedAt: Date, finishedAt: Date): void {
  rt.metrics.runs.inc({ profile: record.profile, kind: record.kind, outcome: record.outcome });
  rt.metrics.runDuration.observe({ profile: record.profile, kind: record.kind }, (finishedAt.getTime() - startedAt.getTime()) / 1000);
}
