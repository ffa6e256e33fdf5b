/**
 * Preloaded into each measured process (`node --import`): on exit, writes the process's peak
 * resident set size to stderr as `@@maxrss <kB>` for `run.ts` to read.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n@@maxrss ${process.resourceUsage().maxRSS}\n`);
});
