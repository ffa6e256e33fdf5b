/**
 * Starting the console: check that it may listen where it is told to (a host that is not a
 * loopback address needs a token; one clear config error otherwise), connect to Redis (the
 * connection keeps retrying while Redis is down; pages answer 503 meanwhile), build the app and
 * listen. `close()` stops listening and closes the queue and the connection.
 *
 * In: the loaded config, the environment (`REDIS_URL`), a logger. Out: the address it listens on.
 */
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { configError } from '../errors.js';
import { controlOn } from '../queue/control.js';
import { connectWorkerRedis, describeRedisUrl, redisSettings } from '../store/redis.js';
import { Credentials } from './auth/credentials.js';
import { buildConsole } from './server.js';

export interface RunningConsole {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Throw a config error when the console would be reachable beyond this machine without a token. */
export function checkExposure(config: Pick<Config, 'console' | 'path'>): void {
  const credentials = Credentials.fromConfig(config);
  if (credentials.required || isLoopback(config.console.host)) return;
  throw configError(`${config.path}: console.host is ${config.console.host}, which is not a loopback address: set console.token (e.g. "\${ORGSYNC_CONSOLE_TOKEN}") to serve the console there`);
}

export async function startConsole(config: Config, options: { env: NodeJS.ProcessEnv; log: Logger }): Promise<RunningConsole> {
  checkExposure(config);
  const { log } = options;
  const settings = redisSettings(config, options.env);
  const redis = connectWorkerRedis(settings.url, log, 'orgsync-console');
  const control = controlOn(config, redis, log);
  try {
    const app = await buildConsole({ config, control, log });
    await app.listen({ host: config.console.host, port: config.console.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.console.port;
    const host = config.console.host.includes(':') ? `[${config.console.host}]` : config.console.host;
    const url = `http://${host}:${port}`;
    if (!Credentials.fromConfig(config).required) log.warn({ url }, 'the console has no token: anyone who can reach this loopback address can approve plans');
    log.info({ url, redis: describeRedisUrl(settings.url), prefix: settings.prefix }, 'console listening');
    return {
      url,
      port,
      close: async () => {
        await app.close();
        await control.queue.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  } catch (error) {
    await control.queue.close().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
}
