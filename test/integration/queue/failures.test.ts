import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { configError, OrgsyncError } from '../../../src/errors.js';
import { classifyFailure, jobError } from '../../../src/queue/failures.js';

describe('which run failures are retried', () => {
  const cases: [string, unknown, boolean][] = [
    ['401 from an API', new OrgsyncError('http', 'token rejected', { status: 401 }), true],
    ['403 from an API', new OrgsyncError('http', 'forbidden', { status: 403 }), true],
    ['bad config', configError('orgsync.yaml: profiles[0].source.path: required'), true],
    ['a bug', new TypeError('x is undefined'), true],
    ['5xx after the client gave up', new OrgsyncError('http', 'bad gateway', { status: 502, retry: 'transient' }), false],
    ['429 after the client gave up', new OrgsyncError('http', 'slow down', { status: 429, retry: 'throttled', retryAfterMs: 1000 }), false],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
  ];

  it.each(cases)('%s', (_name, error, permanent) => {
    const failure = classifyFailure(error);
    expect(failure.permanent).toBe(permanent);
    const thrown = jobError(error, failure);
    expect(thrown instanceof UnrecoverableError).toBe(permanent);
    if (!permanent) expect(thrown).toBe(error);
  });

  it('names the HTTP status of a permanent API failure', () => {
    expect(classifyFailure(new OrgsyncError('http', 'token rejected', { status: 401 })).reason).toBe('token rejected (HTTP 401)');
    expect(jobError(new Error('boom'), { reason: 'boom', permanent: true }).message).toBe('not retried: boom');
  });
});
