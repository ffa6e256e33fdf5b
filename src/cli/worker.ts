/**
 * `orgsync worker`: run the BullMQ worker (schedules, on-demand runs, applies) until SIGTERM or
 * SIGINT, then shut down cleanly (exit status 0). Logs are pino JSON lines on stderr.
 */
import { once } from 'node:events';
import { createLogger } from '../log.js';
import { startWorker } from '../queue/worker.js';
import { command } from './args.js';
import type { Command } from './io.js';
import { withStopSignal } from './signals.js';
import { openConfig } from './specs.js';

const USAGE = `usage: orgsync worker [--config <file>]

Run a worker: keep one job scheduler per scheduled profile, make plans, and apply approved (or,
in auto mode, ready) plans. Run as many workers as you like against one Redis; a profile never
has two runs at once. Stops cleanly on SIGTERM or SIGINT.

  --config <file>   config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)

Environment: REDIS_URL overrides redis.url; ORGSYNC_LOG_LEVEL sets the log level (info).
`;

const SPEC = { verb: 'worker', usage: USAGE, options: { config: { type: 'string' } } } as const;

export const run: Command = command(SPEC, async ({ values }, io) => {
  const config = await openConfig(values.config, io);
  const log = createLogger({ name: 'orgsync-worker' });
  return withStopSignal(log, async (stop) => {
    const worker = await startWorker(config, { env: io.env, log, signal: stop }).catch((error: unknown) => {
      if (stop.aborted) return null;
      throw error;
    });
    if (!worker) return 0;
    if (!stop.aborted) await once(stop, 'abort');
    await worker.close();
    return 0;
  });
});
