/**
 * Bull Board under `/queues`, read-only: operators see the run queue's jobs, schedulers and
 * failures, but change plans only through the console's own actions (which the plan lifecycle
 * checks and the audit records), never by retrying, promoting or deleting jobs by hand. It sits
 * behind the same credentials and is served with the same security headers (CSP, frame denial)
 * as every other page.
 *
 * Air-gapped: Bull Board's page links web fonts from a public CDN; `withoutRemoteAssets` drops
 * every stylesheet, script or icon the page would fetch from another origin (the board falls back
 * to local fonts), so the console never makes a third-party request.
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
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(QUEUES_PATH) || typeof payload !== 'string') return payload;
    return String(reply.getHeader('content-type') ?? '').includes('text/html') ? withoutRemoteAssets(payload) : payload;
  });
}

const REMOTE_ASSET = /<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*["']?(?:https?:)?\/\/[^>]*>(?:\s*<\/script>)?/gi;

/** An HTML page without the `<link>` and `<script>` elements that would load from another origin. */
export function withoutRemoteAssets(html: string): string {
  return html.replace(REMOTE_ASSET, '');
}
