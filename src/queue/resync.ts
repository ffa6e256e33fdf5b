/**
 * On-demand runs ("resync") and how requests coalesce.
 *
 * A request records its flags in the profile's pending hash (`full`: read the source in full;
 * `apply`: apply a ready plan without review, and who asked), then adds a `sync` job with the
 * BullMQ deduplication id `resync.<profile>`. While that job waits (or is delayed because another
 * run holds the profile's lock), further requests add nothing: their flags are OR-ed into the
 * pending hash. When the job's run begins (lock taken), it first drops the deduplication key and
 * then takes the pending flags: a request arriving after that point queues a new job, so no
 * request is ever folded into a run that started before it.
 *
 * Each request proposes its own job id, so the receipt says exactly which job the caller got and
 * whether it joined one (see `resyncJobId`), even under many concurrent requests.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.js';
import { SYNC_PRIORITY, resyncDedupId, type JobData, type SyncJobData } from './jobs.js';

export interface ResyncRequest {
  full?: boolean;
  apply?: boolean;
  /** Who asked (recorded as the approver when `apply` leads to an apply). */
  by?: string;
}

export interface ResyncReceipt {
  jobId: string;
  /** True when the request joined a run that was already waiting. */
  coalesced: boolean;
}

export interface ResyncFlags {
  full: boolean;
  apply: boolean;
  by?: string;
}

/** Queue an on-demand run of `profile`, or fold the request into the one already waiting. */
export async function enqueueResync(
  queue: Queue<JobData>,
  redis: Redis,
  keys: Keys,
  profile: string,
  request: ResyncRequest,
  options: JobsOptions,
): Promise<ResyncReceipt> {
  const fields: string[] = [];
  if (request.full) fields.push('full', '1');
  if (request.apply) fields.push('apply', request.by ?? 'resync');
  if (fields.length > 0) await redis.hset(keys.pending(profile), ...fields);
  const data: SyncJobData = { profile, trigger: 'resync', full: request.full === true, apply: request.apply === true, by: request.by };
  const candidate = resyncJobId(profile);
  const job = await queue.add('sync', data, { ...options, jobId: candidate, priority: SYNC_PRIORITY, deduplication: { id: resyncDedupId(profile) } });
  return { jobId: String(job.id), coalesced: job.id !== candidate };
}

/**
 * A fresh id for the job this request would create. BullMQ's add is one atomic script that either
 * creates the job under this id or answers the id of the job already waiting under the
 * deduplication id, so comparing the two tells exactly which happened, however many requests race.
 */
function resyncJobId(profile: string): string {
  return `resync-${profile}-${randomUUID()}`;
}

/**
 * Called when a resync run begins, holding the profile's lock: stop coalescing into this job,
 * then take every flag requested so far, OR-ed with the job's own.
 */
export async function takeResyncFlags(redis: Redis, keys: Keys, job: { data: SyncJobData; removeDeduplicationKey(): Promise<boolean> }): Promise<ResyncFlags> {
  await job.removeDeduplicationKey();
  const key = keys.pending(job.data.profile);
  const result = await redis.multi().hgetall(key).del(key).exec();
  const pending = (result?.[0]?.[1] ?? {}) as Record<string, string>;
  const by = pending.apply ?? (job.data.apply ? job.data.by : undefined);
  return { full: job.data.full === true || pending.full === '1', apply: job.data.apply === true || pending.apply !== undefined, ...(by ? { by } : {}) };
}
