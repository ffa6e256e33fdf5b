/**
 * What an operator can change through the console: approve a plan (queueing its apply), reject
 * it, or ask for a run of a profile. Each action goes through the control facade (so the plan
 * lifecycle decides what is allowed), is recorded in the audit log with who and when, is logged
 * (never with a credential) and is counted in `orgsync_console_actions_total`.
 *
 * In: the request body (validated here: a bad body is a 400 naming the key) and the principal.
 * Out: the plan record after the decision, or the resync receipt.
 */
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { z } from 'zod';
import { validate } from '../config/validate.js';
import { isOrgsyncError } from '../errors.js';
import { approveAndQueue, rejectPlan, requestResync, type Control } from '../queue/control.js';
import type { ResyncReceipt } from '../queue/resync.js';
import type { PlanMeta } from '../store/plan-records.js';
import type { AuditAction, AuditEntry, AuditLog } from './audit.js';
import type { Principal } from './auth/guard.js';
import { httpError } from './errors.js';

const comment = z.string().trim().max(2000, 'at most 2000 characters');

export const approveBody = z.object({ overrideGuards: z.boolean().optional(), comment: comment.optional() }).strict();
export const rejectBody = z.object({ comment: comment.min(1, 'say why the plan is rejected') }).strict();
export const resyncBody = z.object({ full: z.boolean().optional(), apply: z.boolean().optional() }).strict();

export interface ActionDeps {
  control: Omit<Control, 'close'>;
  audit: AuditLog;
  log: Logger;
  counter: Counter<'action' | 'outcome'>;
  now: () => Date;
}

/** Parse a JSON body (absent counts as `{}`), or throw a 400 naming the key at fault. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  try {
    return validate(schema, body ?? {}, 'request body');
  } catch (error) {
    throw httpError('bad-request', isOrgsyncError(error) ? error.message : 'request body: not valid');
  }
}

export async function approve(deps: ActionDeps, id: string, body: unknown, who: Principal): Promise<PlanMeta> {
  const { overrideGuards, comment: note } = parseBody(approveBody, body);
  const meta = await counted(deps, 'approve', () =>
    approveAndQueue(deps.control, id, { by: who.name, overrideGuards: overrideGuards === true, ...(note ? { comment: note } : {}) }),
  );
  await audited(deps, { action: 'approve', profile: meta.profile, planId: id, ...(note ? { comment: note } : {}), overrideGuards: overrideGuards === true }, who);
  return meta;
}

export async function reject(deps: ActionDeps, id: string, body: unknown, who: Principal): Promise<PlanMeta> {
  const { comment: note } = parseBody(rejectBody, body);
  const meta = await counted(deps, 'reject', () => rejectPlan(deps.control, id, { by: who.name, comment: note }));
  await audited(deps, { action: 'reject', profile: meta.profile, planId: id, comment: note }, who);
  return meta;
}

export async function resync(deps: ActionDeps, profile: string, body: unknown, who: Principal): Promise<ResyncReceipt> {
  const { full, apply } = parseBody(resyncBody, body);
  const known = deps.control.config.profiles.map((p) => p.name);
  if (!known.includes(profile)) throw httpError('not-found', `no profile named "${profile}" (profiles: ${known.join(', ')})`);
  const receipt = await counted(deps, 'resync', () => requestResync(deps.control, profile, { full: full === true, apply: apply === true, by: who.name }));
  await audited(deps, { action: 'resync', profile, jobId: receipt.jobId, coalesced: receipt.coalesced, full: full === true, apply: apply === true }, who);
  return receipt;
}

async function counted<T>(deps: ActionDeps, action: AuditAction, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    deps.counter.inc({ action, outcome: 'done' });
    return result;
  } catch (error) {
    deps.counter.inc({ action, outcome: 'refused' });
    throw error;
  }
}

async function audited(deps: ActionDeps, entry: Omit<AuditEntry, 'by' | 'via' | 'at'>, who: Principal): Promise<void> {
  const full: AuditEntry = { ...entry, by: who.name, via: who.via, at: deps.now().toISOString() };
  await deps.audit.record(full);
  const { comment: _c, ...line } = full;
  deps.log.info(line, `${entry.action} by ${who.name}`);
}
