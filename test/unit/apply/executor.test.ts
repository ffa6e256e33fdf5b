import { describe, expect, it } from 'vitest';
import { handMadePlan, operation } from '../../builders.js';
import { applyPlan } from '../../../src/apply/executor.js';
import { MemoryJournal } from '../../../src/apply/types.js';
import { OrgsyncError } from '../../../src/errors.js';
import type { OrgState } from '../../../src/model/org.js';
import { OPERATION_KINDS, PLAN_SCHEMA, type Operation, type Plan } from '../../../src/model/plan.js';
import type { ApplyOutcome, OrgAdapter, OrgRefs } from '../../../src/org/types.js';

/** User operations default to the claimed domain acme.com; invitations to partner.io. */
function op(partial: Partial<Operation> & Pick<Operation, 'id' | 'kind'>): Operation {
  const domain = partial.kind === 'inviteUser' || partial.kind === 'revokeAccess' ? 'partner.io' : partial.group ? null : 'acme.com';
  return operation(partial.kind, { domain, ...partial });
}

function plan(operations: Operation[]): Plan {
  return handMadePlan({
    schema: PLAN_SCHEMA,
    id: 'p-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'ready',
    profile: 'test',
    fingerprints: { org: 'o', policy: 'p' },
    sources: [],
    summary: {},
    guards: [],
    warnings: [],
    operations,
  });
}

/** Records every call; creates ids `new-<sourceId>`; fails operations whose id starts with `fail`. */
class RecordingAdapter implements OrgAdapter {
  readonly kind = 'recording';
  readonly capabilities = new Set(OPERATION_KINDS);
  readonly calls: Array<{ id: string; members?: Array<string | undefined> }> = [];

  constructor(private readonly state: OrgState, private readonly failWith?: OrgsyncError) {}

  async readState(): Promise<OrgState> {
    return this.state;
  }

  async apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const members = operation.members?.map((m) => m.accountId ?? (m.sourceId ? refs.accountFor(m.sourceId) : undefined));
    this.calls.push({ id: operation.id, ...(members ? { members } : {}) });
    if (operation.id.startsWith('fail')) throw this.failWith ?? new OrgsyncError('http-400', 'server said no', { status: 400 });
    if (operation.kind === 'createAccount') return { result: 'applied', accountId: `new-${operation.sourceId}` };
    return { result: 'applied' };
  }

  async close(): Promise<void> {}
}

const emptyOrg = (): OrgState => ({ domains: [{ name: 'acme.com', status: 'verified' }], users: [], groups: [] });
const alice = { id: 'a-1', email: 'alice@acme.com', externalId: 'u-1', attributes: { title: 'Engineer' }, managed: true, status: 'active' as const, source: 'sync' as const };

