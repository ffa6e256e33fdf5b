/**
 * Notifications in a worker process: the `notify` queue (under the installation's hash-tagged
 * prefix), the notifier the run hooks call, and a BullMQ worker of its own that sends. Without
 * targets in the config there is no queue and no worker, and the notifier does nothing.
 *
 * In: the config, the worker's Redis connection, key names, run store, logger and metrics
 * registry. Out: the `Notifier` (whose `close()` stops the queue and the worker).
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config/load.js';
import { durationMs } from '../config/schema.js';
import { messageOf } from '../errors.js';
import type { Keys } from '../store/keys.js';
import type { RunStore } from '../store/runs.js';
import { NOTIFY_QUEUE, QueueNotifier, SILENT_NOTIFIER, type Notifier, type NotifyJobData } from './notifier.js';
import { notifyBackoff, notifyProcessor } from './processor.js';
import { targetName } from './settings.js';

export interface NotificationsDeps {
  config: Pick<Config, 'notify'>;
  redis: Redis;
  keys: Keys;
  runs: RunStore;
  log: Logger;
  registry: Registry;
  now: () => Date;
}

/** Messages sent at once by one worker process. */
const CONCURRENCY = 4;

export function openNotifications(deps: NotificationsDeps): Notifier {
  const settings = deps.config.notify;
  if (settings.targets.length === 0) return SILENT_NOTIFIER;
  const log = deps.log.child({ component: 'notify' });
  const counter = new Counter({
    name: 'orgsync_notifications_total',
    help: 'Notifications by target, event and result (sent, retrying, failed, dropped, not-queued)',
    labelNames: ['target', 'event', 'result'],
    registers: [deps.registry],
  });
  const connection = { connection: deps.redis, prefix: deps.keys.root };
  const queue = new Queue<NotifyJobData>(NOTIFY_QUEUE, connection);
  const worker = new Worker<NotifyJobData>(NOTIFY_QUEUE, notifyProcessor({ settings, log, counter }), { ...connection, concurrency: CONCURRENCY, settings: { backoffStrategy: notifyBackoff } });
  worker.on('error', (error) => log.error({ reason: messageOf(error) }, 'notification worker error'));
  const close = async (): Promise<void> => {
    await worker.close();
    await queue.close();
  };
  log.info({ targets: settings.targets.map(targetName) }, 'notifications on');
  return new QueueNotifier({ queue, settings, runs: deps.runs, log, now: deps.now, counter, backoffMs: durationMs(settings.backoff), close });
}
