/**
 * Reconcile benchmark: for 10k, 100k and 1M directory users (about one group per 100 users, 10
 * groups per user, 90% already in sync), time `reconcile` phase by phase and the JSON rendering of
 * the assembled plan, and report peak RSS. Each run of each size is its own child process, so its
 * peak RSS is its own. The inputs are generated in the child first (their RSS is reported too); a
 * garbage collection runs before each timed step, as a worker's heap would have collected between runs.
 *
 * Wall time and CPU time (user + system, all threads of the process) are both printed: on a
 * loaded machine wall time swings with the load, CPU time much less. With `--runs N` each size
 * runs N times and the median is printed. With `--against <checkout>` every run is paired with a
 * run of the reconcile core of another checkout of orgsync (same inputs, same child, interleaved),
 * and the ratios of the medians are printed: the fair before/after on a busy machine.
 *
 *   node --expose-gc --import tsx bench/reconcile/run.ts [size ...] [--runs N] [--against DIR]
 *   npm run bench:reconcile -- 100000 --runs 5
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePolicy } from '../../src/config/policy.js';
import type { ReconcileResult } from '../../src/model/plan.js';
import { assemblePlan } from '../../src/plan/assemble.js';
import { renderJson } from '../../src/plan/render/json.js';
import type { ReconcileInput } from '../../src/reconcile/index.js';
import { generate } from './generate.js';

type Core = (input: ReconcileInput, observe?: (phase: string) => void) => ReconcileResult;

interface Figures {
  users: number;
  groups: number;
  memberships: number;
  operations: number;
  inputRssMb: number;
  reconcileSeconds: number;
  reconcileCpuSeconds: number;
  /** Phase name, wall seconds, CPU seconds; empty for a core that reports no phases. */
  phases: [string, number, number][];
  reconcilePeakMb: number;
  renderSeconds: number;
  jsonMb: number;
  renderPeakMb: number;
  /** SHA-256 of the plan JSON: the same for both cores, or the comparison is void. */
  planHash: string;
}

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function measure(size: number, coreDir: string): Promise<Figures> {
  const { reconcile } = (await import(pathToFileURL(resolve(coreDir, 'src/reconcile/index.ts')).href)) as { reconcile: Core };
  const { createHash } = await import('node:crypto');
  const input = generate(size);
  gc();
  const inputRssMb = mb(process.memoryUsage().rss);
  const policy = parsePolicy({ guards: { maxDeprovisions: size, maxDeprovisionPercent: 100 } });
  const phases: [string, number, number][] = [];
  const start = { wall: performance.now(), cpu: cpuSeconds() };
  let last = { ...start };
  const result = reconcile({ snapshot: input.snapshot, org: input.org, policy }, (phase) => {
    const now = { wall: performance.now(), cpu: cpuSeconds() };
    phases.push([phase, (now.wall - last.wall) / 1000, now.cpu - last.cpu]);
    last = now;
  });
  const reconcileSeconds = (performance.now() - start.wall) / 1000;
  const reconcileCpuSeconds = cpuSeconds() - start.cpu;
  const reconcilePeakMb = peakMb();
  gc();
  const renderStart = performance.now();
  const plan = assemblePlan(result, { profile: 'bench', createdAt: '2025-01-01T00:00:00.000Z', sources: [{ name: 'bench', kind: 'generated', complete: true, users: size, groups: input.snapshot.groups.length }] });
  const json = renderJson(plan);
  const renderSeconds = (performance.now() - renderStart) / 1000;
  let memberships = 0;
  for (const group of input.snapshot.groups) memberships += group.members.length;
  return {
    users: size,
    groups: input.snapshot.groups.length,
    memberships,
    operations: result.operations.length,
    inputRssMb,
    reconcileSeconds,
    reconcileCpuSeconds,
    phases,
    reconcilePeakMb,
    renderSeconds,
    jsonMb: mb(Buffer.byteLength(json)),
    renderPeakMb: peakMb(),
    planHash: createHash('sha256').update(json).digest('hex'),
  };
}

function child(size: number, coreDir: string): Figures {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(size), '--core', coreDir];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run with the median reconcile wall time (its phases and RSS are reported as they were). */
function medianRun(runs: Figures[]): Figures {
  const target = median(runs.map((r) => r.reconcileSeconds));
  let best = runs[0];
  for (const run of runs) if (Math.abs(run.reconcileSeconds - target) < Math.abs(best.reconcileSeconds - target)) best = run;
  return { ...best, reconcileSeconds: target, reconcileCpuSeconds: median(runs.map((r) => r.reconcileCpuSeconds)), renderSeconds: median(runs.map((r) => r.renderSeconds)) };
}

