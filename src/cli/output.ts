/**
 * Output shared by the one-shot verbs: whether to colour, the contexts of a one-shot run, and the
 * text of an apply report (one line per operation, then the counts).
 */
import type { RunContext } from '../run/pipeline.js';
import type { ApplyReport } from '../apply/types.js';
import { silentLogger } from '../log.js';
import type { Plan } from '../model/plan.js';
import { subjectOf, SYMBOLS } from '../plan/render/describe.js';
import { MemoryStateStore } from '../store/types.js';
import type { CliIo } from './io.js';

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty. */
export function useColor(stream: CliIo['stdout'], env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** A run with no history: fresh state stores, a full read, no log output (the command prints). */
export function oneShotContext(baseDir: string): RunContext {
  return { baseDir, sourceState: new MemoryStateStore(), orgState: new MemoryStateStore(), full: true, log: silentLogger() };
}

export function renderApplyReport(plan: Plan, report: ApplyReport): string {
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const kindWidth = Math.max(0, ...report.results.map((r) => r.kind.length));
  const lines = report.results.map((r) => {
    const op = byId.get(r.id);
    const subject = op ? subjectOf(op) : r.id;
    const note = r.message ? `: ${r.message}` : '';
    return `  ${r.result.padEnd(8)}  ${SYMBOLS[r.kind]} ${r.kind.padEnd(kindWidth)}  ${subject}${note}`;
  });
  const { applied, skipped, conflict, failed } = report.counts;
  lines.push('', `Done (${report.status}): ${applied} applied, ${skipped} skipped, ${conflict} conflict${conflict === 1 ? '' : 's'}, ${failed} failed.`);
  return `${lines.join('\n')}\n`;
}
