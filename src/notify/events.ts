/**
 * What the worker notifies about, as plain data (it travels in BullMQ job data, stored in clear
 * text): profile names, plan ids, counts, guard results and warning codes; never settings,
 * secrets or the plan itself. People's addresses are kept in `people` only, so `forTarget` can
 * drop them for every target that does not ask for them (`includeAddresses`).
 *
 * Each event has a stable `id` derived from what it is about (the plan, the failed job, the
 * start of an incomplete streak): the same event raised twice (a retried run) is sent once.
 * Pure: no I/O, no clock (times come in).
 */
import type { ApplyReport } from '../apply/types.js';
import { REMOVING_KINDS, type GuardResult, type OperationKind, type Plan } from '../model/plan.js';
import type { EventType } from './settings.js';

/** Addresses (with what happened to them) carried at most, per event. */
export const PEOPLE_SHOWN = 20;

export interface Person {
  email: string;
  /** Operation kind, e.g. `deactivateAccount`. */
  kind: string;
  /** Apply result or warning code, when there is one. */
  note?: string;
}

interface Base {
  id: string;
  type: EventType;
  profile: string;
  occurredAt: string;
  /** A few of the people concerned; only for targets with `includeAddresses`. */
  people?: Person[];
}

export interface PlanEvent extends Base {
  type: 'plan.awaiting-approval' | 'plan.blocked';
  planId: string;
  operations: number;
  summary: Record<string, number>;
  guards: GuardResult[];
  /** Warnings by code, with how many of each. */
  warnings: { code: string; count: number }[];
}

export interface ApplyEvent extends Base {
  type: 'apply.finished';
  planId: string;
  status: ApplyReport['status'];
  counts: ApplyReport['counts'];
}

export interface IncompleteEvent extends Base {
  type: 'source.incomplete';
  /** Runs in a row that read an incomplete source. */
  runs: number;
  since: string;
  sources: { name: string; kind: string; users: number; groups: number }[];
}

export interface RunFailedEvent extends Base {
  type: 'run.failed';
  run: 'sync' | 'apply';
  jobId: string;
  planId?: string;
  reason: string;
  attempts: number;
}

export type NotifyEvent = PlanEvent | ApplyEvent | IncompleteEvent | RunFailedEvent;

/** BullMQ job ids must not hold `:`; scheduled jobs' ids do. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function warningCounts(plan: Plan): { code: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const w of plan.warnings) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([code, count]) => ({ code, count }));
}

/** The first people a plan acts on; for a blocked plan, those it would take something from come first. */
function planPeople(plan: Plan): Person[] {
  const people: Person[] = [];
  const passes: ((kind: OperationKind) => boolean)[] = plan.status === 'blocked' ? [(k) => REMOVING_KINDS.has(k), (k) => !REMOVING_KINDS.has(k)] : [() => true];
  for (const pick of passes) {
    for (const op of plan.operations) {
      if (people.length >= PEOPLE_SHOWN) return people;
      if (op.email && pick(op.kind)) people.push({ email: op.email, kind: op.kind });
    }
  }
  return people;
}

/** A stored plan that waits for an operator: `ready` ones for approval, `blocked` ones for an override. */
export function planEvent(plan: Plan): PlanEvent {
  const type = plan.status === 'blocked' ? 'plan.blocked' : 'plan.awaiting-approval';
  return {
    id: `${type}.${plan.id}`,
    type,
    profile: plan.profile,
    occurredAt: plan.createdAt,
    planId: plan.id,
    operations: plan.operations.length,
    summary: { ...plan.summary },
    guards: plan.guards.map((g) => ({ ...g })),
    warnings: warningCounts(plan),
    people: planPeople(plan),
  };
}

/** An apply that ended with failures or conflicts; null when every operation went through. */
export function applyEvent(plan: Plan, report: ApplyReport, at: Date): ApplyEvent | null {
  if (report.counts.failed === 0 && report.counts.conflict === 0) return null;
  const emails = new Map(plan.operations.map((op) => [op.id, op.email]));
  const people: Person[] = [];
  for (const r of report.results) {
    if (people.length >= PEOPLE_SHOWN) break;
    const email = emails.get(r.id);
    if (email && (r.result === 'failed' || r.result === 'conflict')) people.push({ email, kind: r.kind, note: r.result });
  }
  return { id: `apply.finished.${plan.id}`, type: 'apply.finished', profile: plan.profile, occurredAt: at.toISOString(), planId: plan.id, status: report.status, counts: { ...report.counts }, people };
}

export function incompleteEvent(plan: Plan, streak: { runs: number; since: string }): IncompleteEvent {
  return {
    id: `source.incomplete.${plan.profile}.${idPart(streak.since)}`,
    type: 'source.incomplete',
    profile: plan.profile,
    occurredAt: plan.createdAt,
    runs: streak.runs,
    since: streak.since,
    sources: plan.sources.filter((s) => !s.complete).map(({ name, kind, users, groups }) => ({ name, kind, users, groups })),
  };
}

export interface FailedRun {
  profile: string;
  run: 'sync' | 'apply';
  jobId: string;
  planId?: string;
  reason: string;
  attempts: number;
}

export function runFailedEvent(failed: FailedRun, at: Date): RunFailedEvent {
  return { id: `run.failed.${idPart(failed.jobId)}`, type: 'run.failed', occurredAt: at.toISOString(), ...failed };
}

const EMAIL = /[^\s@<>"'(),;:/\\]+@[^\s@<>"'(),;:]+\.[A-Za-z0-9-]+/g;

/**
 * The event as one target may see it: without `people`, and with addresses in free text (a
 * failure's reason) masked, unless the target asked for addresses.
 */
export function forTarget(event: NotifyEvent, includeAddresses: boolean): NotifyEvent {
  if (includeAddresses) return event;
  const { people: _people, ...rest } = event;
  if (rest.type === 'run.failed') return { ...rest, reason: rest.reason.replace(EMAIL, '[address]') };
  return rest;
}
