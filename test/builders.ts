/**
 * Builders for tests: source users and groups, snapshots, org users, groups and states, policies,
 * and a plain sequential apply of a plan to an in-memory org (refs from what the apply creates).
 * Every builder fills the fields a test does not care about with neutral values.
 */
import { parsePolicy } from '../src/config/policy.js';
import type { ReadIssue, Snapshot, SourceGroup, SourceUser } from '../src/model/directory.js';
import type { OrgDomain, OrgGroup, OrgState, OrgUser } from '../src/model/org.js';
import { OPERATION_KINDS, type GuardBasis, type Operation, type OperationKind, type Plan, type ReconcileResult, type Warning } from '../src/model/plan.js';
import { planDigest } from '../src/plan/digest.js';
import type { Policy, PolicyInput } from '../src/model/policy.js';
import { applyOperation } from '../src/org/memory/apply.js';
import type { ApplyOutcome, OrgAdapter, OrgRefs } from '../src/org/types.js';
import { reconcile } from '../src/reconcile/index.js';

/** The guard basis of a hand-made plan: the default policy's limits, nothing linked. */
export const HAND_MADE_BASIS: GuardBasis = { linkedUsers: 0, inScopeUsers: 0, complete: true, limits: { maxDeprovisions: 50, maxDeprovisionPercent: 10, maxGroupDeletions: 5 } };

/** A hand-made plan document with a basis (default `HAND_MADE_BASIS`) and its digest. */
export function handMadePlan(fields: Omit<Plan, 'basis' | 'digest'> & { basis?: GuardBasis }): Plan {
  const content = { ...fields, basis: fields.basis ?? HAND_MADE_BASIS };
  return { ...content, digest: planDigest(content) };
}

export function sourceUser(id: string, email: string | null, extra: Partial<SourceUser> = {}): SourceUser {
  return { id, email, active: true, attributes: {}, ...extra };
}

export function sourceGroup(id: string, displayName: string, members: string[] = [], extra: Partial<SourceGroup> = {}): SourceGroup {
  return { id, displayName, description: '', members, ...extra };
}

export function snapshot(parts: { users?: SourceUser[]; groups?: SourceGroup[]; complete?: boolean; issues?: ReadIssue[] } = {}): Snapshot {
  return { complete: parts.complete ?? true, users: parts.users ?? [], groups: parts.groups ?? [], issues: parts.issues ?? [] };
}

export function verified(...names: string[]): OrgDomain[] {
  return names.map((name) => ({ name, status: 'verified' }));
}

/** A managed account (managed: true, active, made by the sync). */
export function managedUser(id: string, email: string, extra: Partial<OrgUser> = {}): OrgUser {
  return { id, email, externalId: null, attributes: {}, managed: true, status: 'active', source: 'sync', ...extra };
}

/** An external account (managed: false, invited by the sync). */
export function externalUser(id: string, email: string, extra: Partial<OrgUser> = {}): OrgUser {
  return { id, email, externalId: null, attributes: {}, managed: false, status: 'invited', source: 'sync', ...extra };
}

export function orgGroup(id: string, name: string, members: string[] = [], extra: Partial<OrgGroup> = {}): OrgGroup {
  return { id, name, description: '', externalId: null, source: 'sync', members, ...extra };
}

export function orgState(parts: { domains?: OrgDomain[]; users?: OrgUser[]; groups?: OrgGroup[] } = {}): OrgState {
  return { domains: parts.domains ?? verified('acme.com'), users: parts.users ?? [], groups: parts.groups ?? [] };
}

export function policy(input: PolicyInput = {}): Policy {
  return parsePolicy(input);
}

/** Refs that know the state's links and learn what the apply creates, as the executor's do. */
export class LearningRefs implements OrgRefs {
  private readonly accounts = new Map<string, string>();
  private readonly groups = new Map<string, string>();

  constructor(state: OrgState) {
    for (const user of state.users) {
      if (user.externalId && (!this.accounts.has(user.externalId) || user.status !== 'deactivated')) this.accounts.set(user.externalId, user.id);
    }
    for (const group of state.groups) if (group.externalId) this.groups.set(group.externalId, group.id);
  }

  accountFor(sourceId: string): string | undefined {
    return this.accounts.get(sourceId);
  }

  groupFor(sourceGroupId: string): string | undefined {
    return this.groups.get(sourceGroupId);
  }

  learn(op: Operation, outcome: ApplyOutcome): void {
    if (outcome.accountId && op.sourceId && (op.kind === 'createAccount' || op.kind === 'inviteUser' || op.kind === 'linkAccount')) this.accounts.set(op.sourceId, outcome.accountId);
    if (outcome.groupId && op.group?.externalId && op.kind === 'createGroup') this.groups.set(op.group.externalId, outcome.groupId);
  }
}

/** Apply operations in order to an in-memory org; returns the final state and each outcome. */
export function applyPlan(state: OrgState, operations: readonly Operation[]): { state: OrgState; outcomes: ApplyOutcome[] } {
  const refs = new LearningRefs(state);
  const outcomes: ApplyOutcome[] = [];
  let current = state;
  for (const op of operations) {
    const next = applyOperation(current, op, refs);
    refs.learn(op, next.outcome);
    outcomes.push(next.outcome);
    current = next.state;
  }
  return { state: current, outcomes };
}

/** Reconcile with defaults: an empty org with acme.com verified, the default policy. */
export function plan(parts: { snapshot: Snapshot; org?: OrgState; policy?: Policy; capabilities?: ReadonlySet<OperationKind> }): ReconcileResult {
  return reconcile({ snapshot: parts.snapshot, org: parts.org ?? orgState(), policy: parts.policy ?? policy(), capabilities: parts.capabilities });
}

export function ofKind(result: ReconcileResult, kind: OperationKind): Operation[] {
  return result.operations.filter((op) => op.kind === kind);
}

/** `kind email-or-group` of every operation, in plan order: compact to compare in a test. */
export function lines(result: ReconcileResult): string[] {
  return result.operations.map((op) => `${op.kind} ${op.group ? op.group.name : op.email}`);
}

export function warningsOf(result: ReconcileResult, code: string): Warning[] {
  return result.warnings.filter((w) => w.code === code);
}

/** A hand-made operation: every field null but those given; the id names the kind and subject. */
export function operation(kind: OperationKind, fields: Partial<Operation> = {}): Operation {
  return {
    id: `${kind}-${fields.email ?? fields.group?.name ?? fields.accountId ?? 'x'}`,
    kind,
    reason: `reason for ${kind}`,
    email: null,
    sourceId: null,
    accountId: null,
    group: null,
    members: null,
    classification: null,
    domain: null,
    before: null,
    after: null,
    ...fields,
  };
}

/** An org adapter over an in-memory state, for running plans through the real apply executor. */
export class MemoryOrgAdapter implements OrgAdapter {
  readonly kind = 'memory';
  readonly capabilities: ReadonlySet<OperationKind> = new Set(OPERATION_KINDS);

  constructor(public state: OrgState) {}

  async readState(): Promise<OrgState> {
    return structuredClone(this.state);
  }

  async apply(op: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const next = applyOperation(this.state, op, refs);
    this.state = next.state;
    return next.outcome;
  }

  async close(): Promise<void> {}
}
