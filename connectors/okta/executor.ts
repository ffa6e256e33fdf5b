/**
 * The request executor the Okta SDK sends every call through (API pages and the OAuth token
 * request alike). It replaces the SDK's `DefaultRequestExecutor`, so this is the only retry layer:
 *
 * - before a call: the optional client-side cap (`requestsPerMinute`), then the endpoint family's
 *   `RateBudget`, which paces by Okta's rate-limit headers; at most `concurrency` calls in flight;
 * - after a call: the headers update the budget; a 429 waits for the reset, a 5xx, 408 or network
 *   failure backs off, both through `withRetry`; any other failure is final at once;
 * - a call that still fails throws an `OrgsyncError` naming the method, URL, status and Okta's
 *   `errorCode` / `errorSummary`.
 */
import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { OrgsyncError, isOrgsyncError, messageOf } from '../../src/errors.js';
import { retryClassOf, serverMessage } from '../../src/http/classify.js';
import { Pacer } from '../../src/http/pacer.js';
import { withRetry } from '../../src/http/retry.js';
import { RateBudgets, type HeaderReader } from './budget.js';
import { bypassesProxy } from './proxy.js';

export interface ExecutorOptions {
  /** Calls in flight at once. */
  concurrency: number;
  requestsPerMinute?: number;
  /** Attempts after the first for a throttled or transient failure (default 4). */
  retries?: number;
  /** First backoff after a transient failure in ms (default 500; doubles per attempt). */
  retryDelayMs?: number;
  /** Per-call timeout in ms (default 60 s). */
  timeoutMs?: number;
  log: Logger;
  signal?: AbortSignal;
}

/** What the executor saw: calls made, 429 answers, retries, time spent waiting for budget. */
export interface ExecutorStats {
  requests: number;
  throttled: number;
  retries: number;
  waitedMs: number;
}

/** The subset of a node-fetch request and response the executor touches. */
interface SdkRequest {
  url?: string;
  method?: string;
  agent?: unknown;
  timeout?: number;
  signal?: AbortSignal;
}
interface SdkResponse {
  ok: boolean;
  status: number;
  headers: HeaderReader;
  text(): Promise<string>;
}

export class PacedRequestExecutor extends RequestExecutor {
  private readonly budgets = new RateBudgets();
  private readonly cap: Pacer | undefined;
  private readonly inFlight: LimitFunction;
  private readonly counts = { requests: 0, throttled: 0, retries: 0 };
  /** Server clock minus local clock, when the `Date` headers show they disagree. */
  private skewMs = 0;

  constructor(private readonly options: ExecutorOptions) {
    super();
    this.inFlight = pLimit(options.concurrency);
    this.cap = options.requestsPerMinute ? new Pacer(options.requestsPerMinute / 60) : undefined;
  }

  override fetch(request: SdkRequest): Promise<SdkResponse> {
    const url = request.url ?? '';
    if (request.agent && bypassesProxy(url)) delete request.agent;
    request.timeout = this.options.timeoutMs ?? 60_000;
    if (this.options.signal) request.signal = this.options.signal;
    const what = `Okta ${(request.method ?? 'GET').toUpperCase()} ${url}`;
    return withRetry(() => this.attempt(request, url, what), {
      retries: this.options.retries ?? 4,
      minDelayMs: this.options.retryDelayMs,
      signal: this.options.signal,
      onRetry: ({ error, attempt, waitMs }) => {
        this.counts.retries += 1;
        this.options.log.warn({ url, attempt, waitMs: Math.round(waitMs), error: messageOf(error) }, 'okta call failed, retrying');
      },
    });
  }

  get stats(): ExecutorStats {
    return { ...this.counts, waitedMs: Math.round(this.budgets.waitedMs) };
  }

  /** A local instant (epoch ms) on the server's clock, as far as its `Date` headers tell. */
  serverTime(local: number): number {
    return local + this.skewMs;
  }

  private async attempt(request: SdkRequest, url: string, what: string): Promise<SdkResponse> {
    const budget = this.budgets.for(url);
    await this.cap?.take(this.options.signal);
    await budget.acquire(this.options.signal);
    let response: SdkResponse;
    try {
      response = await this.inFlight(() => super.fetch(request as never) as Promise<SdkResponse>);
    } catch (error) {
      budget.settle(undefined);
      if (isOrgsyncError(error)) throw error;
      throw new OrgsyncError('network', `${what} failed: ${messageOf(error)}`, { retry: 'transient', cause: error });
    }
    budget.settle(response.headers);
    this.counts.requests += 1;
    this.noteClock(response.headers);
    if (response.ok) return response;
    if (response.status === 429) this.counts.throttled += 1;
    throw await failure(response, what, response.status === 429 ? budget.waitAfter429(response.headers) : 0);
  }

  private noteClock(headers: HeaderReader): void {
    const date = Date.parse(headers.get('date') ?? '');
    if (Number.isNaN(date)) return;
    const skew = date - Date.now();
    this.skewMs = Math.abs(skew) > 2000 ? skew : 0;
  }
}

/**
 * The error for a failed answer, with Okta's `errorCode` and `errorSummary` (or OAuth's `error`).
 * Only a 429 is throttled (every Okta answer carries a reset time, so a 503 is not a throttle);
 * it waits `throttleWaitMs`, until the reset the 429 announced.
 */
async function failure(response: SdkResponse, what: string, throttleWaitMs: number): Promise<OrgsyncError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const detail = oktaDetail(body);
  const status = response.status;
  const retry = retryClassOf(status);
  return new OrgsyncError(`http-${status}`, `${what} answered ${status}${detail ? `: ${detail}` : ''}`, {
    status,
    retry,
    retryAfterMs: retry === 'throttled' ? throttleWaitMs : undefined,
  });
}

export function oktaDetail(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.errorCode === 'string') return `${b.errorCode} ${String(b.errorSummary ?? '')}`.trim();
    if (typeof b.error === 'string') return [b.error, b.error_description].filter((part) => typeof part === 'string').join(': ');
  }
  return serverMessage(body);
}
