/**
 * Plans kept in Redis with their lifecycle (see `lifecycle.ts`), decisions, per-operation results
 * and retention. Shared by the worker, the `plans` command and the console.
 *
 * In: plans from a run; decisions from operators. Out: plan records (`PlanMeta`), whole plans
 * with results (`StoredPlan`), and each plan's apply journal.
 *
 * - Saving a plan supersedes older plans of its profile that still await a decision, and deletes
 *   the oldest plans beyond `retention` (never one that is approved or being applied).
 * - A plan undecided for longer than `ttlMs` expires; expiry is applied on every list, get and
 *   decision, so a stale plan can never be approved.
 * - Every change is a compare-and-set on the record's version, so two operators (or an operator
 *   and a run) deciding at once cannot both win.
 */
import type { Redis } from 'ioredis';
import type { ApplyReport, OperationResult } from '../apply/types.js';
import { OrgsyncError } from '../errors.js';
import type { Plan } from '../model/plan.js';
import type { Keys } from './keys.js';
import { APPLY_PENDING, AWAITING_DECISION, type LifecycleStatus } from './lifecycle.js';
import { isStale, moved, newMeta, type Decision, type PlanMeta } from './plan-records.js';
import { RedisJournal } from './redis-journal.js';

export interface StoredPlan extends PlanMeta {
  plan: Plan;
  /** Results of the operations applied so far, in plan order. */
  results: OperationResult[];
}

export interface PlanStoreOptions {
  /** Plans kept per profile. */
  retention: number;
  /** Age after which an undecided plan expires. */
  ttlMs: number;
  now?: () => Date;
}

export interface ListQuery {
  profile?: string;
  status?: LifecycleStatus;
  /** At most this many, newest first (default 50). */
  limit?: number;
}

