/**
 * An emulated Okta org over HTTP (node:http, loopback, port 0) for connector tests and benchmarks.
 *
 * Serves `/api/v1/users`, `/api/v1/groups`, `/api/v1/groups/{id}/users` (bare JSON arrays, `Link`
 * paging with `after` and `limit`, `filter` / `search`) and `/oauth2/v1/token`. Every answer carries
 * `X-Rate-Limit-Limit/Remaining/Reset` for its endpoint family; a spent budget answers 429
 * `E0000047`. Auth is `SSWS <token>` or `Bearer <access token>` from the token endpoint. Tests
 * change the org through `org`, inject failures with `fail`, and read counters from `stats`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RateLimiter, familyOf, type RateLimitOptions } from './limits.js';
import { listGroupUsers, listGroups, listUsers, oktaError, type Answer } from './listing.js';
import { TokenEndpoint, type ServiceApp } from './oauth.js';
import { seedOrg, type OktaOrg, type SeedOptions } from './org.js';

export interface OktaEmulatorOptions {
  /** The org to serve, or `seed` options to build one (default: 20 users, 4 groups). */
  org?: OktaOrg;
  seed?: SeedOptions;
  /** The SSWS API token accepted (default `test-token`). */
  token?: string;
  /** An OAuth 2.0 service app whose private-key assertions the token endpoint accepts. */
  serviceApp?: ServiceApp;
  rateLimit?: RateLimitOptions;
  /** Delay before each answer, in ms. */
  latencyMs?: number;
  /** Requests in flight at once before 429 (Okta's concurrency limit; default 75). */
  maxConcurrent?: number;
}

/** Makes matching requests fail: `path` is a path prefix; `paging` limits it to requests with `after`. */
export interface FailureRule {
  path: string;
  paging?: boolean;
  status?: number;
  /** How many requests fail (default: all). */
  times?: number;
  /** For a 429: the reset it announces, this long from now (instead of its family's window). */
  resetInMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  family: string;
  status: number;
  /** Epoch ms the answer was sent. */
  at: number;
  /** The `X-Rate-Limit-Reset` sent (epoch seconds). */
  reset: number;
}

export interface EmulatorStats {
  requests: number;
  /** 429 answers sent. */
  throttled: number;
  /** Answers failed by injection. */
  injected: number;
  /** User objects served by `/api/v1/users`. */
  usersServed: number;
  /** User objects served by member listings. */
  membersServed: number;
  /** Most requests in flight at once. */
  peakConcurrent: number;
  log: RequestRecord[];
}

export interface OktaEmulator {
  url: string;
  org: OktaOrg;
  stats: EmulatorStats;
  fail(rule: FailureRule): void;
  clearFailures(): void;
  resetStats(): void;
  close(): Promise<void>;
}

function emptyStats(): EmulatorStats {
  return { requests: 0, throttled: 0, injected: 0, usersServed: 0, membersServed: 0, peakConcurrent: 0, log: [] };
}

const RATE_LIMITED = (): Answer => oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

class EmulatedOkta {
  url = '';
  stats = emptyStats();
  private readonly limiter: RateLimiter;
  private readonly tokenEndpoint: TokenEndpoint | undefined;
  private readonly accessTokens = new Map<string, string[]>();
  private readonly failures: Array<FailureRule & { left: number }> = [];
  private inFlight = 0;

  constructor(
    readonly org: OktaOrg,
    private readonly options: OktaEmulatorOptions,
  ) {
    this.limiter = new RateLimiter(options.rateLimit);
    this.tokenEndpoint = options.serviceApp ? new TokenEndpoint(options.serviceApp) : undefined;
  }

