/**
 * What the plan store keeps about each plan besides the plan document: its lifecycle status, who
 * decided on it and when, apply counts, and a history of status changes. Pure: builds and changes
 * records, never touches Redis.
 */
import type { OperationResultKind } from '../apply/types.js';
import type { OperationKind, Plan, PlanStatus } from '../model/plan.js';
import { checkTransition, type LifecycleStatus } from './lifecycle.js';

/** An operator's (or the worker's) decision on a plan. */
export interface Decision {
  by: string;
  at: string;
  comment?: string;
  /** An approval that overrides failed guards (the only way a blocked plan is applied). */
  overrideGuards?: boolean;
}

export interface HistoryEntry {
  status: LifecycleStatus;
  at: string;
  by?: string;
  note?: string;
}

export interface PlanMeta {
  id: string;
  profile: string;
  createdAt: string;
  updatedAt: string;
  status: LifecycleStatus;
  /** The status reconcile gave the plan (`ready` or `blocked`). */
  planStatus: PlanStatus;
  summary: Partial<Record<OperationKind, number>>;
  operations: number;
  warnings: number;
  /** Failed guards, e.g. `maxDeprovisions: 60 > 50`. */
  failedGuards: string[];
  approval: Decision | null;
  rejection: Decision | null;
  supersededBy: string | null;
  /** Results by kind once an apply finished. */
  counts: Record<OperationResultKind, number> | null;
  /** Why the apply failed, when it did. */
  error: string | null;
  history: HistoryEntry[];
}

export function newMeta(plan: Plan, at: string): PlanMeta {
  const status: LifecycleStatus = plan.status === 'blocked' ? 'blocked' : 'planned';
  return {
    id: plan.id,
    profile: plan.profile,
    createdAt: plan.createdAt,
    updatedAt: at,
    status,
    planStatus: plan.status,
    summary: plan.summary,
    operations: plan.operations.length,
    warnings: plan.warnings.length,
    failedGuards: plan.guards.filter((g) => !g.passed).map((g) => `${g.name}: ${g.actual} > ${g.limit}`),
    approval: null,
    rejection: null,
    supersededBy: null,
    counts: null,
    error: null,
    history: [{ status, at }],
  };
}

/** The record after a status change; throws a `plan-state` error if the change is not allowed. */
export function moved(
  meta: PlanMeta,
  to: LifecycleStatus,
  at: string,
  change: Partial<Omit<PlanMeta, 'status' | 'history' | 'updatedAt'>> = {},
  entry: { by?: string; note?: string } = {},
): PlanMeta {
  checkTransition(meta.id, meta.status, to);
  return { ...meta, ...change, status: to, updatedAt: at, history: [...meta.history, { status: to, at, ...entry }] };
}

/** True when an undecided plan is older than the TTL. */
export function isStale(meta: PlanMeta, now: Date, ttlMs: number): boolean {
  return (meta.status === 'planned' || meta.status === 'blocked') && now.getTime() - Date.parse(meta.createdAt) > ttlMs;
}
