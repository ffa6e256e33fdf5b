/**
 * The Atlassian organization REST API (admin v1/v2) over the shared `HttpClient`: directories,
 * claimed domains (cursor paging through an absolute `links.next` URL, which must stay on the API's
 * origin so the key never leaves it), user and group search per directory (cursor passed back in
 * the body), groups, memberships and role assignments, invitations with their per-address results,
 * suspend and restore. Answers are checked for the fields the adapter relies on; anything else is an
 * error, never an empty list.
 */
import { OrgsyncError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';

export interface ApiDirectory {
  directoryId: string;
  name?: string;
}

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
  directoryId?: string;
  externalSynced?: boolean;
}

/** One role a group grants on one resource (app instance). */
export interface RoleAssignment {
  resourceId: string;
  roleId: string;
}

export interface InviteRequest {
  emails: string[];
  permissionRules: Array<{ resource: string; role: string }>;
  additionalGroups: string[];
  sendNotification: boolean;
}

interface AssignmentResult {
  resource?: string;
  role?: string;
  group?: string;
  status?: string;
  statusReason?: string | null;
}

export interface InviteAnswer {
  id?: string;
  email?: string;
  results?: Array<{ roleAssignmentResult?: AssignmentResult[]; groupAssignmentResult?: AssignmentResult[] }>;
}

interface Page<T> {
  data?: T[];
  links?: { next?: string | null };
}

export class AtlassianClient {
  private readonly org: string;
  private readonly domainsPath: string;

  constructor(
    private readonly http: HttpClient,
    orgId: string,
    private readonly pageSize = 100,
  ) {
    this.org = `admin/v2/orgs/${encodeURIComponent(orgId)}`;
    this.domainsPath = `admin/v1/orgs/${encodeURIComponent(orgId)}/domains`;
  }

  private dir(directoryId: string): string {
    return `${this.org}/directories/${encodeURIComponent(directoryId)}`;
  }

  private group(directoryId: string, groupId: string): string {
    return `${this.dir(directoryId)}/groups/${encodeURIComponent(groupId)}`;
  }

