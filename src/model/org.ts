/**
 * The target organization's state, as an org adapter reads it: plain data, no behaviour.
 */

/** Claim status of a domain. Only `verified` claims a domain. */
export type DomainStatus = 'verified' | 'unverified' | 'superseded' | 'missing_token' | 'deleted' | string;

export interface OrgDomain {
  name: string;
  status: DomainStatus;
}

export type OrgUserStatus = 'active' | 'deactivated' | 'invited' | 'suspended';

/** Who brought an object into the org: `sync` (orgsync created or invited it) or `manual`. */
export type Ownership = 'sync' | 'manual';

export interface OrgUser {
  id: string;
  email: string;
  /** The link: the source user's id, or null when no source user is linked. */
  externalId: string | null;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  attributes: Record<string, string>;
  /** True when the org manages the account (its domain is claimed by this org). */
  managed: boolean;
  status: OrgUserStatus;
  source: Ownership;
  /** The directory the account is in, for targets that keep people in several (Atlassian). */
  directory?: string;
}

export interface OrgGroup {
  id: string;
  name: string;
  description: string;
  /** The source group id this org group mirrors, or null. */
  externalId: string | null;
  source: Ownership;
  /** Org user ids. */
  members: string[];
}

export interface OrgState {
  domains: OrgDomain[];
  users: OrgUser[];
  groups: OrgGroup[];
}
