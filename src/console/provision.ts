/**
 * Provision one person from the console: the steps and the person's plan (see
 * `src/run/provision.ts`), and with `apply` the operations applied at once through the executor,
 * journaled in Redis under the plan's id like any applied plan. Applying needs what approving a
 * plan needs (an authenticated operator; the page's CSRF token for a browser session), holds the
 * profile's lock so no scheduled run of the profile goes on at the same time, and is recorded in
 * the audit trail (who, when, the source id, the plan id; never the address).
 *
 * The source is read whole with a throwaway cursor store, so the profile's incremental cursor is
 * neither used nor moved; the org adapter keeps its ownership records in the profile's Redis state.
 */
import { z } from 'zod';
import { applyPlan } from '../apply/executor.js';
import type { ApplyReport } from '../apply/types.js';
import { durationMs } from '../config/schema.js';
import type { Plan } from '../model/plan.js';
import { lookupLine, renderSteps } from '../plan/render/steps.js';
import { ProfileLocks } from '../queue/lock.js';
import { provisionPerson, type ProvisionSteps } from '../run/provision.js';
import { RedisStateStore } from '../store/redis-state.js';
import { MemoryStateStore } from '../store/types.js';
import { parseBody } from './actions.js';
import type { Principal } from './auth/guard.js';
import type { ConsoleContext } from './context.js';
import { httpError } from './errors.js';

export const provisionBody = z.object({ key: z.string().trim().min(1, 'give a source id or an email address').max(320), apply: z.boolean().optional() }).strict();

export type ProvisionAnswer =
  | { result: 'not-found' | 'duplicate'; message: string }
  | { result: 'planned'; steps: ProvisionSteps; plan: Plan; text: string; apply: ApplyReport | null };

export async function provisionOne(ctx: ConsoleContext, profileName: string, body: unknown, who: Principal): Promise<ProvisionAnswer> {
  const { key, apply } = parseBody(provisionBody, body);
  const profile = ctx.config.profiles.find((p) => p.name === profileName);
  if (!profile) throw httpError('not-found', `no profile named "${profileName}" (profiles: ${ctx.config.profiles.map((p) => p.name).join(', ')})`);
  const { redis, keys } = ctx.control;
  const lock = await new ProfileLocks(redis, keys, durationMs(ctx.config.worker.lockDuration)).acquire(profile.name);
  if (!lock) throw httpError('plan-busy', `a run of profile ${profile.name} is in progress; try again when it has finished`);
  try {
    const log = ctx.log.child({ profile: profile.name, run: 'provision' });
    const context = { baseDir: ctx.config.baseDir, sourceState: new MemoryStateStore(), orgState: new RedisStateStore(redis, keys, profile.name, 'org'), full: true, log, now: ctx.now, signal: lock.signal };
    const outcome = await provisionPerson(profile, context, key);
    if (outcome.result !== 'planned') return { result: outcome.result, message: lookupLine(outcome) };
    const { steps, plan, org } = outcome;
    try {
      const answer = { result: 'planned' as const, steps, plan, text: renderSteps(steps, plan, { color: false }), apply: null };
      if (apply !== true) return answer;
      if (plan.status === 'blocked') throw httpError('plan-guarded', `the plan for ${steps.read.user.id} is blocked by its guards and was not applied; it is applied with the next approved plan of the profile`);
      const report = plan.operations.length === 0 ? null : await applyPlan(plan, org, { journal: ctx.control.plans.journal(plan.id), ...profile.apply, log, signal: lock.signal });
      await recordProvision(ctx, { profile: profile.name, planId: plan.id, sourceId: steps.read.user.id }, who);
      return { ...answer, apply: report };
    } finally {
      await org.close();
    }
  } finally {
    await lock.release().catch(() => undefined);
  }
}

async function recordProvision(ctx: ConsoleContext, entry: { profile: string; planId: string; sourceId: string }, who: Principal): Promise<void> {
  await ctx.audit.record({ action: 'provision', ...entry, by: who.name, via: who.via, at: ctx.now().toISOString() });
  ctx.counter.inc({ action: 'provision', outcome: 'done' });
  ctx.log.info({ action: 'provision', ...entry, by: who.name, via: who.via }, `provision by ${who.name}`);
}