const COMPARE_AND_SET = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'meta', ARGV[2], 'version', ARGV[3])
return 1`;

function notFound(id: string): OrgsyncError {
  return new OrgsyncError('not-found', `no plan with id ${id} (it may have been removed by retention)`);
}

export class PlanStore {
  private readonly now: () => Date;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly options: PlanStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Keep a new plan (`planned`, or `blocked` when guards failed); supersede and prune older ones. */
  async save(plan: Plan): Promise<PlanMeta> {
    const meta = newMeta(plan, this.stamp());
    await this.redis
      .multi()
      .hset(this.keys.plan(plan.id), 'meta', JSON.stringify(meta), 'version', '1', 'plan', JSON.stringify(plan))
      .zadd(this.keys.profilePlans(plan.profile), Date.parse(plan.createdAt), plan.id)
      .sadd(this.keys.planProfiles(), plan.profile)
      .exec();
    await this.supersede(plan.profile, meta);
    await this.prune(plan.profile);
    return meta;
  }

  async get(id: string): Promise<PlanMeta | null> {
    const meta = await this.readMeta(id);
    return meta && isStale(meta, this.now(), this.options.ttlMs) ? this.expire(meta) : meta;
  }

  /** The record, the plan document and the results so far. */
  async show(id: string): Promise<StoredPlan | null> {
    const meta = await this.get(id);
    if (!meta) return null;
    const json = await this.redis.hget(this.keys.plan(id), 'plan');
    if (!json) return null;
    const plan = JSON.parse(json) as Plan;
    return { ...meta, plan, results: await this.results(plan) };
  }

  async list(query: ListQuery = {}): Promise<PlanMeta[]> {
    const profiles = query.profile ? [query.profile] : await this.profiles();
    const all: PlanMeta[] = [];
    for (const profile of profiles) all.push(...(await this.profileMetas(profile)));
    return all
      .filter((m) => !query.status || m.status === query.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, query.limit ?? 50);
  }

  /** Approve a plan; a blocked plan needs `overrideGuards`. Superseded or expired plans are refused. */
  async approve(id: string, decision: Omit<Decision, 'at'>): Promise<PlanMeta> {
    await this.get(id);
    return this.update(id, (meta, at) => {
      if (meta.status === 'blocked' && !decision.overrideGuards) {
        throw new OrgsyncError('plan-guarded', `plan ${id} is blocked by its guards (${meta.failedGuards.join('; ')}); approving it needs an explicit guard override`);
      }
      const approval: Decision = { ...decision, at, overrideGuards: decision.overrideGuards === true };
      return moved(meta, 'approved', at, { approval }, { by: decision.by, note: decision.comment });
    });
  }

  async reject(id: string, decision: Omit<Decision, 'at' | 'overrideGuards'>): Promise<PlanMeta> {
    await this.get(id);
    return this.update(id, (meta, at) => moved(meta, 'rejected', at, { rejection: { ...decision, at } }, { by: decision.by, note: decision.comment }));
  }

  /** Mark an approved plan as being applied (or note a resumed apply); returns the plan document. */
  async beginApply(id: string): Promise<{ meta: PlanMeta; plan: Plan }> {
    const meta = await this.update(id, (m, at) => moved(m, 'applying', at, {}, m.status === 'applying' ? { note: 'resumed' } : {}));
    const json = await this.redis.hget(this.keys.plan(id), 'plan');
    if (!json) throw notFound(id);
    return { meta, plan: JSON.parse(json) as Plan };
  }

  async finishApply(id: string, report: ApplyReport): Promise<PlanMeta> {
    return this.update(id, (m, at) => moved(m, report.status, at, { counts: report.counts }));
  }

  async failApply(id: string, reason: string): Promise<PlanMeta> {
    return this.update(id, (m, at) => moved(m, 'failed', at, { error: reason }, { note: reason }));
  }

  journal(id: string): RedisJournal {
    return new RedisJournal(this.redis, this.keys.planResults(id));
  }

  /** Plans by profile and status, for gauges and dashboards. */
  async countByStatus(): Promise<Map<string, Map<LifecycleStatus, number>>> {
    const counts = new Map<string, Map<LifecycleStatus, number>>();
    for (const profile of await this.profiles()) {
      const byStatus = new Map<LifecycleStatus, number>();
      for (const meta of await this.profileMetas(profile)) byStatus.set(meta.status, (byStatus.get(meta.status) ?? 0) + 1);
      counts.set(profile, byStatus);
    }
    return counts;
  }

  /**
   * Supersede the undecided plans of `profile` older than `newer`; all of them when `newer` is
   * null (a run found nothing left to do).
   */
  async supersede(profile: string, newer: Pick<PlanMeta, 'id' | 'createdAt'> | null): Promise<void> {
    const note = newer ? `superseded by ${newer.id}` : 'a newer run found nothing to change';
    for (const meta of await this.profileMetas(profile)) {
      if (!AWAITING_DECISION.has(meta.status) || (newer && (meta.id === newer.id || meta.createdAt > newer.createdAt))) continue;
      await this.update(meta.id, (m, at) => (AWAITING_DECISION.has(m.status) ? moved(m, 'superseded', at, { supersededBy: newer?.id ?? null }, { note }) : m));
    }
  }

  private async profiles(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.planProfiles())).sort();
  }

  /** Every plan record of a profile, newest first, with expiry applied. */
  private async profileMetas(profile: string): Promise<PlanMeta[]> {
    const ids = await this.redis.zrevrange(this.keys.profilePlans(profile), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.plan(id), 'meta');
    const metas: PlanMeta[] = [];
    for (const [, json] of (await pipeline.exec()) ?? []) {
      if (typeof json !== 'string') continue;
      const meta = JSON.parse(json) as PlanMeta;
      metas.push(isStale(meta, this.now(), this.options.ttlMs) ? await this.expire(meta) : meta);
    }
    return metas;
  }

  private async expire(meta: PlanMeta): Promise<PlanMeta> {
    const ttlDays = this.options.ttlMs / 86_400_000;
    return this.update(meta.id, (m, at) => (isStale(m, this.now(), this.options.ttlMs) ? moved(m, 'expired', at, {}, { note: `undecided for more than ${ttlDays} days` }) : m));
  }

  private async prune(profile: string): Promise<void> {
    const key = this.keys.profilePlans(profile);
    let excess = (await this.redis.zcard(key)) - this.options.retention;
    if (excess <= 0) return;
    for (const id of await this.redis.zrange(key, 0, -1)) {
      if (excess <= 0) return;
      const meta = await this.readMeta(id);
      if (meta && APPLY_PENDING.has(meta.status)) continue;
      await this.redis.multi().del(this.keys.plan(id), this.keys.planResults(id)).zrem(key, id).exec();
      excess -= 1;
    }
  }

  private async results(plan: Plan): Promise<OperationResult[]> {
    const done = await this.journal(plan.id).completed();
    return plan.operations.map((op) => done.get(op.id)).filter((r): r is OperationResult => r !== undefined);
  }

  private async readMeta(id: string): Promise<PlanMeta | null> {
    const json = await this.redis.hget(this.keys.plan(id), 'meta');
    return json ? (JSON.parse(json) as PlanMeta) : null;
  }

  /** Read, change and compare-and-set a record, retrying when someone else changed it meanwhile. */
  private async update(id: string, change: (meta: PlanMeta, at: string) => PlanMeta): Promise<PlanMeta> {
    const key = this.keys.plan(id);
    for (let attempt = 0; attempt < 20; attempt++) {
      const [json, version] = await this.redis.hmget(key, 'meta', 'version');
      if (!json || !version) throw notFound(id);
      const before = JSON.parse(json) as PlanMeta;
      const after = change(before, this.stamp());
      if (after === before) return before;
      const ok = await this.redis.eval(COMPARE_AND_SET, 1, key, version, JSON.stringify(after), String(Number(version) + 1));
      if (ok === 1) return after;
    }
    throw new OrgsyncError('plan-busy', `plan ${id} kept changing while being updated; try again`, { retry: 'transient' });
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
