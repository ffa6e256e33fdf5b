/**
 * `orgsync resync` and `orgsync plans` against real Redis, with a worker in this process making
 * and applying the plans.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../cli/helpers.js';
import { loadConfig } from '../../../src/config/load.js';
import { startWorker, type RunningWorker } from '../../../src/queue/worker.js';
import { Keys } from '../../../src/store/keys.js';
import {
  REDIS_URL,
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
} from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
let dir: string;
let prefix: string;
let configPath: string;
let directory: string;
let org: string;
let worker: RunningWorker | undefined;
let removeDir: () => Promise<void>;

function cli(...args: string[]): Promise<RunResult> {
  return run([...args, '--config', configPath], { cwd: dir, env: { USER: 'tester' } });
}

async function json<T>(...args: string[]): Promise<T> {
  const result = await cli(...args, '--json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as T;
}

type Listed = { id: string; profile: string; status: string; createdAt: string; summary: Record<string, number> };

async function planWith(status: string): Promise<Listed> {
  return waitFor(`a ${status} plan`, async () => (await json<Listed[]>('plans', 'list')).find((p) => p.status === status)).catch(async (error: Error) => {
    const runs = await redis.lrange(new Keys(prefix).runs('acme'), 0, 2);
    throw new Error(`${error.message}; last runs: ${runs.join(' ')}`);
  });
}

async function startTheWorker(): Promise<void> {
  worker = await startWorker(await loadConfig(configPath, {}), { env: {}, log: memoryLogger().log });
}

beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir());
  prefix = randomPrefix();
  directory = join(dir, 'directory.json');
  org = join(dir, 'org.json');
  await writeDirectory(directory, people(3));
  await writeOrg(org, people(6));
  configPath = await writeConfig(dir, {
    prefix,
    profiles: [
      { name: 'acme', directory, org: join(dir, 'empty-org.json') },
      { name: 'guarded', directory, org, policy: { guards: { maxDeprovisions: 1 } } },
    ],
  });
  await writeOrg(join(dir, 'empty-org.json'));
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await removePrefix(redis, prefix);
  await removeDir();
});
afterAll(() => redis.quit());

describe('orgsync resync', () => {
  it('queues a run, and a second request joins it while it waits', async () => {
    const first = await cli('resync', 'acme', '--full');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^acme: queued a run \(job \S+\)\n$/);
    const second = await cli('resync', 'acme', '--apply');
    expect(second.stdout).toMatch(/^acme: joined the run already waiting/);
    await startTheWorker();
    const applied = await planWith('applied');
    const shown = await json<{ lifecycle: { approval: { by: string } } }>('plans', 'show', applied.id);
    expect(shown.lifecycle.approval.by).toBe('tester');
  });

  it('names the configured profiles when given an unknown one', async () => {
    const result = await cli('resync', 'nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no profile named "nope" (profiles: acme, guarded)');
  });
});

describe('orgsync plans', () => {
  beforeEach(startTheWorker);

  it('lists, shows, approves and reports the results of a plan', async () => {
    await cli('resync', 'acme');
    const listed = await planWith('planned');
    expect(listed).toMatchObject({ profile: 'acme', summary: { createAccount: 3 } });
    expect(Date.parse(listed.createdAt)).not.toBeNaN();

    const table = await cli('plans', 'list', '--profile', 'acme');
    expect(table.stdout).toMatch(/^ID\s+PROFILE\s+STATUS\s+CREATED\s+OPS\s+SUMMARY\n/);
    expect(table.stdout).toContain(`${listed.id}  acme     planned`);
    expect(table.stdout).toMatch(/acme \(review\): (no runs yet|last run .*); next run not scheduled/);

    const shown = await json<{ schema: string; status: string; operations: unknown[]; lifecycle: { status: string; results: unknown[] } }>('plans', 'show', listed.id);
    expect(shown).toMatchObject({ schema: 'orgsync.plan/v1', status: 'ready', lifecycle: { status: 'planned', results: [] } });
    expect(shown.operations).toHaveLength(3);
    // What `plans show --json` prints is a plan file that `apply` accepts (here against a copy of the org).
    await writeFile(join(dir, 'shown.json'), JSON.stringify(shown));
    await copyFile(join(dir, 'empty-org.json'), join(dir, 'copy-org.json'));
    const applyShown = await run(['apply', 'shown.json', '--org', 'file:copy-org.json'], { cwd: dir });
    expect(applyShown.stderr).toBe('');
    expect(applyShown.code).toBe(0);
    expect((await readOrg(join(dir, 'copy-org.json'))).users).toHaveLength(3);

    const approved = await cli('plans', 'approve', listed.id, '--comment', 'checked');
    expect(approved).toEqual({ code: 0, stdout: `Approved plan ${listed.id} (acme); a worker will apply it.\n`, stderr: '' });
    await planWith('applied');
    const after = await json<{ lifecycle: { status: string; results: { result: string }[]; approval: { by: string; comment: string } } }>('plans', 'show', listed.id);
    expect(after.lifecycle.status).toBe('applied');
    expect(after.lifecycle.results.map((r) => r.result)).toEqual(['applied', 'applied', 'applied']);
    expect(after.lifecycle.approval).toMatchObject({ by: 'tester', comment: 'checked' });
    const human = await cli('plans', 'show', listed.id);
    expect(human.stdout).toContain(`Plan ${listed.id} of profile acme: applied`);
    expect(human.stdout).toMatch(/3 applied, 0 skipped, 0 conflicts, 0 failed/);
    expect((await readOrg(join(dir, 'empty-org.json'))).users).toHaveLength(3);
  });

  it('approves a blocked plan only with --override-guards', async () => {
    await cli('resync', 'guarded');
    const blocked = await planWith('blocked');
    const refused = await cli('plans', 'approve', blocked.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/blocked by its guards \(maxDeprovisions: 3 > 1[;)].*--override-guards/);
    const overridden = await cli('plans', 'approve', blocked.id, '--override-guards', '--by', 'alice');
    expect(overridden.code).toBe(0);
    await planWith('applied');
    expect((await readOrg(org)).users.filter((u) => u.status === 'deactivated')).toHaveLength(3);
  });

  it('refuses to approve a superseded plan, and rejects with a record of who did', async () => {
    await cli('resync', 'acme');
    const first = await planWith('planned');
    await writeDirectory(directory, people(4));
    await cli('resync', 'acme');
    await planWith('superseded');
    const refused = await cli('plans', 'approve', first.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`plan ${first.id} cannot become approved: it was superseded by a newer plan`);
    const current = await planWith('planned');
    const rejected = await cli('plans', 'reject', current.id, '--comment', 'not now');
    expect(rejected.stdout).toBe(`Rejected plan ${current.id} (acme).\n`);
    const shown = await json<{ status: string; lifecycle: { status: string; rejection: { by: string; comment: string } } }>('plans', 'show', current.id);
    expect(shown).toMatchObject({ status: 'ready', lifecycle: { status: 'rejected', rejection: { by: 'tester', comment: 'not now' } } });
  });

  it('reports bad use with exit status 2 and a missing plan with 1', async () => {
    expect((await cli('plans', 'frobnicate')).code).toBe(2);
    expect((await cli('plans', 'show')).code).toBe(2);
    const status = await cli('plans', 'list', '--status', 'bogus');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('unknown status "bogus"');
    const missing = await cli('plans', 'show', 'p-nope');
    expect(missing).toMatchObject({ code: 1, stderr: 'orgsync: no plan with id p-nope\n' });
  });

  it('says which config key is wrong', async () => {
    await writeFile(configPath, 'redis: { url: 5 }\nprofiles: []\n');
    const result = await cli('plans', 'list');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('redis.url');
  });
});
