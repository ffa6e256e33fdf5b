/**
 * The record of operators' actions: every approve, reject and resync made through the console,
 * with who (token name or login name), how they signed in, and when. Kept per profile in Redis
 * (newest first, the last 500). Decisions are also part of each plan's own history; a resync is
 * tied to the plan it led to through the run's job id.
 *
 * In: entries from the console's actions. Out: a profile's recent entries, or those of one job.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.js';

export type AuditAction = 'approve' | 'reject' | 'resync';

export interface AuditEntry {
  action: AuditAction;
  profile: string;
  by: string;
  via: 'token' | 'session' | 'open';
  at: string;
  planId?: string;
  comment?: string;
  overrideGuards?: boolean;
  /** Resync: the job that will make (or made) the plan; `coalesced` when it joined a waiting run. */
  jobId?: string;
  coalesced?: boolean;
  full?: boolean;
  apply?: boolean;
}

const KEEP = 500;

export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const key = this.keys.audit(entry.profile);
    await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, KEEP - 1).exec();
  }

  /** A profile's entries, newest first. */
  async recent(profile: string, limit = KEEP): Promise<AuditEntry[]> {
    const items = await this.redis.lrange(this.keys.audit(profile), 0, limit - 1);
    return items.map((json) => JSON.parse(json) as AuditEntry);
  }

  /** The resync requests that a job answered, oldest first. */
  async requestsOf(profile: string, jobIds: ReadonlySet<string>): Promise<AuditEntry[]> {
    if (jobIds.size === 0) return [];
    const all = await this.recent(profile);
    return all.filter((e) => e.action === 'resync' && e.jobId !== undefined && jobIds.has(e.jobId)).reverse();
  }
}
