/**
 * The `google` source: Google Workspace users and groups read through the Admin SDK Directory API.
 *
 * In: validated `GoogleSettings` and the config file's directory (for a `credentials` path). Out:
 * a `SourceConnector` whose `read` lists every user, every group and each group's members and
 * returns a whole snapshot; a read that fails anywhere throws and returns nothing. Every read is
 * full (the Directory API has no change feed for memberships), so the state store is not used.
 * The service account needs domain-wide delegation for the read-only scopes in `SCOPES`.
 */
import type { Snapshot } from '../../src/model/directory.js';
import type { RetryOptions } from '../../src/http/retry.js';
import type { ReadOptions, SourceConnector, SourceConnectorFactory } from '../types.js';
import type { DirectoryClient, DirectoryClientOptions } from './client.js';
import { loadServiceAccountKey } from './credentials.js';
import { EXTERNAL_PREFIX, toSnapshot } from './map.js';
import { readDirectory } from './read.js';
import { googleSettingsSchema, listingScope, type GoogleSettings } from './settings.js';

export interface GoogleSourceOptions {
  baseDir: string;
  /** Retry policy of each Directory API page (default: the project's, 5 retries). */
  retry?: Omit<RetryOptions, 'signal'>;
  timeoutMs?: number;
}

export class GoogleSource implements SourceConnector {
  readonly kind = 'google';
  private readonly clientOptions: DirectoryClientOptions;
  private client: Promise<DirectoryClient> | undefined;

  /** Reads the key file now: a missing or malformed key is a config error before any request. */
  constructor(
    private readonly settings: GoogleSettings,
    options: GoogleSourceOptions,
  ) {
    const key = loadServiceAccountKey(settings.credentials, options.baseDir);
    const { rootUrl, tokenUrl, subject } = settings;
    this.clientOptions = { rootUrl, tokenUrl, key, subject, retry: options.retry, timeoutMs: options.timeoutMs };
  }

  /** The API client, loaded on first use: Google's generated client takes most of a second to import. */
  private directory(): Promise<DirectoryClient> {
    return (this.client ??= import('./client.js').then(({ DirectoryClient }) => new DirectoryClient(this.clientOptions)));
  }

  async read(options: ReadOptions): Promise<Snapshot> {
    const scope = listingScope(this.settings);
    const startedAt = Date.now();
    const read = await readDirectory(await this.directory(), {
      users: { ...scope, query: this.settings.userQuery },
      groups: { ...scope, query: this.settings.groupQuery },
      concurrency: this.settings.concurrency,
      signal: options.signal,
    });
    const snapshot = toSnapshot(read);
    const externals = snapshot.users.filter((user) => user.id.startsWith(EXTERNAL_PREFIX)).length;
    options.log.info({ users: read.users.length, groups: read.groups.length, memberLists: read.members.size, externals, ms: Date.now() - startedAt }, 'google read done');
    return snapshot;
  }
}

export const googleSourceFactory: SourceConnectorFactory<GoogleSettings> = {
  kind: 'google',
  settings: googleSettingsSchema,
  create(settings, { baseDir }) {
    return new GoogleSource(settings, { baseDir });
  },
};

export { googleSettingsSchema, type GoogleSettings };
