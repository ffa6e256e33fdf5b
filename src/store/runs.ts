/**
 * Per-profile run records in Redis: the last runs of each profile (newest first, capped) and the
 * time of its last full source read. In: one `RunRecord` per finished or failed run. Out: the
 * last run and the recent history, for the `plans` command, the console and `fullEvery`.
 */
import type { Redis } from 'ioredis';
import { CappedList } from './capped-list.js';
import type { Keys } from './keys.js';

export type RunKind = 'sync' | 'apply';

/** Why a run happened. */
export type RunTrigger = 'schedule' | 'resync' | 'approval';

/**
 * - sync runs: `planned` (waits for review), `blocked` (guards failed), `approved` (applied
 *   without review: auto mode or `resync --apply`), `no-changes`;
 * - apply runs: `applied`, `partially-applied`, `failed`;
 * - either: `error` (the run itself failed; see `error` and `willRetry`).
 */
export type RunOutcome = 'planned' | 'blocked' | 'approved' | 'no-changes' | 'applied' | 'partially-applied' | 'failed' | 'error';

export interface RunRecord {
  profile: string;
  kind: RunKind;
  trigger: RunTrigger;
  jobId: string;
  /** The worker that ran it (`host:pid`). */
  worker: string;
  startedAt: string;
  finishedAt: string;
  outcome: RunOutcome;
  /** Whether the source was read in full (sync runs). */
  full?: boolean;
  planId?: string;
  /** Operations by kind (sync runs) or results by kind (apply runs). */
  counts?: Record<string, number>;
  error?: string;
  /** For `error`: whether the job will be tried again. */
  willRetry?: boolean;
}

const HISTORY = 100;

export class RunStore {
  private readonly list: CappedList<RunRecord>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {
    this.list = new CappedList(redis, HISTORY);
  }

  async record(run: RunRecord): Promise<void> {
    await this.list.push(this.keys.runs(run.profile), run);
  }

  async last(profile: string): Promise<RunRecord | null> {
    return (await this.list.newest(this.keys.runs(profile), 1))[0] ?? null;
  }

  /** Recent runs of a profile, newest first. */
  async history(profile: string, limit = HISTORY): Promise<RunRecord[]> {
    return this.list.newest(this.keys.runs(profile), limit);
  }

  async lastFullAt(profile: string): Promise<Date | null> {
    const value = await this.redis.hget(this.keys.profile(profile), 'lastFullAt');
    return value ? new Date(value) : null;
  }

  async setLastFullAt(profile: string, at: Date): Promise<void> {
    await this.redis.hset(this.keys.profile(profile), 'lastFullAt', at.toISOString());
  }
}
