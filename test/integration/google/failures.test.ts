/**
 * The `google` source when Google says no or fails: throttling retried as asked, any other error
 * naming the call and Google's message, a failed page failing the whole read, refused sign-ins.
 */
import { describe, expect, it } from 'vitest';
import { isOrgsyncError } from '../../../src/errors.js';
import { seedWorkspace } from '../../emulators/google/index.js';
import { account, connect, emulator, read, workspace } from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; retry?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('the read did not fail');
  return error;
}

describe('google source: throttling', () => {
  it('retries a 403 userRateLimitExceeded and then reads everything', async () => {
    const ws = seedWorkspace({ users: 1200, groups: 1 });
    const google = await emulator(ws);
    google.inject({ route: 'users', page: 2, status: 403, reason: 'userRateLimitExceeded', domain: 'usageLimits', message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'" });
    const harness = connect(google, { subject: 'user0@acme.example' });
    const snapshot = await read(harness);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users).toHaveLength(1200);
    expect(harness.waits).toHaveLength(1);
    expect(google.stats.byStatus[403]).toBe(1);
    expect(google.stats.byRoute.users).toBe(4);
  });

  it.each(['rateLimitExceeded', 'quotaExceeded'])('retries a 403 %s too', async (reason) => {
    const ws = seedWorkspace({ users: 10, groups: 1 });
    const google = await emulator(ws);
    google.inject({ route: 'groups', status: 403, reason, message: 'Limit reached', times: 2 });
    const harness = connect(google, { subject: 'user0@acme.example' });
    expect((await read(harness)).groups).toHaveLength(1);
    expect(harness.waits).toHaveLength(2);
  });

  it('does not retry a 403 that is no rate limit', async () => {
    const google = await emulator(seedWorkspace({ users: 10, groups: 1 }));
    google.inject({ route: 'groups', status: 403, reason: 'dailyLimitExceeded', message: 'Daily Limit Exceeded' });
    const error = await failure(read(connect(google, { subject: 'user0@acme.example' })));
    expect(error.message).toBe('Google Directory API groups.list answered 403: Daily Limit Exceeded (reason dailyLimitExceeded)');
    expect(google.stats.byRoute.groups).toBe(1);
  });

  it('waits what a 429 Retry-After asks', async () => {
    const ws = seedWorkspace({ users: 10, groups: 2 });
    const google = await emulator(ws);
    google.inject({ route: 'members', status: 429, reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded', retryAfter: '0.25' });
    const harness = connect(google, { subject: 'user0@acme.example' });
    await read(harness);
    expect(harness.waits).toEqual([250]);
  });
});

describe('google source: failures', () => {
  it('fails the whole read when a page still fails with 500 mid-listing', async () => {
    const ws = seedWorkspace({ users: 1200, groups: 1 });
    const google = await emulator(ws);
    google.inject({ route: 'users', page: 2, status: 500, times: Infinity });
    const error = await failure(read(connect(google, { subject: 'user0@acme.example' })));
    expect(error.message).toMatch(/users\.list answered 500: Backend Error \(reason backendError\) \(gave up after 4 attempts\)/);
    expect(google.stats.byRoute.users).toBe(1 + 4);
  });

  it.each([{}, 'proxy says hello', { kind: 'admin#directory#groups', groups: [] }])('fails the read on a page that is no page of users: %j', async (body) => {
    const google = await emulator(seedWorkspace({ users: 1200, groups: 1 }));
    google.inject({ route: 'users', page: 2, status: 200, body });
    const error = await failure(read(connect(google, { subject: 'user0@acme.example' })));
    expect(error.message).toBe('Google Directory API users.list: the answer is not a page of admin#directory#users');
  });

  it('names the call and Google\'s message for any other error, without retrying', async () => {
    const ws = seedWorkspace({ users: 10, groups: 1 });
    const group = ws.groups[0]!;
    const google = await emulator(ws);
    google.inject({ route: 'members', groupKey: group.id, status: 404, reason: 'notFound', message: 'Resource Not Found: groupKey' });
    const error = await failure(read(connect(google, { subject: 'user0@acme.example' })));
    expect(error.message).toBe(`Google Directory API members.list of group ${group.id} answered 404: Resource Not Found: groupKey (reason notFound)`);
    expect(isOrgsyncError(error) && error.retry).toBe('never');
    expect(google.stats.memberRequests[group.id]).toBe(1);
  });

  it('reports a subject that is no admin with the API\'s refusal', async () => {
    const ws = workspace();
    ws.addUser({ primaryEmail: 'pat@acme.example' });
    const error = await failure(read(connect(await emulator(ws), { subject: 'pat@acme.example' })));
    expect(error.message).toMatch(/users\.list answered 403: Not Authorized to access this resource\/api \(reason forbidden\)/);
  });
});

describe('google source: sign-in', () => {
  it('says to check domain-wide delegation when the subject is refused', async () => {
    const google = await emulator(workspace(), { delegation: new Map() });
    const error = await failure(read(connect(google)));
    expect(error.message).toContain(`Google sign-in of service account ${account().clientEmail} (client id ${account().clientId}) as admin@acme.example was refused (401 unauthorized_client`);
    expect(error.message).toContain('check domain-wide delegation');
    expect(error.message).toContain('admin.directory.group.member.readonly');
    expect(google.stats.byRoute).toEqual({ token: 1 });
  });

  it('says the same when one scope is missing from the delegation', async () => {
    const scopes = new Set(['https://www.googleapis.com/auth/admin.directory.user.readonly']);
    const google = await emulator(workspace(), { delegation: new Map([[account().clientId, scopes]]) });
    const error = await failure(read(connect(google)));
    expect(error.message).toMatch(/unauthorized_client.*check domain-wide delegation/);
  });

  it('refuses a subject that is no user of the Workspace', async () => {
    const google = await emulator(workspace());
    const error = await failure(read(connect(google, { subject: 'nobody@acme.example' })));
    expect(error.message).toMatch(/as nobody@acme\.example was refused \(400 invalid_grant: Invalid email or User ID\); check domain-wide delegation/);
  });

  it('keeps the private key and tokens out of every message', async () => {
    const google = await emulator(workspace(), { delegation: new Map() });
    const error = await failure(read(connect(google)));
    const text = `${error.message} ${JSON.stringify(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
    expect(text).not.toMatch(/PRIVATE KEY|assertion|ya29|eyJ/);
  });
});
