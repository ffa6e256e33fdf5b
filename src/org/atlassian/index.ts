/**
 * The Atlassian Cloud org adapter (`kind: atlassian`). Settings: see `settings.ts`.
 *
 * Two APIs, two keys: the organization REST API (directories, domains, users and groups of both
 * directories, memberships and role assignments in the local directory, invitations,
 * suspend/restore) and the user-provisioning SCIM API of the identity provider directory (managed
 * accounts and their groups). Each has its own `HttpClient`, paced and retried separately (429 and
 * `X-RateLimit-*` honoured). Groups are pairs across the two directories (`pairs.ts`). Ownership
 * records (which groups the sync created, which externals it invited) live in the state store,
 * since Atlassian records neither. Invitations are applied in batches (`batches`, `applyBatch`).
 */
import { HttpClient } from '../../http/client.js';
import type { RetryOptions } from '../../http/retry.js';
import type { OrgState } from '../../model/org.js';
import type { Operation, OperationKind } from '../../model/plan.js';
import type { StateStore } from '../../store/types.js';
import { ScimAccounts } from '../scim/accounts.js';
import { ScimClient } from '../scim/client.js';
import { Ownership } from '../scim/ownership.js';
import type { ApplyOutcome, BatchFailure, OrgAdapter, OrgAdapterFactory, OrgRefs } from '../types.js';
import { ATLASSIAN_CAPABILITIES, applyAtlassian, type AtlassianHandlers } from './apply.js';
import { AtlassianClient } from './client.js';
import { resolveDirectories, type Directories } from './directories.js';
import { AtlassianExternals } from './externals.js';
import { AtlassianGroups } from './groups.js';
import { AtlassianMembers } from './members.js';
import { readAtlassian } from './read.js';
import { ATLASSIAN_SCHEMA, checkAttributes } from './schema.js';
import { atlassianSettings, type AtlassianSettings } from './settings.js';
import { PairSides } from './sides.js';
import type { Lookup } from './view.js';

export interface AtlassianAdapterOptions {
  state: StateStore;
  /** Retry tuning of both HTTP clients (tests shorten the backoff). */
  retry?: RetryOptions;
}

export class AtlassianOrgAdapter implements OrgAdapter {
  readonly kind = 'atlassian';
  readonly capabilities: ReadonlySet<OperationKind> = ATLASSIAN_CAPABILITIES;
  readonly batches: Partial<Record<OperationKind, number>>;
  private readonly org: AtlassianClient;
  private readonly scim: ScimClient;
  private directories: Directories | undefined;
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
    this.org = new AtlassianClient(orgHttp, settings.orgId, settings.pageSize);
    this.scim = new ScimClient(scimHttp, 100);
    // The executor hands over up to four calls' worth; `inviteMany` groups them by grants and sends at most `inviteBatchSize` a call.
    this.batches = { inviteUser: settings.inviteBatchSize * 4 };
  }

  async readState(): Promise<OrgState> {
    const ownership = await Ownership.load(this.options.state);
    this.directories ??= resolveDirectories(await this.org.directories(), this.settings);
    const lookup: Lookup = async (email, directoryId) => (await this.org.usersByEmail([email], directoryId)).find((u) => u.email?.toLowerCase() === email.toLowerCase());
    const { state, view } = await readAtlassian(this.org, this.scim, ownership, this.directories, lookup);
    const sides = new PairSides(this.org, this.scim, view, ownership, this.settings);
    const members = new AtlassianMembers(this.org, this.scim, view, ownership, sides, this.settings);
    // Invitees the search does not show yet (reported from the records): their memberships wait for them too.
    for (const user of state.users) if (!view.users.has(user.id)) members.fresh.add(user.id);
    this.handlers = {
      accounts: new ScimAccounts(this.scim, view, ownership, ATLASSIAN_SCHEMA),
      groups: new AtlassianGroups(this.org, this.scim, view, ownership, sides),
      members,
      externals: new AtlassianExternals(this.org, view, ownership, members, sides, this.settings),
    };
    return state;
  }

  async apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    return applyAtlassian(operation, refs, this.ready());
  }

  async applyBatch(operations: Operation[], refs: OrgRefs): Promise<Array<ApplyOutcome | BatchFailure>> {
    const handlers = this.ready();
    if (operations.every((op) => op.kind === 'inviteUser')) return handlers.externals.inviteMany(operations);
    const out: Array<ApplyOutcome | BatchFailure> = [];
    for (const op of operations) out.push(await applyAtlassian(op, refs, handlers));
    return out;
  }

  private ready(): AtlassianHandlers {
    if (!this.handlers) throw new Error('atlassian org: apply() called before readState()');
    return this.handlers;
  }

  async close(): Promise<void> {}
}

export const atlassianOrgFactory: OrgAdapterFactory<AtlassianSettings> = {
  kind: 'atlassian',
  settings: atlassianSettings,
  checkPolicy: checkAttributes,
  create(settings, context) {
    return new AtlassianOrgAdapter(settings, { state: context.state });
  },
};

export { atlassianSettings, type AtlassianSettings } from './settings.js';
