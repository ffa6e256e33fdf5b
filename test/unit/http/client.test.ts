import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OrgsyncError } from '../../../src/errors.js';
import { retryAfterMs } from '../../../src/http/classify.js';
import { HttpClient } from '../../../src/http/client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const servers: Array<() => Promise<void>> = [];

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('HttpClient', () => {
  it('joins paths under the base path and sends the auth header', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      json(res, 200, { ok: true });
    });
    const client = new HttpClient({ baseUrl: url, name: 'Test', auth: () => ({ authorization: 'Bearer t' }) });
    const answer = await client.request('GET', '/users', { query: { count: 2 } });
    expect(answer.body).toEqual({ ok: true });
    expect(seen).toEqual(['/base/users?count=2 Bearer t']);
  });

  it('waits as long as a 429 asks, then succeeds', async () => {
    const url = await serve((_req, res, n) => (n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '0.2' }) : json(res, 200, [1])));
    const waits: number[] = [];
    const client = new HttpClient({ baseUrl: url, name: 'Test', retry: { onRetry: ({ waitMs }) => waits.push(waitMs) } });
    expect((await client.request('GET', 'x')).body).toEqual([1]);
    expect(waits).toEqual([200]);
  });

  it('retries a 5xx with backoff and gives up with the server message', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 503, { detail: 'maintenance' });
    });
    const client = new HttpClient({ baseUrl: url, name: 'Test', retry: { retries: 2, minDelayMs: 5 } });
    await expect(client.request('GET', 'x')).rejects.toThrow(/Test GET http:\/\/127\.0\.0\.1:\d+\/base\/x answered 503: maintenance/);
    expect(calls).toBe(3);
  });

  it('does not retry a 4xx and keeps its status', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 403, { errorSummary: 'no permission' });
    });
    const client = new HttpClient({ baseUrl: url, name: 'Test', retry: { minDelayMs: 5 } });
    const error = await client.request('POST', 'x', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrgsyncError);
    expect((error as OrgsyncError).status).toBe(403);
    expect((error as OrgsyncError).message).toMatch(/answered 403: no permission/);
    expect(calls).toBe(1);
  });

  it('accepts statuses the caller expects', async () => {
    const url = await serve((_req, res) => json(res, 409, { detail: 'exists' }));
    const client = new HttpClient({ baseUrl: url, name: 'Test' });
    expect((await client.request('POST', 'x', { accept: [409] })).status).toBe(409);
  });

  it('refuses credentials in the URL and can keep a secret path out of messages', async () => {
    expect(() => new HttpClient({ baseUrl: 'https://u:secret@example.invalid/scim', name: 'Test' })).toThrow(/Test: the base URL must not carry a user name or password/);
    const url = await serve((_req, res) => json(res, 400, { detail: 'bad' }));
    const hook = new HttpClient({ baseUrl: `${url}/T000/B000/secretpath`, name: 'hook', hidePath: true });
    const error = (await hook.request('POST', '', { body: {} }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^hook POST http:\/\/127\.0\.0\.1:\d+ answered 400: bad$/);
  });

  it('does not repeat a request marked not repeatable after a 5xx, but waits out a 429', async () => {
    const url = await serve((_req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '0.01' }) : json(res, 500, { detail: 'lost' })));
    const client = new HttpClient({ baseUrl: url, name: 'Test', retry: { retries: 3, minDelayMs: 5 } });
    const error = (await client.request('POST', 'invite', { body: {}, repeatable: false }).catch((e: unknown) => e)) as OrgsyncError;
    expect(error.message).toMatch(/answered 500: lost$/);
    expect(error.retry).toBe('transient');
    const calls: number[] = [];
    const again = await serve((_req, res, n) => {
      calls.push(n);
      json(res, 500, {});
    });
    await new HttpClient({ baseUrl: again, name: 'Test', retry: { retries: 2, minDelayMs: 5 } }).request('POST', 'x', { body: {} }).catch(() => undefined);
    expect(calls).toEqual([1, 2, 3]);
  });

  it("names Atlassian's reason: an errors list's title and detail, a statusReason", async () => {
    const url = await serve((req, res) =>
      req.url?.endsWith('/a')
        ? json(res, 400, { errors: [{ code: 'ADMIN-400-1', title: 'Bad Request', detail: 'The user must be in the same directory as the group' }] })
        : json(res, 400, { statusReason: 'User limit exceeded' }),
    );
    const client = new HttpClient({ baseUrl: url, name: 'Atlassian org API' });
    await expect(client.request('POST', 'groups/g/a', { body: {} })).rejects.toThrow(
      /^Atlassian org API POST http:\/\/127\.0\.0\.1:\d+\/base\/groups\/g\/a answered 400: Bad Request: The user must be in the same directory as the group$/,
    );
    await expect(client.request('POST', 'b', { body: {} })).rejects.toThrow(/answered 400: User limit exceeded$/);
  });

  it('treats a refused connection as transient and reports it', async () => {
    const client = new HttpClient({ baseUrl: 'http://127.0.0.1:1/', name: 'Test', retry: { retries: 1, minDelayMs: 5 } });
    await expect(client.request('GET', 'x')).rejects.toThrow(/Test GET http:\/\/127\.0\.0\.1:1\/x failed/);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, fractional seconds, dates and reset headers', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 4) }), now)).toBe(4000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': '2026-01-01T00:00:05Z' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
