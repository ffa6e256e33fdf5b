/**
 * One read of an Entra tenant, full or incremental; either way the result is a whole `Snapshot`.
 *
 * In: a `GraphClient`, settings, the policy, the profile's `StateStore` and whether a full read
 * is required. Out: the snapshot; on success the stored baseline and deltaLinks are replaced
 * (except when an incremental read must be replayed, below).
 *
 * - **Full** (`full: true`, no usable stored baseline, or an expired delta token): deltaLinks are
 *   obtained first (`$deltatoken=latest` for users and groups, side by side: two requests that
 *   read nothing), then everything is read; the direct member lists read are the baseline's
 *   memberships. Taking the deltaLinks first means a change made during the read is replayed next
 *   time, never missed.
 * - **Incremental**: users/delta and groups/delta from the stored links are merged into the
 *   baseline (idempotent; a replayed delta changes nothing) and the whole snapshot is built from
 *   it. Group members come from direct memberships, nested group ids included; with
 *   `nested: flatten` the reconcile core flattens them.
 * - **userFilter**: Graph delta cannot apply an OData filter, so every read is full and nothing is
 *   stored. Nor is anything when the state is not kept (`keepState: false`, one-shot commands):
 *   then no deltaLinks are asked for and no baseline is built.
 * - **Scope at the source** (`policy.scope.groups`): a full read reads only the transitive user
 *   members of the scope groups. The baseline keeps those users and every group's direct members;
 *   an incremental read recomputes the scope from the merged memberships (names match exactly,
 *   as in the reconcile core), drops users who left it, applies user changes
 *   to users in it, and reads users who entered it one by one (delta entries carry only changed
 *   properties). A user who entered the scope but answers 404 (Graph not caught up yet) makes the
 *   snapshot incomplete with an issue, and the baseline and deltaLinks are then left as they were,
 *   so the next read replays the round. A change of scope groups invalidates the baseline (full
 *   read). A scope group that does not exist makes the snapshot incomplete with an issue, in both
 *   kinds of read.
 */
import type { Logger } from 'pino';
import { isOrgsyncError, messageOf } from '../../src/errors.js';
import type { ReadIssue, Snapshot } from '../../src/model/directory.js';
import type { Policy } from '../../src/model/policy.js';
import type { StateStore } from '../../src/store/types.js';
import { STATE_KEY, applyGroupDelta, applyScopedUserDelta, applyUserDelta, parseBaseline, serializeBaseline, type Baseline } from './baseline.js';
import type { CallOptions, GraphClient } from './client.js';
import { GROUPS_DELTA, USERS_DELTA, deltaRound, latestDeltaLink, readUsersById } from './delta.js';
import type { GraphGroup, GraphUser, GroupRecord } from './graph.js';
import { toSnapshot } from './map.js';
import { readFull } from './read.js';
import { scopeFromGroups } from './scope.js';
import type { EntraSettings } from './settings.js';

export interface SyncContext {
  client: GraphClient;
  settings: EntraSettings;
  policy: Policy;
  state: StateStore;
  /** Whether `state` outlives this read; when it does not, no deltaLinks or baseline are made. */
  keepState: boolean;
  log: Logger;
  signal?: AbortSignal;
}

/** What a baseline was read for; a baseline for anything else is not used. */
export function baselineContext(settings: EntraSettings, policy: Policy): string {
  const scope = [...new Set(policy.scope.groups)].sort();
  return JSON.stringify({ tenantId: settings.tenantId, graphBaseUrl: settings.graphBaseUrl, scope });
}

function scopeIssues(missing: readonly string[]): ReadIssue[] {
  return missing.map((name) => ({
    code: 'scope-group-missing',
    subject: name,
    message: `scope group "${name}" was not found in Entra ID, so who is in scope is unknown`,
  }));
}

function callOptions(ctx: SyncContext): CallOptions {
  return {
    signal: ctx.signal,
    onRetry: ({ error, attempt, waitMs }) => ctx.log.warn({ attempt, waitMs, error: messageOf(error) }, 'Microsoft Graph request failed; retrying'),
  };
}

export async function readEntra(ctx: SyncContext, full: boolean): Promise<Snapshot> {
  const incremental = ctx.settings.userFilter === undefined && ctx.keepState;
  if (incremental && !full) {
    const baseline = parseBaseline(await ctx.state.get(STATE_KEY), baselineContext(ctx.settings, ctx.policy));
    if (baseline) {
      try {
        return await deltaSync(ctx, baseline);
      } catch (error) {
        if (!isOrgsyncError(error) || error.code !== 'entra-delta-expired') throw error;
        ctx.log.warn({ error: error.message }, 'Entra delta token no longer valid; reading everything');
      }
    }
  }
  return fullSync(ctx, incremental);
}

