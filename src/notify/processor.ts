/**
 * The notification queue's job handler: build the target's message from the event and send it.
 * Failures are classified like runs' (`src/queue/failures.ts`): a receiver that is down, slow,
 * answers 5xx or 429 is tried again with exponential backoff (`notifyBackoff`: never sooner than
 * a throttling receiver asked) up to `notify.attempts`; one that refuses the message (other 4xx)
 * is given up at once. Every outcome is one log line (target, event id, reason: never the URL's
 * path, a token or a body) and one count in `orgsync_notifications_total`. A job for a target no
 * longer configured is dropped.
 */
import type { Job, MinimalJob, Processor } from 'bullmq';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { isOrgsyncError } from '../errors.js';
import { classifyFailure, jobError } from '../queue/failures.js';
import { messageFor } from './messages/index.js';
import type { NotifyJobData } from './notifier.js';
import { send } from './sender.js';
import { targetName, type NotifySettings } from './settings.js';

/** The backoff type of notification jobs: `notifyBackoff`, set as the worker's strategy. */
export const NOTIFY_BACKOFF = 'notify';

/** Longest wait a receiver's `Retry-After` is honoured for. */
const MAX_ASKED_WAIT_MS = 15 * 60_000;

/**
 * Exponential backoff from the job's `backoff.delay` (doubling per attempt, ±20 % jitter), or the
 * wait a throttling receiver asked for (429, 503 with `Retry-After`) when that is longer.
 */
export function notifyBackoff(attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number {
  const backoff = job?.opts.backoff;
  const delay = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 1000;
  const exponential = delay * 2 ** Math.max(0, attemptsMade - 1) * (0.8 + Math.random() * 0.4);
  const asked = isOrgsyncError(err) && err.retry === 'throttled' ? Math.min(err.retryAfterMs ?? 0, MAX_ASKED_WAIT_MS) : 0;
  return Math.round(Math.max(exponential, asked));
}

export interface NotifyProcessorDeps {
  settings: NotifySettings;
  log: Logger;
  counter: Counter<'target' | 'event' | 'result'>;
  timeoutMs?: number;
}

export function notifyProcessor(deps: NotifyProcessorDeps): Processor<NotifyJobData> {
  return async (job: Job<NotifyJobData>) => {
    const { target: name, event } = job.data;
    const labels = { target: name, event: event.type };
    const fields = { target: name, event: event.id };
    const target = deps.settings.targets.find((t) => targetName(t) === name);
    if (!target) {
      deps.counter.inc({ ...labels, result: 'dropped' });
      deps.log.warn(fields, 'notification dropped: its target is no longer configured');
      return;
    }
    try {
      await send(target, event, messageFor(target.kind, event, deps.settings.consoleUrl), { timeoutMs: deps.timeoutMs });
    } catch (error) {
      const failure = classifyFailure(error);
      const final = failure.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.counter.inc({ ...labels, result: final ? 'failed' : 'retrying' });
      if (final) deps.log.error({ ...fields, attempts: job.attemptsMade + 1, reason: failure.reason }, 'notification not delivered; given up');
      else deps.log.warn({ ...fields, attempt: job.attemptsMade + 1, reason: failure.reason }, 'notification not delivered; will retry');
      throw jobError(error, failure);
    }
    deps.counter.inc({ ...labels, result: 'sent' });
    deps.log.info(fields, 'notification sent');
  };
}
