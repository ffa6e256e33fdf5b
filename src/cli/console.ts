/**
 * `orgsync console`: serve the operator console (plan review pages, JSON API, Bull Board,
 * /healthz, /metrics) until SIGTERM or SIGINT. Refuses to start (exit status 2) on a host that is
 * not a loopback address unless a token is configured. Logs are pino JSON lines on stderr.
 */
import { once } from 'node:events';
import { startConsole } from '../console/start.js';
import { createLogger } from '../log.js';
import { command } from './args.js';
import type { Command } from './io.js';
import { withStopSignal } from './signals.js';
import { openConfig } from './specs.js';

const USAGE = `usage: orgsync console [--config <file>]

Serve the operator console: review plans and approve or reject them, ask for runs, watch the
queue (/queues), with /healthz and /metrics for monitoring. Listens on console.host and
console.port (default 127.0.0.1:8080). Every page and API call needs a token from console.token
or console.tokens (Authorization: Bearer <token>, or the sign-in form); without a token the
console only starts on a loopback address.

  --config <file>   config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)

Environment: REDIS_URL overrides redis.url; ORGSYNC_LOG_LEVEL sets the log level (info).
`;

const SPEC = { verb: 'console', usage: USAGE, options: { config: { type: 'string' } } } as const;

export const run: Command = command(SPEC, async ({ values }, io) => {
  const config = await openConfig(values.config, io);
  const log = createLogger({ name: 'orgsync-console' });
  const running = await startConsole(config, { env: io.env, log });
  return withStopSignal(log, async (stop) => {
    await once(stop, 'abort');
    await running.close();
    return 0;
  });
});
