/**
 * Bull Board under `/queues`, read-only: operators see the run queue's jobs, schedulers and
 * failures, but change plans only through the console's own actions (which the plan lifecycle
 * checks and the audit records), never by retrying, promoting or deleting jobs by hand. It sits
 * behind the same credentials as every other page.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';

export const QUEUES_PATH = '/queues';

/** `@bull-board/fastify` pins its own copy of `@bull-board/api`; the adapter contract is the same, the declarations differ. */
type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export async function registerBullBoard(app: FastifyInstance, queue: Queue): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false, displayName: 'orgsync runs' })],
    serverAdapter: serverAdapter as unknown as ServerAdapter,
    options: { uiConfig: { boardTitle: 'orgsync', miscLinks: [{ text: 'Back to the console', url: '/' }], hideDocsLink: true } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUES_PATH });
}
