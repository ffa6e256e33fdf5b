/**
 * Checking that a plan document is the plan orgsync made, before anything of it is applied.
 *
 * In: a plan that passed the schema (`parsePlan`) and the file name for messages. Out: nothing,
 * or an `OrgsyncError` (`plan-mismatch`, exit 1) whose one line names the first thing that does
 * not match. The checks, most specific first:
 * 1. every operation id is the content hash of its operation (`src/reconcile/ids.ts`);
 * 2. no two operations share an id;
 * 3. the summary equals the counts of the operations;
 * 4. the guards equal the guards computed again from the operations and the plan's own basis
 *    (policy limits, linked users, users in scope, completeness), and the status follows them;
 * 5. the plan id is the hash of its profile, time, fingerprints and operation ids;
 * 6. the digest is the hash of everything else (`digest.ts`).
 * So an `after` changed under a kept id, an operation appended, an id repeated or a guard limit
 * raised are all refused. Pure; linear in the size of the plan.
 */
import { OrgsyncError } from '../errors.js';
import { OPERATION_KINDS, type GuardResult, type Operation, type Plan } from '../model/plan.js';
import { guardsFromBasis, statusOf } from '../reconcile/guards.js';
import { operation } from '../reconcile/ids.js';
import { summarize } from '../reconcile/index.js';
import { printable } from '../util/printable.js';
import { planId } from './assemble.js';
import { planDigest } from './digest.js';

export function verifyPlan(plan: Plan, file: string): void {
  const fail = (what: string): never => {
    throw new OrgsyncError('plan-mismatch', `${file}: plan ${printable(plan.id)} does not verify: ${what}; nothing was applied (make a new plan rather than edit one; skip operations with --only/--exclude)`);
  };
  checkOperations(plan.operations, fail);
  checkSummary(plan, fail);
  checkGuards(plan, fail);
  const id = planId(plan, plan);
  if (id !== plan.id) fail(`its id is not the hash of its profile, time, fingerprints and operation ids (expected ${id})`);
  if (planDigest(plan) !== plan.digest) fail('digest does not match the plan\'s content: the file was changed after the plan was made');
}

type Fail = (what: string) => never;

function checkOperations(operations: readonly Operation[], fail: Fail): void {
  const seen = new Map<string, number>();
  operations.forEach((op, i) => {
    const expected = operation(op).id;
    if (expected !== op.id) fail(`operations[${i}] (${op.kind} ${printable(subject(op))}): id ${printable(op.id)} is not the hash of its content (expected ${expected})`);
    const first = seen.get(op.id);
    if (first !== undefined) fail(`operations[${i}] has the same id as operations[${first}] (${op.id})`);
    seen.set(op.id, i);
  });
}

function checkSummary(plan: Plan, fail: Fail): void {
  const counted = summarize(plan.operations);
  for (const kind of OPERATION_KINDS) {
    const said = plan.summary[kind] ?? 0;
    const actual = counted[kind] ?? 0;
    if (said !== actual) fail(`summary says ${said} ${kind}, the operations hold ${actual}`);
  }
}

function checkGuards(plan: Plan, fail: Fail): void {
  const computed = guardsFromBasis(plan.operations, plan.basis);
  if (plan.guards.length !== computed.length) fail(`it has ${plan.guards.length} guards, ${computed.length} are computed from its operations and basis`);
  computed.forEach((guard, i) => {
    const said = plan.guards[i]!;
    if (!sameGuard(said, guard)) fail(`guard ${printable(said.name)} says ${figures(said)}; computed from the operations and the plan's policy figures: ${guard.name} ${figures(guard)}`);
  });
  const status = statusOf(plan.operations, computed);
  if (status !== plan.status) fail(`status is "${plan.status}", its operations and guards make it "${status}"`);
}

function sameGuard(a: GuardResult, b: GuardResult): boolean {
  return a.name === b.name && a.limit === b.limit && a.actual === b.actual && a.passed === b.passed;
}

function figures(guard: GuardResult): string {
  return `${guard.actual} of ${guard.limit}, ${guard.passed ? 'passed' : 'failed'}`;
}

function subject(op: Operation): string {
  return op.group?.name ?? op.email ?? op.accountId ?? '';
}
