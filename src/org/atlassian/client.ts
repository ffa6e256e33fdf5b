/**
 * The Atlassian organization REST API (admin v1/v2) over the shared `HttpClient`: claimed domains
 * (cursor paging through an absolute `links.next` URL, which must stay on the API's origin so the
 * key never leaves it), user and group search (cursor passed back in the body), groups and
 * memberships, invitations, suspend and restore. Answers are checked for the fields the adapter
 * relies on; anything else is an error, never an empty list.
 */
import { OrgsyncError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';

export interface ApiDomain {
  id: string;
  attributes: { name: string; claim?: { type?: string; status?: string } };
}

export interface ApiUser {
  accountId: string;
  email?: string;
  name?: string;
  status?: string;
  accountStatus?: string;
  membershipStatus?: string;
  claimStatus?: string;
  jobTitle?: string;
  department?: string | null;
  organization?: string | null;
  groups?: Array<{ id: string; name?: string | null }>;
}

export interface ApiGroup {
  id: string;
  name: string;
  description?: string;
  externalSynced?: boolean;
}

export interface InviteRequest {
  emails: string[];
  permissionRules: Array<{ resource: string; role: string }>;
  additionalGroups: string[];
  sendNotification: boolean;
}

interface Page<T> {
  data?: T[];
  links?: { next?: string | null };
}

export class AtlassianClient {
  private readonly org: string;
  private readonly dir: string;
  private readonly domainsPath: string;

  constructor(
    private readonly http: HttpClient,
    ids: { orgId: string; directoryId: string },
    private readonly pageSize = 100,
  ) {
    this.org = `admin/v2/orgs/${encodeURIComponent(ids.orgId)}`;
    this.dir = `${this.org}/directories/${encodeURIComponent(ids.directoryId)}`;
    this.domainsPath = `admin/v1/orgs/${encodeURIComponent(ids.orgId)}/domains`;
  }

  async *domains(): AsyncGenerator<ApiDomain> {
    let next: string | null = this.domainsPath;
    const origin = this.http.url(this.domainsPath).origin;
    while (next) {
      if (this.http.url(next).origin !== origin) throw this.protocolError('domains', `links.next points to another origin (${this.http.url(next).origin})`);
      const { body }: { body: Page<ApiDomain> } = await this.http.request<Page<ApiDomain>>('GET', next);
      const items = this.items('domains', body);
      for (const item of items) {
        if (typeof item?.attributes?.name !== 'string') throw this.protocolError('domains', 'a domain has no attributes.name');
      }
      yield* items;
      next = body.links?.next || null;
    }
  }

  users(): AsyncGenerator<ApiUser> {
    return this.search<ApiUser>('users', { expand: ['groups'] }, (u) => typeof u?.accountId === 'string');
  }

  groups(): AsyncGenerator<ApiGroup> {
    return this.search<ApiGroup>('groups', {}, (g) => typeof g?.id === 'string' && typeof g?.name === 'string');
  }

  /** Cursor paging of a v2 search: the cursor goes back in the body until `links.next` is empty. */
  private async *search<T>(what: 'users' | 'groups', filters: Record<string, unknown>, valid: (item: T) => boolean): AsyncGenerator<T> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const { body } = await this.http.request<Page<T>>('POST', `${this.dir}/${what}/search`, { body: { ...filters, limit: this.pageSize, ...(cursor ? { cursor } : {}) } });
      const items = this.items(what, body);
      if (!items.every(valid)) throw this.protocolError(what, `an item lacks its ${what === 'users' ? 'accountId' : 'id or name'}`);
      yield* items;
      const next = body.links?.next;
      if (!next) return;
      if (seen.has(next)) throw this.protocolError(what, 'the search returned a cursor it had returned before');
      seen.add(next);
      cursor = next;
    }
  }

  async userByEmail(email: string): Promise<ApiUser | undefined> {
    const { body } = await this.http.request<Page<ApiUser>>('POST', `${this.dir}/users/search`, { body: { emails: [email], expand: ['groups'], limit: 2 } });
    return this.items('users', body)[0];
  }

  async groupByName(name: string): Promise<ApiGroup | undefined> {
    const { body } = await this.http.request<Page<ApiGroup>>('POST', `${this.dir}/groups/search`, { body: { groupNames: [name], limit: 10 } });
    return this.items('groups', body).find((g) => g.name.toLowerCase() === name.toLowerCase());
  }

  /** Create a group; `undefined` when one with that name exists (409). */
  async createGroup(name: string, description: string): Promise<ApiGroup | undefined> {
    const answer = await this.http.request<ApiGroup | null>('POST', `${this.dir}/groups`, { body: { name, description }, accept: [409] });
    if (answer.status === 409) return undefined;
    return answer.body && typeof answer.body.id === 'string' ? answer.body : ((await this.groupByName(name)) ?? this.missing(`group ${name}`));
  }

  /** Delete a group; false when it was already gone. */
  async deleteGroup(groupId: string): Promise<boolean> {
    const answer = await this.http.request('DELETE', `${this.dir}/groups/${encodeURIComponent(groupId)}`, { accept: [404] });
    return answer.status !== 404;
  }

  async addMember(groupId: string, accountId: string): Promise<void> {
    await this.http.request('POST', `${this.dir}/groups/${encodeURIComponent(groupId)}/memberships`, { body: { accountId }, accept: [409] });
  }

  /** Remove a membership; false when it did not exist. */
  async removeMember(groupId: string, accountId: string): Promise<boolean> {
    const path = `${this.dir}/groups/${encodeURIComponent(groupId)}/memberships/${encodeURIComponent(accountId)}`;
    const answer = await this.http.request('DELETE', path, { accept: [404] });
    return answer.status !== 404;
  }

  /** Invite people; the accounts the org answers with, by address. */
  async invite(request: InviteRequest): Promise<Array<{ id: string; email: string }>> {
    const { body } = await this.http.request<{ data?: Array<{ id?: string; email?: string }> }>('POST', `${this.org}/users/invite`, { body: request });
    return (body?.data ?? []).filter((d): d is { id: string; email: string } => typeof d.id === 'string' && typeof d.email === 'string');
  }

  async suspend(accountId: string): Promise<void> {
    await this.http.request('POST', `${this.dir}/users/${encodeURIComponent(accountId)}/suspend`);
  }

  async restore(accountId: string): Promise<void> {
    await this.http.request('POST', `${this.dir}/users/${encodeURIComponent(accountId)}/restore`);
  }

  private items<T>(what: string, body: Page<T> | null): T[] {
    if (!body || !Array.isArray(body.data)) throw this.protocolError(what, 'the answer has no data list');
    return body.data;
  }

  private protocolError(what: string, detail: string): OrgsyncError {
    return new OrgsyncError('atlassian-protocol', `Atlassian ${what}: ${detail}`);
  }

  private missing(what: string): never {
    throw new OrgsyncError('not-found', `Atlassian: ${what} was created but cannot be found`);
  }
}
