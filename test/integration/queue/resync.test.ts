import type { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openQueue, type JobData, type SyncJobData } from '../../../src/queue/jobs.js';
import { enqueueResync, takeResyncFlags } from '../../../src/queue/resync.js';
import { Keys } from '../../../src/store/keys.js';
import { REDIS_URL, randomPrefix, removePrefix } from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
let prefix: string;
let keys: Keys;
let queue: Queue<JobData>;

beforeEach(() => {
  prefix = randomPrefix();
  keys = new Keys(prefix);
  queue = openQueue(redis, keys);
});
afterEach(async () => {
  await queue.close();
  await removePrefix(redis, prefix);
});
afterAll(() => redis.quit());

const resync = (profile: string, request: { full?: boolean; apply?: boolean; by?: string }) => enqueueResync(queue, redis, keys, profile, request, { attempts: 1 });

describe('resync requests', () => {
  it('coalesce into the waiting run, with --full and --apply OR-ed in', async () => {
    const first = await resync('acme', { by: 'alice' });
    const second = await resync('acme', { full: true, by: 'bob' });
    const third = await resync('acme', { apply: true, by: 'carol' });
    expect(first.coalesced).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, coalesced: true });
    expect(third).toEqual({ jobId: first.jobId, coalesced: true });
    expect(await queue.getJobCountByTypes('prioritized', 'waiting', 'delayed')).toBe(1);
    const job = (await queue.getJob(first.jobId)) as Job<SyncJobData>;
    expect(job.data).toMatchObject({ profile: 'acme', trigger: 'resync', full: false, apply: false });
    expect(await takeResyncFlags(redis, keys, job)).toEqual({ full: true, apply: true, by: 'carol' });
    expect(await redis.exists(keys.pending('acme'))).toBe(0);
  });

  it('queue a new run once the waiting one has begun', async () => {
    const first = await resync('acme', {});
    const job = (await queue.getJob(first.jobId)) as Job<SyncJobData>;
    expect(await takeResyncFlags(redis, keys, job)).toEqual({ full: false, apply: false });
    const later = await resync('acme', { full: true });
    expect(later.coalesced).toBe(false);
    expect(later.jobId).not.toBe(first.jobId);
    const next = (await queue.getJob(later.jobId)) as Job<SyncJobData>;
    expect(await takeResyncFlags(redis, keys, next)).toEqual({ full: true, apply: false });
  });

  it('keep profiles apart', async () => {
    const a = await resync('acme', { full: true });
    const b = await resync('beta', {});
    expect(b.coalesced).toBe(false);
    expect(b.jobId).not.toBe(a.jobId);
    const jobB = (await queue.getJob(b.jobId)) as Job<SyncJobData>;
    expect(await takeResyncFlags(redis, keys, jobB)).toEqual({ full: false, apply: false });
  });

  it('carry no settings in job data', async () => {
    const receipt = await resync('acme', { apply: true, by: 'alice' });
    const job = await queue.getJob(receipt.jobId);
    expect(Object.keys(job!.data).sort()).toEqual(['apply', 'by', 'full', 'profile', 'trigger']);
  });
});

describe('concurrent resync requests', () => {
  it('each caller learns exactly which job it got: one creates it, every other joins it', async () => {
    const clients = Array.from({ length: 8 }, () => new Redis(REDIS_URL, { maxRetriesPerRequest: null }));
    const queues = clients.map((client) => openQueue(client, keys));
    try {
      const receipts = await Promise.all(Array.from({ length: 40 }, (_, i) => enqueueResync(queues[i % queues.length]!, clients[i % clients.length]!, keys, 'acme', { by: `u${i}` }, { attempts: 1 })));
      const created = receipts.filter((r) => !r.coalesced);
      expect(created).toHaveLength(1);
      expect(new Set(receipts.map((r) => r.jobId))).toEqual(new Set([created[0]!.jobId]));
      const waiting = await queue.getJobs(['prioritized', 'waiting', 'delayed']);
      expect(waiting.map((job) => job.id)).toEqual([created[0]!.jobId]);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('while runs begin: a joined receipt names a job that had not begun, a created one a job of its own', async () => {
    const receipts: Array<{ jobId: string; coalesced: boolean }> = [];
    for (let round = 0; round < 5; round++) {
      const batch = Promise.all(Array.from({ length: 10 }, () => resync('acme', {})));
      const current = await queue.getDeduplicationJobId('resync.acme');
      if (current) {
        const job = (await queue.getJob(current)) as Job<SyncJobData> | undefined;
        if (job) await takeResyncFlags(redis, keys, job);
      }
      receipts.push(...(await batch));
    }
    const created = receipts.filter((r) => !r.coalesced).map((r) => r.jobId);
    expect(new Set(created).size).toBe(created.length);
    for (const receipt of receipts.filter((r) => r.coalesced)) expect(created).toContain(receipt.jobId);
    for (const id of created) expect(await queue.getJob(id)).toBeDefined();
  });
});
