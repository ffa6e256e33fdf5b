/**
 * The indexes one reconcile run works from, built once from the inputs: normalized addresses of
 * both sides, links, org users by address, the group graph and the scope.
 *
 * In: the reconcile input. Out: a read-only `Context`. Users are entries in a list; an id or an
 * address is turned into an integer once, here (list positions, `AddressBook` numbers), and every
 * later step works on those integers: links and shared addresses are `PositionGroups`, per-user
 * facts live in typed arrays indexed by position, and no planner hashes a string per user.
 */
import type { Snapshot, SourceGroup, SourceUser } from '../model/directory.js';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Classification, OperationKind } from '../model/plan.js';
import type { Policy } from '../model/policy.js';
import { domainClaims, domainOf, EmailNormalizer, type DomainClaims, type EmailProblem } from './email.js';
import { IdIndex } from './id-index.js';
import { compareText } from './order.js';
import { AddressBook, PositionGroups } from './positions.js';
import { GroupGraph, resolveScope, type Scope } from './scope.js';

/** `OrgEntry.linkedSource`: the account has no externalId. */
export const UNLINKED = -1;
/** `OrgEntry.linkedSource`: the externalId names no source user that occurs once (gone, or a duplicated id). */
export const ELSEWHERE = -2;

export interface SourceEntry {
  /** Position in `sourceList`. */
  index: number;
  user: SourceUser;
  /** Normalized address; null when missing or invalid. */
  address: string | null;
  /** Number of `address` in `ctx.addresses`; -1 when there is none. */
  addressNumber: number;
  classification: Classification | null;
  /** Why the address cannot be used, with the normalizer's message. */
  problem: { code: EmailProblem; message: string } | null;
  /** Another source user has the same normalized address. */
  duplicate: boolean;
  /** A member (transitively) of a scope group, or every user when the policy names none. */
  inScope: boolean;
}

export interface OrgEntry {
  /** Position in `orgList` (the org's user list). */
  index: number;
  user: OrgUser;
  address: string | null;
  /** Number of `address` in `ctx.addresses`; -1 when there is none or no source user has it. */
  addressNumber: number;
  classification: Classification | null;
  /** Position in `sourceList` of the user the externalId names, or `UNLINKED` / `ELSEWHERE`. */
  linkedSource: number;
}

export interface Context {
  policy: Policy;
  claims: DomainClaims;
  /** The snapshot says it is complete. */
  complete: boolean;
  /** Removing operations may be planned: the snapshot is complete and every scope group was found. */
  removals: boolean;
  graph: GroupGraph;
  scope: Scope;
  /** The snapshot's groups and the org's groups, as given. */
  groups: readonly SourceGroup[];
  orgGroups: readonly OrgGroup[];
  /** Source users whose id occurs once, in snapshot order (`sourceList[entry.index] === entry`). */
  sourceList: readonly SourceEntry[];
  /** Position in `sourceList` by source id. */
  sourceIndex: IdIndex;
  /** Source ids that occur more than once: nothing linked to them is touched. */
  duplicateSourceIds: ReadonlySet<string>;
  /** Addresses of the source users whose id occurs more than once (they are in no other index). */
  duplicateIdAddresses: ReadonlySet<string>;
  /** The normalized addresses of the source users, numbered. */
  addresses: AddressBook;
  /** Source positions by address number, for every source user with a usable address (sorted by source id). */
  sourcesByAddress: PositionGroups;
  /** Org users in the org's order (`orgList[entry.index] === entry`). */
  orgList: readonly OrgEntry[];
  /** Position in `orgList` by org user id. */
  orgIndex: IdIndex;
  /** Org positions by the source position they are linked to (sorted by org id). */
  linksBySource: PositionGroups;
  /** Org positions by address number, for addresses a source user has (sorted by org id). */
  orgByAddress: PositionGroups;
  /** Org users with an externalId (linked to the sync). */
  linkedCount: number;
  capable(kind: OperationKind): boolean;
}

export interface ContextInput {
  snapshot: Snapshot;
  org: OrgState;
  policy: Policy;
  capabilities?: ReadonlySet<OperationKind>;
}

export function buildContext(input: ContextInput): Context {
  const { snapshot, org, policy, capabilities } = input;
  const normalizer = new EmailNormalizer();
  const claims = domainClaims(org.domains);
  const addresses = new AddressBook(snapshot.users.length);
  const sources = indexSources(snapshot.users, normalizer, claims, addresses);
  const orgs = indexOrg(org.users, normalizer, claims, addresses, sources.sourceIndex);
  const graph = new GroupGraph(snapshot.groups);
  const scope = resolveScope(graph, policy.scope.groups, (id) => sources.sourceIndex.has(id) || sources.duplicateSourceIds.has(id));
  if (!scope.all) for (const entry of sources.sourceList) entry.inScope = scope.members.has(entry.user.id);
  return {
    policy,
    claims,
    complete: snapshot.complete,
    removals: snapshot.complete && scope.missing.length === 0,
    graph,
    scope,
    groups: snapshot.groups,
    orgGroups: org.groups,
    ...sources,
    addresses,
    sourcesByAddress: groupSources(sources.sourceList, addresses.size),
    ...orgs,
    ...groupOrg(orgs.orgList, sources.sourceList.length, addresses.size),
    capable: (kind) => capabilities === undefined || capabilities.has(kind),
  };
}

