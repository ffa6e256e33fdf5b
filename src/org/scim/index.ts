/**
 * The generic SCIM 2.0 org adapter (`kind: scim`): users and groups of any SCIM service.
 *
 * Settings: `baseUrl` and `token` (bearer) of the service; `domains`, the claimed domains (plain
 * SCIM has no domain API, so these are reported as verified); `memberBatchSize` (members per group
 * PATCH, default 100); `pageSize` (items asked per list page, default 100); `requestsPerSecond`
 * (default 10; 0 = unpaced); `inviteWebhook` (+ optional `inviteWebhookToken`): where invitations
 * and revocations are POSTed. Without a webhook, `inviteUser` and `revokeAccess` are not
 * capabilities and the reconcile core plans neither.
 */
import { HttpClient } from '../../http/client.js';
import type { RetryOptions } from '../../http/retry.js';
import type { OrgState } from '../../model/org.js';
import { OPERATION_KINDS, type Operation, type OperationKind } from '../../model/plan.js';
import type { StateStore } from '../../store/types.js';
import type { ApplyOutcome, OrgAdapter, OrgAdapterFactory, OrgRefs } from '../types.js';
import { ScimAccounts } from './accounts.js';
import { applyScim, type ScimHandlers } from './apply.js';
import { ScimClient } from './client.js';
import { ScimGroups } from './groups.js';
import { WebhookInvitations } from './invitations.js';
import { Ownership } from './ownership.js';
import { readScim } from './read.js';
import { scimSettings, type ScimSettings } from './settings.js';

export { scimSettings, type ScimSettings } from './settings.js';

const WITHOUT_INVITATIONS = OPERATION_KINDS.filter((kind) => kind !== 'inviteUser' && kind !== 'revokeAccess');

export interface ScimAdapterOptions {
  state: StateStore;
  /** Retry tuning of the HTTP client (tests shorten the backoff). */
  retry?: RetryOptions;
}

export class ScimOrgAdapter implements OrgAdapter {
  readonly kind = 'scim';
  readonly capabilities: ReadonlySet<OperationKind>;
  private readonly scim: ScimClient;
  private readonly webhook: HttpClient | undefined;
  private handlers: ScimHandlers | undefined;

  constructor(
    private readonly settings: ScimSettings,
    private readonly options: ScimAdapterOptions,
  ) {
    this.capabilities = new Set(settings.inviteWebhook ? OPERATION_KINDS : WITHOUT_INVITATIONS);
    const http = new HttpClient({
      baseUrl: settings.baseUrl,
      name: 'SCIM',
      auth: () => ({ authorization: `Bearer ${settings.token}` }),
      requestsPerSecond: settings.requestsPerSecond,
      retry: options.retry,
    });
    this.scim = new ScimClient(http, settings.pageSize);
    if (settings.inviteWebhook) {
      const token = settings.inviteWebhookToken;
      this.webhook = new HttpClient({ baseUrl: settings.inviteWebhook, name: 'invitation webhook', hidePath: true, auth: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}), retry: options.retry });
    }
  }

  async readState(): Promise<OrgState> {
    const ownership = await Ownership.load(this.options.state);
    const { state, view } = await readScim(this.scim, ownership, this.settings.domains);
    const invitations = this.webhook ? new WebhookInvitations(this.webhook, this.settings.inviteWebhook!, view, ownership) : undefined;
    const noInvitations = { isInvitation: () => false, change: async () => false };
    this.handlers = {
      accounts: new ScimAccounts(this.scim, view, ownership),
      groups: new ScimGroups(this.scim, view, ownership, this.settings.memberBatchSize, invitations ?? noInvitations),
      invitations,
    };
    return state;
  }

  async apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    if (!this.handlers) throw new Error('scim org: apply() called before readState()');
    return applyScim(operation, refs, this.handlers);
  }

  async close(): Promise<void> {}
}

export const scimOrgFactory: OrgAdapterFactory<ScimSettings> = {
  kind: 'scim',
  settings: scimSettings,
  create(settings, context) {
    return new ScimOrgAdapter(settings, { state: context.state });
  },
};
