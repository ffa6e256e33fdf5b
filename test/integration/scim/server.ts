/**
 * A real third-party SCIM 2.0 service for tests: npm `scimmy` (resources, filters, PatchOp, list
 * paging) served by `scimmy-routers` on express 5, backed by an in-memory store, on 127.0.0.1:0.
 *
 * What the store adds to scimmy: server-issued ids, a 409 on a duplicate `userName`
 * (case-insensitive) or group `displayName`, a 400 for a group member that is not a user, and,
 * with `etags: true`, a `meta.version` per resource that `If-Match` must match (412 otherwise).
 * In front of the routers: bearer-token auth, a request log, and `throttleNext(n)`, which answers
 * the next n requests with 429 + `Retry-After` (and the same request repeated before that wait is
 * over with another 429); `loseNextAnswer(method, path)`, which lets the next matching request act
 * and then answers 500 (an answer lost on the way); and `emptyNextPage(resource)`, which answers the
 * next list page after the first with no items but the true `totalResults`.
 *
 * scimmy is a process-wide singleton, so the resource handlers are declared once and find their
 * store through the per-request context. Express 5 parses query values as strings, which scimmy
 * ignores for `startIndex`/`count`; the app's query parser turns those two into numbers (unless
 * `rawQuery` asks for the unfixed behaviour, where every list answers its first page).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

type Stored = Record<string, unknown> & { id: string; meta?: Record<string, unknown> };

export class ScimStore {
  readonly users = new Map<string, Stored>();
  readonly groups = new Map<string, Stored>();
  private next = 0;

  constructor(readonly etags: boolean) {}

  newId(prefix: string): string {
    this.next += 1;
    return `${prefix}-${String(this.next).padStart(4, '0')}`;
  }

  /** Store a resource (a copy), stamping a new version when versioning is on. */
  put(map: Map<string, Stored>, record: Stored): Stored {
    const previous = map.get(record.id);
    const version = Number(String(previous?.meta?.version ?? 'W/"0"').replace(/\D/g, '')) + 1;
    const meta = { ...(previous?.meta ?? { created: new Date(0).toISOString() }), ...(this.etags ? { version: `W/"${version}"` } : {}) };
    const copy = JSON.parse(JSON.stringify({ ...record, meta })) as Stored;
    map.set(record.id, copy);
    return copy;
  }

  userByName(userName: string): Stored | undefined {
    const key = userName.toLowerCase();
    return [...this.users.values()].find((u) => String(u.userName).toLowerCase() === key);
  }
}

function scimError(status: number, detail: string, scimType?: string): InstanceType<typeof SCIMMY.Types.Error> {
  return new SCIMMY.Types.Error(status, (scimType ?? null) as never, detail);
}

function listOrOne(map: Map<string, Stored>, resource: { id?: string; filter?: { match(values: unknown[]): unknown[] } }): unknown {
  if (resource.id) {
    const found = map.get(resource.id);
    if (!found) throw scimError(404, `Resource ${resource.id} not found`);
    return found;
  }
  const all = [...map.values()];
  return resource.filter ? resource.filter.match(all) : all;
}

/** The handler-registration chain `SCIMMY.Resources.declare` returns, as these handlers use it. */
interface Declared {
  ingress(handler: (resource: { id?: string }, instance: Record<string, unknown>, store: ScimStore) => unknown): Declared;
  egress(handler: (resource: { id?: string }, store: ScimStore) => unknown): Declared;
  degress(handler: (resource: { id: string }, store: ScimStore) => void): Declared;
}

function declare(resource: unknown): Declared {
  return SCIMMY.Resources.declare(resource as typeof SCIMMY.Resources.User) as unknown as Declared;
}

let declared = false;

function declareResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as never, false);
  declare(SCIMMY.Resources.User)
    .ingress((resource, instance, store) => {
      const same = store.userByName(String(instance.userName));
      if (same && same.id !== resource.id) throw scimError(409, `userName ${String(instance.userName)} is already taken`, 'uniqueness');
      if (resource.id && !store.users.has(resource.id)) throw scimError(404, `Resource ${resource.id} not found`);
      const id = resource.id ?? store.newId('user');
      return store.put(store.users, { ...instance, id });
    })
    .egress((resource, store) => listOrOne(store.users, resource))
    .degress((resource, store) => {
      if (!store.users.delete(resource.id)) throw scimError(404, `Resource ${resource.id} not found`);
    });
  declare(SCIMMY.Resources.Group)
    .ingress((resource, instance, store) => {
      const name = String(instance.displayName).toLowerCase();
      const same = [...store.groups.values()].find((g) => String(g.displayName).toLowerCase() === name);
      if (same && same.id !== resource.id) throw scimError(409, `group ${String(instance.displayName)} already exists`, 'uniqueness');
      const members = (instance.members ?? []) as Array<{ value: string }>;
      const unknown = members.filter((m) => !store.users.has(m.value));
      if (unknown.length > 0) throw scimError(400, `no user ${unknown.map((m) => m.value).join(', ')}`, 'invalidValue');
      if (resource.id && !store.groups.has(resource.id)) throw scimError(404, `Resource ${resource.id} not found`);
      const id = resource.id ?? store.newId('group');
      return store.put(store.groups, { ...instance, id });
    })
    .egress((resource, store) => listOrOne(store.groups, resource))
    .degress((resource, store) => {
      if (!store.groups.delete(resource.id)) throw scimError(404, `Resource ${resource.id} not found`);
    });
}

