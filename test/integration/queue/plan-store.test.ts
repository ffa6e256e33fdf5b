import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../../src/apply/types.js';
import { isOrgsyncError } from '../../../src/errors.js';
import { Keys } from '../../../src/store/keys.js';
import { canTransition, LIFECYCLE_STATUSES } from '../../../src/store/lifecycle.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { REDIS_URL, keysUnder, randomPrefix, removePrefix, samplePlan } from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
let prefix: string;
let clock: Date;
let store: PlanStore;

function at(minutes: number): string {
  return new Date(Date.UTC(2030, 0, 1, 12, minutes)).toISOString();
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isOrgsyncError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeEach(() => {
  prefix = randomPrefix();
  clock = new Date(at(0));
  store = new PlanStore(redis, new Keys(prefix), { retention: 3, ttlMs: 86_400_000, now: () => clock });
});
afterEach(async () => removePrefix(redis, prefix));
afterAll(() => redis.quit());

describe('plan store', () => {
  it('keeps a plan with its lifecycle status, and lists newest first with filters', async () => {
    const ready = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    const blocked = await store.save(samplePlan({ profile: 'beta', createdAt: at(2), blocked: true }));
    expect(ready.status).toBe('planned');
    expect(blocked.status).toBe('blocked');
    expect(blocked.failedGuards).toEqual(['maxDeprovisions: 60 > 50']);
    expect((await store.list()).map((m) => m.id)).toEqual([blocked.id, ready.id]);
    expect((await store.list({ profile: 'acme' })).map((m) => m.id)).toEqual([ready.id]);
    expect((await store.list({ status: 'blocked' })).map((m) => m.id)).toEqual([blocked.id]);
    expect(await store.list({ limit: 1 })).toHaveLength(1);
    const shown = await store.show(ready.id);
    expect(shown?.plan.operations).toHaveLength(2);
    expect(shown?.results).toEqual([]);
  });

  it('keeps every key under the hash-tagged prefix', async () => {
    const meta = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    await store.journal(meta.id).record({ id: 'x', kind: 'createAccount', result: 'applied', at: at(1) });
    const keys = await keysUnder(redis, prefix);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(key.startsWith(`{${prefix}}:`)).toBe(true);
  });

  it('records who approved and when; approving twice is refused', async () => {
    const meta = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    clock = new Date(at(5));
    const approved = await store.approve(meta.id, { by: 'alice', comment: 'looks right' });
    expect(approved.status).toBe('approved');
    expect(approved.approval).toEqual({ by: 'alice', at: at(5), comment: 'looks right', overrideGuards: false });
    expect(approved.history.map((h) => h.status)).toEqual(['planned', 'approved']);
    const again = await refusal(store.approve(meta.id, { by: 'bob' }));
    expect(again.code).toBe('plan-state');
    expect(again.message).toContain('already approved');
  });

  it('refuses to approve a blocked plan without a guard override, and records the override', async () => {
    const meta = await store.save(samplePlan({ profile: 'acme', createdAt: at(1), blocked: true }));
    const refused = await refusal(store.approve(meta.id, { by: 'alice' }));
    expect(refused.code).toBe('plan-guarded');
    expect(refused.message).toContain('maxDeprovisions: 60 > 50');
    expect((await store.get(meta.id))?.status).toBe('blocked');
    const approved = await store.approve(meta.id, { by: 'alice', overrideGuards: true, comment: 'expected clean-up' });
    expect(approved.approval?.overrideGuards).toBe(true);
  });

  it('supersedes older undecided plans of the same profile only, and refuses to approve them', async () => {
    const old = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    const other = await store.save(samplePlan({ profile: 'beta', createdAt: at(1) }));
    const newer = await store.save(samplePlan({ profile: 'acme', createdAt: at(2) }));
    const oldNow = await store.get(old.id);
    expect(oldNow?.status).toBe('superseded');
    expect(oldNow?.supersededBy).toBe(newer.id);
    expect((await store.get(other.id))?.status).toBe('planned');
    const refused = await refusal(store.approve(old.id, { by: 'alice' }));
    expect(refused.message).toMatch(/superseded by a newer plan/);
  });

  it('does not supersede an approved plan', async () => {
    const first = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    await store.approve(first.id, { by: 'alice' });
    await store.save(samplePlan({ profile: 'acme', createdAt: at(2) }));
    expect((await store.get(first.id))?.status).toBe('approved');
  });

  it('supersedes everything undecided when a run found nothing to change', async () => {
    const first = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    await store.supersede('acme', null);
    const meta = await store.get(first.id);
    expect(meta?.status).toBe('superseded');
    expect(meta?.history.at(-1)?.note).toBe('a newer run found nothing to change');
  });

  it('expires undecided plans after the TTL and refuses to approve them', async () => {
    const meta = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    clock = new Date(Date.parse(at(1)) + 86_400_000 + 1);
    const refused = await refusal(store.approve(meta.id, { by: 'alice' }));
    expect(refused.message).toMatch(/expired/);
    expect((await store.list({ status: 'expired' })).map((m) => m.id)).toEqual([meta.id]);
  });

  it('deletes the oldest plans beyond retention, but never one waiting to be applied', async () => {
    const first = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    await store.approve(first.id, { by: 'alice' });
    const ids = [first.id];
    for (let m = 2; m <= 5; m++) ids.push((await store.save(samplePlan({ profile: 'acme', createdAt: at(m) }))).id);
    expect((await store.list({ profile: 'acme' })).map((m) => m.id)).toEqual([ids[4], ids[3], first.id]);
    expect(await store.get(ids[1]!)).toBeNull();
    expect(await store.get(ids[2]!)).toBeNull();
  });

  it('goes approved -> applying -> applied with per-operation results from the journal', async () => {
    const plan = samplePlan({ profile: 'acme', createdAt: at(1), count: 3 });
    const meta = await store.save(plan);
    await store.approve(meta.id, { by: 'alice' });
    const { plan: stored } = await store.beginApply(meta.id);
    expect(stored.operations.map((o) => o.id)).toEqual(plan.operations.map((o) => o.id));
    const journal = store.journal(meta.id);
    await journal.record({ id: plan.operations[2]!.id, kind: 'createAccount', result: 'applied', at: at(2) });
    await journal.record({ id: plan.operations[0]!.id, kind: 'createAccount', result: 'skipped', at: at(2) });
    expect([...(await journal.completed()).keys()].sort()).toEqual([plan.operations[0]!.id, plan.operations[2]!.id].sort());
    const resumed = await store.beginApply(meta.id);
    expect(resumed.meta.history.at(-1)?.note).toBe('resumed');
    const report: ApplyReport = { status: 'applied', results: [], counts: { applied: 1, skipped: 1, conflict: 0, failed: 0 } };
    const done = await store.finishApply(meta.id, report);
    expect(done.status).toBe('applied');
    const shown = await store.show(meta.id);
    expect(shown?.results.map((r) => r.id)).toEqual([plan.operations[0]!.id, plan.operations[2]!.id]);
    expect(shown?.counts).toEqual(report.counts);
    expect((await refusal(store.reject(meta.id, { by: 'bob' }))).code).toBe('plan-state');
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const meta = await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    const outcomes = await Promise.allSettled([store.approve(meta.id, { by: 'alice' }), store.reject(meta.id, { by: 'bob' }), store.approve(meta.id, { by: 'carol' })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const final = await store.get(meta.id);
    expect(final?.history).toHaveLength(2);
  });

  it('counts plans by profile and status', async () => {
    await store.save(samplePlan({ profile: 'acme', createdAt: at(1) }));
    await store.save(samplePlan({ profile: 'acme', createdAt: at(2) }));
    await store.save(samplePlan({ profile: 'beta', createdAt: at(1), blocked: true }));
    const counts = await store.countByStatus();
    expect(Object.fromEntries(counts.get('acme')!)).toEqual({ planned: 1, superseded: 1 });
    expect(Object.fromEntries(counts.get('beta')!)).toEqual({ blocked: 1 });
  });

  it('names a missing plan', async () => {
    expect(await store.get('p-nope')).toBeNull();
    expect((await refusal(store.approve('p-nope', { by: 'alice' }))).message).toContain('no plan with id p-nope');
  });
});

describe('plan lifecycle', () => {
  it('allows only the documented transitions', () => {
    const allowed = LIFECYCLE_STATUSES.flatMap((from) => LIFECYCLE_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      [
        'planned->approved', 'planned->rejected', 'planned->superseded', 'planned->expired',
        'blocked->approved', 'blocked->rejected', 'blocked->superseded', 'blocked->expired',
        'approved->applying', 'approved->failed',
        'applying->applying', 'applying->applied', 'applying->partially-applied', 'applying->failed',
      ].sort(),
    );
  });
});
