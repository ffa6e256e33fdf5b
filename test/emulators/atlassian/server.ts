/**
 * The Atlassian Cloud emulator: one node:http server on 127.0.0.1:0 serving the organization API
 * (API-key bearer auth) and the user-provisioning SCIM API (SCIM-token bearer auth) over one
 * `AtlassianModel`. Around the routes: a wrong credential answers 401; an optional rate limit per
 * credential (fixed window) answers 429 with `X-RateLimit-Limit/-Remaining/-Reset` (ISO-8601, no
 * `Retry-After`); `throttleNext(n)` forces 429s; optional seeded random 500s happen before a request
 * does anything. Every request is logged, and a throttled request repeated before the reset it was
 * told to wait for is answered 429 again and counted as `early`. `loseNextAnswer(method, path)`
 * makes the next matching request act and then answer 500, as when a server's answer is lost.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AtlassianModel, ModelError } from './model.js';
import { orgRoutes } from './org-api.js';
import { match, type Route } from './router.js';
import { scimRoutes } from './scim-api.js';

export interface AtlassianEmulatorOptions {
  orgId?: string;
  directoryId?: string;
  scimDirectoryId?: string;
  apiKey?: string;
  scimToken?: string;
  /** Largest page the org API returns (cursor paging). Default 100. */
  maxPageSize?: number;
  /** Largest (and default) SCIM page. Default 100. */
  scimPageSize?: number;
  /** Requests per credential per window; over it: 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Answer this share of authenticated requests with 500, from a seeded generator. */
  failures?: { rate: number; seed: number };
  /** Origin written into absolute `links.next` URLs (default: the emulator's own). */
  linksOrigin?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  api: 'org' | 'scim';
}

export interface EmulatorStats {
  throttled: number;
  early: number;
  failed: number;
}

export interface AtlassianEmulator {
  url: string;
  orgId: string;
  directoryId: string;
  scimDirectoryId: string;
  apiKey: string;
  scimToken: string;
  model: AtlassianModel;
  requests: LoggedRequest[];
  /** Answer the next `n` authenticated requests with 429, telling the caller to wait `waitMs`. */
  throttleNext(n: number, waitMs?: number): void;
  /** The next request with this method whose path matches acts on the model, then answers 500. */
  loseNextAnswer(method: string, path: RegExp): void;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

/** Requests this close to the announced reset are not counted early (timer granularity). */
const RESET_GRACE_MS = 10;

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Limits {
  readonly stats: EmulatorStats = { throttled: 0, early: 0, failed: 0 };
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly blockedUntil = new Map<string, number>();
  private forced = { left: 0, waitMs: 200 };
  private readonly random: (() => number) | undefined;

  constructor(private readonly options: AtlassianEmulatorOptions) {
    this.random = options.failures ? seeded(options.failures.seed) : undefined;
  }

  force(n: number, waitMs: number): void {
    this.forced = { left: n, waitMs };
  }

  /**
   * Headers for this request, and whether it is throttled. A forced 429 tells the caller to wait;
   * the same request (credential, method and path) coming back before then is `early`.
   */
  check(credential: string, request: string, now: number): { headers: Record<string, string>; throttled: boolean } {
    const key = `${credential} ${request}`;
    const blocked = this.blockedUntil.get(key) ?? 0;
    if (now < blocked - RESET_GRACE_MS) {
      this.stats.early += 1;
      return this.throttle(key, blocked);
    }
    if (this.forced.left > 0) {
      this.forced.left -= 1;
      return this.throttle(key, now + this.forced.waitMs);
    }
    const limit = this.options.rateLimit;
    if (!limit) return { headers: {}, throttled: false };
    let window = this.windows.get(credential);
    if (!window || now >= window.start + limit.windowMs) this.windows.set(credential, (window = { start: now, count: 0 }));
    const reset = window.start + limit.windowMs;
    if (window.count >= limit.limit) {
      this.stats.throttled += 1;
      return { headers: rateHeaders(limit.limit, 0, reset), throttled: true };
    }
    window.count += 1;
    return { headers: rateHeaders(limit.limit, limit.limit - window.count, reset), throttled: false };
  }

  fails(): boolean {
    if (!this.random || this.random() >= (this.options.failures?.rate ?? 0)) return false;
    this.stats.failed += 1;
    return true;
  }

  private throttle(key: string, until: number): { headers: Record<string, string>; throttled: boolean } {
    this.stats.throttled += 1;
    this.blockedUntil.set(key, until);
    return { headers: rateHeaders(this.options.rateLimit?.limit ?? 0, 0, until), throttled: true };
  }
}

function rateHeaders(limit: number, remaining: number, reset: number): Record<string, string> {
  return { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, remaining)), 'x-ratelimit-reset': new Date(reset).toISOString() };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelError(400, 'the request body is not valid JSON', 'invalidSyntax');
  }
}

