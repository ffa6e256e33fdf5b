/**
 * The `orgsync` command line: dispatch to one file per verb, and turn any failure into one line on
 * stderr with the exit status of DESIGN §5 (2 for usage/config errors, 1 for anything else).
 */
import { isOrgsyncError, messageOf } from '../errors.js';
import { redactSecrets } from '../http/redact.js';
import { processIo, type CliIo, type Command } from './io.js';
import { printable } from '../util/printable.js';

type VerbModule = { run: Command };

/** Verbs and their modules, loaded on use so one verb's dependencies do not slow the others. */
const VERBS: Record<string, { summary: string; load: () => Promise<VerbModule> }> = {
  plan: { summary: 'print what a sync would change (nothing is changed)', load: () => import('./plan.js') },
  apply: { summary: 'apply a saved plan to an org', load: () => import('./apply.js') },
  sync: { summary: 'one run of a profile in this process; --apply to apply a ready plan', load: () => import('./sync.js') },
  snapshot: { summary: 'print what the source or the org holds, in the file formats', load: () => import('./snapshot.js') },
  worker: { summary: 'run a worker: schedules, on-demand runs, applies (BullMQ on Redis)', load: () => import('./worker.js') },
  resync: { summary: 'queue a run of a profile now (--full, --apply)', load: () => import('./resync.js') },
  provision: { summary: 'show and, with --apply, apply what a sync does for one person', load: () => import('./provision.js') },
  plans: { summary: 'list, show, approve or reject the plans kept in Redis', load: () => import('./plans.js') },
  console: { summary: 'serve the operator console: review and approve plans in a browser', load: () => import('./console.js') },
};

export const USAGE = `usage: orgsync <command> [options]

commands:
${Object.entries(VERBS)
  .map(([name, v]) => `  ${name.padEnd(9)} ${v.summary}`)
  .join('\n')}

Run "orgsync <command> --help" for a command's options.
`;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    (verb === undefined ? io.stderr : io.stdout).write(USAGE);
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version') {
    io.stdout.write('orgsync 0.1.0\n');
    return 0;
  }
  const entry = VERBS[verb];
  if (!entry) {
    io.stderr.write(`orgsync: unknown command "${verb}"\n${USAGE}`);
    return 2;
  }
  try {
    const module = await entry.load();
    return await module.run(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** One line on stderr; a stack trace only for bugs (non-OrgsyncError) and only with ORGSYNC_DEBUG. */
export function reportFailure(error: unknown, io: CliIo): number {
  if (isOrgsyncError(error)) {
    io.stderr.write(`orgsync: ${printable(redactSecrets(error.message))}\n`);
    return error.code === 'usage' || error.code === 'config' ? 2 : 1;
  }
  io.stderr.write(`orgsync: ${printable(redactSecrets(messageOf(error)))}\n`);
  if (io.env.ORGSYNC_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${redactSecrets(error.stack)}\n`);
  return 1;
}
