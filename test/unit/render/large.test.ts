/**
 * Every rendering of a plan with 200,000 operations of one kind (and a membership change of
 * 200,000 members, and 200,000 warnings): nothing may spread or recurse over such a list.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyReport, OperationResult } from '../../../src/apply/types.js';
import { renderApplyReport } from '../../../src/cli/output.js';
import { filterOperations, parseOperationFilter } from '../../../src/console/filter.js';
import type { PlanDetail } from '../../../src/console/queries.js';
import { planPage } from '../../../src/console/views/plan.js';
import type { MemberRef, Operation, Warning } from '../../../src/model/plan.js';
import { renderJson } from '../../../src/plan/render/json.js';
import { renderMarkdown } from '../../../src/plan/render/markdown.js';
import { renderText } from '../../../src/plan/render/text.js';
import { newMeta } from '../../../src/store/plan-records.js';
import { groupOp, plan } from './plans.js';

const N = 200_000;

function createAccounts(n: number): Operation[] {
  const ops: Operation[] = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const email = `user${String(i).padStart(6, '0')}@acme.com`;
    ops[i] = { id: `op-${i}`, kind: 'createAccount', reason: `${email} has no account`, email, sourceId: `u-${i}`, accountId: null, group: null, members: null, classification: 'claimed', domain: 'acme.com', before: null, after: { email } };
  }
  return ops;
}

function manyMembers(n: number): MemberRef[] {
  const members: MemberRef[] = new Array(n);
  for (let i = 0; i < n; i += 1) members[i] = { email: `m${i}@acme.com`, sourceId: `u-${i}`, accountId: null, classification: 'claimed' };
  return members;
}

function manyWarnings(n: number): Warning[] {
  const warnings: Warning[] = new Array(n);
  for (let i = 0; i < n; i += 1) warnings[i] = { code: i % 2 === 0 ? 'invalid-email' : 'missing-email', message: `directory user u-${i} has no usable address`, subject: `u-${i}` };
  return warnings;
}

const big = plan([...createAccounts(N), groupOp('addMembers', 'Everyone', { members: manyMembers(N) })], { warnings: manyWarnings(N) });

// A ceiling for a loaded machine, not a speed check.
describe(`renderings of a plan with ${N} operations of one kind`, { timeout: 180_000 }, () => {
  it('text: one line per operation and per member, widths capped', () => {
    const text = renderText(big, { color: true });
    expect(text).toContain(`createAccount (${N})`);
    expect(text).toContain('user199999@acme.com');
    expect(text).toContain('m199999@acme.com');
    expect(text).toContain(`Warnings (${N}):`);
    expect(text.split('\n').length).toBeGreaterThan(3 * N);
  });

  it('markdown: capped lists with the full counts', () => {
    const markdown = renderMarkdown(big);
    expect(markdown).toContain(`| \`+\` createAccount | ${N} |`);
    expect(markdown).toContain(`…and ${N - 25} more`);
    expect(markdown).toContain(`**Warnings (${N})**`);
  });

  it('json: the whole document, read back equal', () => {
    const json = renderJson(big);
    expect(json.startsWith('{\n  "schema": "orgsync.plan/v1"')).toBe(true);
    expect(json).toContain('"email": "user199999@acme.com"');
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('console plan page: one page of operations, warnings grouped by code', () => {
    const detail: PlanDetail = { ...newMeta(big, big.createdAt), plan: big, results: [], requests: [] };
    const filter = parseOperationFilter({});
    const page = planPage(detail, filter, filterOperations(big.operations, filter), { name: 'ops', via: 'token', csrf: null }, new Date('2025-01-02T04:00:00Z'));
    expect(page).toContain('user000000@acme.com');
    expect(page).toContain(`and ${N / 2 - 100} more`);
  });

  it('apply report: one line per result and the counts', () => {
    const results: OperationResult[] = big.operations.map((op) => ({ id: op.id, kind: op.kind, result: 'applied', at: '2025-01-02T04:00:00.000Z' }));
    const report: ApplyReport = { status: 'applied', results, counts: { applied: results.length, skipped: 0, conflict: 0, failed: 0 } };
    const text = renderApplyReport(big, report);
    expect(text).toContain('  applied   + createAccount  user199999@acme.com');
    expect(text).toContain(`Done (applied): ${N + 1} applied`);
  });
});
