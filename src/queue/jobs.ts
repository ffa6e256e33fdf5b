/**
 * The one BullMQ queue of orgsync and its jobs. Job data holds profile names, flags and plan ids
 * only: never settings, secrets or plans (BullMQ stores job data in clear text).
 *
 * - `sync` jobs read both sides of a profile and store a plan. Scheduled ones come from a job
 *   scheduler per profile; on-demand ones from `resync`.
 * - `apply` jobs apply one approved plan (job id `apply.<planId>`, so a plan is queued once).
 *   Sync jobs carry a lower priority, so a queued apply runs before the next plan is made.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import { durationMs } from '../config/schema.js';
import type { Logger } from 'pino';
import type { Keys } from '../store/keys.js';
import { redisErrorListener } from '../store/redis.js';

export const QUEUE_NAME = 'runs';

export type RunTriggerData = 'schedule' | 'resync';

export interface SyncJobData {
  profile: string;
  trigger: RunTriggerData;
  /** Read the source in full (on-demand runs). */
  full?: boolean;
  /** Apply a ready plan without review (on-demand runs), on behalf of `by`. */
  apply?: boolean;
  by?: string;
}

export interface ApplyJobData {
  profile: string;
  planId: string;
}

export type JobData = SyncJobData | ApplyJobData;

export const SYNC_PRIORITY = 10;

export function schedulerId(profile: string): string {
  return `schedule.${profile}`;
}

export function profileOfScheduler(id: string): string | null {
  return id.startsWith('schedule.') ? id.slice('schedule.'.length) : null;
}

export function resyncDedupId(profile: string): string {
  return `resync.${profile}`;
}

export function applyJobId(planId: string): string {
  return `apply.${planId}`;
}

/** Attempts and backoff for failures a later try may fix; finished jobs are kept a while for inspection. */
export function jobOptions(config: Pick<Config, 'worker'>): JobsOptions {
  return {
    attempts: config.worker.attempts,
    backoff: { type: 'exponential', delay: durationMs(config.worker.retryBackoff), jitter: 0.2 },
    removeOnComplete: { age: 7 * 86_400, count: 1000 },
    removeOnFail: { age: 30 * 86_400, count: 1000 },
  };
}

/** The run queue on `redis`; its errors go to `log` (a lost connection: one line per outage). */
export function openQueue(redis: Redis, keys: Keys, log?: Logger): Queue<JobData> {
  const queue = new Queue<JobData>(QUEUE_NAME, { connection: redis, prefix: keys.root });
  queue.on('error', redisErrorListener(redis, log));
  return queue;
}
