/**
 * `orgsync worker` as separate processes against real Redis: several workers never run one
 * profile at once; a worker killed mid-apply leaves nothing half done or done twice; SIGTERM
 * stops cleanly; an unreachable Redis is one log line; no secret reaches logs, job data or plans.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { openControl, requestResync } from '../../../src/queue/control.js';
import { Keys } from '../../../src/store/keys.js';
import { RunStore } from '../../../src/store/runs.js';
import {
  REDIS_URL,
  dumpPrefix,
  freePort,
  logLines,
  people,
  randomPrefix,
  readOrg,
  removePrefix,
  runCli,
  spawnCli,
  tempDir,
  waitFor,
  writeConfig,
  writeDirectory,
  writeOrg,
  type CliProcess,
} from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
const cleanups: (() => Promise<void>)[] = [];
const running: CliProcess[] = [];

afterEach(async () => {
  for (const proc of running.splice(0)) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  }
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(() => redis.quit());

interface WorkspaceOptions {
  apply?: { concurrency?: number; operationsPerSecond?: number };
  worker?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  redisUrl?: string;
}

async function workspace(users: number, options: WorkspaceOptions = {}) {
  const { dir, remove } = await tempDir();
  const prefix = randomPrefix();
  cleanups.push(remove, () => removePrefix(redis, prefix));
  const directory = join(dir, 'directory.json');
  const org = join(dir, 'org.json');
  await writeDirectory(directory, people(users));
  await writeOrg(org);
  const config = await writeConfig(dir, { prefix, profiles: [{ name: 'acme', directory, org, apply: options.apply }], ...options });
  const keys = new Keys(prefix);
  return { dir, prefix, config, org, keys, runs: new RunStore(redis, keys) };
}

function worker(config: string, env: NodeJS.ProcessEnv = {}): CliProcess {
  const proc = spawnCli(['worker', '--config', config], env);
  running.push(proc);
  return proc;
}

async function ready(proc: CliProcess): Promise<void> {
  await waitFor('the worker to be ready', async () => logLines(proc.stderr()).some((l) => l.msg === 'worker ready'), 30_000);
}

async function planStatus(prefix: string, id: string): Promise<string | undefined> {
  const json = await redis.hget(new Keys(prefix).plan(id), 'meta');
  return json ? (JSON.parse(json) as { status: string }).status : undefined;
}

async function onlyPlanId(prefix: string): Promise<string> {
  return waitFor('a plan', async () => (await redis.zrange(new Keys(prefix).profilePlans('acme'), 0, -1))[0], 30_000);
}

describe('worker processes', () => {
  it('three workers, ten resyncs and simultaneous scheduled runs: never two runs of one profile at once', async () => {
    const ws = await workspace(3000);
    const workers = [1, 2, 3].map(() => worker(ws.config, { ORGSYNC_LOG_LEVEL: 'debug' }));
    await Promise.all(workers.map(ready));
    const control = await openControl(await loadConfig(ws.config, {}), {});
    cleanups.push(() => control.close());
    const requests = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 50));
        const sentAt = new Date().toISOString();
        return { sentAt, ...(await requestResync(control, 'acme', { full: i % 3 === 0 })) };
      }),
    );
    // Scheduled runs falling due at the same moment: jobs several workers can take at once.
    await Promise.all([1, 2, 3].map(() => control.queue.add('sync', { profile: 'acme', trigger: 'schedule' }, { attempts: 1 })));
    const lastSent = requests.map((r) => r.sentAt).sort().at(-1)!;
    const runs = await waitFor('every request to be served', async () => {
      const queued = await control.queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active');
      const history = await ws.runs.history('acme');
      return queued === 0 && history.some((r) => r.startedAt >= lastSent) ? history : undefined;
    }, 60_000);
    expect(runs.filter((r) => r.outcome === 'error')).toEqual([]);
    expect(await redis.exists(new Keys(ws.prefix).pending('acme'))).toBe(0);
    const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(ordered.filter((r) => r.trigger === 'schedule')).toHaveLength(3);
    expect(ordered.length).toBeLessThanOrEqual(13);
    for (let i = 1; i < ordered.length; i++) {
      expect(ordered[i]!.startedAt >= ordered[i - 1]!.finishedAt, `run ${i} started before run ${i - 1} finished`).toBe(true);
    }
    const handedBack = workers.flatMap((w) => logLines(w.stderr())).filter((l) => l.msg === 'run handed back to the queue');
    expect(handedBack.length).toBeGreaterThan(0);
  }, 120_000);

  it('a worker killed mid-apply: the next worker finishes the plan, every operation applied exactly once', async () => {
    const ws = await workspace(300, { apply: { concurrency: 4, operationsPerSecond: 40 } });
    const first = worker(ws.config);
    await ready(first);
    expect((await runCli(['resync', 'acme', '--config', ws.config])).code).toBe(0);
    const planId = await onlyPlanId(ws.prefix);
    await waitFor('the plan', async () => (await planStatus(ws.prefix, planId)) === 'planned', 30_000);
    expect((await runCli(['plans', 'approve', planId, '--config', ws.config])).code).toBe(0);
    const journal = new Keys(ws.prefix).planResults(planId);
    await waitFor('the apply to be under way', async () => (await redis.hlen(journal)) >= 60, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await readOrg(ws.org)).users.length;
    expect(atKill).toBeGreaterThanOrEqual(60);
    expect(atKill).toBeLessThan(300);
    expect(await planStatus(ws.prefix, planId)).toBe('applying');

    const second = worker(ws.config);
    await waitFor('the apply to finish', async () => (await planStatus(ws.prefix, planId)) === 'applied', 90_000);
    const users = (await readOrg(ws.org)).users;
    expect(users).toHaveLength(300);
    expect(new Set(users.map((u) => u.externalId)).size).toBe(300);
    expect(new Set(users.map((u) => u.email)).size).toBe(300);
    const results = Object.values(await redis.hgetall(journal)).map((json) => JSON.parse(json) as { result: string });
    expect(results).toHaveLength(300);
    const applied = results.filter((r) => r.result === 'applied').length;
    const skipped = results.filter((r) => r.result === 'skipped').length;
    expect(applied + skipped).toBe(300);
    expect(skipped).toBeLessThanOrEqual(4);
    const meta = JSON.parse((await redis.hget(new Keys(ws.prefix).plan(planId), 'meta'))!) as { history: { note?: string }[] };
    expect(meta.history.some((h) => h.note === 'resumed')).toBe(true);
    expect(logLines(second.stderr()).some((l) => l.msg === 'resuming an interrupted apply')).toBe(true);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(logLines(second.stderr()).at(-1)?.msg).toBe('worker stopped');
  }, 180_000);

  it('SIGTERM mid-apply hands the run back; another worker resumes it', async () => {
    const ws = await workspace(200, { apply: { concurrency: 2, operationsPerSecond: 40 } });
    const first = worker(ws.config);
    await ready(first);
    await runCli(['resync', 'acme', '--config', ws.config, '--apply']);
    const planId = await onlyPlanId(ws.prefix);
    const journal = new Keys(ws.prefix).planResults(planId);
    await waitFor('the apply to be under way', async () => (await redis.hlen(journal)) >= 20, 60_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(logLines(first.stderr()).some((l) => l.msg === 'run handed back to the queue')).toBe(true);
    const done = await redis.hlen(journal);
    expect(done).toBeLessThan(200);
    worker(ws.config);
    await waitFor('the apply to finish', async () => (await planStatus(ws.prefix, planId)) === 'applied', 90_000);
    expect((await readOrg(ws.org)).users).toHaveLength(200);
  }, 180_000);

  it('keeps secrets from the config environment out of logs, job data and plans', async () => {
    const secret = `s3cret-${Math.random().toString(36).slice(2)}`;
    const port = await freePort();
    const ws = await workspace(5, {
      redisUrl: 'redis://:${ORGSYNC_TEST_SECRET}@127.0.0.1:6379',
      extra: { console: { token: '${ORGSYNC_TEST_SECRET}' } },
      worker: { metricsPort: port },
    });
    expect(await readFile(ws.config, 'utf8')).toContain('${ORGSYNC_TEST_SECRET}');
    const env = { ORGSYNC_TEST_SECRET: secret, ORGSYNC_LOG_LEVEL: 'debug' };
    const proc = worker(ws.config, env);
    await ready(proc);
    const outputs: string[] = [];
    const command = async (...args: string[]) => {
      const result = await runCli([...args, '--config', ws.config], env);
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    await command('resync', 'acme', '--full');
    const planId = await onlyPlanId(ws.prefix);
    await waitFor('the plan', async () => (await planStatus(ws.prefix, planId)) === 'planned', 30_000);
    await command('plans', 'approve', planId);
    await waitFor('the apply', async () => (await planStatus(ws.prefix, planId)) === 'applied', 30_000);
    await command('plans', 'list', '--json');
    await command('plans', 'show', planId, '--json');
    outputs.push(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    proc.child.kill('SIGTERM');
    await proc.exited;
    outputs.push(proc.stdout(), proc.stderr());
    expect(logLines(proc.stderr()).length).toBeGreaterThan(5);
    expect(outputs.join('\n')).not.toContain(secret);
    const stored = await dumpPrefix(redis, ws.prefix);
    expect(stored).toContain(planId);
    expect(stored).not.toContain(secret);
  }, 120_000);

  it('an unreachable Redis at start is one clear line, and the worker keeps trying until stopped', async () => {
    const ws = await workspace(1);
    const port = await freePort();
    const proc = worker(ws.config, { REDIS_URL: `redis://127.0.0.1:${port}` });
    await waitFor('the unreachable line', async () => proc.stderr().includes('unreachable'), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const lines = logLines(proc.stderr()).filter((l) => String(l.msg).includes('unreachable'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe(`redis at redis://127.0.0.1:${port} unreachable (ECONNREFUSED); retrying until it answers`);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
