/**
 * The Directory API over HTTP: `@googleapis/admin` signed in with a `google-auth-library` JWT
 * (a service account acting as `subject` through domain-wide delegation), every list paged with an
 * async generator at the API's largest page size, each page retried with the project's policy.
 *
 * In: the API root (`https://admin.googleapis.com` or any `http(s)://host:port`), the token
 * endpoint, the key, the subject, retry options. Out: pages of raw users, groups and members.
 *
 * The libraries' own retries are switched off (`retry: false` on every call) so attempts never
 * multiply: retries happen once, here. `google-auth-library` always posts to Google's token URL;
 * a request interceptor on the one transport both libraries share sends it to `tokenUrl` instead
 * (the JWT's `aud` stays Google's token URL, as Google requires). Requests use Node's own `fetch`.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { JWT, gaxios } from 'google-auth-library';
import { OrgsyncError, isOrgsyncError } from '../../src/errors.js';
import { withRetry, type RetryOptions } from '../../src/http/retry.js';
import type { ServiceAccountKey } from './credentials.js';
import { directoryFailure, type Identity } from './failures.js';
import { DEFAULT_TOKEN_URL, SCOPES } from './settings.js';

export type GoogleUser = admin_directory_v1.Schema$User;
export type GoogleGroup = admin_directory_v1.Schema$Group;
export type GoogleMember = admin_directory_v1.Schema$Member;

/** Largest page sizes the API accepts. */
export const PAGE_SIZES = { users: 500, groups: 200, members: 200 } as const;

// `organizations` is a free-form JSON value in the User resource: selected whole, not by sub-field.
const USER_FIELDS = 'kind,nextPageToken,users(id,primaryEmail,name(givenName,familyName,fullName),suspended,archived,organizations)';
const GROUP_FIELDS = 'kind,nextPageToken,groups(id,email,name,description)';
const MEMBER_FIELDS = 'kind,nextPageToken,members(id,email,type)';

export interface DirectoryClientOptions {
  rootUrl: string;
  tokenUrl: string;
  key: ServiceAccountKey;
  subject: string;
  retry?: Omit<RetryOptions, 'signal'>;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** `{ customer }` or `{ domain }` plus an optional `query`. */
export type ListingParams = ({ customer: string } | { domain: string }) & { query?: string };

interface Page {
  kind?: string | null;
  nextPageToken?: string | null;
}

type Fetcher<R> = (pageToken: string | undefined, options: { retry: false; signal?: AbortSignal }) => Promise<{ data: R }>;

/** One transport for the JWT and the API, posting token requests to `tokenUrl`. */
function transport(tokenUrl: string, timeoutMs: number): InstanceType<typeof gaxios.Gaxios> {
  const instance = new gaxios.Gaxios({ fetchImplementation: fetch, timeout: timeoutMs, retry: false });
  if (tokenUrl === DEFAULT_TOKEN_URL) return instance;
  instance.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === DEFAULT_TOKEN_URL) config.url = new URL(tokenUrl);
      return config;
    },
  });
  return instance;
}

export class DirectoryClient {
  private readonly api: admin_directory_v1.Admin;
  private readonly who: Identity;

  constructor(private readonly options: DirectoryClientOptions) {
    const transporter = transport(options.tokenUrl, options.timeoutMs ?? 60_000);
    const { clientEmail, privateKey, privateKeyId, clientId } = options.key;
    const auth = new JWT({ email: clientEmail, key: privateKey, keyId: privateKeyId, scopes: [...SCOPES], subject: options.subject, transporter });
    this.api = admin({ version: 'directory_v1', auth, rootUrl: `${options.rootUrl}/` });
    this.who = { clientEmail, clientId, subject: options.subject };
  }

  users(params: ListingParams, call: CallOptions = {}): AsyncGenerator<GoogleUser[]> {
    const list = this.api.users;
    return this.pages('users.list', 'admin#directory#users', (pageToken, options) => list.list({ ...params, maxResults: PAGE_SIZES.users, projection: 'basic', fields: USER_FIELDS, pageToken }, options), (d) => d.users, call);
  }

  groups(params: ListingParams, call: CallOptions = {}): AsyncGenerator<GoogleGroup[]> {
    const list = this.api.groups;
    return this.pages('groups.list', 'admin#directory#groups', (pageToken, options) => list.list({ ...params, maxResults: PAGE_SIZES.groups, fields: GROUP_FIELDS, pageToken }, options), (d) => d.groups, call);
  }

  /** Direct members of one group (`groupKey`: its id or address). */
  members(groupKey: string, call: CallOptions = {}): AsyncGenerator<GoogleMember[]> {
    const list = this.api.members;
    const what = `members.list of group ${groupKey}`;
    return this.pages(what, 'admin#directory#members', (pageToken, options) => list.list({ groupKey, maxResults: PAGE_SIZES.members, fields: MEMBER_FIELDS, pageToken }, options), (d) => d.members, call);
  }

  /**
   * Every page of a list, following `nextPageToken` until a page has none. A page that is not the
   * list asked for (another `kind`, not JSON) fails the read: an empty page must mean "no more".
   */
  private async *pages<R extends Page, T>(what: string, kind: string, fetchPage: Fetcher<R>, items: (data: R) => T[] | null | undefined, call: CallOptions): AsyncGenerator<T[]> {
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const pageToken = token;
      const data = await this.once(what, () => fetchPage(pageToken, { retry: false, signal: call.signal }), call.signal);
      const list = data && typeof data === 'object' ? items(data) : undefined;
      if (data?.kind !== kind || (list != null && !Array.isArray(list))) {
        throw new OrgsyncError('google-response', `Google Directory API ${what}: the answer is not a page of ${kind}`);
      }
      yield list ?? [];
      token = data.nextPageToken ?? undefined;
      if (token !== undefined && seen.has(token)) throw new OrgsyncError('google-response', `Google Directory API ${what}: the server sent the same nextPageToken twice`);
      if (token !== undefined) seen.add(token);
    } while (token !== undefined && token !== '');
  }

  /** One page, retried when the failure is transient or throttled. */
  private async once<R>(what: string, request: () => Promise<{ data: R }>, signal: AbortSignal | undefined): Promise<R> {
    let attempts = 0;
    const attempt = async () => {
      attempts += 1;
      try {
        return (await request()).data;
      } catch (error) {
        throw directoryFailure(error, what, this.who, signal);
      }
    };
    try {
      return await withRetry(attempt, { ...this.options.retry, signal });
    } catch (error) {
      if (!isOrgsyncError(error) || error.retry === 'never' || attempts < 2) throw error;
      const { code, retry, status, retryAfterMs } = error;
      throw new OrgsyncError(code, `${error.message} (gave up after ${attempts} attempts)`, { retry, status, retryAfterMs, cause: error });
    }
  }
}
