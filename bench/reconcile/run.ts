/**
 * Reconcile benchmark: for 10k, 100k and 1M directory users (about one group per 100 users, 10
 * groups per user, 90% already in sync), time `reconcile` and the JSON rendering of the assembled
 * plan, and report peak RSS. Each size runs in its own child process, so its peak RSS is its own.
 * The inputs are generated in the child first (their RSS is reported too); a garbage collection
 * runs before each timed step, as a worker's heap would have collected between runs.
 *
 *   node --expose-gc --import tsx bench/reconcile/run.ts [size ...]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parsePolicy } from '../../src/config/policy.js';
import { assemblePlan } from '../../src/plan/assemble.js';
import { renderJson } from '../../src/plan/render/json.js';
import { reconcile } from '../../src/reconcile/index.js';
import { generate } from './generate.js';

interface Figures {
  users: number;
  groups: number;
  memberships: number;
  operations: number;
  inputRssMb: number;
  reconcileSeconds: number;
  reconcilePeakMb: number;
  renderSeconds: number;
  jsonMb: number;
  renderPeakMb: number;
}

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function peakMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function measure(size: number): Figures {
  const input = generate(size);
  gc();
  const inputRssMb = mb(process.memoryUsage().rss);
  const policy = parsePolicy({ guards: { maxDeprovisions: size, maxDeprovisionPercent: 100 } });
  let start = performance.now();
  const result = reconcile({ snapshot: input.snapshot, org: input.org, policy });
  const reconcileSeconds = (performance.now() - start) / 1000;
  const reconcilePeakMb = peakMb();
  gc();
  start = performance.now();
  const plan = assemblePlan(result, { profile: 'bench', createdAt: '2025-01-01T00:00:00.000Z', sources: [{ name: 'bench', kind: 'generated', complete: true, users: size, groups: input.snapshot.groups.length }] });
  const json = renderJson(plan);
  const renderSeconds = (performance.now() - start) / 1000;
  return {
    users: size,
    groups: input.snapshot.groups.length,
    memberships: input.snapshot.groups.reduce((sum, group) => sum + group.members.length, 0),
    operations: result.operations.length,
    inputRssMb,
    reconcileSeconds,
    reconcilePeakMb,
    renderSeconds,
    jsonMb: mb(Buffer.byteLength(json)),
    renderPeakMb: peakMb(),
  };
}

function table(rows: Figures[]): string {
  const lines = [
    '| users | groups | memberships | operations | reconcile | peak RSS after reconcile | JSON render | JSON size | peak RSS after render | RSS of the inputs |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.users.toLocaleString('en')} | ${r.groups.toLocaleString('en')} | ${r.memberships.toLocaleString('en')} | ${r.operations.toLocaleString('en')} | ${r.reconcileSeconds.toFixed(2)} s | ${r.reconcilePeakMb} MB | ${r.renderSeconds.toFixed(2)} s | ${r.jsonMb} MB | ${r.renderPeakMb} MB | ${r.inputRssMb} MB |`);
  }
  return lines.join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(`${JSON.stringify(measure(Number(args[1])))}\n`);
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : DEFAULT_SIZES;
  const rows: Figures[] = [];
  for (const size of sizes) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const figures = JSON.parse(out.trim().split('\n').pop() as string) as Figures;
    rows.push(figures);
    console.log(`${size.toLocaleString('en')} users: reconcile ${figures.reconcileSeconds.toFixed(2)} s, render ${figures.renderSeconds.toFixed(2)} s, peak RSS ${figures.renderPeakMb} MB`);
  }
  console.log(`\n${table(rows)}`);
}

main();