interface DeltaSeed {
  usersDeltaLink: string;
  groupsDeltaLink: string;
}

/** Both deltaLinks for "changes from now on", asked for side by side. */
async function seedDelta(ctx: SyncContext, call: CallOptions): Promise<DeltaSeed> {
  const [usersDeltaLink, groupsDeltaLink] = await Promise.all([latestDeltaLink(ctx.client, USERS_DELTA, call), latestDeltaLink(ctx.client, GROUPS_DELTA, call)]);
  return { usersDeltaLink, groupsDeltaLink };
}

async function fullSync(ctx: SyncContext, incremental: boolean): Promise<Snapshot> {
  const call = callOptions(ctx);
  const seed = incremental ? await seedDelta(ctx, call) : undefined;
  const { settings, policy } = ctx;
  const read = await readFull(ctx.client, { scopeGroups: policy.scope.groups, userFilter: settings.userFilter, concurrency: settings.concurrency, call });
  const snapshot = toSnapshot({ users: read.users, groups: read.groups, issues: scopeIssues(read.missingScope), complete: read.missingScope.length === 0 });
  if (seed) {
    const baseline: Baseline = {
      context: baselineContext(settings, policy),
      usersDeltaLink: seed.usersDeltaLink,
      groupsDeltaLink: seed.groupsDeltaLink,
      users: new Map(read.users.map((u) => [u.id, u])),
      groups: new Map(read.groups.map((g) => [g.id, g])),
    };
    await ctx.state.set(STATE_KEY, serializeBaseline(baseline));
  }
  ctx.log.info({ read: 'full', users: snapshot.users.length, groups: snapshot.groups.length, complete: snapshot.complete }, 'Entra read');
  return snapshot;
}

function notFoundIssues(ids: readonly string[]): ReadIssue[] {
  return ids.map((id) => ({
    code: 'scope-user-not-found',
    subject: id,
    message: `user ${id} entered the scope but Microsoft Graph answered 404 when it was read; it is read again next time`,
  }));
}

interface MergedUsers {
  users: Map<string, GraphUser>;
  missingScope: string[];
  /** Users in scope that could not be read (404): the round has to be replayed. */
  notFound: string[];
}

/** The users after a delta round: all of them, or (with scope groups) only those in scope. */
async function mergeUsers(ctx: SyncContext, baseline: Baseline, groups: Map<string, GroupRecord>, entries: GraphUser[], call: CallOptions): Promise<MergedUsers> {
  const names = ctx.policy.scope.groups;
  if (names.length === 0) return { users: applyUserDelta(baseline.users, entries), missingScope: [], notFound: [] };
  const before = scopeFromGroups(baseline.groups, names).userIds;
  const after = scopeFromGroups(groups, names);
  const merged = applyScopedUserDelta(baseline.users, entries, before, after.userIds);
  const fetched = await readUsersById(ctx.client, merged.toFetch, ctx.settings.concurrency, call);
  return { users: applyUserDelta(merged.users, fetched.users), missingScope: after.missing, notFound: fetched.notFound };
}

/**
 * Apply one delta round to the baseline. The new baseline and deltaLinks are stored unless a user
 * in scope could not be read: then the snapshot is incomplete and the next read replays the round.
 */
async function deltaSync(ctx: SyncContext, baseline: Baseline): Promise<Snapshot> {
  const call = callOptions(ctx);
  const users = await deltaRound<GraphUser>(ctx.client, baseline.usersDeltaLink, call);
  const groupRound = await deltaRound<GraphGroup>(ctx.client, baseline.groupsDeltaLink, call);
  const groups = applyGroupDelta(baseline.groups, groupRound.items);
  const merged = await mergeUsers(ctx, baseline, groups, users.items, call);
  const issues = [...scopeIssues(merged.missingScope), ...notFoundIssues(merged.notFound)];
  const complete = merged.missingScope.length === 0 && merged.notFound.length === 0;
  const snapshot = toSnapshot({ users: merged.users.values(), groups: groups.values(), issues, complete });
  if (merged.notFound.length === 0) {
    const next: Baseline = { context: baseline.context, usersDeltaLink: users.deltaLink, groupsDeltaLink: groupRound.deltaLink, users: merged.users, groups };
    await ctx.state.set(STATE_KEY, serializeBaseline(next));
  }
  ctx.log.info(
    { read: 'delta', userChanges: users.items.length, groupChanges: groupRound.items.length, users: snapshot.users.length, groups: snapshot.groups.length, notFound: merged.notFound.length },
    'Entra read',
  );
  return snapshot;
}
