/**
 * A tiny router for the emulator: routes declared as `METHOD /path/:param`, matched against the
 * request path; handlers get the decoded params, the query, the parsed JSON body and the server's
 * own origin (for absolute `links.next` URLs), and answer with a status and a JSON body.
 */
import { ModelError } from './errors.js';
import type { AtlassianModel } from './model.js';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  origin: string;
  model: AtlassianModel;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Handler = (ctx: RouteContext) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), keys, handler };
}

export function match(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    const params = Object.fromEntries(candidate.keys.map((key, i) => [key, decodeURIComponent(found[i + 1]!)]));
    return { route: candidate, params };
  }
  return undefined;
}

/** A body that must be an object; a 400 otherwise. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ModelError(400, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ModelError(400, `${what} must be a list of strings`);
  return value as string[];
}

/** A list filter whose values must come from `allowed`. */
export function enumList(value: unknown, what: string, allowed: readonly string[]): string[] {
  const list = stringList(value, what);
  const bad = list.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw new ModelError(400, `${what} has an unknown value ${JSON.stringify(bad)}; expected one of ${allowed.join(', ')}`);
  return list;
}

export function limitOf(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return Math.min(fallback, max);
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ModelError(400, 'limit must be a positive integer');
  return Math.min(n, max);
}

/** One page of a cursor-paged list: `{ data, links: { self, prev, next } }` with cursor strings. */
export function cursorPage<T, R>(items: T[], cursor: unknown, limit: number, render: (item: T) => R): { data: R[]; links: { self: string; prev: string | null; next: string | null } } {
  const offset = decodeCursor(cursor);
  const data = items.slice(offset, offset + limit).map(render);
  return {
    data,
    links: {
      self: encodeCursor(offset),
      prev: offset > 0 ? encodeCursor(Math.max(0, offset - limit)) : null,
      next: offset + limit < items.length ? encodeCursor(offset + limit) : null,
    },
  };
}

/** Opaque cursors: the offset of the next item, base64url-encoded. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  const text = typeof cursor === 'string' ? Buffer.from(cursor, 'base64url').toString() : '';
  const found = /^offset:(\d+)$/.exec(text);
  if (!found) throw new ModelError(400, `invalid cursor ${JSON.stringify(cursor)}`);
  return Number(found[1]);
}
