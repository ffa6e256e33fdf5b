/**
 * The routes served without credentials: `GET /healthz` (200 `{status:"ok"}` when Redis answers a
 * ping within 2 s, else 503), `GET /metrics` (Prometheus text: stored plans by status, queue jobs
 * by state, console actions, process metrics) and the stylesheet and page script.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { SCRIPT } from '../assets/script.js';
import { STYLESHEET } from '../assets/style.js';

const PUBLIC = { config: { public: true } };

export function registerOpenRoutes(app: FastifyInstance, redis: Redis, registry: Registry): void {
  app.get('/healthz', PUBLIC, async (_request, reply) => {
    const ok = await redisAnswers(redis, 2000);
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({ status: ok ? 'ok' : 'redis unreachable' });
  });
  app.get('/metrics', PUBLIC, async (_request, reply) => reply.type(registry.contentType).header('cache-control', 'no-store').send(await registry.metrics()));
  app.get('/assets/console.css', PUBLIC, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(STYLESHEET));
  app.get('/assets/console.js', PUBLIC, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(SCRIPT));
}

/** True when Redis answers a ping within `ms` (while it is down, commands would wait for a reconnect). */
export async function redisAnswers(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([redis.ping().then((pong) => pong === 'PONG', () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
