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

/** A run of reads that found the source incomplete, up to now. */
export interface IncompleteStreak {
  runs: number;
  /** When the first of them finished reading. */
  since: string;
}

/**
 * Count an incomplete read once per job (a retried job does not count twice); a complete read
 * ends the streak. Fields of the profile hash: `incompleteRuns`, `incompleteSince`, `incompleteJob`.
 */
const NOTE_READ = `
if ARGV[1] == '1' then redis.call('HDEL', KEYS[1], 'incompleteRuns', 'incompleteSince', 'incompleteJob') return {0, ''} end
if redis.call('HGET', KEYS[1], 'incompleteJob') ~= ARGV[2] then
  redis.call('HINCRBY', KEYS[1], 'incompleteRuns', 1)
  redis.call('HSETNX', KEYS[1], 'incompleteSince', ARGV[3])
  redis.call('HSET', KEYS[1], 'incompleteJob', ARGV[2])
end
return {tonumber(redis.call('HGET', KEYS[1], 'incompleteRuns')), redis.call('HGET', KEYS[1], 'incompleteSince')}`;

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

  /** Note whether a run of `jobId` read the whole source; the streak of incomplete reads so far (0 runs after a complete one). */
  async noteRead(profile: string, complete: boolean, jobId: string, at: Date): Promise<IncompleteStreak> {
    const [runs, since] = (await this.redis.eval(NOTE_READ, 1, this.keys.profile(profile), complete ? '1' : '0', jobId, at.toISOString())) as [number, string];
    return { runs, since };
  }

  async setLastFullAt(profile: string, at: Date): Promise<void> {
    await this.redis.hset(this.keys.profile(profile), 'lastFullAt', at.toISOString());
  }
}