describe('applyPlan', () => {
  it('applies kinds in plan order and feeds created accounts to later memberships', async () => {
    const org: OrgState = { ...emptyOrg(), groups: [{ id: 'g-1', name: 'Eng', description: '', externalId: 'sg-1', source: 'sync', members: [] }] };
    const adapter = new RecordingAdapter(org);
    const ops = [
      op({ id: 'add', kind: 'addMembers', group: { id: 'g-1', externalId: 'sg-1', name: 'Eng' }, members: [{ email: 'bob@acme.com', sourceId: 'u-2', accountId: null, classification: 'claimed' }] }),
      op({ id: 'create', kind: 'createAccount', sourceId: 'u-2', email: 'bob@acme.com' }),
    ];
    const report = await applyPlan(plan(ops), adapter, { journal: new MemoryJournal() });
    expect(adapter.calls).toEqual([{ id: 'create' }, { id: 'add', members: ['new-u-2'] }]);
    expect(report.status).toBe('applied');
    expect(report.counts).toEqual({ applied: 2, skipped: 0, conflict: 0, failed: 0 });
  });

  it('never repeats a journaled operation when resumed', async () => {
    const journal = new MemoryJournal();
    await journal.record({ id: 'create', kind: 'createAccount', result: 'applied', accountId: 'new-u-2', at: 'x' });
    const adapter = new RecordingAdapter(emptyOrg());
    const ops = [
      op({ id: 'create', kind: 'createAccount', sourceId: 'u-2' }),
      op({ id: 'add', kind: 'addMembers', group: { id: null, externalId: 'sg-9', name: 'New' }, members: [{ email: 'b', sourceId: 'u-2', accountId: null, classification: 'claimed' }] }),
      op({ id: 'group', kind: 'createGroup', group: { id: null, externalId: 'sg-9', name: 'New' } }),
    ];
    const adapterWithGroup = Object.assign(adapter, {
      apply: async (operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> => {
        const outcome = await RecordingAdapter.prototype.apply.call(adapter, operation, refs);
        return operation.kind === 'createGroup' ? { ...outcome, groupId: 'g-new' } : outcome;
      },
    });
    const report = await applyPlan(plan(ops), adapterWithGroup, { journal });
    expect(adapter.calls.map((c) => c.id)).toEqual(['group', 'add']);
    expect(adapter.calls[1]!.members).toEqual(['new-u-2']);
    expect(report.results.map((r) => r.id)).toEqual(['create', 'add', 'group']);
  });

  it('skips what is already done and reports a conflict instead of overwriting', async () => {
    const org: OrgState = { ...emptyOrg(), users: [alice, { ...alice, id: 'a-2', email: 'carol@acme.com', externalId: 'u-3', attributes: { title: 'Lead' } }] };
    const adapter = new RecordingAdapter(org);
    const ops = [
      op({ id: 'done', kind: 'updateAccount', accountId: 'a-1', before: { title: 'Intern' }, after: { title: 'Engineer' } }),
      op({ id: 'changed', kind: 'updateAccount', accountId: 'a-2', before: { title: 'Manager' }, after: { title: 'Director' } }),
      op({ id: 'gone', kind: 'deactivateAccount', accountId: 'a-404', before: { status: 'active' }, after: { status: 'deactivated' } }),
      op({ id: 'ok', kind: 'deactivateAccount', accountId: 'a-1', before: { status: 'active' }, after: { status: 'deactivated' } }),
    ];
    const report = await applyPlan(plan(ops), adapter, { journal: new MemoryJournal() });
    expect(adapter.calls.map((c) => c.id)).toEqual(['ok']);
    expect(report.results.map((r) => [r.id, r.result])).toEqual([
      ['done', 'skipped'],
      ['changed', 'conflict'],
      ['gone', 'conflict'],
      ['ok', 'applied'],
    ]);
    expect(report.status).toBe('partially-applied');
    expect(report.results[1]!.message).toMatch(/changed since the plan/);
  });

  it('records a failure with the server message and goes on', async () => {
    const adapter = new RecordingAdapter({ ...emptyOrg(), users: [alice] });
    const ops = [
      op({ id: 'fail-1', kind: 'createAccount', sourceId: 'u-7' }),
      op({ id: 'ok', kind: 'deactivateAccount', accountId: 'a-1', before: { status: 'active' }, after: { status: 'deactivated' } }),
    ];
    const journal = new MemoryJournal();
    const report = await applyPlan(plan(ops), adapter, { journal });
    expect(report.results.map((r) => [r.id, r.result, r.message])).toEqual([
      ['fail-1', 'failed', 'server said no'],
      ['ok', 'applied', undefined],
    ]);
    expect([...(await journal.completed()).keys()].sort()).toEqual(['fail-1', 'ok']);
  });

  it('stops without hanging when the target refuses our credentials with operations still queued', async () => {
    const adapter = new RecordingAdapter(emptyOrg(), new OrgsyncError('http-401', 'unauthorized', { status: 401 }));
    const ops = Array.from({ length: 10 }, (_, i) => op({ id: `fail-${i}`, kind: 'createAccount', sourceId: `u-${i}` }));
    const journal = new MemoryJournal();
    await expect(applyPlan(plan(ops), adapter, { journal, concurrency: 2 })).rejects.toThrow('unauthorized');
    expect(adapter.calls.length).toBeLessThanOrEqual(2);
    expect((await journal.completed()).size).toBe(0);
  });

  it('journals operations still in flight when the run is aborted, then rejects', async () => {
    const abort = new AbortController();
    const adapter = new RecordingAdapter({ ...emptyOrg(), users: [alice] });
    const slow = Object.assign(adapter, {
      apply: async (operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> => {
        abort.abort(new Error('lock lost'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return RecordingAdapter.prototype.apply.call(adapter, operation, refs);
      },
    });
    const ops = [op({ id: 'a', kind: 'createAccount', sourceId: 'u-8' }), op({ id: 'b', kind: 'createAccount', sourceId: 'u-9' })];
    const journal = new MemoryJournal();
    await expect(applyPlan(plan(ops), slow, { journal, concurrency: 1, signal: abort.signal })).rejects.toThrow('lock lost');
    expect([...(await journal.completed()).keys()]).toEqual(['a']);
  });

  it('stops at once when the target refuses our credentials', async () => {
    const adapter = new RecordingAdapter(emptyOrg(), new OrgsyncError('http-401', 'unauthorized', { status: 401 }));
    const ops = [op({ id: 'fail-a', kind: 'createAccount', sourceId: 'u-1' }), op({ id: 'next', kind: 'inviteUser', sourceId: 'u-2' })];
    await expect(applyPlan(plan(ops), adapter, { journal: new MemoryJournal(), concurrency: 1 })).rejects.toThrow('unauthorized');
    expect(adapter.calls.map((c) => c.id)).toEqual(['fail-a']);
  });

  it('refuses managed-account operations outside the domains the org claims now, and invitations inside them', async () => {
    const org: OrgState = { domains: [{ name: 'acme.com', status: 'unverified' }, { name: 'partner.io', status: 'verified' }], users: [alice], groups: [] };
    const adapter = new RecordingAdapter(org);
    const ops = [
      op({ id: 'create', kind: 'createAccount', sourceId: 'u-2', email: 'bob@acme.com' }),
      op({ id: 'sub', kind: 'createAccount', sourceId: 'u-4', email: 'eve@sub.partner.io', domain: 'sub.partner.io' }),
      op({ id: 'invite', kind: 'inviteUser', sourceId: 'u-3', email: 'carol@partner.io' }),
    ];
    const report = await applyPlan(plan(ops), adapter, { journal: new MemoryJournal() });
    expect(adapter.calls).toEqual([]);
    expect(report.results.map((r) => [r.id, r.result])).toEqual([
      ['create', 'conflict'],
      ['sub', 'conflict'],
      ['invite', 'conflict'],
    ]);
    expect(report.results[0]!.message).toMatch(/domain acme\.com is not claimed by the org now/);
    expect(report.results[2]!.message).toMatch(/domain partner\.io is claimed by the org now/);
  });

  it('refuses to move a managed account to an address on a domain the org does not claim', async () => {
    const adapter = new RecordingAdapter({ ...emptyOrg(), users: [alice] });
    const move = op({ id: 'move', kind: 'updateAccount', accountId: 'a-1', before: { email: 'alice@acme.com' }, after: { email: 'alice@acme.io' } });
    const report = await applyPlan(plan([move]), adapter, { journal: new MemoryJournal() });
    expect(adapter.calls).toEqual([]);
    expect(report.results[0]).toMatchObject({ result: 'conflict', message: expect.stringMatching(/domain acme\.io is not claimed/) });
  });

  it('compares addresses in their normalized form', async () => {
    const stored = { ...alice, email: 'Alice@ACME.com.' };
    const adapter = new RecordingAdapter({ ...emptyOrg(), users: [stored] });
    const same = op({ id: 'same', kind: 'updateAccount', accountId: 'a-1', before: { email: 'bob@acme.com' }, after: { email: 'alice@acme.com' } });
    const report = await applyPlan(plan([same]), adapter, { journal: new MemoryJournal() });
    expect(report.results[0]).toMatchObject({ result: 'skipped' });
  });

  it('sends the kinds an adapter batches in batches, one result and journal entry per operation', async () => {
    const batches: string[][] = [];
    const adapter = new RecordingAdapter({ ...emptyOrg(), groups: [{ id: 'g-1', name: 'Eng', description: '', externalId: 'sg-1', source: 'sync', members: [] }] });
    const batching = Object.assign(adapter, {
      batches: { inviteUser: 2 },
      async applyBatch(ops: Operation[]) {
        batches.push(ops.map((o) => o.id));
        return ops.map((o) => (o.id.startsWith('bad') ? { result: 'failed' as const, message: 'refused: no seats', accountId: `acc-${o.sourceId}` } : { result: 'applied' as const, accountId: `acc-${o.sourceId}` }));
      },
    });
    const invites = ['i-1', 'bad-2', 'i-3'].map((id, n) => op({ id, kind: 'inviteUser', sourceId: `u-${n}`, email: `p${n}@partner.io` }));
    const conflicting = op({ id: 'claimed', kind: 'inviteUser', sourceId: 'u-9', email: 'x@acme.com', domain: 'acme.com' });
    const add = op({ id: 'add', kind: 'addMembers', group: { id: null, externalId: 'sg-1', name: 'Eng' }, members: [{ email: 'p1@partner.io', sourceId: 'u-1', accountId: null, classification: 'external' }] });
    const journal = new MemoryJournal();
    const report = await applyPlan(plan([...invites, conflicting, add]), batching, { journal, concurrency: 1 });
    expect(batches).toEqual([['i-1', 'bad-2'], ['i-3']]);
    expect(report.results.map((r) => [r.id, r.result])).toEqual([
      ['i-1', 'applied'],
      ['bad-2', 'failed'],
      ['i-3', 'applied'],
      ['claimed', 'conflict'],
      ['add', 'applied'],
    ]);
    expect(report.results[1]).toMatchObject({ message: 'refused: no seats', accountId: 'acc-u-1' });
    // The account a failed invitation reached anyway is known to the operations that follow.
    expect(adapter.calls).toEqual([{ id: 'add', members: ['acc-u-1'] }]);
    expect([...(await journal.completed()).keys()].sort()).toEqual(['add', 'bad-2', 'claimed', 'i-1', 'i-3']);
  });
});
