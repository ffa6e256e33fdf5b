/**
 * Output shared by the one-shot verbs: whether to colour, the contexts of a one-shot run, and the
 * text of an apply report (one line per operation, then the counts).
 */
import { join, resolve } from 'node:path';
import type { RunContext } from '../run/pipeline.js';
import type { ApplyReport } from '../apply/types.js';
import { silentLogger } from '../log.js';
import type { Plan } from '../model/plan.js';
import { longest, subjectOf, SYMBOLS } from '../plan/render/describe.js';
import { FileStateStore } from '../store/file-state.js';
import { MemoryStateStore, type StateStore } from '../store/types.js';
import { printable } from '../util/printable.js';
import type { CliIo } from './io.js';

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty. */
export function useColor(stream: CliIo['stdout'], env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/**
 * Where a one-shot run keeps the org adapter's state (ownership records) between runs: a JSON file
 * per profile under `.orgsync-state/` beside the config (or in `ORGSYNC_STATE_DIR`). Without it an
 * adapter that cannot mark what the sync invited (Atlassian) would invite the same people again.
 */
export function oneShotOrgState(baseDir: string, profile: string, env: NodeJS.ProcessEnv): StateStore {
  const dir = env.ORGSYNC_STATE_DIR ? resolve(baseDir, env.ORGSYNC_STATE_DIR) : join(baseDir, '.orgsync-state');
  return new FileStateStore(join(dir, `${profile}.org.json`));
}

/** A one-shot run: a full read with no source history kept, the org state kept in a file, no log output (the command prints). */
export function oneShotContext(baseDir: string, profile: string, env: NodeJS.ProcessEnv): RunContext {
  return { baseDir, sourceState: new MemoryStateStore(), keepSourceState: false, orgState: oneShotOrgState(baseDir, profile, env), full: true, log: silentLogger() };
}

/**
 * The apply report: one line per operation result, then the counts, then the operator's
 * selection (`--only`/`--exclude`) when there was one. Subjects and messages (a
 * server's answer included) go through `printable`; widths come from a loop, so any number of
 * results renders.
 */
export function renderApplyReport(plan: Plan, report: ApplyReport, selection?: string): string {
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const kindWidth = longest(report.results.map((r) => r.kind));
  const lines = report.results.map((r) => {
    const op = byId.get(r.id);
    const subject = printable(op ? subjectOf(op) : r.id);
    const note = r.message ? `: ${printable(r.message)}` : '';
    return `  ${r.result.padEnd(8)}  ${SYMBOLS[r.kind]} ${r.kind.padEnd(kindWidth)}  ${subject}${note}`;
  });
  const { applied, skipped, conflict, failed } = report.counts;
  lines.push('', `Done (${report.status}): ${applied} applied, ${skipped} skipped, ${conflict} conflict${conflict === 1 ? '' : 's'}, ${failed} failed.`);
  if (selection !== undefined) lines.push(`Selection: ${printable(selection)}; the other operations of the plan were not applied.`);
  return `${lines.join('\n')}\n`;
}