  fail(rule: FailureRule): void {
    this.failures.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clearFailures(): void {
    this.failures.splice(0);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.stats.peakConcurrent = Math.max(this.stats.peakConcurrent, this.inFlight);
    const url = new URL(req.url ?? '/', this.url);
    const family = familyOf(url.pathname);
    const body = await readBody(req);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const rate = this.limiter.take(family);
    const limited = !rate.allowed || this.inFlight > (this.options.maxConcurrent ?? 75);
    const answer = limited ? RATE_LIMITED() : this.injected(url) ?? this.route(req, url, body);
    this.count(req, url, family, answer, Number(rate.headers['x-rate-limit-reset']));
    res.writeHead(answer.status, { 'content-type': 'application/json', 'x-okta-request-id': `req${this.stats.requests}`, ...rate.headers, ...answer.headers });
    res.end(JSON.stringify(answer.body));
    this.inFlight -= 1;
  }

  private count(req: IncomingMessage, url: URL, family: string, answer: Answer, reset: number): void {
    const stats = this.stats;
    stats.requests += 1;
    if (answer.status === 429) stats.throttled += 1;
    stats.usersServed += answer.users ?? 0;
    stats.membersServed += answer.members ?? 0;
    stats.log.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, family, status: answer.status, at: Date.now(), reset });
  }

  private injected(url: URL): Answer | undefined {
    const rule = this.failures.find((f) => f.left > 0 && url.pathname.startsWith(f.path) && (!f.paging || url.searchParams.has('after')));
    if (!rule) return undefined;
    rule.left -= 1;
    this.stats.injected += 1;
    const status = rule.status ?? 500;
    if (status === 429 && rule.resetInMs !== undefined) return { ...RATE_LIMITED(), headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.ceil((Date.now() + rule.resetInMs) / 1000)) } };
    if (status === 429) return RATE_LIMITED();
    return status >= 500 ? oktaError(status, 'E0000009', 'Internal Server Error') : oktaError(status, 'E0000001', 'Api validation failed');
  }

  private route(req: IncomingMessage, url: URL, body: string): Answer {
    if (req.method === 'POST' && url.pathname === '/oauth2/v1/token') return this.token(body);
    if (req.method !== 'GET') return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    const need = url.pathname.startsWith('/api/v1/users') ? 'okta.users.read' : 'okta.groups.read';
    const denied = this.authorize(req.headers.authorization, need);
    if (denied) return denied;
    const members = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(url.pathname);
    if (url.pathname === '/api/v1/users') return listUsers(this.org, url, this.url);
    if (url.pathname === '/api/v1/groups') return listGroups(this.org, url, this.url);
    if (members) return listGroupUsers(this.org, members[1]!, url, this.url);
    return oktaError(404, 'E0000007', `Not found: Resource not found: ${url.pathname} (Endpoint)`);
  }

  private authorize(header: string | undefined, scope: string): Answer | undefined {
    const [scheme, value] = (header ?? '').split(' ', 2);
    if (scheme === 'SSWS' && value === (this.options.token ?? 'test-token')) return undefined;
    const granted = scheme === 'Bearer' && value ? this.accessTokens.get(value) : undefined;
    if (!granted) return oktaError(401, 'E0000011', 'Invalid token provided');
    if (!granted.includes(scope) && !granted.includes(scope.replace('.read', '.manage'))) {
      return oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
    }
    return undefined;
  }

  private token(body: string): Answer {
    if (!this.tokenEndpoint) return oktaError(404, 'E0000007', 'Not found: Resource not found: token (Endpoint)');
    const answer = this.tokenEndpoint.grant(new URLSearchParams(body), `${this.url}/oauth2/v1/token`);
    if (answer.status === 200) this.accessTokens.set(answer.body.access_token, answer.scopes);
    return { status: answer.status, body: answer.body };
  }
}

export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const okta = new EmulatedOkta(options.org ?? seedOrg(options.seed ?? { users: 20, groups: 4 }), options);
  const server = createServer((req, res) => {
    okta.handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  okta.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: okta.url,
    org: okta.org,
    get stats() {
      return okta.stats;
    },
    fail: (rule) => okta.fail(rule),
    clearFailures: () => okta.clearFailures(),
    resetStats: () => void (okta.stats = emptyStats()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export { seedOrg, OktaOrg, USER_STATUSES } from './org.js';
export type { SeedOptions, EmulatedUser, EmulatedGroup, UserStatus } from './org.js';
export type { ServiceApp } from './oauth.js';
