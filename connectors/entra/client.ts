/**
 * Microsoft Graph over HTTP: GETs through `@microsoft/microsoft-graph-client` with the bearer
 * token always attached, failures classified once and retried with the project's retry policy,
 * and collections paged with async generators.
 *
 * In: the Graph base URL (`https://graph.microsoft.com/v1.0`, a national cloud, or any
 * `http(s)://host:port/prefix`), a token source and retry options. Out: parsed JSON bodies and
 * pages of `value` items with the final `@odata.deltaLink`.
 *
 * The SDK's default middleware only authenticates `https://` Graph hosts and treats other absolute
 * links as paths, so this client builds its own chain: a middleware that always sets the
 * `Authorization` header, then the SDK's fetch handler. There is no SDK RetryHandler: retries
 * happen once, here. Every `@odata.nextLink`/`@odata.deltaLink` is turned into a path relative to
 * the configured base; a link pointing anywhere else is refused, so the token never leaves the
 * configured host.
 */
import {
  Client,
  HTTPMessageHandler,
  ResponseType,
  type AuthenticationProvider,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { OrgsyncError, isNetworkError, isOrgsyncError, messageOf } from '../../src/errors.js';
import { httpError, serverMessage } from '../../src/http/classify.js';
import { withRetry, type RetryOptions } from '../../src/http/retry.js';

/** Graph error codes that mean "this delta token is no longer usable: read everything again". */
const RESYNC_CODES = new Set(['syncStateNotFound', 'syncStateInvalid', 'resyncRequired', 'resyncApplicationRequired']);

export interface GraphClientOptions {
  baseUrl: string;
  auth: AuthenticationProvider;
  retry?: Omit<RetryOptions, 'signal'>;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Told before each retry wait (e.g. to log it). */
  onRetry?: RetryOptions['onRetry'];
}

/** Extra request headers, e.g. `ConsistencyLevel: eventual` for an advanced query; sent on every page. */
export type RequestHeaders = Readonly<Record<string, string>>;

export interface GraphPage<T> {
  items: T[];
  /** Present on the last page of a delta round. */
  deltaLink: string | undefined;
}

interface ODataPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Per-request record of what failed below the SDK, which otherwise wraps every error alike. */
class RequestTrace implements MiddlewareOptions {
  failure: unknown = undefined;
}

/**
 * Sets `Authorization: Bearer <token>` on every request, whatever its host or scheme. Requests
 * that start together share one token request (the credential would otherwise sign in for each).
 */
class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly auth: AuthenticationProvider) {}

  private token(): Promise<string> {
    this.pending ??= this.auth.getAccessToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  async execute(context: Context): Promise<void> {
    const trace = context.middlewareControl?.getMiddlewareOptions(RequestTrace) as RequestTrace | undefined;
    try {
      const token = await this.token();
      context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string>), Authorization: `Bearer ${token}` } };
      await this.next!.execute(context);
    } catch (error) {
      if (trace) trace.failure = error;
      throw error;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A Graph link (absolute or relative) as a path under `base`; throws when it leaves the base. */
export function relativeToBase(base: URL, link: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(link)) return link.replace(/^\/+/, '');
  const url = new URL(link);
  const prefix = base.pathname.replace(/\/*$/, '/');
  if (url.origin !== base.origin || !url.pathname.toLowerCase().startsWith(prefix.toLowerCase())) {
    throw new OrgsyncError('entra-link', `Microsoft Graph returned a link outside ${base.origin}${prefix}: ${url.origin}${url.pathname}; not following it`);
  }
  return url.pathname.slice(prefix.length) + url.search;
}

export class GraphClient {
  private readonly sdk: Client;
  private readonly base: URL;

  constructor(private readonly options: GraphClientOptions) {
    this.base = new URL(options.baseUrl.replace(/\/*$/, '/'));
    const bearer = new BearerMiddleware(options.auth);
    bearer.setNext(new HTTPMessageHandler());
    this.sdk = Client.initWithMiddleware({ baseUrl: options.baseUrl.replace(/\/+$/, ''), defaultVersion: '', middleware: bearer });
  }

  /** The URL a path or link resolves to, without its query (query strings carry paging tokens). */
  describe(pathOrLink: string): string {
    const url = new URL(relativeToBase(this.base, pathOrLink), this.base);
    return `Microsoft Graph GET ${url.origin}${url.pathname}`;
  }

  /** One GET, retried when the failure is transient or throttled. */
  async get<T>(pathOrLink: string, call: CallOptions = {}, headers?: RequestHeaders): Promise<T> {
    const path = relativeToBase(this.base, pathOrLink);
    const what = this.describe(path);
    const onRetry: RetryOptions['onRetry'] = (info) => {
      this.options.retry?.onRetry?.(info);
      call.onRetry?.(info);
    };
    let attempts = 0;
    const attempt = () => {
      attempts += 1;
      return this.once<T>(path, what, call.signal, headers);
    };
    try {
      return await withRetry(attempt, { ...this.options.retry, signal: call.signal, onRetry });
    } catch (error) {
      if (!isOrgsyncError(error) || error.retry === 'never' || attempts < 2) throw error;
      const { code, retry, status, retryAfterMs } = error;
      throw new OrgsyncError(code, `${error.message} (gave up after ${attempts} attempts)`, { retry, status, retryAfterMs, cause: error });
    }
  }

  /** Every page of a collection, following `@odata.nextLink` until a page has none. */
  async *pages<T>(pathOrLink: string, call: CallOptions = {}, headers?: RequestHeaders): AsyncGenerator<GraphPage<T>> {
    let next: string | undefined = pathOrLink;
    const seen = new Set<string>();
    while (next !== undefined) {
      if (seen.has(next)) throw new OrgsyncError('entra-response', `${this.describe(next)}: the server sent the same nextLink twice`);
      seen.add(next);
      const body: ODataPage<T> = await this.get<ODataPage<T>>(next, call, headers);
      if (!Array.isArray(body?.value)) throw new OrgsyncError('entra-response', `${this.describe(next)}: the answer has no "value" array`);
      yield { items: body.value, deltaLink: body['@odata.deltaLink'] };
      next = body['@odata.nextLink'];
    }
  }

  private async once<T>(path: string, what: string, signal: AbortSignal | undefined, headers: RequestHeaders | undefined): Promise<T> {
    const trace = new RequestTrace();
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let response: Response;
    let body: unknown;
    try {
      response = await this.sdk
        .api(path)
        .middlewareOptions([trace])
        .headers({ ...headers })
        .option('signal', signal ? AbortSignal.any([signal, timeout]) : timeout)
        .responseType(ResponseType.RAW)
        .get();
      body = await readBody(response);
    } catch (error) {
      throw requestFailure(trace.failure ?? error, what, signal);
    }
    if (response.ok) return body as T;
    throw responseFailure(response, body, what);
  }
}

function requestFailure(error: unknown, what: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (isOrgsyncError(error)) return error;
  const retry = isNetworkError(error) ? 'transient' : 'never';
  const cause = (error as Error | undefined)?.cause ?? error;
  return new OrgsyncError('network', `${what} failed: ${messageOf(cause)}`, { retry, cause: error });
}

function responseFailure(response: Response, body: unknown, what: string): OrgsyncError {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  if (response.status === 410 || (typeof code === 'string' && RESYNC_CODES.has(code))) {
    const detail = serverMessage(body);
    return new OrgsyncError('entra-delta-expired', `${what} answered ${response.status}${detail ? `: ${detail}` : ''}`, { status: response.status });
  }
  return httpError(response.status, response.headers, what, serverMessage(body));
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
