/**
 * A SCIM 2.0 client (RFC 7644) over the shared `HttpClient`: list paging with `startIndex`/`count`,
 * `eq` filter look-ups, create (409 is an answer, not a failure), PatchOp with `If-Match` when the
 * server versions its resources (412 becomes a `conflict` error), and delete.
 *
 * Paging trusts nothing but the items it received: the next page starts after them, so a server
 * whose page is smaller than asked (scimmy answers 20) is read completely; a server that ignores
 * `startIndex`, or answers an empty page before `totalResults` is reached, is an error rather than a
 * silently repeated or truncated list.
 */
import { OrgsyncError, isOrgsyncError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { PATCH_SCHEMA, quote, type PatchOperation } from './map.js';

export type ScimResource = 'Users' | 'Groups';

interface ListResponse<T> {
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources?: T[];
}

const SCIM_JSON = 'application/scim+json';

export type CreateResult<T> = { created: true; resource: T } | { created: false; detail: string };

export class ScimClient {
  constructor(
    private readonly http: HttpClient,
    private readonly pageSize = 100,
  ) {}

  /** Every resource of a kind, page by page. */
  async *list<T>(resource: ScimResource, filter?: string): AsyncGenerator<T> {
    let start = 1;
    for (;;) {
      const query = { startIndex: start, count: this.pageSize, ...(filter ? { filter } : {}) };
      const { body } = await this.http.request<ListResponse<T> | null>('GET', resource, { query });
      const items = this.pageItems(resource, body, start);
      yield* items;
      const total = body?.totalResults;
      if (items.length === 0) {
        this.checkEnd(resource, start, total);
        return;
      }
      start += items.length;
      if (typeof total === 'number' && start > total) return;
    }
  }

  /** An empty page ends the list only when `totalResults` (if given) was reached; else the read would be short. */
  private checkEnd(resource: ScimResource, start: number, total: number | undefined): void {
    if (typeof total !== 'number' || start > total) return;
    throw this.protocolError(resource, `page at startIndex ${start} has no items, but totalResults is ${total} (${start - 1} read); the list would be incomplete`);
  }

  private pageItems<T>(resource: ScimResource, body: ListResponse<T> | null, start: number): T[] {
    if (!body || typeof body !== 'object') throw this.protocolError(resource, `page at startIndex ${start} is not a SCIM ListResponse`);
    const items = body.Resources ?? [];
    if (!Array.isArray(items)) throw this.protocolError(resource, `page at startIndex ${start} has no Resources list`);
    if (items.length > 0 && typeof body.startIndex === 'number' && body.startIndex !== start) {
      throw this.protocolError(resource, `asked for startIndex ${start}, the server answered startIndex ${body.startIndex}; paging cannot continue`);
    }
    return items;
  }

  private protocolError(resource: ScimResource, detail: string): OrgsyncError {
    return new OrgsyncError('scim-protocol', `SCIM ${resource}: ${detail}`, { retry: 'never' });
  }

  /** The one resource whose `attribute` equals `value`, or undefined. Several matches are an error. */
  async find<T>(resource: ScimResource, attribute: string, value: string): Promise<T | undefined> {
    const filter = `${attribute} eq ${quote(value)}`;
    const { body } = await this.http.request<ListResponse<T> | null>('GET', resource, { query: { filter, startIndex: 1, count: 2 } });
    const items = this.pageItems(resource, body, 1);
    if (items.length > 1) throw this.protocolError(resource, `several resources match ${filter}`);
    return items[0];
  }

  /** One resource by id, or undefined when the server answers 404. */
  async get<T>(resource: ScimResource, id: string): Promise<T | undefined> {
    const answer = await this.http.request<T>('GET', `${resource}/${encodeURIComponent(id)}`, { accept: [404] });
    return answer.status === 404 ? undefined : answer.body;
  }

  /** Create a resource; a 409 (it exists) is returned as `created: false` with the server's detail. */
  async create<T>(resource: ScimResource, body: Record<string, unknown>): Promise<CreateResult<T>> {
    const answer = await this.http.request<T>('POST', resource, { body, accept: [409], contentType: SCIM_JSON });
    if (answer.status === 409) return { created: false, detail: detailOf(answer.body) };
    return { created: true, resource: answer.body };
  }

  /**
   * Apply PatchOp operations. With `version` the request carries `If-Match`, and a 412 (changed
   * since it was read) becomes a `conflict` error. Returns the resource when the server sends it.
   */
  async patch<T>(resource: ScimResource, id: string, operations: PatchOperation[], version?: string): Promise<T | null> {
    if (operations.length === 0) return null;
    const headers = version ? { 'if-match': version } : undefined;
    const body = { schemas: [PATCH_SCHEMA], Operations: operations };
    try {
      const answer = await this.http.request<T | null>('PATCH', `${resource}/${encodeURIComponent(id)}`, { body, headers, contentType: SCIM_JSON });
      return answer.body && typeof answer.body === 'object' ? answer.body : null;
    } catch (error) {
      throw conflictOn412(error, `SCIM ${resource}/${id}`);
    }
  }

  /** Delete a resource; false when it was already gone (404). */
  async remove(resource: ScimResource, id: string, version?: string): Promise<boolean> {
    const headers = version ? { 'if-match': version } : undefined;
    try {
      const answer = await this.http.request('DELETE', `${resource}/${encodeURIComponent(id)}`, { headers, accept: [404] });
      return answer.status !== 404;
    } catch (error) {
      throw conflictOn412(error, `SCIM ${resource}/${id}`);
    }
  }
}

function conflictOn412(error: unknown, what: string): unknown {
  if (!isOrgsyncError(error) || error.status !== 412) return error;
  return new OrgsyncError('conflict', `${what} changed on the server since it was read (412 Precondition Failed)`, { status: 412, cause: error });
}

function detailOf(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string') return (body as { detail: string }).detail;
  return 'already exists';
}
