/**
 * Start-up benchmark: wall time and peak RSS of the built CLI (`bin/orgsync.js`, which runs
 * `dist/`: run `npm run build` first) for `--help`, `plan --help` and a dry-run `sync` of the
 * example config (file source, file org). Each command runs RUNS times in a fresh process; the
 * median is printed. With `--baseline <path to another bin/orgsync.js>` (e.g. a build of an
 * earlier commit), each run of this build is paired with a run of the baseline, interleaved, and
 * the ratio of the medians is printed too, so a loaded machine slows both alike.
 *
 *   node --import tsx bench/startup/run.ts [--runs 9] [--baseline /path/to/orgsync/bin/orgsync.js]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Preloaded into each child: at exit, write its peak RSS (KiB) to the file named by ORGSYNC_BENCH_RSS. */
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.ORGSYNC_BENCH_RSS, String(process.resourceUsage().maxRSS)));",
)}`;

const COMMANDS: { name: string; args: string[] }[] = [
  { name: 'orgsync --help', args: ['--help'] },
  { name: 'orgsync plan --help', args: ['plan', '--help'] },
  { name: 'orgsync sync --config examples/orgsync.yaml', args: ['sync', '--config', join(ROOT, 'examples/orgsync.yaml')] },
];

interface Sample {
  seconds: number;
  rssMb: number;
}

function runOnce(bin: string, args: string[], rssFile: string): Sample {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', RSS_PRELOAD, bin, ...args], { env: { ...process.env, ORGSYNC_BENCH_RSS: rssFile }, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  return { seconds, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(samples: Sample[]): { seconds: number; rssMb: number; range: string } {
  const times = samples.map((s) => s.seconds);
  let low = times[0];
  let high = times[0];
  for (const t of times) {
    if (t < low) low = t;
    if (t > high) high = t;
  }
  return { seconds: median(times), rssMb: median(samples.map((s) => s.rssMb)), range: `${low.toFixed(2)}–${high.toFixed(2)} s` };
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' }, baseline: { type: 'string' } } });
  const runs = Number(values.runs);
  const current = join(ROOT, 'bin/orgsync.js');
  const baseline = values.baseline === undefined ? undefined : resolve(values.baseline);
  const dir = mkdtempSync(join(tmpdir(), 'orgsync-startup-'));
  const rssFile = join(dir, 'rss');
  const lines = baseline
    ? ['| command | this build (median) | peak RSS | baseline (median) | peak RSS | ratio |', '| --- | ---: | ---: | ---: | ---: | ---: |']
    : ['| command | median | range | peak RSS |', '| --- | ---: | ---: | ---: |'];
  try {
    for (const command of COMMANDS) {
      const mine: Sample[] = [];
      const theirs: Sample[] = [];
      for (let i = 0; i < runs; i += 1) {
        if (baseline) theirs.push(runOnce(baseline, command.args, rssFile));
        mine.push(runOnce(current, command.args, rssFile));
      }
      const m = summary(mine);
      if (baseline) {
        const b = summary(theirs);
        lines.push(`| \`${command.name}\` | ${m.seconds.toFixed(2)} s | ${m.rssMb.toFixed(0)} MB | ${b.seconds.toFixed(2)} s | ${b.rssMb.toFixed(0)} MB | ${(m.seconds / b.seconds).toFixed(2)} |`);
      } else {
        lines.push(`| \`${command.name}\` | ${m.seconds.toFixed(2)} s | ${m.range} | ${m.rssMb.toFixed(0)} MB |`);
      }
      console.log(`${command.name}: median ${m.seconds.toFixed(2)} s, peak RSS ${m.rssMb.toFixed(0)} MB (${runs} runs)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${lines.join('\n')}`);
}

main();
