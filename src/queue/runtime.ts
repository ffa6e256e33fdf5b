/**
 * What a running worker's job handlers share: config, Redis, the queue, the stores, the profile
 * locks, the metrics and the logger. Built once by `startWorker`.
 */
import type { Logger } from 'pino';
import type { Profile } from '../config/load.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Notifier } from '../notify/notifier.js';
import { RedisStateStore } from '../store/redis-state.js';
import type { RunOutcome } from '../store/runs.js';
import type { RunContext } from '../run/pipeline.js';
import type { Control } from './control.js';
import type { ProfileLocks } from './lock.js';

/** The control facade's connection, queue and stores, plus what only a worker has. */
export interface Runtime extends Omit<Control, 'close'> {
  locks: ProfileLocks;
  metrics: Metrics;
  log: Logger;
  now: () => Date;
  /** `host:pid` of this worker, recorded with each run. */
  workerId: string;
  /** Queues notifications of plans that wait, applies with failures, failed runs. */
  notify: Notifier;
}

/** What one run reports for its run record and log line. */
export interface RunOutput {
  outcome: RunOutcome;
  planId?: string;
  counts?: Record<string, number>;
  full?: boolean;
}

/** The pipeline context of a profile: its Redis-backed source and org state. */
export function runContext(rt: Runtime, profile: Profile, options: { full: boolean; log: Logger; signal: AbortSignal }): RunContext {
  return {
    baseDir: rt.config.baseDir,
    sourceState: new RedisStateStore(rt.redis, rt.keys, profile.name, 'source'),
    orgState: new RedisStateStore(rt.redis, rt.keys, profile.name, 'org'),
    full: options.full,
    log: options.log,
    now: rt.now,
    signal: options.signal,
  };
}
