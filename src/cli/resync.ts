/**
 * `orgsync resync <profile>`: ask the workers for a run of a profile now. Requests made while one
 * is still waiting join it, their `--full` and `--apply` OR-ed in.
 */
import { findProfile } from '../config/load.js';
import { openControl, requestResync } from '../queue/control.js';
import { command } from './args.js';
import type { Command } from './io.js';
import { openConfig } from './specs.js';

const USAGE = `usage: orgsync resync <profile> [--full] [--apply] [--by <name>] [--config <file>]

Queue a run of a profile for the workers. A request made while an earlier one is still waiting
joins it (and its --full/--apply are added to it); a request made while a run is in progress
queues the next run.

  --full            read the source in full, ignoring incremental cursors
  --apply           apply the plan without review if it is ready (never a blocked plan)
  --by <name>       who asks, recorded as the approver with --apply (default $USER)
  --config <file>   config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
`;

const SPEC = {
  verb: 'resync',
  usage: USAGE,
  options: { config: { type: 'string' }, full: { type: 'boolean' }, apply: { type: 'boolean' }, by: { type: 'string' } },
  positionals: { min: 1, max: 1 },
} as const;

export const run: Command = command(SPEC, async ({ values, positionals }, io) => {
  const config = await openConfig(values.config, io);
  const profile = findProfile(config, positionals[0]);
  const control = await openControl(config, io.env);
  try {
    const receipt = await requestResync(control, profile.name, {
      full: values.full === true,
      apply: values.apply === true,
      by: values.by ?? io.env.USER ?? 'unknown',
    });
    const what = receipt.coalesced ? 'joined the run already waiting' : 'queued a run';
    io.stdout.write(`${profile.name}: ${what} (job ${receipt.jobId})\n`);
    return 0;
  } finally {
    await control.close();
  }
});
