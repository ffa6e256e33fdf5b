/**
 * The Atlassian Cloud org adapter (`kind: atlassian`). Settings: see `settings.ts`.
 *
 * Two APIs, two keys: the organization REST API (domains, directory users and groups, memberships,
 * invitations, suspend/restore) and the user-provisioning SCIM API (managed accounts). Each has its
 * own `HttpClient`, paced and retried separately (429 and `X-RateLimit-*` honoured). Ownership
 * records (which groups the sync created, which externals it invited) live in the state store,
 * since Atlassian records neither.
 */
import { HttpClient } from '../../http/client.js';
import type { RetryOptions } from '../../http/retry.js';
import type { OrgState } from '../../model/org.js';
import type { Operation, OperationKind } from '../../model/plan.js';
import type { StateStore } from '../../store/types.js';
import { ScimAccounts } from '../scim/accounts.js';
import { ScimClient } from '../scim/client.js';
import { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, OrgAdapter, OrgAdapterFactory, OrgRefs } from '../types.js';
import { ATLASSIAN_CAPABILITIES, applyAtlassian, type AtlassianHandlers } from './apply.js';
import { AtlassianClient } from './client.js';
import { AtlassianExternals } from './externals.js';
import { AtlassianGroups } from './groups.js';
import { readAtlassian } from './read.js';
import { atlassianSettings, type AtlassianSettings } from './settings.js';

export interface AtlassianAdapterOptions {
  state: StateStore;
  /** Retry tuning of both HTTP clients (tests shorten the backoff). */
  retry?: RetryOptions;
}

export class AtlassianOrgAdapter implements OrgAdapter {
  readonly kind = 'atlassian';
  readonly capabilities: ReadonlySet<OperationKind> = ATLASSIAN_CAPABILITIES;
  private readonly org: AtlassianClient;
  private readonly scim: ScimClient;
  private handlers: AtlassianHandlers | undefined;

  constructor(
    private readonly settings: AtlassianSettings,
    private readonly options: AtlassianAdapterOptions,
  ) {
    const base = settings.baseUrl.replace(/\/+$/, '');
    const common = { requestsPerSecond: settings.requestsPerSecond, retry: options.retry };
    const orgHttp = new HttpClient({ ...common, baseUrl: base, name: 'Atlassian org API', auth: () => ({ authorization: `Bearer ${settings.apiKey}` }) });
    const scimHttp = new HttpClient({
      ...common,
      baseUrl: `${base}/scim/directory/${encodeURIComponent(settings.scimDirectoryId)}`,
      name: 'Atlassian SCIM',
      auth: () => ({ authorization: `Bearer ${settings.scimToken}` }),
    });
    this.org = new AtlassianClient(orgHttp, settings, settings.pageSize);
    this.scim = new ScimClient(scimHttp, 100);
  }

  async readState(): Promise<OrgState> {
    const ownership = await Ownership.load(this.options.state);
    const { state, view } = await readAtlassian(this.org, this.scim, ownership);
    const groups = new AtlassianGroups(this.org, this.scim, view, ownership);
    this.handlers = {
      accounts: new ScimAccounts(this.scim, view, ownership),
      groups,
      externals: new AtlassianExternals(this.org, view, ownership, groups, this.settings),
    };
    return state;
  }

  async apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    if (!this.handlers) throw new Error('atlassian org: apply() called before readState()');
    return applyAtlassian(operation, refs, this.handlers);
  }

  async close(): Promise<void> {}
}

export const atlassianOrgFactory: OrgAdapterFactory<AtlassianSettings> = {
  kind: 'atlassian',
  settings: atlassianSettings,
  create(settings, context) {
    return new AtlassianOrgAdapter(settings, { state: context.state });
  },
};

export { atlassianSettings, type AtlassianSettings } from './settings.js';
