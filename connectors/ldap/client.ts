/**
 * Speaking LDAP with `ldapts`: connect (LDAPS, or StartTLS with a CA), bind, paged searches as
 * async iterables of pages, single-entry reads, and one classification of every failure.
 *
 * In: where and how to connect. Out: raw `Entry` objects (attributes as strings, or Buffers for
 * the ones named binary). A search answered with a referral or a continuation reference, or cut
 * short by a size, time or admin limit, throws: a read that did not see every entry never returns.
 * Counts requests, pages and entries for the read's log line and the bench.
 *
 * Failures: a refused bind is a config error naming the bind DN (exit 2); a server that cannot be
 * reached or drops the connection is transient; the rest are permanent with the server's message.
 * The bind password is sent to the server and nowhere else.
 */
import type { ConnectionOptions } from 'node:tls';
import { Client, type ClientOptions, type Entry } from 'ldapts';
import { OrgsyncError, configError, isNetworkError, messageOf } from '../../src/errors.js';

export type { Entry };

export interface LdapConnection {
  url: string;
  startTls: boolean;
  /** TLS options for ldaps:// and StartTLS (CA, rejectUnauthorized). */
  tls?: ConnectionOptions;
  /** Absent: anonymous (only when the settings allow it). */
  bind?: { dn: string; password: string };
  timeoutMs: number;
}

export interface SearchRequest {
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
  /** Attributes returned as Buffers (e.g. AD `objectGUID`). */
  binary?: string[];
  /** Entries per page; absent: one unpaged request (single-entry reads). */
  pageSize?: number;
}

export interface LdapStats {
  requests: number;
  pages: number;
  entries: number;
}

/** Result codes that mean "not every entry was returned". */
const LIMIT_CODES: Record<number, string> = { 3: 'time limit', 4: 'size limit', 11: 'administrative limit' };
const REFERRAL_CODE = 10;
const INVALID_CREDENTIALS = 49;

/** Turn any ldapts or socket failure into one `OrgsyncError` naming the server and what was asked. */
export function ldapFailure(error: unknown, url: string, what: string, bindDn?: string): OrgsyncError {
  if (error instanceof OrgsyncError) return error;
  const code = (error as { code?: unknown }).code;
  const message = messageOf(error);
  if (code === INVALID_CREDENTIALS) {
    return configError(`ldap source: the server ${url} refused the bind as "${bindDn ?? '(anonymous)'}": invalid credentials (check bindDn and bindPassword)`, error);
  }
  if (typeof code === 'number' && LIMIT_CODES[code] !== undefined) {
    return new OrgsyncError('ldap-limit', `ldap source: ${what} on ${url} hit the server's ${LIMIT_CODES[code]} (result ${code}); the read is incomplete and was abandoned. Raise the size/time limits of the bind account (for paged searches too)`, { cause: error });
  }
  if (code === REFERRAL_CODE) return referral(url, what, message);
  if (isNetworkError(error) || /connection closed|socket|ECONN|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|timeout/i.test(`${message} ${String(code)}`)) {
    return new OrgsyncError('ldap-unavailable', `ldap source: ${what} on ${url} failed: ${message}`, { retry: 'transient', cause: error });
  }
  return new OrgsyncError('ldap', `ldap source: ${what} on ${url} failed: ${message}`, { cause: error });
}

function referral(url: string, what: string, detail: string): OrgsyncError {
  return new OrgsyncError('ldap-referral', `ldap source: ${what} on ${url} was answered with a referral (${detail}); orgsync does not follow referrals, so the read is incomplete and was abandoned. Point userBase/groupBase at the server holding the entries`);
}

export type ClientFactory = (options: ClientOptions) => Client;

export class LdapClient {
  readonly stats: LdapStats = { requests: 0, pages: 0, entries: 0 };
  private client: Client | undefined;

  constructor(
    private readonly connection: LdapConnection,
    private readonly createClient: ClientFactory = (options) => new Client(options),
  ) {}

  get url(): string {
    return this.connection.url;
  }

  /** Connect, upgrade to TLS when asked, and bind. */
  async open(): Promise<void> {
    const { url, tls, timeoutMs, startTls, bind } = this.connection;
    // TLS options go to the constructor only for ldaps://: given there with ldap://, ldapts makes the
    // plain connection a TLS one and StartTLS then fails.
    const secure = url.startsWith('ldaps:');
    const client = this.createClient({ url, timeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000), ...(tls && secure ? { tlsOptions: tls } : {}) });
    this.client = client;
    try {
      if (startTls) await this.request('StartTLS', () => client.startTLS({ ...tls }));
      if (bind) await this.request('bind', () => client.bind(bind.dn, bind.password), bind.dn);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Every entry of a search, a page at a time (Simple Paged Results, RFC 2696). */
  async *pages(request: SearchRequest): AsyncGenerator<Entry[]> {
    const client = this.opened();
    const what = `search of "${request.base}" for ${request.filter}`;
    const options = {
      scope: request.scope,
      filter: request.filter,
      attributes: request.attributes,
      explicitBufferAttributes: request.binary ?? [],
      ...(request.pageSize === undefined ? {} : { paged: { pageSize: request.pageSize } }),
    };
    const iterator = request.pageSize === undefined ? this.unpaged(client, request.base, options) : client.searchPaginated(request.base, options);
    while (true) {
      let next: IteratorResult<{ searchEntries: Entry[]; searchReferences: string[] }>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw ldapFailure(error, this.url, what);
      }
      if (next.done) return;
      this.stats.requests += 1;
      if (next.value.searchReferences.length > 0) throw referral(this.url, what, next.value.searchReferences.slice(0, 3).join(' '));
      this.stats.pages += 1;
      this.stats.entries += next.value.searchEntries.length;
      yield next.value.searchEntries;
    }
  }

  /** One entry read by DN (a base search); undefined when the search returns none. */
  async entry(dn: string, attributes: string[], binary: string[] = []): Promise<Entry | undefined> {
    for await (const page of this.pages({ base: dn, scope: 'base', filter: '(objectClass=*)', attributes, binary })) return page[0];
    return undefined;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isConnected) await client.unbind().catch(() => undefined);
  }

  private async *unpaged(client: Client, base: string, options: Parameters<Client['search']>[1]) {
    yield await client.search(base, options);
  }

  private opened(): Client {
    if (!this.client) throw new Error('LdapClient used before open()');
    return this.client;
  }

  private async request<T>(what: string, call: () => Promise<T>, bindDn?: string): Promise<T> {
    this.stats.requests += 1;
    try {
      return await call();
    } catch (error) {
      throw ldapFailure(error, this.url, what, bindDn);
    }
  }
}
