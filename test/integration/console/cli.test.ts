/**
 * `orgsync console` as a child process: it refuses to serve beyond loopback without a token
 * (exit status 2, one line), serves /healthz and the API on the configured port, and stops
 * cleanly on SIGTERM.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, freePort, people, randomPrefix, removePrefix, runCli, spawnCli, tempDir, waitFor, writeConfig, writeDirectory, writeOrg } from '../../fixtures/worker/harness.js';
import { TOKEN } from './helpers.js';

const redis = new Redis(REDIS_URL);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(() => redis.quit());

async function configWith(consoleBlock: Record<string, unknown>): Promise<string> {
  const { dir, remove } = await tempDir();
  const prefix = randomPrefix();
  cleanups.push(remove, () => removePrefix(redis, prefix));
  const directory = join(dir, 'directory.json');
  const org = join(dir, 'org.json');
  await writeDirectory(directory, people(1));
  await writeOrg(org);
  return writeConfig(dir, { prefix, profiles: [{ name: 'acme', directory, org }], extra: { console: consoleBlock } });
}

describe('orgsync console', () => {
  it('refuses a non-loopback host without a token: exit status 2 and one line naming the key', async () => {
    const path = await configWith({ host: '0.0.0.0', port: 0 });
    const { code, stderr, stdout } = await runCli(['console', '--config', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`orgsync: ${path}: console.host is 0.0.0.0, which is not a loopback address: set console.token (e.g. "\${ORGSYNC_CONSOLE_TOKEN}") to serve the console there`]);
  });

  it('refuses a token that is too short, naming its key', async () => {
    const path = await configWith({ host: '127.0.0.1', port: 0, token: 'changeme' });
    const { code, stderr } = await runCli(['console', '--config', path]);
    expect(code).toBe(2);
    expect(stderr).toContain('console.token: a console token needs at least 16 characters');
  });

  it('serves on the configured port, answers with the token, and stops on SIGTERM', async () => {
    const port = await freePort();
    const path = await configWith({ host: '127.0.0.1', port, token: '${TEST_CONSOLE_TOKEN}' });
    const proc = spawnCli(['console', '--config', path], { TEST_CONSOLE_TOKEN: TOKEN });
    cleanups.push(async () => {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the console to listen', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok);
    expect((await fetch(`${base}/api/plans`)).status).toBe(401);
    const ok = await fetch(`${base}/api/plans`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await ok.json()).toEqual({ plans: [] });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    expect(proc.stderr()).toContain('console listening');
    expect(proc.stderr()).not.toContain(TOKEN);
  });
});
