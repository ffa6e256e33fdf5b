/**
 * The Okta SDK behind a small, plain-data interface: users, groups and group members as async
 * iterables of records (`OktaUserRecord`, `OktaGroupRecord`), every page fetched through the
 * `PacedRequestExecutor`. Failures surface as `OrgsyncError`s; nothing is swallowed.
 */
import { Client, type Group, type User } from '@okta/okta-sdk-nodejs';
import { OrgsyncError, isOrgsyncError, messageOf } from '../../src/errors.js';
import type { PacedRequestExecutor } from './executor.js';
import type { OktaAuth } from './settings.js';

/** The fields of an Okta user this connector uses. */
export interface OktaUserRecord {
  id: string;
  status: string;
  lastUpdated: string | null;
  login?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  title?: string;
  department?: string;
}

/** The fields of an Okta group this connector uses. */
export interface OktaGroupRecord {
  id: string;
  type: string;
  name: string;
  description: string;
  lastMembershipUpdated: string | null;
}

/** One listing of users: an Okta `filter` or `search` expression, or neither for "everyone". */
export interface UserQuery {
  filter?: string;
  search?: string;
}

/** What the read layer needs from Okta; `OktaDirectory` is the SDK-backed implementation. */
export interface OktaReader {
  users(query: UserQuery): AsyncIterable<OktaUserRecord>;
  groups(search?: string): AsyncIterable<OktaGroupRecord>;
  groupMemberIds(groupId: string): AsyncIterable<string>;
}

/**
 * An SDK client that sends everything through `executor`, with the SDK's response cache off.
 * The auth mode is set explicitly so `OKTA_CLIENT_*` variables or an `okta.yaml` cannot switch it.
 */
export function createSdkClient(orgUrl: string, auth: OktaAuth, executor: PacedRequestExecutor): Client {
  const common = { orgUrl, requestExecutor: executor, cacheMiddleware: null };
  if (auth.mode === 'token') return new Client({ ...common, authorizationMode: 'SSWS', token: auth.token });
  return new Client({
    ...common,
    authorizationMode: 'PrivateKey',
    clientId: auth.clientId,
    privateKey: auth.privateKey,
    keyId: auth.keyId,
    scopes: auth.scopes,
  });
}

export class OktaDirectory implements OktaReader {
  constructor(
    private readonly client: Client,
    private readonly pageSizes: { users: number; groups: number },
    private readonly signal?: AbortSignal,
  ) {}

  /** Fetch the OAuth access token once up front (service apps), so parallel calls share it. */
  async authenticate(): Promise<void> {
    if (!this.client.oauth) return;
    try {
      await this.client.oauth.getAccessToken();
    } catch (error) {
      throw asOrgsyncError(error, 'token request');
    }
  }

  async *users(query: UserQuery): AsyncIterable<OktaUserRecord> {
    const what = `listing users${describe(query)}`;
    const pages = () => this.client.userApi.listUsers({ ...query, limit: this.pageSizes.users });
    for await (const user of this.each<User>(pages, what)) yield userRecord(user);
  }

  async *groups(search?: string): AsyncIterable<OktaGroupRecord> {
    const what = `listing groups${describe({ search })}`;
    const pages = () => this.client.groupApi.listGroups({ search, limit: this.pageSizes.groups });
    for await (const group of this.each<Group>(pages, what)) yield groupRecord(group);
  }

  async *groupMemberIds(groupId: string): AsyncIterable<string> {
    const pages = () => this.client.groupApi.listGroupUsers({ groupId, limit: this.pageSizes.groups });
    for await (const user of this.each<User>(pages, `listing members of group ${groupId}`)) {
      if (user.id) yield user.id;
    }
  }

  /** Iterate an SDK collection, skipping the nulls it yields for empty pages. */
  private async *each<T>(open: () => Promise<AsyncIterable<T | null>>, what: string): AsyncIterable<T> {
    try {
      for await (const item of await open()) {
        this.signal?.throwIfAborted();
        if (item) yield item;
      }
    } catch (error) {
      if (this.signal?.aborted) throw error;
      throw asOrgsyncError(error, what);
    }
  }
}

function describe(query: UserQuery): string {
  if (query.filter) return ` (filter ${query.filter})`;
  if (query.search) return ` (search ${query.search})`;
  return '';
}

function asOrgsyncError(error: unknown, what: string): OrgsyncError {
  if (isOrgsyncError(error)) return error;
  return new OrgsyncError('okta', `Okta ${what} failed: ${messageOf(error)}`, { cause: error });
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function userRecord(user: User): OktaUserRecord {
  const p = (user.profile ?? {}) as Record<string, unknown>;
  return {
    id: user.id ?? '',
    status: String(user.status ?? ''),
    lastUpdated: iso(user.lastUpdated),
    login: str(p.login),
    email: str(p.email),
    firstName: str(p.firstName),
    lastName: str(p.lastName),
    displayName: str(p.displayName),
    title: str(p.title),
    department: str(p.department),
  };
}

function groupRecord(group: Group): OktaGroupRecord {
  return {
    id: group.id ?? '',
    type: String(group.type ?? ''),
    name: group.profile?.name ?? '',
    description: group.profile?.description ?? '',
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
  };
}
