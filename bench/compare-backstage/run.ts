/**
 * orgsync against Backstage's Microsoft Graph reader, on the same Graph emulator.
 *
 *   npm run build && node --import tsx bench/compare-backstage/run.ts [--users 100000] [--groups 2000]
 *        [--members 20] [--latency 25] [--rounds 3] [--peer-version 0.10.6] [--peer-dir <dir>]
 *
 * Installs `@backstage/plugin-catalog-backend-module-msgraph` with npm into a temporary folder
 * (never into this project; `--peer-dir` reuses an earlier install), starts the emulator in its own
 * process, and prepares an org file in line with the tenant (`in-sync-org.ts`, from `orgsync
 * snapshot source`), so the measured plan is the recurring run; the plan's size is printed.
 * Then, interleaved (A B A B ...), it runs in child processes:
 *
 *   A  the whole `orgsync plan` of the profile (read Entra, read the org file, reconcile, render)
 *   B  Backstage's `readMicrosoftGraphOrg` alone (photos off)
 *
 * and prints each run's wall time and peak RSS, then the median ratios A/B. The machine's other
 * load lands on both alike; run it on a quiet machine for absolute figures.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Snapshot } from '../../src/model/directory.js';
import { inSyncOrg } from './in-sync-org.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '2000' },
    members: { type: 'string', default: '20' },
    latency: { type: 'string', default: '25' },
    rounds: { type: 'string', default: '3' },
    'peer-version': { type: 'string', default: '0.10.6' },
    'peer-dir': { type: 'string' },
  },
});

const PEER = '@backstage/plugin-catalog-backend-module-msgraph';

interface Run {
  wallS: number;
  maxRssMb: number;
  stdout: string;
}

/** Install the peer into `dir` (or reuse it when it already holds it). */
function installPeer(dir: string): void {
  if (existsSync(join(dir, 'node_modules', PEER, 'package.json'))) return;
  console.log(`installing ${PEER}@${args['peer-version']} into ${dir} ...`);
  spawnSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${PEER}@${args['peer-version']}`], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install of ${PEER} failed`);
}

function startEmulator(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const config = { users: Number(args.users), groups: Number(args.groups), members: Number(args.members), latencyMs: Number(args.latency) };
  const child = fork(join(here, 'emulator-process.ts'), [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (m: { url: string; token: string }) => resolve({ child, url: m.url, token: m.token })));
}

function emulatorStats(child: ChildProcess): Promise<{ total: number; byRoute: Record<string, number> }> {
  return new Promise((resolve) => {
    child.once('message', (m: { total: number; byRoute: Record<string, number> }) => resolve(m));
    child.send({ type: 'stats' });
  });
}

/** Run `node <args>` with the peak-RSS reporter preloaded; its wall time from spawn to exit. */
function measure(nodeArgs: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', join(here, 'max-rss.mjs'), ...nodeArgs], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.length < 4096 ? chunk.toString() : ''));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallS = (performance.now() - started) / 1000;
      const rss = /@@maxrss (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}: ${stderr.replace(/@@maxrss \d+/, '').trim().slice(0, 500)}`));
      resolve({ wallS, maxRssMb: Number(rss[1]) / 1024, stdout });
    });
  });
}

/** Run `node <args>` and return its standard output (for a large JSON answer). */
function output(nodeArgs: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}`))));
  });
}

async function prepare(work: string, url: string, token: string): Promise<void> {
  const config = [
    'profiles:',
    '  - name: bench',
    `    source: { kind: entra, tenantId: bench, graphBaseUrl: "${url}", accessToken: "${token}" }`,
    '    org: { kind: file, path: org.json }',
    '',
  ].join('\n');
  await writeFile(join(work, 'orgsync.yaml'), config);
  console.log('preparing an org file in line with the tenant ...');
  const snapshot = JSON.parse(await output([join(root, 'bin', 'orgsync.js'), 'snapshot', 'source', '--config', 'orgsync.yaml'], work)) as Snapshot;
  await writeFile(join(work, 'org.json'), JSON.stringify(inSyncOrg(snapshot, 'contoso.com')));
}

async function planSize(work: string): Promise<string> {
  const plan = JSON.parse(await readFile(join(work, 'plan.json'), 'utf8')) as { operations: unknown[]; warnings: unknown[] };
  return `${plan.operations.length} operations, ${plan.warnings.length} warnings`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (r: Run) => `${r.wallS.toFixed(2)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB`;

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) throw new Error('run "npm run build" first: bin/orgsync.js runs dist/');
  const peerDir = args['peer-dir'] ?? (await mkdtemp(join(tmpdir(), 'orgsync-peer-')));
  await mkdir(peerDir, { recursive: true });
  installPeer(peerDir);
  const work = await mkdtemp(join(tmpdir(), 'orgsync-compare-'));
  const emulator = await startEmulator();
  try {
    console.log(`tenant: ${args.users} users, ${args.groups} groups x ${args.members} members, latency ${args.latency} ms; node ${process.version}; work dir ${work}`);
    await prepare(work, emulator.url, emulator.token);
    const plan = [join(root, 'bin', 'orgsync.js'), 'plan', '--config', 'orgsync.yaml', '--format', 'json', '--out', 'plan.json'];
    const backstage = [join(here, 'backstage-read.mjs'), peerDir, emulator.url, emulator.token];
    const a: Run[] = [];
    const b: Run[] = [];
    await emulatorStats(emulator.child);
    for (let round = 1; round <= Number(args.rounds); round++) {
      a.push(await measure(plan, work));
      const aStats = await emulatorStats(emulator.child);
      b.push(await measure(backstage, work));
      const bStats = await emulatorStats(emulator.child);
      console.log(`round ${round}: orgsync plan ${fmt(a.at(-1)!)} (${aStats.total} requests, ${await planSize(work)}) | backstage read ${fmt(b.at(-1)!)} (${bStats.total} requests) ${b.at(-1)!.stdout.trim()}`);
      if (round === 1) console.log(`  requests by route: orgsync ${JSON.stringify(aStats.byRoute)}; backstage ${JSON.stringify(bStats.byRoute)}`);
    }
    const wall = median(a.map((r) => r.wallS)) / median(b.map((r) => r.wallS));
    const rss = median(a.map((r) => r.maxRssMb)) / median(b.map((r) => r.maxRssMb));
    console.log(`median of ${a.length} interleaved rounds: wall time orgsync plan / backstage read = ${wall.toFixed(2)}x; peak RSS = ${rss.toFixed(2)}x`);
  } finally {
    emulator.child.send({ type: 'close' });
  }
}

await main();
