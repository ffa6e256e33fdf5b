/**
 * The `okta` source connector: users and groups of an Okta org through the Okta SDK.
 *
 * A read is incremental when the state store holds a cursor and baseline from an earlier read of
 * the same scope and `full` is false: every user is listed again (users deleted in Okta or no
 * longer matching `userSearch` drop out), while member lists are read only for groups whose
 * membership moved and taken from the baseline for the rest. Otherwise everything is read. Either
 * way the result is a whole `Snapshot`, and the new cursor and baseline are stored only after the
 * read succeeded, and only when the state is kept (`keepState`; one-shot commands discard it). Any page that fails (after the executor's retries)
 * aborts the read with an `OrgsyncError`; no partial snapshot is ever returned.
 */
import type { Snapshot } from '../../src/model/directory.js';
import type { Policy } from '../../src/model/policy.js';
import { hashOf } from '../../src/plan/fingerprint.js';
import type { ReadOptions, SourceConnector, SourceConnectorFactory } from '../types.js';
import { OktaDirectory, createSdkClient } from './client.js';
import { PacedRequestExecutor, type ExecutorOptions } from './executor.js';
import { readChanges, readFull, type ReadScope } from './read.js';
import { oktaSettingsSchema, resolveAuth, type OktaAuth, type OktaSettings } from './settings.js';
import { toSnapshot } from './snapshot.js';
import { loadState, saveState } from './state.js';

export class OktaSource implements SourceConnector {
  readonly kind = 'okta';

  constructor(
    private readonly settings: OktaSettings,
    private readonly auth: OktaAuth,
    private readonly tuning: Pick<ExecutorOptions, 'retries' | 'retryDelayMs' | 'timeoutMs'> = {},
  ) {}

  async read(options: ReadOptions): Promise<Snapshot> {
    const settings = this.settings;
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
    const executor = new PacedRequestExecutor({
      ...this.tuning,
      concurrency: settings.concurrency,
      requestsPerMinute: settings.requestsPerMinute,
      log: options.log,
      signal,
    });
    const pageSizes = { users: settings.pageSize, groups: settings.groupPageSize };
    const reader = new OktaDirectory(createSdkClient(settings.orgUrl, this.auth, executor), pageSizes, signal);
    const scope = readScope(settings, options.policy);
    const scopeKey = scopeFingerprint(settings.orgUrl, scope);
    const loaded = options.full ? { problem: 'full read requested' } : await loadState(options.state, scopeKey);
    const startedAt = Date.now();
    let result: Awaited<ReturnType<typeof readFull>>;
    try {
      await reader.authenticate();
      result = loaded.state ? await readChanges(reader, scope, loaded.state.baseline) : await readFull(reader, scope);
    } catch (error) {
      stop.abort();
      throw error;
    }
    if (options.keepState !== false) await saveState(options.state, scopeKey, new Date(executor.serverTime(startedAt)).toISOString(), result.baseline);
    const mode = loaded.state ? 'incremental' : 'full';
    options.log.info({ mode, why: loaded.problem, ...result.counts, ...executor.stats, ms: Date.now() - startedAt }, 'okta read done');
    return toSnapshot(result.baseline, {
      stagedActive: options.policy.scope.stagedActive,
      scopeGroups: options.policy.scope.groups,
      narrowed: settings.userSearch !== undefined,
    });
  }
}

/** Fingerprint of what a read covers: a stored baseline of another scope cannot be reused. */
function scopeFingerprint(orgUrl: string, scope: ReadScope): string {
  const { userSearch, groupSearch, groupTypes, allGroups, namedGroups } = scope;
  return hashOf({ orgUrl, userSearch, groupSearch, groupTypes: [...groupTypes].sort(), allGroups, namedGroups: [...namedGroups].sort() });
}

/** What to read, from the settings and the policy. */
export function readScope(settings: OktaSettings, policy: Policy): ReadScope {
  const sync = policy.groups.sync;
  return {
    userSearch: settings.userSearch,
    groupSearch: settings.groupSearch,
    groupTypes: settings.groupTypes,
    allGroups: sync === 'all',
    namedGroups: new Set([...policy.scope.groups, ...(Array.isArray(sync) ? sync : [])]),
    concurrency: settings.concurrency,
  };
}

export const oktaSourceFactory: SourceConnectorFactory<OktaSettings> = {
  kind: 'okta',
  settings: oktaSettingsSchema,
  create(settings, context) {
    return new OktaSource(settings, resolveAuth(settings, context.baseDir));
  },
};
