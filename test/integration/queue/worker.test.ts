/**
 * The worker in this process against real Redis, with the file source and the file org:
 * schedules, resyncs, review and auto mode, guards, supersession, failures and metrics.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sourceFactories } from '../../../connectors/registry.js';
import { eagerKind, type KindEntry } from '../../../src/util/kinds.js';
import { fileSourceFactory } from '../../../connectors/file/index.js';
import type { SourceConnectorFactory } from '../../../connectors/types.js';
import { loadConfig, type Config } from '../../../src/config/load.js';
import { OrgsyncError } from '../../../src/errors.js';
import { approveAndQueue, openControl, profileStatus, requestResync, type Control } from '../../../src/queue/control.js';
import { startWorker, type RunningWorker } from '../../../src/queue/worker.js';
import type { PlanMeta } from '../../../src/store/plan-records.js';
import {
  REDIS_URL,
  freePort,
  memoryLogger,
  people,
  randomPrefix,
  readOrg,
  removePrefix,
  tempDir,
  waitFor,
  writeConfig,
  writeDirectory,
  writeOrg,
  type ProfileSpec,
} from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(() => redis.quit());

interface Setup {
  dir: string;
  prefix: string;
  config: Config;
  control: Control;
  directory: string;
  org: string;
  start: (overrides?: { config?: Config }) => Promise<{ worker: RunningWorker; lines: () => Record<string, unknown>[] }>;
}

async function setup(options: { profile?: Partial<ProfileSpec>; worker?: Record<string, unknown>; users?: number; linked?: number } = {}): Promise<Setup> {
  const { dir, remove } = await tempDir();
  const prefix = randomPrefix();
  cleanups.push(remove, () => removePrefix(redis, prefix));
  const directory = join(dir, 'directory.json');
  const org = join(dir, 'org.json');
  await writeDirectory(directory, people(options.users ?? 3));
  await writeOrg(org, people(options.linked ?? 0));
  const path = await writeConfig(dir, { prefix, profiles: [{ name: 'acme', directory, org, ...options.profile }], worker: options.worker });
  const config = await loadConfig(path, {});
  const control = await openControl(config, {});
  cleanups.push(() => control.close());
  const start = async (overrides: { config?: Config } = {}) => {
    const { log, lines } = memoryLogger();
    const worker = await startWorker(overrides.config ?? config, { env: {}, log });
    cleanups.push(() => worker.close());
    return { worker, lines };
  };
  return { dir, prefix, config, control, directory, org, start };
}

async function planOf(control: Control, status: PlanMeta['status']): Promise<PlanMeta> {
  return waitFor(`a ${status} plan`, async () => (await control.plans.list({ profile: 'acme', status }))[0]).catch(async (error: Error) => {
    throw new Error(`${error.message}; last runs: ${JSON.stringify(await control.runs.history('acme', 3))}`);
  });
}

describe('worker', () => {
  it('review mode: a plan waits for approval, then the worker applies it', async () => {
    const s = await setup();
    await s.start();
    await requestResync(s.control, 'acme', { by: 'alice' });
    const planned = await planOf(s.control, 'planned');
    expect(planned.summary).toEqual({ createAccount: 3 });
    const last = await waitFor('the run record', () => s.control.runs.last('acme').then((r) => r ?? undefined));
    expect(last).toMatchObject({ kind: 'sync', trigger: 'resync', outcome: 'planned', planId: planned.id });
    expect((await readOrg(s.org)).users).toHaveLength(0);

    await approveAndQueue(s.control, planned.id, { by: 'alice', comment: 'ok' });
    const applied = await planOf(s.control, 'applied');
    expect(applied.id).toBe(planned.id);
    expect(applied.counts).toEqual({ applied: 3, skipped: 0, conflict: 0, failed: 0 });
    expect(applied.history.map((h) => h.status)).toEqual(['planned', 'approved', 'applying', 'applied']);
    const org = await readOrg(s.org);
    expect(org.users.map((u) => u.externalId).sort()).toEqual(['u-0001', 'u-0002', 'u-0003']);
    const shown = await s.control.plans.show(planned.id);
    expect(shown?.results.map((r) => r.result)).toEqual(['applied', 'applied', 'applied']);
    const applyRun = await waitFor('the apply run record', async () => {
      const run = await s.control.runs.last('acme');
      return run?.kind === 'apply' ? run : undefined;
    });
    expect(applyRun).toMatchObject({ trigger: 'approval', outcome: 'applied', planId: planned.id });
  });

  it('logs one line per run, with counts and never the plan', async () => {
    const s = await setup();
    const { lines } = await s.start();
    await requestResync(s.control, 'acme', {});
    await waitFor('the run record', () => s.control.runs.last('acme').then((r) => r ?? undefined));
    const runLines = lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('sync run'));
    expect(runLines).toHaveLength(1);
    expect(runLines[0]).toMatchObject({ msg: 'sync run: planned', profile: 'acme', outcome: 'planned', counts: { createAccount: 3 } });
    expect(runLines[0]!.durationMs).toEqual(expect.any(Number));
    const all = JSON.stringify(lines());
    expect(all).not.toContain('user0001@acme.com');
    expect(all).not.toContain('"operations":[');
  });

  it('reads the source in full on request and when fullEvery is due, incrementally otherwise', async () => {
    const s = await setup({ profile: { schedule: { fullEvery: '1h' } } });
    await s.start();
    const runs = async (n: number) =>
      waitFor(`${n} runs`, async () => {
        const history = await s.control.runs.history('acme');
        return history.length >= n ? history : undefined;
      });
    await requestResync(s.control, 'acme', {});
    await runs(1);
    await requestResync(s.control, 'acme', {});
    await runs(2);
    await requestResync(s.control, 'acme', { full: true });
    const history = await runs(3);
    expect(history.map((r) => r.full).reverse()).toEqual([true, false, true]);
    expect(await s.control.queue.getJobSchedulers()).toEqual([]);
  });

  it('auto mode: a ready plan is applied without review', async () => {
    const s = await setup({ profile: { mode: 'auto' } });
    await s.start();
    await requestResync(s.control, 'acme', {});
    const applied = await planOf(s.control, 'applied');
    expect(applied.approval?.by).toBe('auto mode');
    expect((await readOrg(s.org)).users).toHaveLength(3);
    await requestResync(s.control, 'acme', {});
    const quiet = await waitFor('a run that finds nothing to do', async () => {
      const runs = await s.control.runs.history('acme');
      return runs.find((r) => r.outcome === 'no-changes');
    });
    expect(quiet.planId).toBeUndefined();
    expect(await s.control.plans.list({ profile: 'acme' })).toHaveLength(1);
  });

  it('resync --apply applies a ready plan of a review profile, approved on behalf of the requester', async () => {
    const s = await setup();
    await s.start();
    await requestResync(s.control, 'acme', { apply: true, by: 'bob' });
    const applied = await planOf(s.control, 'applied');
    expect(applied.approval?.by).toBe('bob');
  });

  it('a blocked plan waits even in auto mode, and is applied only with a guard override', async () => {
    const s = await setup({ profile: { mode: 'auto', policy: { guards: { maxDeprovisions: 5, maxDeprovisionPercent: 100 } } }, users: 2, linked: 10 });
    await s.start();
    await requestResync(s.control, 'acme', {});
    const blocked = await planOf(s.control, 'blocked');
    expect(blocked.summary.deactivateAccount).toBe(8);
    const run = await waitFor('the run record', () => s.control.runs.last('acme').then((r) => r ?? undefined));
    expect(run).toMatchObject({ outcome: 'blocked', planId: blocked.id });
    await expect(approveAndQueue(s.control, blocked.id, { by: 'alice' })).rejects.toThrow(/blocked by its guards/);
    expect((await s.control.plans.get(blocked.id))?.status).toBe('blocked');
    expect((await readOrg(s.org)).users.filter((u) => u.status === 'deactivated')).toHaveLength(0);

    await approveAndQueue(s.control, blocked.id, { by: 'alice', overrideGuards: true, comment: 'planned clean-up' });
    const applied = await planOf(s.control, 'applied');
    expect(applied.approval).toMatchObject({ by: 'alice', overrideGuards: true, comment: 'planned clean-up' });
    expect((await readOrg(s.org)).users.filter((u) => u.status === 'deactivated')).toHaveLength(8);
  });

  it('a newer plan supersedes the older one, which can no longer be approved', async () => {
    const s = await setup();
    await s.start();
    await requestResync(s.control, 'acme', {});
    const first = await planOf(s.control, 'planned');
    await writeDirectory(s.directory, people(4));
    await requestResync(s.control, 'acme', {});
    const superseded = await planOf(s.control, 'superseded');
    expect(superseded.id).toBe(first.id);
    const current = await planOf(s.control, 'planned');
    expect(superseded.supersededBy).toBe(current.id);
    await expect(approveAndQueue(s.control, first.id, { by: 'alice' })).rejects.toThrow(/superseded by a newer plan/);
  });

  it('fires schedules, reports the next run, and removes schedulers of profiles no longer scheduled', async () => {
    const s = await setup({ profile: { schedule: { every: '1s' } } });
    await s.start();
    const runs = await waitFor('two scheduled runs', async () => {
      const history = (await s.control.runs.history('acme')).filter((r) => r.trigger === 'schedule');
      return history.length >= 2 ? history : undefined;
    });
    expect(runs.every((r) => r.kind === 'sync')).toBe(true);
    const status = await profileStatus(s.control, 'acme');
    expect(status.nextRunAt).not.toBeNull();
    expect(Date.parse(status.nextRunAt!)).toBeGreaterThan(Date.parse(runs[0]!.startedAt));

    const unscheduled = await loadConfig(await writeConfig(s.dir, { prefix: s.prefix, profiles: [{ name: 'acme', directory: s.directory, org: s.org }] }), {});
    await s.start({ config: unscheduled });
    expect(await s.control.queue.getJobSchedulers()).toEqual([]);
  });

  it('never runs one profile twice at once, however many jobs and workers', async () => {
    const s = await setup({ users: 400, worker: { concurrency: 3 } });
    const a = await s.start();
    const b = await s.start();
    await Promise.all(Array.from({ length: 6 }, () => s.control.queue.add('sync', { profile: 'acme', trigger: 'resync' }, { attempts: 1 })));
    const runs = await waitFor('six runs', async () => {
      const history = await s.control.runs.history('acme');
      return history.length >= 6 ? history : undefined;
    }, 60_000);
    const ordered = [...runs].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.startedAt >= ordered[i - 1]!.finishedAt).toBe(true);
    const handedBack = [...a.lines(), ...b.lines()].filter((l) => l.msg === 'run handed back to the queue');
    expect(handedBack.length).toBeGreaterThan(0);
  });

  it('fails a run at once, with the reason recorded, when retrying cannot help', async () => {
    const s = await setup({ worker: { attempts: 3 } });
    await s.start();
    await writeDirectory(s.directory, []);
    await (await import('node:fs/promises')).writeFile(s.directory, '{ not json');
    const receipt = await requestResync(s.control, 'acme', {});
    const job = await waitFor('the job to fail', async () => {
      const found = await s.control.queue.getJob(receipt.jobId);
      return (await found?.getState()) === 'failed' ? found : undefined;
    });
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toContain('not retried');
    const last = await s.control.runs.last('acme');
    expect(last).toMatchObject({ outcome: 'error', willRetry: false });
    expect(last?.error).toContain('directory.json');
    expect(await s.control.plans.list({ profile: 'acme' })).toEqual([]);
  });

  it('retries a run whose failure a later try may fix, recording each failure', async () => {
    const reads = { count: 0 };
    const flaky: SourceConnectorFactory<{ path: string }> = {
      kind: 'flaky-test',
      settings: z.object({ path: z.string() }).strict(),
      create: (settings, context) => ({
        kind: 'flaky-test',
        read: async (options) => {
          reads.count += 1;
          if (reads.count < 3) throw new OrgsyncError('unreachable', `source unreachable (read ${reads.count})`, { retry: 'transient' });
          return fileSourceFactory.create(settings, context).read(options);
        },
      }),
    };
    const registry = sourceFactories as Map<string, KindEntry<SourceConnectorFactory>>;
    registry.set(flaky.kind, eagerKind(flaky as SourceConnectorFactory));
    cleanups.push(async () => void registry.delete(flaky.kind));
    const s = await setup({ worker: { attempts: 3, retryBackoff: '100ms' } });
    const raw = await loadConfig(await writeConfig(s.dir, { prefix: s.prefix, profiles: [{ name: 'acme', directory: s.directory, org: s.org }], worker: { attempts: 3, retryBackoff: '100ms' } }), {});
    const config = { ...raw, profiles: raw.profiles.map((p) => ({ ...p, source: { ...p.source, kind: flaky.kind } })) };
    await s.start({ config });
    await requestResync(s.control, 'acme', {});
    const runs = await waitFor('a successful third attempt', async () => {
      const history = await s.control.runs.history('acme');
      return history[0]?.outcome === 'planned' ? history : undefined;
    });
    expect(runs.map((r) => [r.outcome, r.willRetry ?? null])).toEqual([
      ['planned', null],
      ['error', true],
      ['error', true],
    ]);
    expect(runs[2]!.error).toBe('source unreachable (read 1)');
    expect(reads.count).toBe(3);
  });

  it('serves metrics and health', async () => {
    const port = await freePort();
    const s = await setup({ worker: { metricsPort: port, metricsHost: '127.0.0.1' } });
    const { worker } = await s.start();
    expect(worker.metricsPort).toBe(port);
    await requestResync(s.control, 'acme', {});
    await planOf(s.control, 'planned');
    await waitFor('the run record', () => s.control.runs.last('acme').then((r) => r ?? undefined));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('orgsync_runs_total{profile="acme",kind="sync",outcome="planned"} 1');
    expect(metrics).toContain('orgsync_plans{profile="acme",status="planned"} 1');
    expect(metrics).toMatch(/orgsync_run_duration_seconds_count\{profile="acme",kind="sync"\} 1/);
    expect(metrics).toMatch(/orgsync_queue_jobs\{state="completed"\} \d+/);
    await approveAndQueue(s.control, (await planOf(s.control, 'planned')).id, { by: 'alice' });
    await planOf(s.control, 'applied');
    const after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(after).toContain('orgsync_operations_total{profile="acme",kind="createAccount",result="applied"} 3');
    expect(after).toContain('orgsync_plans{profile="acme",status="applied"} 1');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
