/**
 * Okta read benchmark: the connector (real Okta SDK) against an emulated org of 100k users and 1k
 * groups in another process, under an emulated rate limit per endpoint family.
 *
 *   node --expose-gc --import tsx bench/okta-read/run.ts [--users 100000] [--groups 1000]
 *        [--per-minute 600] [--fast-per-minute 1000000] [--latency 25] [--concurrency 4]
 *        [--skip-paced] [--skip-fast]
 *
 * Runs: a full read under the emulated limit (pacing on), an incremental read after 100 user and
 * 20 membership changes under the same limit, and a full read with a budget too large to matter
 * (throughput). Prints requests, 429s, wall time and the connector process's peak RSS, and for
 * the rate-limited runs the shortest time the windows allow (`minimum.ts`) and achieved/minimum;
 * those runs start at the beginning of a rate-limit window.
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { OktaSource } from '../../connectors/okta/index.js';
import { resolveAuth } from '../../connectors/okta/settings.js';
import { defaultPolicy } from '../../src/config/policy.js';
import { validate } from '../../src/config/validate.js';
import { oktaSourceFactory } from '../../connectors/okta/index.js';
import { createLogger } from '../../src/log.js';
import { MemoryStateStore, type StateStore } from '../../src/store/types.js';
import { forkEmulator } from '../emulator-child.js';

for (const key of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[key];

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '1000' },
    'per-minute': { type: 'string', default: '600' },
    'fast-per-minute': { type: 'string', default: '1000000' },
    latency: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '4' },
    'skip-paced': { type: 'boolean', default: false },
    'skip-fast': { type: 'boolean', default: false },
  },
});

interface Emulator {
  url: string;
  child: ChildProcess;
  ask<T>(message: object, reply: string): Promise<T>;
}

async function startEmulator(perMinute: number): Promise<Emulator> {
  const config = { users: Number(args.users), groups: Number(args.groups), perMinute, latencyMs: Number(args.latency) };
  const { child, ask } = forkEmulator(new URL('./emulator-process.ts', import.meta.url), config);
  const ready = await ask<{ url: string }>({}, 'ready');
  return { url: ready.url, child, ask };
}

interface Figures {
  run: string;
  users: number;
  groups: number;
  requests: number;
  throttled: number;
  byFamily: Record<string, number>;
  seconds: number;
  /** Shortest wall time the rate-limit windows allow for these requests. */
  minimumSeconds: number;
  peakRssMb: number;
}

let peakRss = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100).unref();

/**
 * Wait until a fresh one-minute window of the emulator begins: a read that starts seconds before a
 * reset could not spend that window's budget in time on any machine, so the minimum would not be
 * reachable and the ratio would measure the start time rather than the pacing.
 */
async function alignToWindow(): Promise<void> {
  const wait = 60_000 - (Date.now() % 60_000) + 50;
  console.log(`  (waiting ${(wait / 1000).toFixed(1)} s for a fresh rate-limit window)`);
  await new Promise((resolve) => setTimeout(resolve, wait));
}

async function read(emulator: Emulator, label: string, state: StateStore, align: boolean): Promise<Figures> {
  const settings = validate(oktaSourceFactory.settings, { orgUrl: emulator.url, token: 'test-token', concurrency: Number(args.concurrency) }, 'bench');
  const source = new OktaSource(settings, resolveAuth(settings, process.cwd()));
  globalThis.gc?.();
  if (align) await alignToWindow();
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const startedAt = Date.now();
  const snapshot = await source.read({ policy: defaultPolicy(), state, full: false, log: createLogger({ level: 'warn' }) });
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const ask = { type: 'stats', startedAt, concurrency: Number(args.concurrency) };
  const { stats } = await emulator.ask<{ stats: { requests: number; throttled: number; byFamily: Record<string, number>; minimum: number } }>(ask, 'stats');
  if (!snapshot.complete) throw new Error(`${label}: snapshot incomplete`);
  return {
    run: label,
    users: snapshot.users.length,
    groups: snapshot.groups.length,
    requests: stats.requests,
    throttled: stats.throttled,
    byFamily: stats.byFamily,
    seconds: Math.round(seconds * 10) / 10,
    minimumSeconds: Math.round(stats.minimum * 10) / 10,
    peakRssMb: Math.round(peakRss / 2 ** 20),
  };
}

async function scenario(perMinute: number, label: string, incremental: boolean, align: boolean): Promise<Figures[]> {
  const emulator = await startEmulator(perMinute);
  try {
    const state = new MemoryStateStore();
    const out = [await read(emulator, `${label}: full read`, state, align)];
    report(out[0]!);
    if (incremental) {
      await emulator.ask({ type: 'change', users: 100, groups: 20 }, 'changed');
      out.push(await read(emulator, `${label}: incremental (100 users, 20 groups changed)`, state, align));
      report(out[1]!);
    }
    return out;
  } finally {
    emulator.child.send({ type: 'close' });
  }
}

function report(f: Figures): void {
  console.log(
    `${f.run}\n  users ${f.users}, groups ${f.groups}; requests ${f.requests} (${Object.entries(f.byFamily)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); 429s ${f.throttled}; wall ${f.seconds} s; minimum the windows allow ${f.minimumSeconds} s ` +
      `(achieved/minimum ${(f.seconds / f.minimumSeconds).toFixed(2)}); peak RSS ${f.peakRssMb} MB`,
  );
}

console.log(
  `okta-read: ${args.users} users, ${args.groups} groups, 2 groups per user, page size 200, concurrency ${args.concurrency}, ` +
    `emulated latency ${args.latency} ms, node ${process.version}`,
);
const results: Figures[] = [];
if (!args['skip-paced']) results.push(...(await scenario(Number(args['per-minute']), `limit ${args['per-minute']}/min per endpoint family`, true, true)));
if (!args['skip-fast']) results.push(...(await scenario(Number(args['fast-per-minute']), `limit ${args['fast-per-minute']}/min (throughput)`, false, false)));
console.log(JSON.stringify(results, null, 2));
process.exit(0);
