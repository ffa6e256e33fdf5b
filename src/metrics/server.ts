/**
 * A small HTTP server for the worker: `GET /metrics` (Prometheus text format) and `GET /healthz`
 * (200 when Redis answers a ping, 503 otherwise). In: the registry, a health probe, host and
 * port (0 picks a free port). Out: the bound port and `close()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { messageOf } from '../errors.js';

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Resolves when the worker's dependencies answer; rejects or resolves false otherwise. */
  healthy: () => Promise<boolean>;
  log: Logger;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: MetricsServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
  if (path === '/metrics') return send(res, 200, options.registry.contentType, await options.registry.metrics());
  if (path === '/healthz') {
    const ok = await options.healthy().catch(() => false);
    return send(res, ok ? 200 : 503, 'application/json', `${JSON.stringify({ status: ok ? 'ok' : 'redis unreachable' })}\n`);
  }
  send(res, 404, 'text/plain', 'not found\n');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.log.warn({ reason: messageOf(error) }, 'metrics request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'metrics unavailable\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
