/**
 * Structured logs (pino, JSON lines on stderr so stdout stays the command's output). Keys that
 * usually hold secrets are censored wherever they appear, as a second line of defence: the first
 * is never logging config, settings or plans at all. Every line written is also passed through
 * `redactSecrets`, so a configured secret value never reaches the log whatever key or message holds it.
 * Messages are often built from names (a user signing in, a server's answer): control and bidi
 * characters in them are written as escapes (`printable`), so a log read on a terminal shows them
 * instead of obeying them.
 */
import { pino, type DestinationStream, type Logger, type LogFn } from 'pino';
import { redactSecrets } from './http/redact.js';
import { printable } from './util/printable.js';

const SECRET_KEYS = ['token', 'apiKey', 'clientSecret', 'privateKey', 'password', 'scimToken', 'accessToken', 'authorization', 'secret'];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'orgsync',
      level: options.level ?? process.env.ORGSYNC_LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      hooks: { logMethod: printableMessages, streamWrite: redactSecrets },
    },
    options.destination ?? pino.destination(2),
  );
}

/** pino's `logMethod` hook: string arguments (the message and its format values) made printable. */
function printableMessages(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const safe = args.map((arg: unknown) => (typeof arg === 'string' ? printable(arg) : arg)) as Parameters<LogFn>;
  method.apply(this, safe);
}

/** A logger that drops everything: for one-shot commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export type { Logger };
