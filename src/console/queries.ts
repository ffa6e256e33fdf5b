/**
 * What the console shows, read from the plan store, the run store, the queue and the audit log.
 *
 * - `profileOverviews`: each configured profile with its source and org kinds, schedule, mode,
 *   last run, next run, the newest plan awaiting a decision and the last actions taken on it.
 * - `planDetail`: a stored plan with its results so far, plus the resync requests (who, when)
 *   that led to it.
 * - `planProgress`: the lean view the plan page polls while a plan is applied.
 * Unknown plans are a 404 (`not-found`).
 */
import type { OperationResult, OperationResultKind } from '../apply/types.js';
import type { Profile } from '../config/load.js';
import { profileStatus, type Control, type ProfileStatus } from '../queue/control.js';
import { AWAITING_DECISION, type LifecycleStatus } from '../store/lifecycle.js';
import type { PlanMeta } from '../store/plan-records.js';
import type { StoredPlan } from '../store/plan-store.js';
import type { AuditEntry, AuditLog } from './audit.js';
import { httpError } from './errors.js';

export interface QueryDeps {
  control: Omit<Control, 'close'>;
  audit: AuditLog;
}

export interface ProfileOverview extends ProfileStatus {
  source: { kind: string };
  org: { kind: string };
  schedule: Profile['schedule'] | null;
  /** The newest plan waiting for a decision, if any. */
  awaiting: PlanMeta | null;
  /** The last actions operators took on the profile, newest first. */
  actions: AuditEntry[];
}

export interface PlanDetail extends StoredPlan {
  /** The resync requests the run that made this plan answered (none for scheduled runs). */
  requests: AuditEntry[];
}

export interface PlanProgress {
  id: string;
  status: LifecycleStatus;
  operations: number;
  done: number;
  counts: Record<OperationResultKind, number>;
  results: OperationResult[];
  error: string | null;
}

export async function profileOverviews(deps: QueryDeps): Promise<ProfileOverview[]> {
  const out: ProfileOverview[] = [];
  for (const profile of deps.control.config.profiles) {
    const status = await profileStatus(deps.control, profile.name);
    const [awaiting] = (await deps.control.plans.list({ profile: profile.name })).filter((m) => AWAITING_DECISION.has(m.status));
    out.push({
      ...status,
      source: { kind: profile.source.kind },
      org: { kind: profile.org.kind },
      schedule: profile.schedule ?? null,
      awaiting: awaiting ?? null,
      actions: await deps.audit.recent(profile.name, 5),
    });
  }
  return out;
}

export async function planDetail(deps: QueryDeps, id: string): Promise<PlanDetail> {
  const stored = await deps.control.plans.show(id);
  if (!stored) throw httpError('not-found', `no plan with id ${id}`);
  const runs = await deps.control.runs.history(stored.profile);
  const jobs = new Set(runs.filter((r) => r.kind === 'sync' && r.planId === id && r.trigger === 'resync').map((r) => r.jobId));
  return { ...stored, requests: await deps.audit.requestsOf(stored.profile, jobs) };
}

export async function planProgress(deps: QueryDeps, id: string): Promise<PlanProgress> {
  const stored = await deps.control.plans.show(id);
  if (!stored) throw httpError('not-found', `no plan with id ${id}`);
  const counts: Record<OperationResultKind, number> = { applied: 0, skipped: 0, conflict: 0, failed: 0 };
  for (const r of stored.results) counts[r.result] += 1;
  return { id, status: stored.status, operations: stored.operations, done: stored.results.length, counts, results: stored.results, error: stored.error };
}