/** Parse a query string with `startIndex`/`count` as numbers, `count` capped at `maxPageSize`. */
function queryParser(maxPageSize: number): (text: string) => Record<string, unknown> {
  return (text) => {
    const query: Record<string, unknown> = Object.fromEntries(new URLSearchParams(text));
    for (const key of ['startIndex', 'count']) {
      if (typeof query[key] === 'string' && /^\d+$/.test(query[key] as string)) query[key] = Number(query[key]);
    }
    if (typeof query.count === 'number') query.count = Math.min(query.count, maxPageSize);
    return query;
  };
}

export interface ScimServer {
  url: string;
  token: string;
  store: ScimStore;
  requests: Array<{ method: string; path: string; status: number; ifMatch?: string }>;
  /** Answer the next `n` requests with 429 and `Retry-After: seconds`. */
  throttleNext(n: number, seconds?: number): void;
  throttled(): number;
  /** The next request with this method whose path matches acts, then answers 500. */
  loseNextAnswer(method: string, path: RegExp): void;
  /** The next list page of `resource` past startIndex 1 answers no items, with the true totalResults. */
  emptyNextPage(resource: 'Users' | 'Groups'): void;
  close(): Promise<void>;
}

type Rewrite = { applies: (req: Request) => boolean; rewrite: (res: Response, body: unknown) => unknown };

/** Middleware that rewrites the answer of the first request each queued rewrite applies to. */
function rewriting(queue: Rewrite[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const index = queue.findIndex((r) => r.applies(req));
    if (index < 0) return next();
    const [{ rewrite }] = queue.splice(index, 1) as [Rewrite];
    const send = res.send.bind(res);
    res.send = (body: unknown) => {
      res.send = send;
      res.type('application/scim+json');
      const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : JSON.parse(JSON.stringify(body ?? null));
      return send(JSON.stringify(rewrite(res, parsed)));
    };
    next();
  };
}

function lostAnswer(method: string, path: RegExp): Rewrite {
  return {
    applies: (req) => req.method === method && path.test(req.path),
    rewrite: (res) => {
      res.status(500);
      return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'answer lost (emulated)' };
    },
  };
}

function emptyPage(resource: string): Rewrite {
  return {
    applies: (req) => req.method === 'GET' && req.path === `/scim/${resource}` && Number(req.query.startIndex ?? 1) > 1,
    rewrite: (_res, body) => ({ ...(body as Record<string, unknown>), itemsPerPage: 0, Resources: [] }),
  };
}

export interface ScimServerOptions {
  token?: string;
  /** Version resources and check `If-Match` (412 on a mismatch). */
  etags?: boolean;
  /** Largest page served (default 1000; scimmy's own default page, without `count`, is 20). */
  maxPageSize?: number;
  /** Keep express 5's string query values, which scimmy ignores for `startIndex`/`count`. */
  rawQuery?: boolean;
}

export async function startScimServer(options: ScimServerOptions = {}): Promise<ScimServer> {
  declareResources();
  const token = options.token ?? 'scim-test-token';
  const store = new ScimStore(options.etags ?? false);
  const requests: ScimServer['requests'] = [];
  let throttle = { left: 0, seconds: 0.05, served: 0 };
  const blocked = new Map<string, number>();
  const app = express();
  if (!options.rawQuery) app.set('query parser', queryParser(options.maxPageSize ?? 1000));
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => requests.push({ method: req.method, path: req.originalUrl, status: res.statusCode, ifMatch: req.header('if-match') }));
    const key = `${req.method} ${req.originalUrl}`;
    const until = blocked.get(key) ?? 0;
    const early = Date.now() < until - 10;
    if (early || throttle.left > 0) {
      if (!early) {
        throttle.left -= 1;
        blocked.set(key, Date.now() + throttle.seconds * 1000);
      }
      throttle.served += 1;
      res.status(429).set('retry-after', String(throttle.seconds)).json({ detail: 'too many requests', status: '429' });
      return;
    }
    next();
  });
  const rewrites: Rewrite[] = [];
  app.use(rewriting(rewrites));
  app.use('/scim', versionCheck(store));
  app.use(
    '/scim',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        if (req.header('authorization') !== `Bearer ${token}`) throw new Error('invalid bearer token');
        return 'orgsync';
      },
      context: () => store,
    }) as unknown as express.Router,
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim`;
  return {
    url,
    token,
    store,
    requests,
    throttleNext: (n, seconds = 0.05) => {
      throttle = { ...throttle, left: n, seconds };
    },
    throttled: () => throttle.served,
    loseNextAnswer: (method, path) => void rewrites.push(lostAnswer(method, path)),
    emptyNextPage: (resource) => void rewrites.push(emptyPage(resource)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** With versioning on, a write whose `If-Match` names another version answers 412. */
function versionCheck(store: ScimStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^\/(Users|Groups)\/([^/?]+)/.exec(req.path);
    const ifMatch = req.header('if-match');
    if (!store.etags || !match || !ifMatch || !['PATCH', 'PUT', 'DELETE'].includes(req.method)) return next();
    const map = match[1] === 'Users' ? store.users : store.groups;
    const current = map.get(decodeURIComponent(match[2]!))?.meta?.version;
    if (current !== undefined && current !== ifMatch) {
      res.status(412).type('application/scim+json').json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412', detail: `version is ${String(current)}, not ${ifMatch}` });
      return;
    }
    next();
  };
}
