/**
 * The indexes one reconcile run works from, built once from the inputs: normalized addresses of
 * both sides, links by source id, org users by address, the group graph and the scope.
 *
 * In: the reconcile input. Out: a read-only `Context`. Everything is a Map or Set lookup, so the
 * planners never scan a list inside a loop. Entries carry a dense `index` so later steps can keep
 * per-user facts in typed arrays.
 */
import type { Snapshot, SourceGroup, SourceUser } from '../model/directory.js';
import type { OrgGroup, OrgState, OrgUser } from '../model/org.js';
import type { Classification, OperationKind } from '../model/plan.js';
import type { Policy } from '../model/policy.js';
import { domainClaims, domainOf, EmailNormalizer, type DomainClaims, type EmailProblem } from './email.js';
import { MultiMap } from './multimap.js';
import { compareText } from './order.js';
import { GroupGraph, resolveScope, type Scope } from './scope.js';

export interface SourceEntry {
  /** Position among the source entries (0 … sources.size - 1). */
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
  /** Position in the org's user list (0 … users.length - 1). */
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
  /** Source users by id (ids that occur once). */
  sources: ReadonlyMap<string, SourceEntry>;
  /** Source ids that occur more than once: nothing linked to them is touched. */
  duplicateSourceIds: ReadonlySet<string>;
  /** Source ids by normalized address, for every source user with a usable address. */
  sourceIdsByAddress: MultiMap<string>;
  /** Addresses of the source users whose id occurs more than once (they are in no other index). */
  duplicateIdAddresses: ReadonlySet<string>;
  orgById: ReadonlyMap<string, OrgEntry>;
  /** Org users in the org's order (`orgList[entry.index] === entry`). */
  orgList: readonly OrgEntry[];
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
  const sourceIndex = indexSources(snapshot.users, normalizer, claims);
  const graph = new GroupGraph(snapshot.groups);
  const scope = resolveScope(graph, policy.scope.groups, (id) => sourceIndex.sources.has(id) || sourceIndex.duplicateSourceIds.has(id));
  if (!scope.all) for (const entry of sourceIndex.sources.values()) entry.inScope = scope.members.has(entry.user.id);
  return {
    policy,
    claims,
    complete: snapshot.complete,
    removals: snapshot.complete && scope.missing.length === 0,
    graph,
    scope,
    groups: snapshot.groups,
    orgGroups: org.groups,
    ...sourceIndex,
    ...indexOrg(org.users, normalizer, claims),
    capable: (kind) => capabilities === undefined || capabilities.has(kind),
  };
}

function classify(claims: DomainClaims, domain: string): Classification {
  return claims.claimed.has(domain) ? 'claimed' : 'external';
}

function indexSources(users: readonly SourceUser[], normalizer: EmailNormalizer, claims: DomainClaims) {
  const seen = new Set<string>();
  const duplicateSourceIds = new Set<string>();
  for (const user of users) {
    if (seen.has(user.id)) duplicateSourceIds.add(user.id);
    else seen.add(user.id);
  }
  const sources = new Map<string, SourceEntry>();
  const sourceIdsByAddress = new MultiMap<string>();
  const duplicateIdAddresses = new Set<string>();
  for (const user of users) {
    const email = normalizer.parse(user.email);
    if (duplicateSourceIds.has(user.id)) {
      if (typeof email === 'string') duplicateIdAddresses.add(email);
      continue;
    }
    const ok = typeof email === 'string';
    sources.set(user.id, {
      index: sources.size,
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
    for (const id of ids) (sources.get(id) as SourceEntry).duplicate = true;
  }
  return { sources, duplicateSourceIds, sourceIdsByAddress, duplicateIdAddresses };
}

function indexOrg(users: readonly OrgUser[], normalizer: EmailNormalizer, claims: DomainClaims) {
  const orgById = new Map<string, OrgEntry>();
  const linkedBySource = new MultiMap<OrgEntry>();
  const orgByAddress = new MultiMap<OrgEntry>();
  const orgList: OrgEntry[] = [];
  let linkedCount = 0;
  for (const user of users) {
    const address = normalizer.address(user.email);
    const entry: OrgEntry = { index: orgList.length, user, address, classification: address === null ? null : classify(claims, domainOf(address)) };
    orgList.push(entry);
    orgById.set(user.id, entry);
    if (address !== null) orgByAddress.add(address, entry);
    if (user.externalId != null) {
      linkedCount += 1;
      linkedBySource.add(user.externalId, entry);
    }
  }
  const byId = (a: OrgEntry, b: OrgEntry) => compareText(a.user.id, b.user.id);
  linkedBySource.sortSeveral(byId);
  orgByAddress.sortSeveral(byId);
  return { orgById, orgList, linkedBySource, orgByAddress, linkedCount };
}

/** A source user the plan provisions: usable address, no duplicate, active and in scope. */
export function isPresent(entry: SourceEntry): boolean {
  return entry.address !== null && !entry.duplicate && entry.user.active && entry.inScope;
}
