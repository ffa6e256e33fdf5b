/**
 * What an identity provider holds, as read by a source connector: plain data, no behaviour.
 *
 * A `Snapshot` is the whole directory as one read saw it. `complete: false` means some part could
 * not be read (a page failed, a scope group was missing): the reconcile core then plans nothing that
 * removes or deprovisions, because "unknown" is never "absent".
 */

/** One person in the IdP. `id` is the IdP's immutable object id: the key of every link. */
export interface SourceUser {
  id: string;
  /** The address as the IdP gives it (not yet normalized); null when the IdP has none. */
  email: string | null;
  userName?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
  /** Extra profile fields by name (title, department, ...); values are strings. */
  attributes: Record<string, string>;
}

/** One IdP group. `members` holds user ids and group ids (nested groups; cycles are tolerated). */
export interface SourceGroup {
  id: string;
  displayName: string;
  description: string;
  members: string[];
  /**
   * The source knows this group by its id only (a CSV `groups` cell without `=name`, a directory
   * file group without `displayName`): `displayName` is the id, used to name a group the sync
   * creates, and a linked org group's name and description are never changed from it.
   */
  unnamed?: boolean;
  /** The source carries no descriptions (a CSV): a linked org group's description is never changed from it. */
  undescribed?: boolean;
}

/**
 * Something a connector noticed while reading and could not turn into data: a record without an
 * id, a member that names nobody, a user whose only address is a guest UPN. It becomes a plan
 * warning; it never stops the read.
 */
export interface ReadIssue {
  code: string;
  message: string;
  subject?: string;
}

export interface Snapshot {
  complete: boolean;
  users: SourceUser[];
  groups: SourceGroup[];
  /** Problems met while reading; reported as warnings. */
  issues: ReadIssue[];
}
