/**
 * Apply a plan through an org adapter: kind by kind in plan order (so groups and accounts exist
 * before memberships name them), with bounded concurrency and a rate limit inside a kind. Each
 * operation is checked against its precondition, applied at most once (completed ids come from
 * the journal), and recorded as `applied`, `skipped`, `conflict` or `failed` with the server's
 * message. One failed operation does not stop the others.
 *
 * Kinds the adapter applies in batches (`batches`, `applyBatch`) are checked one by one, then
 * sent batch by batch under the same concurrency and rate limits; each operation still gets its
 * own result and journal entry.
 *
 * Transient HTTP failures were already retried by the adapter's client; what reaches here is final
 * for this run. A permanent failure that concerns the whole target (401/403) stops the apply and
 * is rethrown, since every other operation would fail the same way.
 */
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { isOrgsyncError, messageOf } from '../errors.js';
import { Pacer } from '../http/pacer.js';
import { domainClaims } from '../reconcile/email.js';
import { OPERATION_KINDS, type Operation, type Plan } from '../model/plan.js';
import type { ApplyOutcome, BatchFailure, OrgAdapter } from '../org/types.js';
import { checkPrecondition, type StateIndex } from './preconditions.js';
import { MutableRefs } from './refs.js';
import type { ApplyReport, ApplyStatus, Journal, OperationResult, OperationResultKind } from './types.js';

export interface ApplyOptions {
  journal: Journal;
  concurrency?: number;
  /** Operations started per second (0: unlimited). */
  operationsPerSecond?: number;
  log?: Logger;
  signal?: AbortSignal;
  /** Told of each result as soon as it is recorded (progress, metrics). */
  onResult?: (result: OperationResult) => void;
  now?: () => Date;
}

const TARGET_WIDE = new Set([401, 403]);

export async function applyPlan(plan: Plan, adapter: OrgAdapter, options: ApplyOptions): Promise<ApplyReport> {
  const state = await adapter.readState();
  const refs = new MutableRefs(state);
  const index: StateIndex = {
    usersById: new Map(state.users.map((u) => [u.id, u])),
    groupsById: new Map(state.groups.map((g) => [g.id, g])),
    refs,
    claims: domainClaims(state.domains),
  };
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const done = await options.journal.completed();
  for (const previous of done.values()) remember(previous, byId.get(previous.id), refs);
  const limit = pLimit(options.concurrency ?? 4);
  const pacer = new Pacer(options.operationsPerSecond ?? 0);
  const results = new Map<string, OperationResult>(done);

  const now = options.now ?? (() => new Date());
  const record = async (result: OperationResult, op: Operation): Promise<void> => {
    remember(result, op, refs);
    await options.journal.record(result);
    results.set(op.id, result);
    options.onResult?.(result);
  };

  for (const kind of OPERATION_KINDS) {
    const batch = plan.operations.filter((op) => op.kind === kind && !done.has(op.id));
    const size = adapter.applyBatch ? adapter.batches?.[kind] ?? 1 : 1;
    // Once one operation fails for the whole target (or the run is aborted), queued ones return at
    // once; those in flight finish and are journaled before the failure is rethrown, so a resumed
    // apply never repeats an operation that completed.
    let stopped: { error: unknown } | undefined;
    const units = size > 1 ? await batchUnits(batch, size, index, now, record) : batch.map((op) => [op]);
    const settled = await Promise.allSettled(
      units.map((unit) =>
        limit(async () => {
          if (stopped || options.signal?.aborted || unit.length === 0) return;
          await pacer.take(options.signal);
          const run = size > 1 ? applyMany(unit, adapter, index, now) : applyOne(unit[0]!, adapter, index, now).then((r) => [r]);
          const unitResults = await run.catch((error: unknown) => {
            stopped ??= { error };
          });
          for (const [i, result] of (unitResults ?? []).entries()) await record(result, unit[i]!);
        }),
      ),
    );
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (stopped) throw stopped.error;
    if (failure) throw failure.reason;
    options.signal?.throwIfAborted();
  }
  const ordered = plan.operations.map((op) => results.get(op.id)).filter((r): r is OperationResult => r !== undefined);
  return report(ordered);
}

async function applyOne(op: Operation, adapter: OrgAdapter, index: StateIndex, now: () => Date): Promise<OperationResult> {
  const base = { id: op.id, kind: op.kind };
  const pre = checkPrecondition(op, index);
  if (pre.verdict === 'done') return { ...base, result: 'skipped', message: pre.message, at: now().toISOString() };
  if (pre.verdict === 'conflict') return { ...base, result: 'conflict', message: pre.message, at: now().toISOString() };
  try {
    const outcome = await adapter.apply(op, index.refs);
    return { ...base, ...outcome, at: now().toISOString() };
  } catch (error) {
    if (isOrgsyncError(error) && error.status !== undefined && TARGET_WIDE.has(error.status)) throw error;
    return { ...base, result: 'failed', message: messageOf(error), at: now().toISOString() };
  }
}

/**
 * For a kind the adapter applies in batches: record at once the operations whose precondition
 * says done or conflict, and cut the rest into batches of at most `size`.
 */
async function batchUnits(ops: Operation[], size: number, index: StateIndex, now: () => Date, record: (r: OperationResult, op: Operation) => Promise<void>): Promise<Operation[][]> {
  const ready: Operation[] = [];
  for (const op of ops) {
    const pre = checkPrecondition(op, index);
    if (pre.verdict === 'ok') ready.push(op);
    else await record({ id: op.id, kind: op.kind, result: pre.verdict === 'done' ? 'skipped' : 'conflict', message: pre.message, at: now().toISOString() }, op);
  }
  const units: Operation[][] = [];
  for (let i = 0; i < ready.length; i += size) units.push(ready.slice(i, i + size));
  return units;
}

/** One batch through `applyBatch`: one result per operation; a failure of the batch call fails each of them. */
async function applyMany(ops: Operation[], adapter: OrgAdapter, index: StateIndex, now: () => Date): Promise<OperationResult[]> {
  let outcomes: Array<ApplyOutcome | BatchFailure>;
  try {
    outcomes = await adapter.applyBatch!(ops, index.refs);
  } catch (error) {
    if (isOrgsyncError(error) && error.status !== undefined && TARGET_WIDE.has(error.status)) throw error;
    outcomes = ops.map(() => ({ result: 'failed', message: messageOf(error) }));
  }
  return ops.map((op, i) => ({ id: op.id, kind: op.kind, ...(outcomes[i] ?? { result: 'failed', message: 'the adapter gave no result for this operation' }), at: now().toISOString() }));
}

/** Feed what an operation produced back into the refs, so later kinds can name it. */
function remember(result: OperationResult, op: Operation | undefined, refs: MutableRefs): void {
  if (!op) return;
  if (result.accountId && op.sourceId) refs.noteAccount(op.sourceId, result.accountId);
  if (result.groupId && op.group?.externalId) refs.noteGroup(op.group.externalId, result.groupId);
}

function report(results: OperationResult[]): ApplyReport {
  const counts: Record<OperationResultKind, number> = { applied: 0, skipped: 0, conflict: 0, failed: 0 };
  for (const r of results) counts[r.result] += 1;
  const bad = counts.conflict + counts.failed;
  const status: ApplyStatus = bad === 0 ? 'applied' : bad === results.length ? 'failed' : 'partially-applied';
  return { status, results, counts };
}
