/**
 * Two workers on one host: a metrics port set in the config that is taken is one clear line naming
 * `worker.metricsPort` (exit status 2); left unset, the worker takes a free port when the default is
 * taken (issue 11, item 9).
 */
import { createServer, type Server } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { DEFAULT_METRICS_PORT, startWorker, type RunningWorker } from '../../../src/queue/worker.js';
import { REDIS_URL, freePort, logLines, memoryLogger, people, randomPrefix, removePrefix, spawnCli, tempDir, writeConfig, writeDirectory, writeOrg } from '../../fixtures/worker/harness.js';

const redis = new Redis(REDIS_URL);
let dir: string;
let prefix: string;
let removeDir: () => Promise<void>;
const servers: Server[] = [];
let worker: RunningWorker | undefined;

/** Hold `port` on 127.0.0.1; false when someone else already holds it (it is taken either way). */
async function occupy(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => {
      servers.push(server);
      resolve(true);
    });
  });
}

async function config(metricsPort: number | undefined): Promise<string> {
  await writeDirectory(join(dir, 'directory.json'), people(1));
  await writeOrg(join(dir, 'org.json'));
  const path = await writeConfig(dir, { prefix, profiles: [{ name: 'acme', directory: join(dir, 'directory.json'), org: join(dir, 'org.json') }], worker: { metricsHost: '127.0.0.1' } });
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace(/( *)metricsPort: 0\n/, (_, indent: string) => (metricsPort === undefined ? '' : `${indent}metricsPort: ${metricsPort}\n`)));
  return path;
}

beforeEach(async () => {
  ({ dir, remove: removeDir } = await tempDir());
  prefix = randomPrefix();
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  for (const server of servers.splice(0)) server.close();
  await removePrefix(redis, prefix);
  await removeDir();
});
afterAll(() => redis.quit());

describe('worker.metricsPort', () => {
  it('set, and taken: the worker exits 2 with one line naming the key', async () => {
    const port = await freePort();
    expect(await occupy(port)).toBe(true);
    const path = await config(port);
    const proc = spawnCli(['worker', '--config', path]);
    const { code } = await proc.exited;
    expect(code).toBe(2);
    const other = proc.stderr().split('\n').filter((line) => line !== '' && !line.startsWith('{'));
    expect(other).toEqual([`orgsync: ${path}: worker.metricsPort: port ${port} on 127.0.0.1 is already in use (another worker on this host?); give each worker its own port, or 0 to serve no metrics`]);
    for (const line of logLines(proc.stderr())) expect(JSON.stringify(line)).not.toContain('EADDRINUSE');
  }, 60_000);

  it('unset, with the default port taken: a free port, logged', async () => {
    await occupy(DEFAULT_METRICS_PORT);
    const memory = memoryLogger();
    worker = await startWorker(await loadConfig(await config(undefined), {}), { env: {}, log: memory.log });
    expect(worker.metricsPort).not.toBeNull();
    expect(worker.metricsPort).not.toBe(DEFAULT_METRICS_PORT);
    const health = await fetch(`http://127.0.0.1:${worker.metricsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(memory.lines().some((line) => line.metricsPort === worker!.metricsPort && String(line.msg).includes(`port ${DEFAULT_METRICS_PORT} is in use`))).toBe(true);
  });
});
