/**
 * The indexes one reconcile run works from, built once from the inputs: normalized addresses of
 * both sides, links by source id, org users by address, the group graph and the scope.
 *
 * In: the reconcile input. Out: a read-only `Context`. Everything is a Map or Set lookup, so the
 * planners never scan a list inside a loop. Users are entries in a list, found by id through a map
 * of list positions: the positions let later steps keep per-user facts in typed arrays, and a
 * lookup by id costs one map access.
 */
import type { Snapshot, SourceGroup, SourceUser } from '../model/directory.js';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Classification, OperationKind } from '../model/plan.js';
import type { Policy } from '../model/policy.js';
import { domainClaims, domainOf, EmailNormalizer, type DomainClaims, type EmailProblem } from './email.js';
import { IdIndex } from './id-index.js';
import { MultiMap } from './multimap.js';
import { compareText } from './order.js';
import { GroupGraph, resolveScope, type Scope } from './scope.js';

export interface SourceEntry {
  /** Position in `sourceList`. */
  index: number;
  user: SourceUser;
  /** Normalized address; null when missing or invalid. */
  address: string | null;
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
  classification: Classification | null;
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
  /** Source ids by normalized address, for every source user with a usable address. */
  sourceIdsByAddress: MultiMap<string>;
  /** Addresses of the source users whose id occurs more than once (they are in no other index). */
  duplicateIdAddresses: ReadonlySet<string>;
  /** Org users in the org's order (`orgList[entry.index] === entry`). */
  orgList: readonly OrgEntry[];
  /** Position in `orgList` by org user id. */
  orgIndex: IdIndex;
  /** Org users by the source id they are linked to (sorted by org id). */
  linkedBySource: MultiMap<OrgEntry>;
  /** Org users by normalized address (sorted by org id). */
  orgByAddress: MultiMap<OrgEntry>;
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
  const sources = indexSources(snapshot.users, normalizer, claims);
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
    ...indexOrg(org.users, normalizer, claims),
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

function indexSources(all: readonly SourceUser[], normalizer: EmailNormalizer, claims: DomainClaims) {
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
  const sourceList: SourceEntry[] = [];
  const sourceIdsByAddress = new MultiMap<string>();
  for (const user of users) {
    const email = normalizer.parse(user.email);
    const ok = typeof email === 'string';
    sourceList.push({
      index: sourceList.length,
      user,
      address: ok ? email : null,
      classification: ok ? classify(claims, domainOf(email)) : null,
      problem: ok ? null : { code: email.problem, message: email.message },
      duplicate: false,
      inScope: true,
    });
    if (ok) sourceIdsByAddress.add(email, user.id);
  }
  sourceIdsByAddress.sortSeveral(compareText);
  for (const [, ids] of sourceIdsByAddress.multiples()) {
    for (const id of ids) sourceList[sourceIndex.get(id) as number].duplicate = true;
  }
  return { sourceList, sourceIndex, duplicateSourceIds, sourceIdsByAddress, duplicateIdAddresses };
}

function indexOrg(users: readonly OrgUser[], normalizer: EmailNormalizer, claims: DomainClaims) {
  const linkedBySource = new MultiMap<OrgEntry>();
  const orgByAddress = new MultiMap<OrgEntry>();
  const orgList: OrgEntry[] = [];
  let linkedCount = 0;
  for (const user of users) {
    const address = normalizer.address(user.email);
    const entry: OrgEntry = { index: orgList.length, user, address, classification: address === null ? null : classify(claims, domainOf(address)) };
    orgList.push(entry);
    if (address !== null) orgByAddress.add(address, entry);
    if (user.externalId != null) {
      linkedCount += 1;
      linkedBySource.add(user.externalId, entry);
    }
  }
  const byId = (a: OrgEntry, b: OrgEntry) => compareText(a.user.id, b.user.id);
  linkedBySource.sortSeveral(byId);
  orgByAddress.sortSeveral(byId);
  return { orgList, orgIndex: IdIndex.of(users), linkedBySource, orgByAddress, linkedCount };
}

/** A source user the plan provisions: usable address, no duplicate, active and in scope. */
export function isPresent(entry: SourceEntry): boolean {
  return entry.address !== null && !entry.duplicate && entry.user.active && entry.inScope;
}
