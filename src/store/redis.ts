/**
 * Redis connections. In: the config's `redis` block (`REDIS_URL` in the environment wins over
 * `redis.url`). Out: ioredis clients.
 *
 * - `connectWorkerRedis` is for long-lived processes: `maxRetriesPerRequest: null` (what BullMQ
 *   workers need), reconnects forever, and reports an unreachable server in one log line (not
 *   one per retry, nor one per BullMQ connection: see `redisErrorListener`), then once more when
 *   it is back.
 * - `connectCommandRedis` is for one-shot commands: it gives up after a few tries and throws one
 *   clear error naming the server.
 * The URL's credentials never reach a log line or an error message.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { OrgsyncError, isNetworkError, messageOf } from '../errors.js';
import { registerUrlPassword } from '../http/redact.js';

export interface RedisSettings {
  url: string;
  prefix: string;
}

export function redisSettings(config: Pick<Config, 'redis'>, env: NodeJS.ProcessEnv): RedisSettings {
  const url = env.REDIS_URL && env.REDIS_URL.trim() !== '' ? env.REDIS_URL.trim() : config.redis.url;
  registerUrlPassword(url);
  return { url, prefix: config.redis.prefix };
}

/** `redis://host:port/db` without user name or password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable redis url)';
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : messageOf(error);
}

/**
 * One outage at a time: the first failure logs "unreachable", the next ready connection logs
 * "reachable again"; every failure in between (retries, BullMQ's own connections) is silent.
 */
class Outage {
  private down = false;
  constructor(
    private readonly where: string,
    private readonly log: Logger,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log.error({ redis: this.where, reason: errorCode(error) }, `redis at ${this.where} unreachable (${errorCode(error)}); retrying until it answers`);
  }

  recovered(): void {
    if (this.down) this.log.info({ redis: this.where }, `redis at ${this.where} reachable again`);
    this.down = false;
  }
}

const outages = new WeakMap<Redis, Outage>();

export function connectWorkerRedis(url: string, log: Logger, name = 'orgsync-worker'): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  const outage = new Outage(describeRedisUrl(url), log);
  outages.set(redis, outage);
  redis.on('error', (error: unknown) => outage.failed(error));
  redis.on('ready', () => outage.recovered());
  return redis;
}

/** A lost connection, as ioredis and BullMQ report it. */
export function isConnectionError(error: unknown): boolean {
  return isNetworkError(error) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection is closed/i.test(messageOf(error));
}

/**
 * The `error` listener of a BullMQ queue or worker on `redis`: a lost connection, or any error
 * while `redis` itself is not ready, joins the outage that the connection reports once
 * (`connectWorkerRedis`); anything else is logged, the same message at most once a minute for all
 * the queues and workers on that connection together. Without a listener BullMQ prints each error as a multi-line
 * stack trace. For a one-shot command's connection (no outage, no log) errors are left to the
 * command, whose own Redis calls fail.
 */
export function redisErrorListener(redis: Redis, log?: Logger): (error: Error) => void {
  return (error) => {
    const outage = outages.get(redis);
    // While the shared connection is not ready, whatever BullMQ's own connections report is the outage.
    if (outage && (isConnectionError(error) || redis.status !== 'ready')) {
      outage.failed(error);
      return;
    }
    if (isConnectionError(error)) return;
    const message = messageOf(error);
    if (!log || !firstThisMinute(redis, message)) return;
    log.error({ reason: message }, 'queue error');
  };
}

/** When each message was last logged, per connection: every queue and worker on it shares the limit. */
const lastLogged = new WeakMap<Redis, Map<string, number>>();

function firstThisMinute(redis: Redis, message: string): boolean {
  const seen = lastLogged.get(redis) ?? new Map<string, number>();
  lastLogged.set(redis, seen);
  const at = seen.get(message);
  if (at !== undefined && Date.now() - at < 60_000) return false;
  seen.set(message, Date.now());
  return true;
}

/** Connect, or throw one error naming the server, after a few tries. */
export async function connectCommandRedis(url: string): Promise<Redis> {
  const where = describeRedisUrl(url);
  let last: unknown;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    retryStrategy: (times) => (times > 3 ? null : times * 200),
  });
  redis.on('error', (error: unknown) => {
    last = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new OrgsyncError('redis-unreachable', `redis at ${where} is unreachable (${errorCode(last ?? error)})`, { retry: 'transient', cause: error });
  }
}

/** Resolve once the client is ready (it keeps retrying meanwhile); reject if `signal` aborts first. */
export async function whenReady(redis: Redis, signal?: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return;
  signal?.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      redis.off('ready', onReady);
      reject(signal?.reason);
    };
    redis.once('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
