/**
 * A worker process's lifecycle. `startWorker(config)` connects to Redis (waiting, with one log
 * line, while it is unreachable), brings the job schedulers in line with the config, starts a
 * BullMQ worker on the run queue and, unless `worker.metricsPort` is 0, serves `/metrics` and
 * `/healthz`. `close()` stops taking jobs, hands the runs in progress back to the queue (they
 * resume elsewhere: runs are resumable), and closes every connection.
 *
 * Stalled jobs (a worker that died) are recovered by BullMQ: once a job's lock lapses
 * (`worker.lockDuration`), another worker takes it again; its profile lock lapses as well.
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { durationMs } from '../config/schema.js';
import { configError } from '../errors.js';
import { createMetrics } from '../metrics/metrics.js';
import { openNotifications } from '../notify/index.js';
import { startMetricsServer, type MetricsServer } from '../metrics/server.js';
import { Keys } from '../store/keys.js';
import { connectWorkerRedis, describeRedisUrl, redisErrorListener, redisSettings, whenReady } from '../store/redis.js';
import { RunStore } from '../store/runs.js';
import { planStoreFor } from './control.js';
import { QUEUE_NAME, jobOptions, openQueue, type JobData } from './jobs.js';
import { ProfileLocks } from './lock.js';
import { createProcessor } from './processor.js';
import type { Runtime } from './runtime.js';
import { syncSchedulers } from './schedules.js';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Aborting it while Redis is still unreachable gives up starting. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RunningWorker {
  /** Port of /metrics and /healthz; null when not served. */
  metricsPort: number | null;
  close(): Promise<void>;
}

export async function startWorker(config: Config, options: StartOptions): Promise<RunningWorker> {
  const settings = redisSettings(config, options.env);
  const redis = connectWorkerRedis(settings.url, options.log);
  options.log.info({ redis: describeRedisUrl(settings.url), prefix: settings.prefix, profiles: config.profiles.map((p) => p.name) }, 'worker starting');
  try {
    await whenReady(redis, options.signal);
    return await begin(runtime(config, redis, settings.prefix, options));
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

function runtime(config: Config, redis: Redis, prefix: string, options: StartOptions): Runtime {
  const keys = new Keys(prefix);
  const queue = openQueue(redis, keys, options.log);
  const plans = planStoreFor(redis, keys, config);
  const metrics = createMetrics({
    planCounts: () => plans.countByStatus(),
    queueCounts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
  });
  const locks = new ProfileLocks(redis, keys, durationMs(config.worker.lockDuration));
  const workerId = `${hostname()}:${process.pid}`;
  const runs = new RunStore(redis, keys);
  const now = options.now ?? (() => new Date());
  const notify = openNotifications({ config, redis, keys, runs, log: options.log, registry: metrics.registry, now });
  return { config, redis, keys, queue, plans, runs, locks, metrics, log: options.log, now, workerId, notify };
}

async function begin(rt: Runtime): Promise<RunningWorker> {
  const { config, log, queue } = rt;
  let server: MetricsServer | null = null;
  try {
    server = await serve(config, rt);
    const changes = await syncSchedulers(queue, config.profiles, jobOptions(config));
    log.info(changes, 'job schedulers in line with the config');
  } catch (error) {
    await server?.close();
    await rt.notify.close();
    await queue.close();
    throw error;
  }
  const lockMs = durationMs(config.worker.lockDuration);
  const worker = new Worker<JobData>(QUEUE_NAME, createProcessor(rt, Math.min(5000, Math.max(200, lockMs / 10))), {
    connection: rt.redis,
    prefix: rt.keys.root,
    concurrency: config.worker.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 2,
  });
  worker.on('error', redisErrorListener(rt.redis, log));
  log.info({ metricsPort: server?.port ?? null, concurrency: config.worker.concurrency, worker: rt.workerId }, 'worker ready');
  return {
    metricsPort: server?.port ?? null,
    close: async () => {
      const closing = worker.close();
      worker.cancelAllJobs('the worker is shutting down');
      await closing;
      await server?.close();
      await rt.notify.close();
      await queue.close();
      await rt.redis.quit().catch(() => rt.redis.disconnect());
      log.info('worker stopped');
    },
  };
}

/** The metrics port when `worker.metricsPort` is not set (Prometheus' registry entry for exporters like this one). */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * Serve /metrics and /healthz. A port set in the config that is taken is a config error naming
 * the key; the default port, when taken (another worker on the host), gives way to a free one.
 */
async function serve(config: Config, rt: Runtime): Promise<MetricsServer | null> {
  const configured = config.worker.metricsPort;
  if (configured === 0) return null;
  const host = config.worker.metricsHost;
  const start = (port: number) => startMetricsServer({ host, port, registry: rt.metrics.registry, healthy: () => redisAnswers(rt, 2000), log: rt.log });
  try {
    return await start(configured ?? DEFAULT_METRICS_PORT);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    if (configured !== undefined) {
      throw configError(`${config.path}: worker.metricsPort: port ${configured} on ${host} is already in use (another worker on this host?); give each worker its own port, or 0 to serve no metrics`);
    }
  }
  const server = await start(0);
  rt.log.warn({ metricsPort: server.port }, `worker.metricsPort is not set and port ${DEFAULT_METRICS_PORT} is in use: serving /metrics on port ${server.port}`);
  return server;
}

/** True when Redis answers a ping within `ms` (a command would otherwise wait for a reconnect). */
async function redisAnswers(rt: Runtime, ms: number): Promise<boolean> {
  if (rt.redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([rt.redis.ping().then((pong) => pong === 'PONG'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
