/**
 * One run of a profile: build its source and org from the registries, read both sides, reconcile,
 * and assemble the plan. Shared by `orgsync sync`, `orgsync snapshot` and the worker.
 */
import type { Logger } from 'pino';
import { sourceFactories } from '../../connectors/registry.js';
import type { SourceConnector } from '../../connectors/types.js';
import type { Profile } from '../config/load.js';
import type { Snapshot } from '../model/directory.js';
import type { OrgState } from '../model/org.js';
import type { Plan } from '../model/plan.js';
import { orgFactories } from '../org/registry.js';
import type { OrgAdapter } from '../org/types.js';
import { assemblePlan } from '../plan/assemble.js';
import { reconcile } from '../reconcile/index.js';
import type { StateStore } from '../store/types.js';

export interface RunContext {
  baseDir: string;
  /** Durable state of the profile's source (delta cursors) and org adapter (ownership records). */
  sourceState: StateStore;
  orgState: StateStore;
  /** Ignore incremental cursors. */
  full: boolean;
  /** False when `sourceState` is discarded after the run (one-shot commands); default true. */
  keepSourceState?: boolean;
  log: Logger;
  now?: () => Date;
  signal?: AbortSignal;
}

/** The profile's source connector, its module loaded on first use (`connectors/registry.ts`). */
export async function openSource(profile: Pick<Profile, 'source'>, ctx: Pick<RunContext, 'baseDir'>): Promise<SourceConnector> {
  const entry = sourceFactories.get(profile.source.kind);
  if (!entry) throw new Error(`unknown source kind "${profile.source.kind}"`);
  return (await entry.load()).create(profile.source.settings, { baseDir: ctx.baseDir });
}

/** The profile's org adapter, its module loaded on first use (`src/org/registry.ts`). */
export async function openOrg(profile: Pick<Profile, 'org'>, ctx: Pick<RunContext, 'baseDir' | 'orgState'>): Promise<OrgAdapter> {
  const entry = orgFactories.get(profile.org.kind);
  if (!entry) throw new Error(`unknown org kind "${profile.org.kind}"`);
  return (await entry.load()).create(profile.org.settings, { baseDir: ctx.baseDir, state: ctx.orgState });
}

export async function readSource(profile: Profile, ctx: RunContext): Promise<Snapshot> {
  const source = await openSource(profile, ctx);
  return source.read({ policy: profile.policy, state: ctx.sourceState, full: ctx.full, keepState: ctx.keepSourceState, log: ctx.log, signal: ctx.signal });
}

export interface PlannedRun {
  plan: Plan;
  snapshot: Snapshot;
  orgState: OrgState;
  /** The org adapter the plan was made against, already read: apply through it. */
  org: OrgAdapter;
}

/** Read source and org (concurrently), reconcile, and assemble the plan. */
export async function planRun(profile: Profile, ctx: RunContext): Promise<PlannedRun> {
  const org = await openOrg(profile, ctx);
  try {
    const [snapshot, orgState] = await Promise.all([readSource(profile, ctx), org.readState()]);
    const result = reconcile({ snapshot, org: orgState, policy: profile.policy, capabilities: org.capabilities });
    const plan = assemblePlan(result, {
      profile: profile.name,
      createdAt: (ctx.now?.() ?? new Date()).toISOString(),
      sources: [{ name: profile.name, kind: profile.source.kind, complete: snapshot.complete, users: snapshot.users.length, groups: snapshot.groups.length }],
    });
    return { plan, snapshot, orgState, org };
  } catch (error) {
    await org.close();
    throw error;
  }
}