/** The source user with an id (that occurs once), if any. */
export function sourceById(ctx: Context, id: string): SourceEntry | undefined {
  const index = ctx.sourceIndex.get(id);
  return index === undefined ? undefined : ctx.sourceList[index];
}

function classify(claims: DomainClaims, domain: string): Classification {
  return claims.claimed.has(domain) ? 'claimed' : 'external';
}

/** The source list (users whose id occurs once) with normalized, numbered addresses. */
function indexSources(all: readonly SourceUser[], normalizer: EmailNormalizer, claims: DomainClaims, addresses: AddressBook) {
  let users = all;
  let sourceIndex = IdIndex.of(users);
  const duplicateSourceIds = new Set<string>();
  const duplicateIdAddresses = new Set<string>();
  if (sourceIndex.size < users.length) {
    const seen = new Set<string>();
    for (const user of users) (seen.has(user.id) ? duplicateSourceIds : seen).add(user.id);
    for (const user of users) {
      const address = duplicateSourceIds.has(user.id) ? normalizer.address(user.email) : null;
      if (address !== null) duplicateIdAddresses.add(address);
    }
    users = users.filter((user) => !duplicateSourceIds.has(user.id));
    sourceIndex = IdIndex.of(users);
  }
  const sourceList: SourceEntry[] = new Array(users.length);
  for (let i = 0; i < users.length; i += 1) {
    const user = users[i];
    const email = normalizer.parse(user.email);
    const ok = typeof email === 'string';
    sourceList[i] = {
      index: i,
      user,
      address: ok ? email : null,
      addressNumber: ok ? addresses.intern(email) : -1,
      classification: ok ? classify(claims, domainOf(email)) : null,
      problem: ok ? null : { code: email.problem, message: email.message },
      duplicate: false,
      inScope: true,
    };
  }
  return { sourceList, sourceIndex, duplicateSourceIds, duplicateIdAddresses };
}

/** Source positions by address number; users sharing an address are marked `duplicate`. */
function groupSources(sourceList: SourceEntry[], addressCount: number): PositionGroups {
  const byAddress = new PositionGroups(addressCount);
  for (const entry of sourceList) if (entry.addressNumber >= 0) byAddress.add(entry.addressNumber, entry.index);
  byAddress.sortSeveral((a, b) => compareText(sourceList[a].user.id, sourceList[b].user.id));
  for (const [, positions] of byAddress.multiples()) for (const at of positions) sourceList[at].duplicate = true;
  return byAddress;
}

/** The org list with normalized, numbered addresses and the source position each link names. */
function indexOrg(users: readonly OrgUser[], normalizer: EmailNormalizer, claims: DomainClaims, addresses: AddressBook, sourceIndex: IdIndex) {
  const orgList: OrgEntry[] = new Array(users.length);
  let linkedCount = 0;
  for (let i = 0; i < users.length; i += 1) {
    const user = users[i];
    const address = normalizer.address(user.email);
    let linkedSource = UNLINKED;
    if (user.externalId != null) {
      linkedCount += 1;
      linkedSource = sourceIndex.get(user.externalId) ?? ELSEWHERE;
    }
    orgList[i] = {
      index: i,
      user,
      address,
      // Only addresses a source user has are ever looked up: an org-only address stays unnumbered (-1).
      addressNumber: address === null ? -1 : addresses.find(address),
      classification: address === null ? null : classify(claims, domainOf(address)),
      linkedSource,
    };
  }
  return { orgList, orgIndex: IdIndex.of(users), linkedCount };
}

/** Org positions by linked source position and by address number, each sorted by org id. */
function groupOrg(orgList: OrgEntry[], sourceCount: number, addressCount: number) {
  const linksBySource = new PositionGroups(sourceCount);
  const orgByAddress = new PositionGroups(addressCount);
  for (const entry of orgList) {
    if (entry.linkedSource >= 0) linksBySource.add(entry.linkedSource, entry.index);
    if (entry.addressNumber >= 0) orgByAddress.add(entry.addressNumber, entry.index);
  }
  const byId = (a: number, b: number) => compareText(orgList[a].user.id, orgList[b].user.id);
  linksBySource.sortSeveral(byId);
  orgByAddress.sortSeveral(byId);
  return { linksBySource, orgByAddress };
}

/** A source user the plan provisions: usable address, no duplicate, active and in scope. */
export function isPresent(entry: SourceEntry): boolean {
  return entry.address !== null && !entry.duplicate && entry.user.active && entry.inScope;
}

/** The org accounts linked to a source user, sorted by org id. */
export function linkedTo(ctx: Context, entry: SourceEntry): OrgEntry[] {
  return positionsOf(ctx.orgList, ctx.linksBySource.get(entry.index));
}

export function hasLinks(ctx: Context, entry: SourceEntry): boolean {
  return ctx.linksBySource.has(entry.index);
}

/** The org accounts with an address number (-1: none), sorted by org id. */
export function accountsAt(ctx: Context, addressNumber: number): OrgEntry[] {
  return positionsOf(ctx.orgList, ctx.orgByAddress.get(addressNumber));
}

/** The ids of the source users with an address, sorted. */
export function sourceIdsAt(ctx: Context, address: string): string[] {
  return ctx.sourcesByAddress.get(ctx.addresses.find(address)).map((at) => ctx.sourceList[at].user.id);
}

function positionsOf<T>(list: readonly T[], positions: readonly number[]): T[] {
  return positions.map((at) => list[at]);
}
