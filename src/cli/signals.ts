/**
 * Long-running verbs stop on SIGTERM or SIGINT: `withStopSignal` hands the body an AbortSignal
 * that aborts on the first of them (logging which), and removes its handlers when the body ends.
 */
import type { Logger } from 'pino';

export async function withStopSignal<T>(log: Logger, body: (stop: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'shutting down');
    stop.abort(new Error(`received ${signal}`));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await body(stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
