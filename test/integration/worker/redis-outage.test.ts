/**
 * A Redis outage while the worker and the console run: each prints only pino JSON lines, one
 * "unreachable" line when Redis goes and one "reachable again" line when it is back, however many
 * reconnection attempts happen between (issue 11, item 8). Redis here is a private redis-server
 * on a free loopback port, started and stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, people, randomPrefix, spawnCli, tempDir, waitFor, writeConfig, writeDirectory, writeOrg, type CliProcess } from '../../fixtures/worker/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A private redis-server on `port`; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await waitFor('redis-server to accept connections', async () => out.includes('Ready to accept connections'), 20_000);
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function stop(proc: CliProcess): () => Promise<void> {
  return async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  };
}

/** Every non-empty line of a process's stderr, parsed as JSON (a line that is not JSON fails the test). */
function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

const said = (proc: CliProcess, text: string) => jsonLines(proc.stderr()).filter((line) => String(line.msg).includes(text));

describe('a Redis outage', () => {
  it('is one "unreachable" and one "back" line per process, JSON only', async () => {
    const redisPort = await freePort();
    let redis = await startRedis(redisPort);
    cleanups.push(() => stopRedis(redis));
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    await writeDirectory(join(dir, 'directory.json'), people(2));
    await writeOrg(join(dir, 'org.json'));
    const consolePort = await freePort();
    const config = await writeConfig(dir, {
      prefix: randomPrefix(),
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      profiles: [{ name: 'acme', directory: join(dir, 'directory.json'), org: join(dir, 'org.json'), schedule: { every: '1s' } }],
      extra: { console: { host: '127.0.0.1', port: consolePort } },
    });
    const worker = spawnCli(['worker', '--config', config]);
    const consoleProc = spawnCli(['console', '--config', config]);
    cleanups.push(stop(worker), stop(consoleProc));
    await waitFor('the worker to be ready', async () => said(worker, 'worker ready').length > 0, 60_000);
    await waitFor('the console to listen', async () => said(consoleProc, 'console listening').length > 0, 60_000);
    await fetch(`http://127.0.0.1:${consolePort}/healthz`);

    await stopRedis(redis);
    await waitFor('both to notice', async () => said(worker, 'unreachable').length > 0 && said(consoleProc, 'unreachable').length > 0, 30_000);
    // Let several reconnection attempts (and scheduled work, and a console request) fail meanwhile.
    await fetch(`http://127.0.0.1:${consolePort}/healthz`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    redis = await startRedis(redisPort);
    await waitFor('both to be back', async () => said(worker, 'reachable again').length > 0 && said(consoleProc, 'reachable again').length > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const proc of [worker, consoleProc]) {
      const lines = jsonLines(proc.stderr());
      const errors = lines.filter((line) => (line.level as number) >= 50);
      expect(said(proc, 'unreachable')).toHaveLength(1);
      expect(said(proc, 'reachable again')).toHaveLength(1);
      expect(errors.map((line) => line.msg)).toEqual([said(proc, 'unreachable')[0]!.msg]);
      expect(proc.stdout()).toBe('');
    }
  }, 120_000);
});
