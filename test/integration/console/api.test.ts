/**
 * The console's JSON API and pages on real Redis: decisions and resyncs change the store and the
 * queue and are audited; lifecycle refusals are 409, unknown plans and profiles 404, bad bodies
 * and queries 400; the plan page filters operations and escapes what it shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/console/audit.js';
import { applyJobId } from '../../../src/queue/jobs.js';
import { BEARER, mixedPlan, setupConsole, type ConsoleSetup } from './helpers.js';

let s: ConsoleSetup;
afterEach(async () => s?.close());

const AUDITOR = { authorization: 'Bearer auditor-token-8e2b6d1f0a' };

function minutesAgo(n: number): string {
  return new Date(Date.now() - n * 60_000).toISOString();
}

describe('plan decisions', () => {
  it('approve: the plan is approved by the token name, its apply is queued, and the action is audited', async () => {
    s = await setupConsole();
    const meta = await s.control.plans.save(mixedPlan());
    const res = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/approve`, headers: AUDITOR, payload: { comment: 'looks right' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().plan.status).toBe('approved');
    const stored = await s.control.plans.get(meta.id);
    expect(stored?.approval).toMatchObject({ by: 'auditor', comment: 'looks right', overrideGuards: false });
    const job = await s.control.queue.getJob(applyJobId(meta.id));
    expect(job?.data).toEqual({ profile: 'acme', planId: meta.id });
    const audit = await new AuditLog(s.control.redis, s.control.keys).recent('acme');
    expect(audit[0]).toMatchObject({ action: 'approve', planId: meta.id, by: 'auditor', via: 'token', comment: 'looks right' });
    const again = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/approve`, headers: BEARER, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'plan-state' });
    expect(again.json().error.message).toContain('already approved');
  });

  it('a blocked plan needs overrideGuards, which is recorded', async () => {
    s = await setupConsole();
    const meta = await s.control.plans.save(mixedPlan({ blocked: true }));
    const refused = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/approve`, headers: BEARER, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('plan-guarded');
    expect((await s.control.plans.get(meta.id))?.status).toBe('blocked');
    expect(await s.control.queue.getJob(applyJobId(meta.id))).toBeUndefined();
    const ok = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/approve`, headers: BEARER, payload: { overrideGuards: true, comment: 'expected leavers' } });
    expect(ok.statusCode).toBe(200);
    expect((await s.control.plans.get(meta.id))?.approval).toMatchObject({ by: 'operator', overrideGuards: true });
  });

  it('approving a superseded plan is a 409 that says why; an unknown plan is a 404', async () => {
    s = await setupConsole();
    const old = await s.control.plans.save(mixedPlan({ createdAt: minutesAgo(10) }));
    const newer = await s.control.plans.save(mixedPlan({ createdAt: minutesAgo(1) }));
    const res = await s.app.inject({ method: 'POST', url: `/api/plans/${old.id}/approve`, headers: BEARER, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/superseded by a newer plan/);
    expect((await s.control.plans.get(newer.id))?.status).toBe('planned');
    for (const [method, url] of [
      ['GET', '/api/plans/p-nope'],
      ['GET', '/api/plans/p-nope/progress'],
      ['POST', '/api/plans/p-nope/approve'],
      ['POST', '/api/plans/p-nope/reject'],
    ] as const) {
      const missing = await s.app.inject({ method, url, headers: BEARER, payload: method === 'POST' ? { comment: 'x' } : undefined });
      expect(missing.statusCode, `${method} ${url}`).toBe(404);
      expect(missing.json().error.code).toBe('not-found');
    }
    const page = await s.app.inject({ method: 'GET', url: '/plans/p-nope', headers: { ...BEARER, accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('no plan with id p-nope');
  });

  it('reject needs a comment; the rejection records who and why, and a rejected plan cannot be approved', async () => {
    s = await setupConsole();
    const meta = await s.control.plans.save(mixedPlan());
    for (const payload of [{}, { comment: '   ' }, { comment: 42 }]) {
      const bad = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/reject`, headers: BEARER, payload });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json().error.message).toMatch(/^request body: comment: /);
    }
    const res = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/reject`, headers: BEARER, payload: { comment: 'wrong scope' } });
    expect(res.statusCode).toBe(200);
    expect((await s.control.plans.get(meta.id))?.rejection).toMatchObject({ by: 'operator', comment: 'wrong scope' });
    const approve = await s.app.inject({ method: 'POST', url: `/api/plans/${meta.id}/approve`, headers: BEARER, payload: {} });
    expect(approve.statusCode).toBe(409);
  });

  it('answers 400 to bad bodies and queries', async () => {
    s = await setupConsole();
    const meta = await s.control.plans.save(mixedPlan());
    const cases = [
      { method: 'POST', url: `/api/plans/${meta.id}/approve`, payload: { overrideGuards: 'yes' }, text: 'overrideGuards' },
      { method: 'POST', url: `/api/plans/${meta.id}/approve`, payload: { force: true }, text: 'force' },
      { method: 'POST', url: '/api/profiles/acme/resync', payload: { full: 1 }, text: 'full' },
      { method: 'POST', url: `/api/plans/${meta.id}/approve`, payload: '{"comment":', text: 'JSON' },
      { method: 'GET', url: '/api/plans?status=done', text: 'status' },
      { method: 'GET', url: '/api/plans?limit=0', text: 'limit' },
      { method: 'GET', url: `/plans/${meta.id}?kind=nuke`, text: 'kind' },
    ] as const;
    for (const c of cases) {
      const headers = { ...BEARER, 'content-type': 'application/json' };
      const payload = 'payload' in c ? (typeof c.payload === 'string' ? c.payload : JSON.stringify(c.payload)) : undefined;
      const res = await s.app.inject({ method: c.method, url: c.url, headers, payload });
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json().error.message, c.url).toContain(c.text);
    }
    expect((await s.control.plans.get(meta.id))?.status).toBe('planned');
  });
});

describe('resync', () => {
  it('queues a run with the flags, records who asked, and joins a waiting run', async () => {
    s = await setupConsole({ profiles: ['acme', 'beta'] });
    const res = await s.app.inject({ method: 'POST', url: '/api/profiles/beta/resync', headers: AUDITOR, payload: { full: true } });
    expect(res.statusCode).toBe(202);
    const receipt = res.json() as { jobId: string; coalesced: boolean };
    expect(receipt.coalesced).toBe(false);
    const job = await s.control.queue.getJob(receipt.jobId);
    expect(job?.name).toBe('sync');
    expect(job?.data).toMatchObject({ profile: 'beta', trigger: 'resync', full: true, apply: false, by: 'auditor' });
    const second = await s.app.inject({ method: 'POST', url: '/api/profiles/beta/resync', headers: BEARER, payload: {} });
    expect(second.json()).toEqual({ jobId: receipt.jobId, coalesced: true });
    const audit = await new AuditLog(s.control.redis, s.control.keys).recent('beta');
    expect(audit.map((a) => [a.action, a.by, a.jobId, a.full])).toEqual([
      ['resync', 'operator', receipt.jobId, false],
      ['resync', 'auditor', receipt.jobId, true],
    ]);
    expect(await new AuditLog(s.control.redis, s.control.keys).recent('acme')).toEqual([]);
  });

  it('an unknown profile is a 404 naming the profiles', async () => {
    s = await setupConsole();
    const res = await s.app.inject({ method: 'POST', url: '/api/profiles/nope/resync', headers: BEARER, payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('no profile named "nope" (profiles: acme)');
    expect(await s.control.queue.count()).toBe(0);
  });
});

describe('reading plans', () => {
  it('lists newest first with profile, status and limit filters', async () => {
    s = await setupConsole({ profiles: ['acme', 'beta'] });
    const a = await s.control.plans.save(mixedPlan({ profile: 'acme', createdAt: minutesAgo(3) }));
    const b = await s.control.plans.save(mixedPlan({ profile: 'beta', createdAt: minutesAgo(2), blocked: true }));
    const ids = async (query: string) => ((await s.app.inject({ method: 'GET', url: `/api/plans${query}`, headers: BEARER })).json().plans as { id: string }[]).map((p) => p.id);
    expect(await ids('')).toEqual([b.id, a.id]);
    expect(await ids('?profile=acme')).toEqual([a.id]);
    expect(await ids('?status=blocked')).toEqual([b.id]);
    expect(await ids('?limit=1')).toEqual([b.id]);
    const page = await s.app.inject({ method: 'GET', url: '/plans?status=blocked', headers: { ...BEARER, accept: 'text/html' } });
    expect(page.body).toContain(`data-plan="${b.id}"`);
    expect(page.body).not.toContain(`data-plan="${a.id}"`);
  });

  it('shows a plan with its results, progress, and the resync requests that led to it', async () => {
    s = await setupConsole();
    const receipt = (await s.app.inject({ method: 'POST', url: '/api/profiles/acme/resync', headers: AUDITOR, payload: {} })).json() as { jobId: string };
    const plan = mixedPlan();
    await s.control.plans.save(plan);
    const at = new Date().toISOString();
    await s.control.runs.record({ profile: 'acme', kind: 'sync', trigger: 'resync', jobId: receipt.jobId, worker: 'w:1', startedAt: at, finishedAt: at, outcome: 'planned', planId: plan.id });
    await s.control.plans.approve(plan.id, { by: 'alice' });
    await s.control.plans.beginApply(plan.id);
    await s.control.plans.journal(plan.id).record({ id: plan.operations[2]!.id, kind: 'inviteUser', result: 'applied', at });
    await s.control.plans.journal(plan.id).record({ id: plan.operations[0]!.id, kind: 'createAccount', result: 'failed', message: 'org said no', at });
    const detail = (await s.app.inject({ method: 'GET', url: `/api/plans/${plan.id}`, headers: BEARER })).json();
    expect(detail.status).toBe('applying');
    expect(detail.plan.operations).toHaveLength(5);
    expect(detail.results.map((r: { id: string }) => r.id)).toEqual([plan.operations[0]!.id, plan.operations[2]!.id]);
    expect(detail.requests).toEqual([expect.objectContaining({ action: 'resync', by: 'auditor', jobId: receipt.jobId })]);
    const progress = (await s.app.inject({ method: 'GET', url: `/api/plans/${plan.id}/progress`, headers: BEARER })).json();
    expect(progress).toMatchObject({ status: 'applying', operations: 5, done: 2, counts: { applied: 1, skipped: 0, conflict: 0, failed: 1 } });
    const page = (await s.app.inject({ method: 'GET', url: `/plans/${plan.id}`, headers: { ...BEARER, accept: 'text/html' } })).body;
    expect(page).toContain('<b>auditor</b> asked for a run');
    expect(page).toContain('org said no');
    expect(page).toContain('data-progress');
  });

  it('filters operations on the plan page by classification, kind and text', async () => {
    s = await setupConsole();
    const plan = mixedPlan();
    await s.control.plans.save(plan);
    const rows = async (query: string) => {
      const body = (await s.app.inject({ method: 'GET', url: `/plans/${plan.id}${query}`, headers: { ...BEARER, accept: 'text/html' } })).body;
      return [...body.matchAll(/<tr data-op="([^"]+)"/g)].map((m) => m[1]);
    };
    const ids = (pick: (op: (typeof plan.operations)[number]) => boolean) => plan.operations.filter(pick).map((op) => op.id);
    expect(await rows('')).toEqual(ids(() => true));
    expect(await rows('?classification=external')).toEqual(ids((op) => op.classification === 'external'));
    expect(await rows('?classification=claimed&kind=deactivateAccount')).toEqual(ids((op) => op.kind === 'deactivateAccount'));
    expect(await rows('?q=VENDOR.example')).toEqual(ids((op) => op.email === 'dora@vendor.example'));
    const page = (await s.app.inject({ method: 'GET', url: `/plans/${plan.id}`, headers: { ...BEARER, accept: 'text/html' } })).body;
    expect(page).toContain('<del>&quot;Engineer&quot;</del> → <ins>&quot;Staff Engineer&quot;</ins>');
    expect(page).toMatch(/<summary><code>unverified-domain<\/code> <span class="count">2<\/span><\/summary>/);
  });

  it('marks failed guards and escapes what the directory supplied', async () => {
    s = await setupConsole();
    const plan = mixedPlan({ blocked: true });
    plan.operations[2] = { ...plan.operations[2]!, email: '<script>alert(1)</script>@x.io', reason: '"><img src=x onerror=alert(1)>' };
    await s.control.plans.save(plan);
    const page = (await s.app.inject({ method: 'GET', url: `/plans/${plan.id}`, headers: { ...BEARER, accept: 'text/html' } })).body;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@x.io');
    expect(page).toMatch(/<tr class="fail"><td>Deprovisions \(deactivate \+ revoke\)/);
    expect(page).toContain('name="overrideGuards" required');
  });

  it('lists profiles with kinds, schedule, last run and the plan awaiting a decision', async () => {
    s = await setupConsole();
    const plan = mixedPlan();
    await s.control.plans.save(plan);
    const at = new Date().toISOString();
    await s.control.runs.record({ profile: 'acme', kind: 'sync', trigger: 'schedule', jobId: 'j1', worker: 'w:1', startedAt: at, finishedAt: at, outcome: 'planned', planId: plan.id, counts: { inviteUser: 2 } });
    const body = (await s.app.inject({ method: 'GET', url: '/api/profiles', headers: BEARER })).json();
    expect(body.profiles).toEqual([
      expect.objectContaining({ profile: 'acme', mode: 'review', source: { kind: 'file' }, org: { kind: 'file' }, nextRunAt: null, lastRun: expect.objectContaining({ outcome: 'planned', planId: plan.id }), awaiting: expect.objectContaining({ id: plan.id }) }),
    ]);
    const page = (await s.app.inject({ method: 'GET', url: '/', headers: { ...BEARER, accept: 'text/html' } })).body;
    expect(page).toContain('data-resync="acme"');
    expect(page).toContain(`href="/plans/${plan.id}"`);
  });
});
