/**
 * The Atlassian Cloud emulator's HTTP server: one node:http server on 127.0.0.1:0 serving the
 * organization API (org API key, bearer) and one SCIM API per identity-provider directory (that
 * directory's SCIM token, bearer) over one `AtlassianModel`. Around the routes: a wrong credential
 * answers 401; `limits.ts` throttles and fails; every request is logged; `loseNextAnswer(method,
 * path)` makes the next matching request act and then answer 500, as when an answer is lost.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelError, orgErrorBody, scimErrorBody } from './errors.js';
import { Limits } from './limits.js';
import { AtlassianModel } from './model.js';
import { groupRoutes } from './org-groups.js';
import { userRoutes } from './org-users.js';
import { match, type Route } from './router.js';
import { scimRoutes } from './scim-api.js';

export interface AtlassianEmulatorOptions {
  orgId?: string;
  /** The local directory (invited people, org-API groups). */
  directoryId?: string;
  /** The identity-provider directory SCIM provisions into; also the SCIM API's directory id. */
  scimDirectoryId?: string;
  apiKey?: string;
  scimToken?: string;
  /** More identity-provider directories, each with its own SCIM token. */
  extraIdpDirectories?: Array<{ directoryId: string; name: string; scimToken: string }>;
  /** Largest page the org API returns (cursor paging). Default 100. */
  maxPageSize?: number;
  /** Largest (and default) SCIM page. Default 100. */
  scimPageSize?: number;
  /** Requests per credential per window; over it: 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Answer this share of authenticated requests with 500, from a seeded generator. */
  failures?: { rate: number; seed: number };
  /** A new invitee stays out of user searches for `ms` after the invite and for `searches` searches that match it. */
  inviteDelay?: { ms?: number; searches?: number };
  /** Origin written into absolute `links.next` URLs (default: the emulator's own). */
  linksOrigin?: string;
  /** The model's clock in ms (timestamps, invite delay); tests pass a fake one to step time. */
  clock?: () => number;
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
  /** The local directory. */
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

type Api = 'org' | 'scim';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelError(400, 'The request body is not valid JSON', 'invalidSyntax');
  }
}

function errorBody(api: Api, error: ModelError): unknown {
  return api === 'scim' ? scimErrorBody(error.status, error.detail, error.scimType) : orgErrorBody(error.status, error.detail, error.code);
}

function send(res: ServerResponse, api: Api, status: number, body: unknown, headers: Record<string, string>): void {
  const type = api === 'scim' ? 'application/scim+json' : 'application/json';
  res.writeHead(status, body === undefined ? headers : { ...headers, 'content-type': type });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** The credential a request must carry: the org API key, or the SCIM token of the path's directory. */
function credentialFor(model: AtlassianModel, api: Api, pathname: string, apiKey: string): string | ModelError {
  if (api === 'org') return apiKey;
  const directoryId = decodeURIComponent(pathname.split('/')[3] ?? '');
  const directory = model.directories.get(directoryId);
  if (!directory?.scimToken) return new ModelError(404, `Directory ${directoryId} is not an identity provider directory of this organization`);
  return directory.scimToken;
}

function buildModel(options: AtlassianEmulatorOptions, ids: { directoryId: string; scimDirectoryId: string; scimToken: string }): AtlassianModel {
  const model = new AtlassianModel({ localDirectoryId: ids.directoryId, scimDirectoryId: ids.scimDirectoryId, scimToken: ids.scimToken }, options.clock);
  for (const extra of options.extraIdpDirectories ?? []) model.addDirectory({ ...extra, kind: 'idp' });
  model.inviteDelay = { ms: options.inviteDelay?.ms ?? 0, searches: options.inviteDelay?.searches ?? 0 };
  return model;
}

interface Runtime {
  model: AtlassianModel;
  limits: Limits;
  routes: Record<Api, Route[]>;
  apiKey: string;
  linksOrigin?: string;
  requests: LoggedRequest[];
  /** Pending `loseNextAnswer` requests. */
  lose: Array<{ method: string; path: RegExp }>;
}

function takeLost(rt: Runtime, method: string, pathname: string): boolean {
  const index = rt.lose.findIndex((l) => l.method === method && l.path.test(pathname));
  if (index >= 0) rt.lose.splice(index, 1);
  return index >= 0;
}

/** One request: credential, throttling, seeded failure, route, then the answer (or a lost one). */
async function handle(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const api: Api = url.pathname.startsWith('/scim/') ? 'scim' : 'org';
  const method = req.method ?? 'GET';
  res.on('finish', () => rt.requests.push({ method, path: url.pathname + url.search, status: res.statusCode, api }));
  const fail = (error: ModelError, headers: Record<string, string> = {}) => send(res, api, error.status, errorBody(api, error), headers);
  const credential = credentialFor(rt.model, api, url.pathname, rt.apiKey);
  if (credential instanceof ModelError) return fail(credential);
  if (req.headers.authorization !== `Bearer ${credential}`) return fail(new ModelError(401, 'Invalid or missing credentials'));
  const limit = rt.limits.check(credential, `${method} ${url.pathname}${url.search}`, Date.now());
  if (limit.throttled) return fail(new ModelError(429, 'Rate limit exceeded'), limit.headers);
  if (rt.limits.fails()) return fail(new ModelError(500, 'Internal error (emulated)'), limit.headers);
  const found = match(rt.routes[api], method, url.pathname);
  if (!found) return fail(new ModelError(404, `No route ${method} ${url.pathname}`), limit.headers);
  try {
    const body = await readJson(req);
    const reply = found.route.handler({ params: found.params, query: url.searchParams, body, origin: rt.linksOrigin ?? url.origin, model: rt.model });
    if (takeLost(rt, method, url.pathname)) return fail(new ModelError(500, 'Answer lost (emulated)'), limit.headers);
    send(res, api, reply.status, reply.body, limit.headers);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    fail(error, limit.headers);
  }
}

export async function startAtlassianEmulator(options: AtlassianEmulatorOptions = {}): Promise<AtlassianEmulator> {
  const ids = {
    orgId: options.orgId ?? 'org-0001',
    directoryId: options.directoryId ?? 'dir-0001',
    scimDirectoryId: options.scimDirectoryId ?? 'scim-0001',
    apiKey: options.apiKey ?? 'org-api-key',
    scimToken: options.scimToken ?? 'scim-api-key',
  };
  const orgOptions = { orgId: ids.orgId, maxPageSize: options.maxPageSize ?? 100 };
  const rt: Runtime = {
    model: buildModel(options, ids),
    limits: new Limits(options),
    routes: { org: [...userRoutes(orgOptions), ...groupRoutes(orgOptions)], scim: scimRoutes({ pageSize: options.scimPageSize ?? 100 }) },
    apiKey: ids.apiKey,
    ...(options.linksOrigin ? { linksOrigin: options.linksOrigin } : {}),
    requests: [],
    lose: [],
  };
  const server = createServer((req, res) => {
    handle(rt, req, res).catch((error: unknown) => send(res, 'org', 500, orgErrorBody(500, String(error)), {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...ids,
    model: rt.model,
    requests: rt.requests,
    throttleNext: (n, waitMs = 200) => rt.limits.force(n, waitMs),
    loseNextAnswer: (method, path) => void rt.lose.push({ method, path }),
    stats: () => ({ ...rt.limits.stats }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
