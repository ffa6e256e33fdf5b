/**
 * The installed command: `node bin/orgsync.js` running the built `dist` (built by `npm test`
 * and by `npm ci` through the `prepare` script).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/plan/schema.js';
import { REPO, STACK } from './helpers.js';

const exec = promisify(execFile);
const BIN = join(REPO, 'bin', 'orgsync.js');

async function orgsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '', ORGSYNC_CONFIG: '' };
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { cwd: REPO, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('bin/orgsync.js', () => {
  it('runs from the built dist', () => {
    expect(existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js')), 'dist is missing: run "npm run build"').toBe(true);
  });

  it('plans the bundled example as the README says, without changing it', async () => {
    const result = await orgsync(['sync', '--config', 'examples/orgsync.yaml', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = parsePlan(JSON.parse(result.stdout), 'stdout');
    expect(plan.profile).toBe('example');
    expect(plan.status).toBe('ready');
    expect(plan.operations.length).toBeGreaterThan(0);
  });

  it('exits 1 with one line naming the missing file and no stack trace', async () => {
    const result = await orgsync(['plan', '--source', 'file:examples/absent.json', '--org', 'file:examples/org.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^orgsync: \S*examples\/absent\.json: directory file not found\n$/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('exits 2 for a usage error', async () => {
    const result = await orgsync(['plan', '--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('orgsync: plan: unknown option "--nope"; see "orgsync plan --help"\n');
  });
});
