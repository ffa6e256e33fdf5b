/**
 * The `entra` source: Microsoft Entra ID users and groups read over Microsoft Graph.
 *
 * In: validated `EntraSettings` and the config file's directory (for `certificatePath`). Out: a
 * `SourceConnector` whose `read` returns a whole snapshot, reading everything or only the changes
 * since the last read (see `sync.ts`). Needs the application permissions User.Read.All and
 * GroupMember.Read.All (or Group.Read.All).
 */
import type { Snapshot } from '../../src/model/directory.js';
import type { RetryOptions } from '../../src/http/retry.js';
import type { ReadOptions, SourceConnector, SourceConnectorFactory } from '../types.js';
import { authProviderFor, type CredentialOptions } from './auth.js';
import { GraphClient } from './client.js';
import { entraSettingsSchema, type EntraSettings } from './settings.js';
import { readEntra } from './sync.js';

export interface EntraSourceOptions {
  baseDir: string;
  /** Retry policy of each Graph request (default: the project's, 5 retries). */
  retry?: Omit<RetryOptions, 'signal'>;
  timeoutMs?: number;
  /** Passed to the `@azure/identity` credential (e.g. `tlsOptions`, `proxyOptions`). */
  credentialOptions?: CredentialOptions;
}

export class EntraSource implements SourceConnector {
  readonly kind = 'entra';
  private readonly client: GraphClient;

  constructor(
    private readonly settings: EntraSettings,
    options: EntraSourceOptions,
  ) {
    const auth = authProviderFor(settings, options.baseDir, options.credentialOptions);
    this.client = new GraphClient({ baseUrl: settings.graphBaseUrl, auth, retry: options.retry, timeoutMs: options.timeoutMs });
  }

  read(options: ReadOptions): Promise<Snapshot> {
    const { policy, state, log, signal, full, keepState } = options;
    return readEntra({ client: this.client, settings: this.settings, policy, state, keepState: keepState !== false, log, signal }, full);
  }
}

export const entraSourceFactory: SourceConnectorFactory<EntraSettings> = {
  kind: 'entra',
  settings: entraSettingsSchema,
  create(settings, { baseDir }) {
    return new EntraSource(settings, { baseDir });
  },
};

export { entraSettingsSchema, type EntraSettings };
