/**
 * The worker's side of notifications: turn what a run did into events and queue one job per
 * target that wants the event, on the notification queue (`notify`, under the installation's
 * prefix). Sending happens later, in that queue's own worker, so a slow or dead receiver never
 * holds up or fails a run; a failure to even queue the job is logged and counted, never thrown.
 *
 * Dedup: the job id is `<event id>.<target>`, and the event id is stable (plan id, job id, start
 * of a streak), so raising the same event again (a retried run) queues nothing new while the
 * first job is kept (a week after it is sent).
 */
import type { Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { ApplyReport } from '../apply/types.js';
import { messageOf } from '../errors.js';
import type { Plan } from '../model/plan.js';
import type { RunStore } from '../store/runs.js';
import { applyEvent, forTarget, incompleteEvent, planEvent, runFailedEvent, type FailedRun, type NotifyEvent } from './events.js';
import { NOTIFY_BACKOFF } from './processor.js';
import { targetName, wants, type NotifySettings } from './settings.js';

export const NOTIFY_QUEUE = 'notify';

export interface NotifyJobData {
  /** The target's name; its URL and credentials are looked up in the config when sending. */
  target: string;
  event: NotifyEvent;
}

/** What the run hooks call. Every method resolves, whatever happens to the notification. */
export interface Notifier {
  /** A plan was stored and waits: for approval (`ready`), or for an override (`blocked`). */
  planWaiting(plan: Plan): Promise<void>;
  /** An apply ended; notifies only when something failed or met a conflict. */
  applyFinished(plan: Plan, report: ApplyReport): Promise<void>;
  /** A sync run read its source (complete or not), as the run of job `jobId`. */
  sourceRead(plan: Plan, jobId: string): Promise<void>;
  /** A run failed for good (its last attempt, or a failure no retry can fix). */
  runFailed(run: FailedRun): Promise<void>;
  /** Stop sending (the worker is shutting down); queued notifications wait for the next worker. */
  close(): Promise<void>;
}

export const SILENT_NOTIFIER: Notifier = {
  planWaiting: async () => undefined,
  applyFinished: async () => undefined,
  sourceRead: async () => undefined,
  runFailed: async () => undefined,
  close: async () => undefined,
};

export interface QueueNotifierDeps {
  queue: Queue<NotifyJobData>;
  settings: NotifySettings;
  runs: RunStore;
  log: Logger;
  now: () => Date;
  /** `orgsync_notifications_total{target,event,result}`. */
  counter: Counter<'target' | 'event' | 'result'>;
  /** First retry wait in ms. */
  backoffMs: number;
  /** Closes the queue and the sending worker. */
  close: () => Promise<void>;
}

export class QueueNotifier implements Notifier {
  constructor(private readonly deps: QueueNotifierDeps) {}

  async planWaiting(plan: Plan): Promise<void> {
    await this.raise(() => planEvent(plan));
  }

  async applyFinished(plan: Plan, report: ApplyReport): Promise<void> {
    await this.raise(() => applyEvent(plan, report, this.deps.now()));
  }

  async sourceRead(plan: Plan, jobId: string): Promise<void> {
    await this.raise(async () => {
      const complete = plan.sources.every((s) => s.complete);
      const streak = await this.deps.runs.noteRead(plan.profile, complete, jobId, this.deps.now());
      return streak.runs === this.deps.settings.incompleteRuns ? incompleteEvent(plan, streak) : null;
    });
  }

  async runFailed(run: FailedRun): Promise<void> {
    await this.raise(() => runFailedEvent(run, this.deps.now()));
  }

  close(): Promise<void> {
    return this.deps.close();
  }

  /** Build the event (null: nothing to say) and queue it for every target that wants it. */
  private async raise(build: () => NotifyEvent | null | Promise<NotifyEvent | null>): Promise<void> {
    const { settings, queue, log, counter } = this.deps;
    let event: NotifyEvent | null = null;
    try {
      event = await build();
      if (!event) return;
      const targets = settings.targets.filter((t) => wants(t, event!.type));
      await queue.addBulk(targets.map((t) => ({ name: event!.type, data: { target: targetName(t), event: forTarget(event!, t.includeAddresses) }, opts: this.options(`${event!.id}.${targetName(t)}`) })));
    } catch (error) {
      counter.inc({ target: 'all', event: event?.type ?? 'unknown', result: 'not-queued' });
      log.warn({ event: event?.id, reason: messageOf(error) }, 'could not queue a notification');
    }
  }

  private options(jobId: string) {
    return {
      jobId,
      attempts: this.deps.settings.attempts,
      backoff: { type: NOTIFY_BACKOFF, delay: this.deps.backoffMs },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    };
  }
}
