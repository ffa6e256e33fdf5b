/**
 * The `ldap` source: users and groups of an LDAP directory (OpenLDAP, Active Directory, or any
 * server speaking LDAPv3 with Simple Paged Results), read-only, over `ldapts`.
 *
 * In: validated `LdapSettings` and the config file's directory (for `tls.ca`). Out: a
 * `SourceConnector` whose `read` opens one connection (LDAPS or StartTLS when configured), binds
 * as the service account, reads the users and groups (whole, or the changes on top of the stored
 * baseline: `sync.ts`), closes, stores the new baseline, and maps what it read (`map.ts`). Any
 * failed search fails the whole read and keeps the stored baseline; a scope group the policy names
 * that was not found makes the snapshot incomplete. The bind account needs read access to the
 * mapped attributes under `userBase` and `groupBase`, nothing more.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { configError, messageOf } from '../../src/errors.js';
import type { ReadIssue, Snapshot } from '../../src/model/directory.js';
import type { ReadOptions, SourceConnector, SourceConnectorFactory } from '../types.js';
import { LdapClient, type LdapConnection, type LdapStats } from './client.js';
import { toSnapshot } from './map.js';
import { loadBaseline, saveBaseline, scopeOf } from './state.js';
import { readWithBaseline, type ReadOutcome } from './sync.js';
import { ldapSettingsSchema, resolveSettings, type LdapProfile, type LdapSettings } from './settings.js';

export interface LdapSourceOptions {
  baseDir: string;
  /** Makes the client of each read (default: a plain `LdapClient`); tests wrap it. */
  client?: (connection: LdapConnection) => LdapClient;
}

/** TLS options from the settings; an unreadable CA file is a config error naming `tls.ca`. */
export function tlsOptions(settings: LdapSettings, baseDir: string): ConnectionOptions | undefined {
  const secure = settings.startTls || settings.url.startsWith('ldaps:');
  if (!secure) return undefined;
  const options: ConnectionOptions = { rejectUnauthorized: settings.tls.rejectUnauthorized };
  if (settings.tls.ca !== undefined) {
    const path = isAbsolute(settings.tls.ca) ? settings.tls.ca : resolve(baseDir, settings.tls.ca);
    try {
      options.ca = readFileSync(path, 'utf8');
    } catch (error) {
      throw configError(`ldap source: tls.ca: cannot read ${path}: ${messageOf(error)}`, error);
    }
    if (!options.ca.includes('-----BEGIN CERTIFICATE-----')) throw configError(`ldap source: tls.ca: ${path} holds no PEM certificate`);
  }
  return options;
}

export function connectionOf(settings: LdapSettings, baseDir: string): LdapConnection {
  const tls = tlsOptions(settings, baseDir);
  return {
    url: settings.url,
    startTls: settings.startTls,
    ...(tls ? { tls } : {}),
    ...(settings.bindDn !== undefined && settings.bindPassword !== undefined ? { bind: { dn: settings.bindDn, password: settings.bindPassword } } : {}),
    timeoutMs: settings.timeoutSeconds * 1000,
  };
}

/** Scope groups the policy names that no group read has: their members are unknown. */
function missingScopeGroups(snapshot: Snapshot, names: readonly string[]): ReadIssue[] {
  const found = new Set(snapshot.groups.map((g) => g.displayName));
  return names
    .filter((name) => !found.has(name))
    .map((name) => ({ code: 'missing-scope-group', subject: name, message: `scope group "${name}" was not found under groupBase (or groupBase is not set): its members are unknown` }));
}

export class LdapSource implements SourceConnector {
  readonly kind = 'ldap';
  readonly profile: LdapProfile;
  /** Counters of the last read (requests, pages, entries). */
  lastStats: LdapStats | undefined;
  /** How the last read went: full (and why) or incremental (and how many entries changed). */
  lastRead: Pick<ReadOutcome, 'mode' | 'reason' | 'changed'> | undefined;
  private readonly connection: LdapConnection;

  constructor(
    settings: LdapSettings,
    private readonly options: LdapSourceOptions,
  ) {
    this.profile = resolveSettings(settings);
    this.connection = connectionOf(settings, options.baseDir);
  }

  async read(options: ReadOptions): Promise<Snapshot> {
    options.signal?.throwIfAborted();
    const startedAt = Date.now();
    const client = this.options.client?.(this.connection) ?? new LdapClient(this.connection);
    this.lastStats = client.stats;
    const scope = scopeOf(this.connection.url, this.profile);
    const previous = options.full ? { problem: 'full read requested' } : await loadBaseline(options.state, scope);
    let outcome: ReadOutcome;
    // Aborting closes the connection: the search in flight fails and the abort reason is thrown.
    const abort = () => void client.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await client.open();
      outcome = await readWithBaseline(client, this.profile, previous);
    } catch (error) {
      options.signal?.throwIfAborted();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      await client.close();
    }
    if (outcome.baseline) await saveBaseline(options.state, scope, outcome.baseline);
    this.lastRead = { mode: outcome.mode, ...(outcome.reason ? { reason: outcome.reason } : {}), ...(outcome.changed ? { changed: outcome.changed } : {}) };
    const snapshot = toSnapshot({ ...outcome.raw, nested: options.policy.groups.nested, complete: true, issues: [] }, this.profile);
    const missing = missingScopeGroups(snapshot, options.policy.scope.groups);
    options.log.info({ url: this.connection.url, ...this.lastRead, users: snapshot.users.length, groups: snapshot.groups.length, ...client.stats, ms: Date.now() - startedAt }, 'ldap read done');
    return { ...snapshot, complete: missing.length === 0, issues: [...snapshot.issues, ...missing] };
  }
}

export const ldapSourceFactory: SourceConnectorFactory<LdapSettings> = {
  kind: 'ldap',
  settings: ldapSettingsSchema,
  create(settings, { baseDir }) {
    return new LdapSource(settings, { baseDir });
  },
};

export { ldapSettingsSchema, type LdapSettings };
