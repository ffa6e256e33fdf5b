/**
 * Events and message builders: pure functions from a plan, an apply report or a failed run to
 * the body each target kind gets. Slack and Teams bodies are checked with the receivers' own
 * refusal rules (test/emulators/notify), so a builder that breaks a documented limit fails here.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../../src/apply/types.js';
import { applyEvent, forTarget, incompleteEvent, planEvent, runFailedEvent, PEOPLE_SHOWN } from '../../../src/notify/events.js';
import { describe as describeEvent } from '../../../src/notify/messages/describe.js';
import { messageFor } from '../../../src/notify/messages/index.js';
import { signature } from '../../../src/notify/sender.js';
import { slackBlockProblem, teamsProblem } from '../../emulators/notify/receivers.js';
import { samplePlan } from '../../fixtures/worker/harness.js';

const AT = new Date('2026-12-01T12:00:00.000Z');

function report(counts: Partial<ApplyReport['counts']>, plan = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 3 })): ApplyReport {
  const full = { applied: 0, skipped: 0, conflict: 0, failed: 0, ...counts };
  const results = plan.operations.map((op, i) => ({ id: op.id, kind: op.kind, result: i < full.failed ? ('failed' as const) : ('applied' as const), at: AT.toISOString() }));
  return { status: full.failed > 0 ? 'partially-applied' : 'applied', results, counts: full };
}

describe('events', () => {
  it('name a waiting plan by its status, with a stable id, counts and warning codes', () => {
    const plan = { ...samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 2 }), warnings: [{ code: 'duplicate-email', message: 'a@acme.com twice', subject: 'a@acme.com' }, { code: 'duplicate-email', message: 'b@acme.com twice' }] };
    const event = planEvent(plan);
    expect(event).toMatchObject({ id: `plan.awaiting-approval.${plan.id}`, type: 'plan.awaiting-approval', operations: 2, warnings: [{ code: 'duplicate-email', count: 2 }] });
    expect(planEvent(plan)).toEqual(event);
    const blocked = planEvent(samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', blocked: true }));
    expect(blocked.type).toBe('plan.blocked');
    expect(blocked.id.startsWith('plan.blocked.')).toBe(true);
  });

  it('carry at most a few people, and only for targets that ask for addresses', () => {
    const plan = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 100 });
    const event = planEvent(plan);
    expect(event.people).toHaveLength(PEOPLE_SHOWN);
    expect(forTarget(event, true).people).toHaveLength(PEOPLE_SHOWN);
    const counted = forTarget(event, false);
    expect(counted).not.toHaveProperty('people');
    expect(JSON.stringify(counted)).not.toMatch(/@acme\.com/);
    for (const kind of ['webhook', 'slack', 'teams'] as const) expect(JSON.stringify(messageFor(kind, counted))).not.toMatch(/@acme\.com/);
  });

  it('list first the people a blocked plan would take something from', () => {
    const base = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 30, blocked: true });
    const last = { ...base.operations[0]!, id: 'op-deactivate', kind: 'deactivateAccount' as const, email: 'leaver@acme.com' };
    const blocked = { ...base, operations: [...base.operations, last] };
    expect(planEvent(blocked).people![0]).toEqual({ email: 'leaver@acme.com', kind: 'deactivateAccount' });
    expect(planEvent({ ...blocked, status: 'ready' }).people![0]!.email).toBe('user0@acme.com');
  });

  it('say nothing about an apply without failures or conflicts', () => {
    const plan = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 3 });
    expect(applyEvent(plan, report({ applied: 3 }, plan), AT)).toBeNull();
    const event = applyEvent(plan, report({ applied: 2, failed: 1 }, plan), AT)!;
    expect(event).toMatchObject({ id: `apply.finished.${plan.id}`, status: 'partially-applied', counts: { failed: 1, applied: 2 } });
    expect(event.people).toEqual([{ email: 'user0@acme.com', kind: 'createAccount', note: 'failed' }]);
    expect(applyEvent(plan, report({ applied: 2, conflict: 1 }, plan), AT)).not.toBeNull();
  });

  it('mask addresses in a failure reason unless the target asks for them', () => {
    const event = runFailedEvent({ profile: 'acme', run: 'sync', jobId: 'repeat:schedule.acme:1764590400000', reason: 'user Alice.Ng+ops@acme.com not found (HTTP 404)', attempts: 3 }, AT);
    expect(event.id).toBe('run.failed.repeat_schedule.acme_1764590400000');
    expect(forTarget(event, false)).toMatchObject({ reason: 'user [address] not found (HTTP 404)' });
    expect(forTarget(event, true)).toMatchObject({ reason: 'user Alice.Ng+ops@acme.com not found (HTTP 404)' });
  });

  it('name an incomplete streak by its start, so one streak is one event', () => {
    const plan = { ...samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z' }), sources: [{ name: 'acme', kind: 'entra', complete: false, users: 40, groups: 2 }] };
    const a = incompleteEvent(plan, { runs: 3, since: '2026-12-01T08:00:00.000Z' });
    const b = incompleteEvent({ ...plan, createdAt: '2026-12-01T11:00:00.000Z' }, { runs: 3, since: '2026-12-01T08:00:00.000Z' });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toContain(':');
    expect(a.sources).toEqual([{ name: 'acme', kind: 'entra', users: 40, groups: 2 }]);
  });
});

describe('messages', () => {
  const plan = samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', blocked: true });

  it('link to the plan page only when the console URL is known', () => {
    const event = forTarget(planEvent(plan), false);
    expect(describeEvent(event).link).toBeUndefined();
    expect(describeEvent(event, 'https://orgsync.example.com').link).toEqual({ url: `https://orgsync.example.com/plans/${plan.id}`, label: 'Review the plan' });
    expect(messageFor('webhook', event, 'https://orgsync.example.com')).toMatchObject({ schema: 'orgsync.notification/v1', type: 'plan.blocked', link: `https://orgsync.example.com/plans/${plan.id}` });
    expect(messageFor('webhook', event)).not.toHaveProperty('link');
  });

  it('state which guards a blocked plan is over', () => {
    const d = describeEvent(planEvent(plan));
    expect(d.title).toBe('Plan for acme is blocked by its guards');
    expect(d.text).toContain('maxDeprovisions');
    expect(d.facts).toContainEqual(['Guards', 'maxDeprovisions 60/50 (over)']);
  });

  it('keep Slack messages within Block Kit limits and escape mrkdwn', () => {
    const long = runFailedEvent({ profile: 'a'.repeat(200), run: 'apply', jobId: '9', planId: 'p-1', reason: `<script> & ${'x'.repeat(5000)}`, attempts: 1 }, AT);
    const body = messageFor('slack', long, 'https://orgsync.example.com') as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(slackBlockProblem(body.blocks)).toBeNull();
    expect(body.blocks[0]!.text!.text).toHaveLength(150);
    expect(body.blocks[1]!.text!.text).toContain('&lt;script&gt; &amp; ');
    expect(body.text.length).toBeLessThanOrEqual(3000);
    const people = forTarget(planEvent(samplePlan({ profile: 'acme', createdAt: '2026-12-01T10:00:00.000Z', count: 40 })), true);
    expect(slackBlockProblem((messageFor('slack', people) as { blocks: unknown }).blocks)).toBeNull();
  });

  it('wrap a Teams message as one Adaptive Card with facts and an open-URL action', () => {
    const body = messageFor('teams', planEvent(plan), 'https://orgsync.example.com') as { attachments: { content: { actions: unknown[]; body: { type: string }[] } }[] };
    expect(teamsProblem(body)).toBeNull();
    const card = body.attachments[0]!.content;
    expect(card.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet', 'TextBlock']);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Review the plan', url: `https://orgsync.example.com/plans/${plan.id}` }]);
    expect(teamsProblem(messageFor('teams', forTarget(planEvent(plan), false)))).toBeNull();
  });

  it('sign the exact body bytes with HMAC-SHA256', () => {
    expect(signature('key', 'The quick brown fox jumps over the lazy dog')).toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });
});
