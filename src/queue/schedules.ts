/**
 * One BullMQ job scheduler per profile that has a `schedule` (`every`, or a cron `pattern` with
 * an optional `tz`); schedulers of profiles no longer configured (or no longer scheduled) are
 * removed. Idempotent: every worker runs it at start, and the last one to start wins.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { Profile } from '../config/load.js';
import { durationMs } from '../config/schema.js';
import { SYNC_PRIORITY, profileOfScheduler, schedulerId, type JobData, type SyncJobData } from './jobs.js';

export interface SchedulerChanges {
  upserted: string[];
  removed: string[];
}

function repeatOf(profile: Profile): { every: number } | { pattern: string; tz?: string } | null {
  const schedule = profile.schedule;
  if (schedule?.every) return { every: durationMs(schedule.every) };
  if (schedule?.pattern) return { pattern: schedule.pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) };
  return null;
}

export async function syncSchedulers(queue: Queue<JobData>, profiles: readonly Profile[], options: JobsOptions): Promise<SchedulerChanges> {
  const wanted = new Map(profiles.flatMap((p) => {
    const repeat = repeatOf(p);
    return repeat ? [[p.name, repeat] as const] : [];
  }));
  const removed: string[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const profile = profileOfScheduler(scheduler.key);
    if (profile !== null && !wanted.has(profile)) {
      await queue.removeJobScheduler(scheduler.key);
      removed.push(profile);
    }
  }
  for (const [profile, repeat] of wanted) {
    const data: SyncJobData = { profile, trigger: 'schedule' };
    const { removeOnComplete, removeOnFail, attempts, backoff } = options;
    await queue.upsertJobScheduler(schedulerId(profile), repeat, {
      name: 'sync',
      data,
      opts: { removeOnComplete, removeOnFail, attempts, backoff, priority: SYNC_PRIORITY },
    });
  }
  return { upserted: [...wanted.keys()], removed };
}
