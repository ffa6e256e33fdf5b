import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EntraSource } from '../../../connectors/entra/index.js';
import { STATE_KEY } from '../../../connectors/entra/baseline.js';
import { entraSettingsSchema } from '../../../connectors/entra/settings.js';
import { defaultPolicy } from '../../../src/config/policy.js';
import { OrgsyncError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import type { Profile } from '../../../src/config/load.js';
import { planRun } from '../../../src/run/pipeline.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { Tenant } from '../../emulators/graph/index.js';
import { connect, emulator, read } from './helpers.js';

function tenantOf(users: number, groups = 2): Tenant {
  const tenant = new Tenant();
  const all = Array.from({ length: users }, () => tenant.addUser());
  for (let g = 0; g < groups; g++) tenant.addGroup({ displayName: `G${g}`, members: all.slice(g * 3, g * 3 + 3).map((u) => u.id) });
  return tenant;
}

describe('entra read under throttling and failures', () => {
  it('waits as long as a 429 asks (fractional Retry-After), then goes on', async () => {
    const graph = await emulator({ tenant: tenantOf(2000) });
    graph.inject({ route: 'users', page: 2, status: 429, retryAfter: '0.05' });
    const harness = connect(graph);
    const snapshot = await read(harness);
    expect(snapshot.users).toHaveLength(2000);
    expect(harness.waits).toEqual([50]);
    expect(graph.stats.byStatus[429]).toBe(1);
    expect(graph.stats.byRoute['users']).toBe(4);
  });

  it('retries 503 and 504 on member lists and delta rounds', async () => {
    const graph = await emulator({ tenant: tenantOf(10) });
    graph.inject({ route: 'groups/{id}/members', status: 503, retryAfter: '0.01' });
    graph.inject({ route: 'groups/delta', status: 504 });
    const snapshot = await read(connect(graph));
    expect(snapshot.groups.every((g) => g.members.length === 3)).toBe(true);
    expect(graph.stats.byStatus[503]).toBe(1);
    expect(graph.stats.byStatus[504]).toBe(1);
  });

  it('throws when a page keeps failing mid-paging, naming the URL and Graph error, and stores nothing', async () => {
    const graph = await emulator({ tenant: tenantOf(2500) });
    graph.inject({ route: 'users', page: 2, status: 500, code: 'UnknownError', message: 'backend unavailable', times: Infinity });
    const state = new MemoryStateStore();
    const failure = read(connect(graph), { state });
    await expect(failure).rejects.toBeInstanceOf(OrgsyncError);
    await expect(failure).rejects.toThrow(/Microsoft Graph GET http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users answered 500: UnknownError backend unavailable \(gave up after 4 attempts\)/);
    expect(graph.stats.byRoute['users']).toBe(5);
    expect(await state.get(STATE_KEY)).toBeNull();
  });

  it('does not retry a refused token, and says so', async () => {
    const graph = await emulator({ tenant: tenantOf(3) });
    await expect(read(connect(graph, { accessToken: 'wrong' }))).rejects.toThrow(/answered 401: InvalidAuthenticationToken/);
    expect(graph.stats.byStatus[401]).toBe(graph.stats.total);
    expect(Object.values(graph.stats.byPath).every((n) => n === 1)).toBe(true);
  });

  it('gives up on a slow page after the timeout and reads it again', async () => {
    const graph = await emulator({ tenant: tenantOf(5) });
    graph.inject({ route: 'users', delayMs: 400 });
    const settings = entraSettingsSchema.parse({ tenantId: 't', graphBaseUrl: graph.url, accessToken: graph.token });
    const source = new EntraSource(settings, { baseDir: '.', timeoutMs: 100, retry: { retries: 2, minDelayMs: 1 } });
    const snapshot = await source.read({ policy: defaultPolicy(), state: new MemoryStateStore(), full: false, log: silentLogger() });
    expect(snapshot.users).toHaveLength(5);
    expect(graph.stats.byRoute['users']).toBe(2);
  });

  it('stops when the caller aborts, with the caller\'s reason', async () => {
    const graph = await emulator({ tenant: tenantOf(5) });
    graph.inject({ route: 'users', delayMs: 2_000 });
    const settings = entraSettingsSchema.parse({ tenantId: 't', graphBaseUrl: graph.url, accessToken: graph.token });
    const controller = new AbortController();
    const state = new MemoryStateStore();
    const reading = new EntraSource(settings, { baseDir: '.' }).read({ policy: defaultPolicy(), state, full: false, log: silentLogger(), signal: controller.signal });
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 20);
    await expect(reading).rejects.toBe(reason);
    expect(await state.get(STATE_KEY)).toBeNull();
  });

  it('keeps the stored cursor when a delta round fails mid-paging, and replays it next time', async () => {
    const tenant = tenantOf(10);
    const graph = await emulator({ tenant, deltaPageSize: 2 });
    const harness = connect(graph);
    const state = new MemoryStateStore();
    await read(harness, { state });
    const stored = await state.get(STATE_KEY);
    for (const user of tenant.userList().slice(0, 6)) tenant.updateUser(user.id, { department: 'Moved' });
    graph.inject({ route: 'users/delta', page: 2, status: 500, times: Infinity });

    await expect(read(harness, { state })).rejects.toThrow(/users\/delta answered 500/);
    expect(await state.get(STATE_KEY)).toBe(stored);
    graph.clearFaults();
    const snapshot = await read(harness, { state });
    expect(snapshot.users.filter((u) => u.attributes.department === 'Moved')).toHaveLength(6);
  });

  it('a failed read plans nothing: the run rejects and the org file is untouched', async () => {
    const tenant = tenantOf(1200);
    const graph = await emulator({ tenant });
    graph.inject({ route: 'users', page: 2, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    const dir = await mkdtemp(join(tmpdir(), 'entra-run-'));
    try {
      const orgPath = join(dir, 'org.json');
      const linked = tenant.userList().slice(0, 20).map((u, i) => ({ id: `a-${i}`, email: u.mail, externalId: u.id, attributes: {}, managed: true, status: 'active', source: 'sync' }));
      const org = JSON.stringify({ domains: [{ name: 'contoso.com', status: 'verified' }], users: linked, groups: [] });
      await writeFile(orgPath, org);
      const profile: Profile = {
        name: 'acme',
        source: { kind: 'entra', settings: entraSettingsSchema.parse({ tenantId: 'contoso', graphBaseUrl: graph.url, accessToken: graph.token }) },
        org: { kind: 'file', settings: { path: orgPath } },
        policy: defaultPolicy(),
        schedule: undefined,
        mode: 'review',
        apply: { concurrency: 1, operationsPerSecond: 0 },
      };
      const ctx = { baseDir: dir, sourceState: new MemoryStateStore(), orgState: new MemoryStateStore(), full: false, log: silentLogger() };
      await expect(planRun(profile, ctx)).rejects.toThrow(/\/v1\.0\/users answered 403: Authorization_RequestDenied Insufficient privileges/);
      expect(await readFile(orgPath, 'utf8')).toBe(org);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