  /** Every directory of the organization (cursor paging by query). */
  async directories(): Promise<ApiDirectory[]> {
    const out: ApiDirectory[] = [];
    for await (const page of this.cursorPages<ApiDirectory>('directories', `${this.org}/directories`)) {
      if (!page.every((d) => typeof d?.directoryId === 'string')) throw this.protocolError('directories', 'a directory has no directoryId');
      for (const directory of page) out.push(directory);
    }
    return out;
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

  users(directoryId: string): AsyncGenerator<ApiUser> {
    return this.search<ApiUser>(directoryId, 'users', { expand: ['groups'] }, (u) => typeof u?.accountId === 'string');
  }

  groups(directoryId: string): AsyncGenerator<ApiGroup> {
    return this.search<ApiGroup>(directoryId, 'groups', {}, (g) => typeof g?.id === 'string' && typeof g?.name === 'string');
  }

  /** Cursor paging of a v2 search: the cursor goes back in the body until `links.next` is empty. */
  private async *search<T>(directoryId: string, what: 'users' | 'groups', filters: Record<string, unknown>, valid: (item: T) => boolean): AsyncGenerator<T> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const body0 = { ...filters, limit: this.pageSize, ...(cursor ? { cursor } : {}) };
      const { body } = await this.http.request<Page<T>>('POST', `${this.dir(directoryId)}/${what}/search`, { body: body0 });
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

  /** GET lists paged by a `cursor` query parameter (`links.next` is the cursor). */
  private async *cursorPages<T>(what: string, path: string): AsyncGenerator<T[]> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const { body } = await this.http.request<Page<T>>('GET', path, { query: { cursor } });
      yield this.items(what, body);
      const next = body.links?.next;
      if (!next) return;
      if (seen.has(next)) throw this.protocolError(what, 'the list returned a cursor it had returned before');
      seen.add(next);
      cursor = next;
    }
  }

  /** The users with these addresses in a directory (`-`: every directory). */
  async usersByEmail(emails: string[], directoryId: string): Promise<ApiUser[]> {
    const { body } = await this.http.request<Page<ApiUser>>('POST', `${this.dir(directoryId)}/users/search`, { body: { emails, expand: ['groups'], limit: Math.min(100, Math.max(emails.length * 2, 2)) } });
    return this.items('users', body);
  }

  async groupByName(name: string, directoryId: string): Promise<ApiGroup | undefined> {
    const { body } = await this.http.request<Page<ApiGroup>>('POST', `${this.dir(directoryId)}/groups/search`, { body: { groupNames: [name], limit: 10 } });
    return this.items('groups', body).find((g) => g.name.toLowerCase() === name.toLowerCase());
  }

  /** Create a group in a directory; `undefined` when one with that name exists (409). */
  async createGroup(directoryId: string, name: string, description: string): Promise<ApiGroup | undefined> {
    const answer = await this.http.request<ApiGroup | null>('POST', `${this.dir(directoryId)}/groups`, { body: { name, description }, accept: [409] });
    if (answer.status === 409) return undefined;
    return answer.body && typeof answer.body.id === 'string' ? answer.body : ((await this.groupByName(name, directoryId)) ?? this.missing(`group ${name}`));
  }

  /** Delete a group; false when it was already gone. */
  async deleteGroup(directoryId: string, groupId: string): Promise<boolean> {
    const answer = await this.http.request('DELETE', this.group(directoryId, groupId), { accept: [404] });
    return answer.status !== 404;
  }

  async addMember(directoryId: string, groupId: string, accountId: string): Promise<void> {
    await this.http.request('POST', `${this.group(directoryId, groupId)}/memberships`, { body: { accountId }, accept: [409] });
  }

  /** Remove a membership; false when it did not exist. */
  async removeMember(directoryId: string, groupId: string, accountId: string): Promise<boolean> {
    const answer = await this.http.request('DELETE', `${this.group(directoryId, groupId)}/memberships/${encodeURIComponent(accountId)}`, { accept: [404] });
    return answer.status !== 404;
  }

  /** Every role a group grants, flattened to one entry per resource and role. */
  async roleAssignments(directoryId: string, groupId: string): Promise<RoleAssignment[]> {
    const out: RoleAssignment[] = [];
    type Entry = { resourceId?: string; roles?: unknown };
    for await (const page of this.cursorPages<Entry>('role assignments', `${this.group(directoryId, groupId)}/role-assignments`)) {
      for (const entry of page) {
        if (typeof entry?.resourceId !== 'string' || !Array.isArray(entry.roles)) throw this.protocolError('role assignments', 'an entry lacks resourceId or roles');
        for (const roleId of entry.roles) if (typeof roleId === 'string') out.push({ resourceId: entry.resourceId, roleId });
      }
    }
    return out;
  }

  async assignRole(directoryId: string, groupId: string, assignment: RoleAssignment): Promise<void> {
    await this.http.request('POST', `${this.group(directoryId, groupId)}/role-assignments/assign`, { body: assignment });
  }

  async revokeRole(directoryId: string, groupId: string, assignment: RoleAssignment): Promise<void> {
    await this.http.request('POST', `${this.group(directoryId, groupId)}/role-assignments/revoke`, { body: assignment });
  }

  /**
   * Invite people (at most 25 a call); the per-address answers, checked for their shape. The call
   * is not repeated when its answer is lost (only after a 429): it emails people.
   */
  async invite(request: InviteRequest): Promise<InviteAnswer[]> {
    const { body } = await this.http.request<{ data?: InviteAnswer[] } | null>('POST', `${this.org}/users/invite`, { body: request, repeatable: false });
    if (!body || !Array.isArray(body.data)) throw this.protocolError('invite', 'the answer has no data list');
    return body.data;
  }

  async suspend(directoryId: string, accountId: string): Promise<void> {
    await this.http.request('POST', `${this.dir(directoryId)}/users/${encodeURIComponent(accountId)}/suspend`);
  }

  async restore(directoryId: string, accountId: string): Promise<void> {
    await this.http.request('POST', `${this.dir(directoryId)}/users/${encodeURIComponent(accountId)}/restore`);
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
