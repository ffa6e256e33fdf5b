/**
 * Structured logs (pino, JSON lines on stderr so stdout stays the command's output). Keys that
 * usually hold secrets are censored wherever they appear, as a second line of defence: the first
 * is never logging config, settings or plans at all. Every line written is also passed through
 * `redactSecrets`, so a configured secret value never reaches the log whatever key or message holds it.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './http/redact.js';

const SECRET_KEYS = ['token', 'apiKey', 'clientSecret', 'privateKey', 'password', 'scimToken', 'accessToken', 'authorization', 'secret'];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'orgsync',
      level: options.level ?? process.env.ORGSYNC_LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      hooks: { streamWrite: redactSecrets },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: for one-shot commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export type { Logger };
