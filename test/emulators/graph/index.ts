/**
 * A Microsoft Graph emulator for tests and benchmarks: an HTTP server on 127.0.0.1 (random port)
 * serving `/v1.0/users`, `/v1.0/users/{id}`, `/v1.0/users/delta`, `/v1.0/groups`,
 * `/v1.0/groups/delta`, `/v1.0/groups/{id}/members` and `/v1.0/groups/{id}/transitiveMembers`
 * from an in-memory `Tenant`.
 *
 * In: options (tenant, bearer token, latency, delta page sizes). Out: `{ url, tenant, stats,
 * inject, expireDeltaTokens, close, ... }`. Every request waits `latencyMs` (default 25 ms), needs
 * `Authorization: Bearer <token>` (else 401), is counted by route and path, and may be hit by an
 * injected fault (429 with `Retry-After`, 5xx, slowness) on a given page of a given route.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ODataError, graphError, matchRoute, pageOf, type Answer, type DeltaState } from './routes.js';
import { Tenant } from './tenant.js';

export { Tenant } from './tenant.js';
export { seedTenant, type SeedOptions } from './seed.js';

export interface GraphEmulatorOptions {
  tenant?: Tenant;
  /** The bearer token every request must carry (default `emulator-token`). */
  token?: string;
  /** Wait before every answer (default 25 ms). */
  latencyMs?: number;
  /** Entries per delta page (default 200). */
  deltaPageSize?: number;
  /** Members per `members@delta` entry before a group is split over several entries (default 100). */
  deltaMemberChunk?: number;
}

/** A failure or slowness injected into matching requests. */
export interface Fault {
  /** A route name (`users`, `groups/{id}/members`, `users/delta`, ...) or a concrete path (`/groups/<id>/members`). */
  route: string;
  /** Only this page of a paging sequence (1-based); any page when absent. */
  page?: number;
  status?: number;
  /** `Retry-After` header value, in seconds (fractions allowed). */
  retryAfter?: string;
  code?: string;
  message?: string;
  /** Extra wait before answering. */
  delayMs?: number;
  /** How many matching requests it hits (default 1; `Infinity` for all). */
  times?: number;
}

export interface RequestStats {
  total: number;
  unauthorized: number;
  byRoute: Record<string, number>;
  byPath: Record<string, number>;
  byStatus: Record<number, number>;
  /** Authorization headers seen, in order (the last 50). */
  authorizations: string[];
  reset(): void;
}

export interface GraphEmulator {
  /** Base URL including the version: `http://127.0.0.1:PORT/v1.0`. */
  url: string;
  tenant: Tenant;
  token: string;
  stats: RequestStats;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Expire every delta token (and delta round in progress) issued so far. */
  expireDeltaTokens(answer?: { status: number; code: string }): void;
  setLatency(ms: number): void;
  setToken(token: string): void;
  close(): Promise<void>;
}

function newStats(): RequestStats {
  const stats: RequestStats = {
    total: 0,
    unauthorized: 0,
    byRoute: {},
    byPath: {},
    byStatus: {},
    authorizations: [],
    reset() {
      Object.assign(stats, { total: 0, unauthorized: 0, byRoute: {}, byPath: {}, byStatus: {}, authorizations: [] });
    },
  };
  return stats;
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json;odata.metadata=minimal;charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const tenant = options.tenant ?? new Tenant();
  let token = options.token ?? 'emulator-token';
  let latency = options.latencyMs ?? 25;
  const faults: Fault[] = [];
  const stats = newStats();
  const delta: DeltaState = { epoch: 1, pageSize: options.deltaPageSize ?? 200, memberChunk: options.deltaMemberChunk ?? 100, expired: { status: 410, code: 'syncStateNotFound' }, cursors: new Map() };
  let base = '';

  function takeFault(routeName: string, path: string, page: number): Fault | undefined {
    const index = faults.findIndex((f) => (f.route === routeName || f.route === path) && (f.page === undefined || f.page === page));
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  function answer(req: IncomingMessage, url: URL): Promise<Answer> | Answer {
    const path = url.pathname.startsWith('/v1.0/') ? url.pathname.slice('/v1.0'.length) : url.pathname;
    const matched = url.pathname.startsWith('/v1.0/') ? matchRoute(path) : undefined;
    const routeName = matched?.route.name ?? 'unknown';
    stats.total += 1;
    stats.byRoute[routeName] = (stats.byRoute[routeName] ?? 0) + 1;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    stats.authorizations = [...stats.authorizations.slice(-49), req.headers.authorization ?? ''];
    const fault = takeFault(routeName, path, pageOf(url));
    return sleep(latency + (fault?.delayMs ?? 0)).then(() => respond(req, url, matched, fault));
  }

  function respond(req: IncomingMessage, url: URL, matched: ReturnType<typeof matchRoute>, fault: Fault | undefined): Answer {
    if (req.headers.authorization !== `Bearer ${token}`) {
      stats.unauthorized += 1;
      return graphError(401, 'InvalidAuthenticationToken', req.headers.authorization ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.');
    }
    if (fault?.status !== undefined) {
      const code = fault.code ?? (fault.status === 429 ? 'TooManyRequests' : fault.status >= 500 ? 'InternalServerError' : 'BadRequest');
      return graphError(fault.status, code, fault.message ?? `Injected ${fault.status}`, fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : undefined);
    }
    if (req.method !== 'GET') return graphError(405, 'Request_BadRequest', `Method ${req.method} is not supported by the emulator`);
    if (!matched) return graphError(400, 'BadRequest', `Resource not found for the segment '${url.pathname}'.`);
    try {
      return matched.route.handle({ tenant, url, base, params: matched.params, delta, consistencyLevel: header(req, 'consistencylevel') });
    } catch (error) {
      if (error instanceof ODataError) return graphError(400, error.code, error.message);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    Promise.resolve(answer(req, url))
      .then((a) => {
        stats.byStatus[a.status] = (stats.byStatus[a.status] ?? 0) + 1;
        send(res, a);
      })
      .catch((error: unknown) => send(res, graphError(500, 'InternalServerError', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `${origin}/v1.0`;

  return {
    url: base,
    tenant,
    get token() {
      return token;
    },
    stats,
    inject: (fault) => void faults.push({ ...fault }),
    clearFaults: () => void faults.splice(0),
    expireDeltaTokens(expiredAnswer) {
      delta.epoch += 1;
      if (expiredAnswer) delta.expired = expiredAnswer;
    },
    setLatency: (ms) => void (latency = ms),
    setToken: (value) => void (token = value),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
