/**
 * Provision on demand: plan (and, by the caller, apply) the operations about one person, shown as
 * the steps an operator follows: read -> classify -> match -> actions.
 *
 * In: a profile, a run context and a key (source id or address). Out: a `Provisioning`: either the
 * lookup's answer (not found, or found more than once) or the steps and a plan holding only that
 * person's operations, made against the whole org, with the org adapter the plan was made against.
 *
 * Reading: every connector is read whole for now and the snapshot is narrowed to the person
 * (`person.ts`); no connector offers a single-user read yet. The reconcile core runs unchanged on
 * the narrowed snapshot and the full org state; `resultAbout` keeps what concerns the person.
 */
import type { Profile } from '../config/load.js';
import type { SourceGroup, SourceUser } from '../model/directory.js';
import type { OrgState } from '../model/org.js';
import type { Classification, Plan } from '../model/plan.js';
import type { OrgAdapter } from '../org/types.js';
import { assemblePlan } from '../plan/assemble.js';
import { domainClaims, isClaimed, normalizeEmail, reconcile } from '../reconcile/index.js';
import { GroupGraph, resolveScope } from '../reconcile/scope.js';
import { findPerson, groupsOf, narrowSnapshot, resultAbout } from './person.js';
import { openOrg, readSource, type RunContext } from './pipeline.js';

export interface ReadStep {
  key: string;
  source: string;
  complete: boolean;
  user: { id: string; email: string | null; displayName: string | null; active: boolean };
  /** Display names of the groups the person is in, directly or nested. */
  groups: string[];
}

export interface ClassifyStep {
  address: string | null;
  /** Why the address cannot be used, when it cannot. */
  problem: string | null;
  domain: string | null;
  classification: Classification | null;
  /** Claim status of the domain when the org has a claim that is not verified. */
  pendingClaim: string | null;
  inScope: boolean;
}

export interface MatchedAccount {
  id: string;
  email: string;
  status: string;
  managed: boolean;
  /** `linked`: its externalId is the person's id; `address`: same address, linked to nobody or someone else. */
  by: 'linked' | 'address';
  externalId: string | null;
}

export interface ProvisionSteps {
  read: ReadStep;
  classify: ClassifyStep;
  match: { accounts: MatchedAccount[] };
}

export type Provisioning =
  | { result: 'not-found'; key: string; source: string }
  | { result: 'duplicate'; key: string; source: string; ids: string[] }
  | { result: 'planned'; steps: ProvisionSteps; plan: Plan; org: OrgAdapter };

/** Read both sides, find the person, plan their operations. The caller closes `org` when planned. */
export async function provisionPerson(profile: Profile, ctx: RunContext, key: string): Promise<Provisioning> {
  const org = await openOrg(profile, ctx);
  let planned = false;
  try {
    const [snapshot, orgState] = await Promise.all([readSource(profile, ctx), org.readState()]);
    const source = profile.source.kind;
    const lookup = findPerson(snapshot.users, key);
    if (lookup.kind === 'not-found') return { result: 'not-found', key, source };
    if (lookup.kind === 'duplicate') return { result: 'duplicate', key, source, ids: lookup.ids };
    const person = lookup.user;
    const narrowed = narrowSnapshot(snapshot, person, orgState);
    const full = reconcile({ snapshot: narrowed, org: orgState, policy: profile.policy, capabilities: org.capabilities });
    const result = resultAbout(full, narrowed, { org: orgState, policy: profile.policy });
    const plan = assemblePlan(result, {
      profile: profile.name,
      createdAt: (ctx.now?.() ?? new Date()).toISOString(),
      sources: [{ name: profile.name, kind: source, complete: snapshot.complete, users: narrowed.users.length, groups: narrowed.groups.length }],
    });
    const groups = groupsOf(snapshot.groups, person.id);
    const read: ReadStep = { key, source, complete: snapshot.complete, user: { id: person.id, email: person.email, displayName: person.displayName ?? null, active: person.active }, groups: groups.map((g) => g.displayName) };
    const steps: ProvisionSteps = { read, classify: classifyStep(person, orgState, profile, narrowed.groups), match: { accounts: matchStep(person, orgState) } };
    planned = true;
    return { result: 'planned', steps, plan, org };
  } finally {
    if (!planned) await org.close();
  }
}

function classifyStep(person: SourceUser, org: OrgState, profile: Profile, groups: readonly SourceGroup[]): ClassifyStep {
  const scope = resolveScope(new GroupGraph(groups), profile.policy.scope.groups, (id) => id === person.id);
  const inScope = scope.all || scope.members.has(person.id);
  const email = normalizeEmail(person.email);
  if (!email.ok) return { address: null, problem: email.message, domain: null, classification: null, pendingClaim: null, inScope };
  const claims = domainClaims(org.domains);
  const claimed = isClaimed(claims, email.domain);
  return { address: email.address, problem: null, domain: email.domain, classification: claimed ? 'claimed' : 'external', pendingClaim: claimed ? null : (claims.pending.get(email.domain) ?? null), inScope };
}

function matchStep(person: SourceUser, org: OrgState): MatchedAccount[] {
  const address = addressOf(person.email);
  const accounts: MatchedAccount[] = [];
  for (const user of org.users) {
    const linked = user.externalId === person.id;
    if (!linked && (address === null || addressOf(user.email) !== address)) continue;
    accounts.push({ id: user.id, email: user.email, status: user.status, managed: user.managed, by: linked ? 'linked' : 'address', externalId: user.externalId });
  }
  return accounts;
}

function addressOf(raw: string | null | undefined): string | null {
  const email = normalizeEmail(raw);
  return email.ok ? email.address : null;
}
