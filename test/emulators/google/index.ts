/**
 * A Google Workspace emulator for tests and benchmarks: the Admin SDK Directory API lists the
 * `google` source reads and Google's OAuth 2.0 token endpoint for service accounts, on one HTTP
 * server on 127.0.0.1 (random port).
 *
 * In: a `Workspace`, the service accounts it knows and the domain-wide delegation granted to them.
 * Out: `{ rootUrl, tokenUrl, stats, inject, close, ... }`. Every API request needs a bearer token
 * issued by `POST /token` (else 401) whose scopes cover the call (else 403
 * `insufficientPermissions`), and whose subject is an admin (else 403 `forbidden`). Faults (any
 * status with a reason, `Retry-After`) can be injected on a given page of a given route.
 * See `ASSUMPTIONS.md` for the source of each behaviour.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FieldsError, applyFields, parseFields } from './fields.js';
import { ApiError, errorAnswer, listGroups, listMembers, listUsers, pageNumber, type Answer } from './listing.js';
import { tokenRequest, type Grant, type OAuthState, type ServiceAccount } from './oauth.js';
import type { Workspace } from './workspace.js';

export { Workspace, seedWorkspace, type SeedOptions } from './workspace.js';
export { makeServiceAccount, GOOGLE_TOKEN_AUDIENCE, type ServiceAccount } from './oauth.js';

const SCOPE = 'https://www.googleapis.com/auth/admin.directory.';
export const READ_SCOPES = [`${SCOPE}user.readonly`, `${SCOPE}group.readonly`, `${SCOPE}group.member.readonly`];

export type RouteName = 'token' | 'users' | 'groups' | 'members';

/** Scopes any one of which lets a token call the route. */
const ROUTE_SCOPES: Record<Exclude<RouteName, 'token'>, string[]> = {
  users: [`${SCOPE}user.readonly`, `${SCOPE}user`],
  groups: [`${SCOPE}group.readonly`, `${SCOPE}group`],
  members: [`${SCOPE}group.member.readonly`, `${SCOPE}group.member`, `${SCOPE}group.readonly`, `${SCOPE}group`],
};

export interface GoogleEmulatorOptions {
  workspace: Workspace;
  accounts: ServiceAccount[];
  /** Numeric client id -> scopes authorized for domain-wide delegation (default: each account, the three read scopes). */
  delegation?: Map<string, Set<string>>;
  /** Wait before every answer (default 0). */
  latencyMs?: number;
}

export interface Fault {
  route: RouteName;
  /** Only this page of a listing (1-based); any page when absent. */
  page?: number;
  /** Only this group's member list (its id). */
  groupKey?: string;
  status: number;
  reason?: string;
  message?: string;
  domain?: string;
  /** `Retry-After` header value, in seconds. */
  retryAfter?: string;
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Answer this body with `status` instead of an error (e.g. a proxy's page). */
  body?: unknown;
}

export interface EmulatorStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<number, number>;
  /** Member lists read, by group id (every page counts). */
  memberRequests: Record<string, number>;
  /** Most requests of a route being answered at once. */
  maxInFlight: Record<string, number>;
  reset(): void;
}

