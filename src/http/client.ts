/**
 * A small JSON-over-HTTP client for org adapters and connectors that speak REST directly:
 * base URL joining, an auth header, a timeout, pacing, classification of failures and retries.
 * Every failure is an `OrgsyncError` carrying the method, URL (without query secrets) and the
 * server's message.
 */
import { OrgsyncError, configError, isOrgsyncError, messageOf, isNetworkError } from '../errors.js';
import { urlCredentialsProblem } from '../config/url.js';
import { httpError, resetTime, serverMessage } from './classify.js';
import { Pacer } from './pacer.js';
import { redactSecrets } from './redact.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface HttpClientOptions {
  baseUrl: string;
  /** Returns the headers that authenticate a request (called per request, so tokens may refresh). */
  auth?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Requests started per second (0: no pacing). */
  requestsPerSecond?: number;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Names the service in messages, e.g. "Atlassian SCIM". */
  name: string;
  /** Leave the URL path out of messages, for endpoints whose path is itself a secret (webhooks). */
  hidePath?: boolean;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that are answers, not failures (e.g. 409 for a create that may exist). */
  accept?: number[];
  contentType?: string;
  /**
   * False for a request that must not be sent twice when its answer is lost (e.g. one that emails
   * people): only a throttled answer (429, nothing done) is retried; a network failure or 5xx is
   * returned to the caller, who can check what happened first.
   */
  repeatable?: boolean;
}

export class HttpClient {
  private readonly base: URL;
  private readonly pacer: Pacer;

  constructor(private readonly options: HttpClientOptions) {
    this.base = baseOf(options);
    this.pacer = new Pacer(options.requestsPerSecond ?? 0);
  }

  /** Resolve a path relative to the base URL (a leading slash is kept under the base path); absolute URLs pass through. */
  url(pathOrUrl: string, query?: RequestOptions['query']): URL {
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\//, ''), this.base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  async request<T = unknown>(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = this.url(pathOrUrl, options.query);
    const what = `${this.options.name} ${method} ${url.origin}${this.options.hidePath ? '' : url.pathname}`;
    const retry = options.repeatable === false ? { ...this.options.retry, retryable: isThrottled } : this.options.retry;
    return withRetry(() => this.once<T>(method, url, what, options), retry);
  }

  private async once<T>(method: string, url: URL, what: string, options: RequestOptions): Promise<HttpResponse<T>> {
    await this.pacer.take(this.options.retry?.signal);
    const auth = (await this.options.auth?.()) ?? {};
    const headers: Record<string, string> = { accept: 'application/json', ...auth, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (error) {
      if (isOrgsyncError(error)) throw error;
      const retry = isNetworkError(error) ? 'transient' : 'never';
      throw new OrgsyncError('network', `${what} failed: ${redactSecrets(messageOf((error as Error).cause ?? error))}`, { retry, cause: error });
    }
    this.notePacing(response.headers);
    const parsed = await readBody(response);
    if (response.ok || options.accept?.includes(response.status)) {
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
    throw httpError(response.status, response.headers, what, serverMessage(parsed, Object.values(auth).flatMap((value) => [value, value.replace(/^\S+\s+/, '')])));
  }

  /** When the server says the budget is spent, hold everyone until its reset. */
  private notePacing(headers: Headers): void {
    const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('x-rate-limit-remaining');
    const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset');
    if (remaining !== null && reset !== null && Number(remaining) <= 0) this.pacer.pauseUntil(resetTime(reset));
  }
}

function isThrottled(error: unknown): boolean {
  return isOrgsyncError(error) && error.retry === 'throttled';
}

/** The base URL with a trailing slash on its path (paths join under it); credentials in it are a config error. */
function baseOf(options: HttpClientOptions): URL {
  const base = new URL(options.baseUrl);
  const problem = urlCredentialsProblem(base);
  if (problem) throw configError(`${options.name}: the base URL ${problem}`);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return base;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
