/**
 * The record of operators' actions: every approve, reject and resync made through the console,
 * with who (token name or login name), how they signed in, and when. Kept per profile in Redis
 * (newest first, the last 500). Decisions are also part of each plan's own history; a resync is
 * tied to the plan it led to through the run's job id.
 *
 * In: entries from the console's actions. Out: a profile's recent entries, or those of one job.
 */
import type { Redis } from 'ioredis';
import { CappedList } from '../store/capped-list.js';
import type { Keys } from '../store/keys.js';

export type AuditAction = 'approve' | 'reject' | 'resync' | 'provision';

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
  /** Provision: the source id of the person whose operations were applied. */
  sourceId?: string;
}

const KEEP = 500;

export class AuditLog {
  private readonly list: CappedList<AuditEntry>;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.list = new CappedList(redis, KEEP);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.list.push(this.keys.audit(entry.profile), entry);
  }

  /** A profile's entries, newest first. */
  async recent(profile: string, limit = KEEP): Promise<AuditEntry[]> {
    return this.list.newest(this.keys.audit(profile), limit);
  }

  /** The resync requests that a job answered, oldest first. */
  async requestsOf(profile: string, jobIds: ReadonlySet<string>): Promise<AuditEntry[]> {
    if (jobIds.size === 0) return [];
    const all = await this.recent(profile);
    return all.filter((e) => e.action === 'resync' && e.jobId !== undefined && jobIds.has(e.jobId)).reverse();
  }
}
