/**
 * What an operator can do without running a worker: list and decide on plans, ask for a run, and
 * see each profile's last run and next scheduled run. Used by `orgsync plans`, `orgsync resync`
 * and the console; the worker uses `approveAndQueue` for auto mode too.
 *
 * In: the loaded config and the environment (for `REDIS_URL`). Out: a `Control` with the plan
 * store, the run store and the queue, closed with `close()`.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { findProfile } from '../config/load.js';
import { OrgsyncError } from '../errors.js';
import { Keys } from '../store/keys.js';
import { PlanStore } from '../store/plan-store.js';
import type { Decision, PlanMeta } from '../store/plan-records.js';
import { connectCommandRedis, redisSettings } from '../store/redis.js';
import { RunStore, type RunRecord } from '../store/runs.js';
import { applyJobId, jobOptions, openQueue, schedulerId, type JobData } from './jobs.js';
import { enqueueResync, type ResyncReceipt, type ResyncRequest } from './resync.js';

export interface Control {
  config: Config;
  redis: Redis;
  keys: Keys;
  queue: Queue<JobData>;
  plans: PlanStore;
  runs: RunStore;
  close(): Promise<void>;
}

export function planStoreFor(redis: Redis, keys: Keys, config: Pick<Config, 'worker'>): PlanStore {
  return new PlanStore(redis, keys, { retention: config.worker.planRetention, ttlMs: config.worker.planTtlDays * 86_400_000 });
}

/** Build a `Control` on an existing connection (the worker's, or one a console opened). */
export function controlOn(config: Config, redis: Redis, log?: Logger): Omit<Control, 'close'> {
  const keys = new Keys(config.redis.prefix);
  return { config, redis, keys, queue: openQueue(redis, keys, log), plans: planStoreFor(redis, keys, config), runs: new RunStore(redis, keys) };
}

/** Connect to Redis (one clear error if it is unreachable) and build a `Control`. */
export async function openControl(config: Config, env: NodeJS.ProcessEnv): Promise<Control> {
  const redis = await connectCommandRedis(redisSettings(config, env).url);
  const control = controlOn(config, redis);
  return {
    ...control,
    close: async () => {
      await control.queue.close();
      await redis.quit();
    },
  };
}

/** Approve a plan of a configured profile and queue its apply. */
export async function approveAndQueue(control: Pick<Control, 'config' | 'plans' | 'queue'>, id: string, decision: Omit<Decision, 'at'>): Promise<PlanMeta> {
  const current = await control.plans.get(id);
  if (current && !control.config.profiles.some((p) => p.name === current.profile)) {
    throw new OrgsyncError('plan-state', `plan ${id} belongs to profile "${current.profile}", which is not in ${control.config.path}; it cannot be applied`);
  }
  const meta = await control.plans.approve(id, decision);
  await queueApply(control, meta);
  return meta;
}

/** Queue the apply of an approved plan (once: the job id is derived from the plan id). */
export async function queueApply(control: Pick<Control, 'config' | 'queue'>, meta: Pick<PlanMeta, 'id' | 'profile'>): Promise<void> {
  await control.queue.add('apply', { profile: meta.profile, planId: meta.id }, { ...jobOptions(control.config), jobId: applyJobId(meta.id) });
}

export async function rejectPlan(control: Pick<Control, 'plans'>, id: string, decision: { by: string; comment?: string }): Promise<PlanMeta> {
  return control.plans.reject(id, decision);
}

/** Ask for an on-demand run of a configured profile (an unknown name is a config error listing the names). */
export async function requestResync(control: Omit<Control, 'close'>, profile: string, request: ResyncRequest): Promise<ResyncReceipt> {
  const found = findProfile(control.config, profile);
  return enqueueResync(control.queue, control.redis, control.keys, found.name, request, jobOptions(control.config));
}

export interface ProfileStatus {
  profile: string;
  mode: 'review' | 'auto';
  lastRun: RunRecord | null;
  /** When the scheduler will next start a run; null without a schedule. */
  nextRunAt: string | null;
}

export async function profileStatus(control: Pick<Control, 'config' | 'queue' | 'runs'>, profile: string): Promise<ProfileStatus> {
  const found = findProfile(control.config, profile);
  const scheduler = await control.queue.getJobScheduler(schedulerId(found.name));
  const next = scheduler?.next;
  return { profile: found.name, mode: found.mode, lastRun: await control.runs.last(found.name), nextRunAt: next ? new Date(next).toISOString() : null };
}