function errorBody(api: 'org' | 'scim', status: number, message: string, scimType?: string): unknown {
  if (api === 'scim') return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}), detail: message };
  return { errors: [{ status: String(status), code: `ADMIN-${status}`, title: message }] };
}

function send(res: ServerResponse, api: 'org' | 'scim', status: number, body: unknown, headers: Record<string, string>): void {
  const type = api === 'scim' ? 'application/scim+json' : 'application/json';
  res.writeHead(status, body === undefined ? headers : { ...headers, 'content-type': type });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startAtlassianEmulator(options: AtlassianEmulatorOptions = {}): Promise<AtlassianEmulator> {
  const ids = {
    orgId: options.orgId ?? 'org-0001',
    directoryId: options.directoryId ?? 'dir-0001',
    scimDirectoryId: options.scimDirectoryId ?? 'scim-0001',
    apiKey: options.apiKey ?? 'org-api-key',
    scimToken: options.scimToken ?? 'scim-api-key',
  };
  const model = new AtlassianModel();
  const limits = new Limits(options);
  const routes: Record<'org' | 'scim', Route[]> = {
    org: orgRoutes({ orgId: ids.orgId, directoryId: ids.directoryId, maxPageSize: options.maxPageSize ?? 100 }),
    scim: scimRoutes({ scimDirectoryId: ids.scimDirectoryId, pageSize: options.scimPageSize ?? 100 }),
  };
  const requests: LoggedRequest[] = [];
  const lose: Array<{ method: string; path: RegExp }> = [];
  const lost = (method: string, pathname: string): boolean => {
    const index = lose.findIndex((l) => l.method === method && l.path.test(pathname));
    if (index >= 0) lose.splice(index, 1);
    return index >= 0;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const api = url.pathname.startsWith('/scim/') ? 'scim' : 'org';
    const method = req.method ?? 'GET';
    res.on('finish', () => requests.push({ method, path: url.pathname + url.search, status: res.statusCode, api }));
    const credential = api === 'scim' ? ids.scimToken : ids.apiKey;
    if (req.headers.authorization !== `Bearer ${credential}`) return send(res, api, 401, errorBody(api, 401, 'invalid or missing credentials'), {});
    const limit = limits.check(credential, `${method} ${url.pathname}${url.search}`, Date.now());
    if (limit.throttled) return send(res, api, 429, errorBody(api, 429, 'rate limit exceeded'), limit.headers);
    if (limits.fails()) return send(res, api, 500, errorBody(api, 500, 'internal error (emulated)'), limit.headers);
    const found = match(routes[api], method, url.pathname);
    if (!found) return send(res, api, 404, errorBody(api, 404, `no route ${method} ${url.pathname}`), limit.headers);
    try {
      const body = await readJson(req);
      const reply = found.route.handler({ params: found.params, query: url.searchParams, body, origin: options.linksOrigin ?? url.origin, model });
      if (lost(method, url.pathname)) return send(res, api, 500, errorBody(api, 500, 'answer lost (emulated)'), limit.headers);
      send(res, api, reply.status, reply.body, limit.headers);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      send(res, api, error.status, errorBody(api, error.status, error.message, error.scimType), limit.headers);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 'org', 500, errorBody('org', 500, String(error)), {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ...ids,
    model,
    requests,
    throttleNext: (n, waitMs = 200) => limits.force(n, waitMs),
    loseNextAnswer: (method, path) => void lose.push({ method, path }),
    stats: () => ({ ...limits.stats }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
