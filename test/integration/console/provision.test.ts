/**
 * Provision one person through the console's API on real Redis: the steps and the person's plan,
 * Apply now through the executor with the plan's Redis journal, the audit entry, the one-line
 * answers, and the same refusals as the other actions (credentials, cross-site, busy profile).
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/console/audit.js';
import { durationMs } from '../../../src/config/schema.js';
import { parseOrgFile } from '../../../src/org/file/orgfile.js';
import { ProfileLocks } from '../../../src/queue/lock.js';
import { BEARER, setupConsole, type ConsoleSetup } from './helpers.js';

let s: ConsoleSetup;
afterEach(async () => s?.close());

const URL = '/api/profiles/acme/provision';

async function orgUsers(setup: ConsoleSetup) {
  const path = (setup.config.profiles[0]!.org.settings as { path: string }).path;
  return parseOrgFile(JSON.parse(await readFile(path, 'utf8')), path).users;
}

describe('provision one person from the console', () => {
  it('shows the steps and the plan, and changes nothing without apply', async () => {
    s = await setupConsole();
    const res = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: 'User0001@ACME.com' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.result).toBe('planned');
    expect(body.steps.read.user.id).toBe('u-0001');
    expect(body.steps.classify).toMatchObject({ classification: 'claimed', domain: 'acme.com', inScope: true });
    expect(body.plan.operations.map((op: { kind: string; sourceId: string }) => `${op.kind} ${op.sourceId}`)).toEqual(['createAccount u-0001']);
    expect(body.text).toMatch(/^1\. Read {6}u-0001 /);
    expect(body.apply).toBeNull();
    expect(await orgUsers(s)).toEqual([]);
    expect(await new AuditLog(s.control.redis, s.control.keys).recent('acme')).toEqual([]);
  });

  it('applies now, journals the results under the plan id, and records who did it', async () => {
    s = await setupConsole();
    const res = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: 'u-0002', apply: true } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.apply.counts).toMatchObject({ applied: 1, failed: 0, conflict: 0 });
    expect((await orgUsers(s)).map((u) => u.externalId)).toEqual(['u-0002']);
    const journal = await s.control.plans.journal(body.plan.id).completed();
    expect([...journal.values()].map((r) => r.result)).toEqual(['applied']);
    const audit = await new AuditLog(s.control.redis, s.control.keys).recent('acme');
    expect(audit[0]).toMatchObject({ action: 'provision', profile: 'acme', sourceId: 'u-0002', planId: body.plan.id, by: 'operator', via: 'token' });
    expect(JSON.stringify(audit)).not.toContain('user0002@acme.com');
    const again = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: 'u-0002' } });
    expect(again.json().plan.operations).toEqual([]);
  });

  it('answers in one line for a person the source does not have', async () => {
    s = await setupConsole();
    const res = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: 'nobody@acme.com', apply: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: 'not-found', message: 'no person "nobody@acme.com" in source file (looked up by source id, email and user name)' });
  });

  it('refuses what the other actions refuse: no credentials, cross-site, bad body, unknown profile, a busy profile', async () => {
    s = await setupConsole();
    expect((await s.app.inject({ method: 'POST', url: URL, payload: { key: 'u-0001', apply: true } })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: URL, headers: { ...BEARER, 'sec-fetch-site': 'cross-site' }, payload: { key: 'u-0001', apply: true } })).statusCode).toBe(403);
    const bad = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: '', apply: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^request body: /);
    expect((await s.app.inject({ method: 'POST', url: '/api/profiles/nope/provision', headers: BEARER, payload: { key: 'u-0001' } })).statusCode).toBe(404);
    const lock = await new ProfileLocks(s.control.redis, s.control.keys, durationMs(s.config.worker.lockDuration)).acquire('acme');
    try {
      const busy = await s.app.inject({ method: 'POST', url: URL, headers: BEARER, payload: { key: 'u-0001', apply: true } });
      expect(busy.statusCode).toBe(409);
      expect(busy.json().error.code).toBe('plan-busy');
    } finally {
      await lock?.release();
    }
    expect(await orgUsers(s)).toEqual([]);
  });
});