const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const n = (count: number) => count.toLocaleString('en');

function table(rows: Figures[]): string {
  const lines = [
    '| users | groups | memberships | operations | reconcile (wall) | reconcile (CPU) | peak RSS after reconcile | JSON render | JSON size | peak RSS after render | RSS of the inputs |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${n(r.users)} | ${n(r.groups)} | ${n(r.memberships)} | ${n(r.operations)} | ${s(r.reconcileSeconds)} | ${s(r.reconcileCpuSeconds)} | ${r.reconcilePeakMb} MB | ${s(r.renderSeconds)} | ${r.jsonMb} MB | ${r.renderPeakMb} MB | ${r.inputRssMb} MB |`);
  }
  return lines.join('\n');
}

function phaseTable(rows: Figures[]): string {
  const names = rows[0].phases.map(([name]) => name);
  const lines = [`| phase | ${rows.map((r) => `${n(r.users)} users (wall / CPU)`).join(' | ')} |`, `| --- |${' ---: |'.repeat(rows.length)}`];
  for (const [i, name] of names.entries()) {
    lines.push(`| ${name} | ${rows.map((r) => (r.phases[i] ? `${s(r.phases[i][1])} / ${s(r.phases[i][2])}` : '–')).join(' | ')} |`);
  }
  return lines.join('\n');
}

function comparison(pairs: [Figures, Figures][]): string {
  const lines = ['| users | this core (wall / CPU) | other core (wall / CPU) | speed-up (wall) | speed-up (CPU) | peak RSS after reconcile (this / other) | same plan |', '| ---: | ---: | ---: | ---: | ---: | ---: | :---: |'];
  for (const [mine, theirs] of pairs) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    lines.push(`| ${n(mine.users)} | ${s(mine.reconcileSeconds)} / ${s(mine.reconcileCpuSeconds)} | ${s(theirs.reconcileSeconds)} / ${s(theirs.reconcileCpuSeconds)} | ${ratio(mine.reconcileSeconds, theirs.reconcileSeconds)} | ${ratio(mine.reconcileCpuSeconds, theirs.reconcileCpuSeconds)} | ${mine.reconcilePeakMb} / ${theirs.reconcilePeakMb} MB | ${mine.planHash === theirs.planHash ? 'yes' : '**NO**'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { child: { type: 'string' }, core: { type: 'string' }, runs: { type: 'string', default: '1' }, against: { type: 'string' } } });
  const here = resolve(fileURLToPath(import.meta.url), '../../..');
  if (values.child !== undefined) {
    process.stdout.write(`${JSON.stringify(await measure(Number(values.child), values.core ?? here))}\n`);
    return;
  }
  const sizes = positionals.length > 0 ? positionals.map(Number) : DEFAULT_SIZES;
  const runs = Number(values.runs);
  const against = values.against === undefined ? undefined : resolve(values.against);
  const rows: Figures[] = [];
  const pairs: [Figures, Figures][] = [];
  for (const size of sizes) {
    const mine: Figures[] = [];
    const theirs: Figures[] = [];
    for (let i = 0; i < runs; i += 1) {
      if (against) theirs.push(child(size, against));
      mine.push(child(size, here));
      const last = mine[mine.length - 1];
      console.log(`${n(size)} users: reconcile ${s(last.reconcileSeconds)} (CPU ${s(last.reconcileCpuSeconds)}), render ${s(last.renderSeconds)}, peak RSS ${last.renderPeakMb} MB${against ? `; other core ${s(theirs[theirs.length - 1].reconcileSeconds)} (CPU ${s(theirs[theirs.length - 1].reconcileCpuSeconds)})` : ''}`);
    }
    rows.push(medianRun(mine));
    if (against) pairs.push([medianRun(mine), medianRun(theirs)]);
  }
  console.log(`\n${table(rows)}\n\nPer phase (the median run):\n\n${phaseTable(rows)}`);
  if (against) console.log(`\nAgainst ${against} (medians of ${runs} interleaved runs):\n\n${comparison(pairs)}`);
}

await main();