export interface GoogleEmulator {
  /** The `rootUrl` setting: `http://127.0.0.1:PORT`. */
  rootUrl: string;
  /** The `tokenUrl` setting: `http://127.0.0.1:PORT/token`. */
  tokenUrl: string;
  workspace: Workspace;
  delegation: Map<string, Set<string>>;
  stats: EmulatorStats;
  inject(fault: Fault): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const USERS = '/admin/directory/v1/users';
const GROUPS = '/admin/directory/v1/groups';
const MEMBERS = /^\/admin\/directory\/v1\/groups\/([^/]+)\/members$/;

function newStats(): EmulatorStats {
  const stats: EmulatorStats = {
    total: 0,
    byRoute: {},
    byStatus: {},
    memberRequests: {},
    maxInFlight: {},
    reset() {
      Object.assign(stats, { total: 0, byRoute: {}, byStatus: {}, memberRequests: {}, maxInFlight: {} });
    },
  };
  return stats;
}

function route(method: string, path: string): { name: RouteName; groupKey?: string } | undefined {
  if (method === 'POST' && path === '/token') return { name: 'token' };
  if (method !== 'GET') return undefined;
  if (path === USERS) return { name: 'users' };
  if (path === GROUPS) return { name: 'groups' };
  const members = MEMBERS.exec(path);
  return members ? { name: 'members', groupKey: decodeURIComponent(members[1]!) } : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startGoogleEmulator(options: GoogleEmulatorOptions): Promise<GoogleEmulator> {
  const { workspace, accounts } = options;
  const delegation = options.delegation ?? new Map(accounts.map((a) => [a.clientId, new Set(READ_SCOPES)]));
  const oauth: OAuthState = { workspace, accounts, delegation, tokens: new Map<string, Grant>(), nowSeconds: () => Math.floor(Date.now() / 1000) };
  const faults: Fault[] = [];
  const stats = newStats();
  let latency = options.latencyMs ?? 0;
  let origin = '';
  const inFlight: Record<string, number> = {};

  function takeFault(name: RouteName, page: number, groupKey: string | undefined): Fault | undefined {
    const index = faults.findIndex((f) => f.route === name && (f.page === undefined || f.page === page) && (f.groupKey === undefined || f.groupKey === groupKey));
    if (index < 0) return undefined;
    const fault = faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  /** The grant behind the request's bearer token, or the refusal. */
  function authorize(req: IncomingMessage, name: Exclude<RouteName, 'token'>): Grant {
    const header = req.headers.authorization ?? '';
    const grant = header.startsWith('Bearer ') ? oauth.tokens.get(header.slice('Bearer '.length)) : undefined;
    if (!grant) throw new ApiError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    if (!ROUTE_SCOPES[name].some((scope) => grant.scopes.has(scope))) throw new ApiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    const subject = grant.subject === undefined ? undefined : workspace.findUser(grant.subject);
    if (!subject?.isAdmin) throw new ApiError(403, 'forbidden', 'Not Authorized to access this resource/api');
    return grant;
  }

  function api(req: IncomingMessage, url: URL, name: Exclude<RouteName, 'token'>, groupKey: string | undefined): Answer {
    authorize(req, name);
    const fields = url.searchParams.get('fields');
    const selection = fields === null ? undefined : parseFields(fields);
    const answer = name === 'users' ? listUsers(url, workspace) : name === 'groups' ? listGroups(url, workspace) : listMembers(url, workspace, groupKey!);
    return selection ? { ...answer, body: applyFields(answer.body, selection) } : answer;
  }

  async function answer(req: IncomingMessage, url: URL): Promise<Answer> {
    const matched = route(req.method ?? 'GET', url.pathname);
    stats.total += 1;
    if (!matched) return errorAnswer(new ApiError(404, 'notFound', `Not Found: ${req.method} ${url.pathname}`));
    stats.byRoute[matched.name] = (stats.byRoute[matched.name] ?? 0) + 1;
    if (matched.groupKey !== undefined) stats.memberRequests[matched.groupKey] = (stats.memberRequests[matched.groupKey] ?? 0) + 1;
    const [max, fallback] = matched.name === 'users' ? [500, 100] : [200, 200];
    const fault = takeFault(matched.name, pageNumber(url, max, fallback), matched.groupKey);
    const body = matched.name === 'token' ? await readBody(req) : '';
    if (latency > 0) await sleep(latency);
    if (fault?.body !== undefined) return { status: fault.status, body: fault.body };
    if (fault) {
      const error = new ApiError(fault.status, fault.reason ?? (fault.status >= 500 ? 'backendError' : 'badRequest'), fault.message ?? (fault.status >= 500 ? 'Backend Error' : 'Bad Request'), fault.domain);
      return errorAnswer(error, fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : undefined);
    }
    if (matched.name === 'token') return tokenRequest(new URLSearchParams(body), oauth);
    try {
      return api(req, url, matched.name, matched.groupKey);
    } catch (error) {
      if (error instanceof ApiError) return errorAnswer(error);
      if (error instanceof FieldsError) return errorAnswer(new ApiError(400, 'invalidParameter', error.message));
      throw error;
    }
  }

  function send(res: ServerResponse, a: Answer): void {
    stats.byStatus[a.status] = (stats.byStatus[a.status] ?? 0) + 1;
    res.writeHead(a.status, { 'content-type': 'application/json; charset=UTF-8', ...a.headers });
    res.end(JSON.stringify(a.body));
  }

  const server = createServer((req, res) => {
    const name = route(req.method ?? 'GET', new URL(req.url ?? '/', origin).pathname)?.name ?? 'unknown';
    inFlight[name] = (inFlight[name] ?? 0) + 1;
    stats.maxInFlight[name] = Math.max(stats.maxInFlight[name] ?? 0, inFlight[name]);
    res.on('close', () => void (inFlight[name] = (inFlight[name] ?? 1) - 1));
    answer(req, new URL(req.url ?? '/', origin))
      .then((a) => send(res, a))
      .catch((error: unknown) => send(res, errorAnswer(new ApiError(500, 'backendError', String(error)))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    rootUrl: origin,
    tokenUrl: `${origin}/token`,
    workspace,
    delegation,
    stats,
    inject: (fault) => void faults.push({ ...fault }),
    setLatency: (ms) => void (latency = ms),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
