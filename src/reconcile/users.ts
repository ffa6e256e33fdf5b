/**
 * User operations: what each source user's accounts need, and what accounts of departed users need.
 *
 * In: the context and the correlation. Out: operations, warnings (to the sink), and the account
 * each provisioned source user has or gets in this plan (for group membership).
 *
 * A present user (usable address, no duplicate, active, in scope) keeps exactly one account: its
 * managed account when its domain is claimed, its external account at its current address
 * otherwise. Every other account linked to it is retired: a managed account is deactivated, an
 * external account the sync invited has its access revoked (`reclassified` when the kind changed).
 * Users who are disabled, out of scope or gone have all their linked accounts retired. Removals
 * happen only when `ctx.removals` holds and the policy's `deprovision` allows them.
 *
 * An external user whose address already has an unlinked account in the org is invited by address
 * (accountId null): the org answers with the existing account, which the apply links. An
 * `inviteUser` with an accountId restores the access of the user's own suspended account.
 */
import type { MemberRef, Operation, OperationKind } from '../model/plan.js';
import { accountChanges, managedAttributes, newAccountFields } from './attributes.js';
import { ELSEWHERE, hasLinks, isPresent, linkedTo, type Context, type OrgEntry, type SourceEntry } from './context.js';
import type { Correlation, Resolution } from './correlate.js';
import { domainOf } from './email.js';
import { operation, type OperationFields } from './ids.js';
import type { WarningSink } from './warnings.js';

/** `UserPlan.accountIndex` value: no account. */
export const NO_ACCOUNT = -1;
/** `UserPlan.accountIndex` value: the account is created or invited in this plan. */
export const NEW_ACCOUNT = -2;

export interface UserPlan {
  operations: Operation[];
  /**
   * By source entry index: the org entry index of the account a present user has or keeps in this
   * plan, `NEW_ACCOUNT` when the plan creates or invites it, `NO_ACCOUNT` when there is none.
   */
  accountIndex: Int32Array;
  /** Org accounts this plan links (adopts), with the source id they get linked to. */
  adopted: Map<string, string>;
}

interface Planner {
  ctx: Context;
  corr: Correlation;
  sink: WarningSink;
  attributes: string[];
  plan: UserPlan;
  /** By org position: 1 for an account linked to a source user already handled (so it is not gone). */
  handled: Uint8Array;
}

export function planUsers(ctx: Context, corr: Correlation, sink: WarningSink): UserPlan {
  const plan: UserPlan = { operations: [], accountIndex: new Int32Array(ctx.sourceList.length).fill(NO_ACCOUNT), adopted: new Map() };
  const p: Planner = { ctx, corr, sink, attributes: managedAttributes(ctx.policy.attributes), plan, handled: new Uint8Array(ctx.orgList.length) };
  for (const entry of ctx.sourceList) {
    if (corr.heldSource[entry.index] === 1) continue;
    if (!isPresent(entry)) retireAll(p, entry);
    else {
      const resolution = corr.resolutions[entry.index];
      if (resolution) provision(p, entry, resolution);
    }
  }
  retireGone(p);
  return p.plan;
}

/** The group member a source user is, given its `accountIndex` (see `UserPlan`); undefined when it has no account. */
export function memberOf(ctx: Context, plan: UserPlan, entry: SourceEntry): MemberRef | undefined {
  const at = plan.accountIndex[entry.index];
  if (at === NO_ACCOUNT || entry.address === null || entry.classification === null) return undefined;
  const account = at === NEW_ACCOUNT ? undefined : ctx.orgList[at];
  return { email: account ? account.user.email : entry.address, sourceId: entry.user.id, accountId: account ? account.user.id : null, classification: entry.classification };
}

function provision(p: Planner, entry: SourceEntry, resolution: Resolution): void {
  const keep = resolution.kind === 'new' ? null : resolution.account;
  if (entry.classification === 'claimed') provisionManaged(p, entry, resolution);
  else provisionExternal(p, entry, resolution);
  if (keep !== null) p.handled[keep.index] = 1;
  if (resolution.kind === 'linked' ? resolution.only : !hasLinks(p.ctx, entry)) return;
  const linked = linkedTo(p.ctx, entry);
  for (const account of linked) p.handled[account.index] = 1;
  const moved = `directory user ${entry.user.id} moved to ${entry.address}, on ${entry.classification === 'claimed' ? 'claimed' : 'unclaimed'} domain ${domainOf(entry.address as string)}`;
  for (const account of linked) {
    if (account === keep) continue;
    if (account.classification !== entry.classification) retire(p, account, moved, entry.user.id);
    else retire(p, account, `directory user ${entry.user.id} now uses the address ${entry.address}`);
  }
}

function provisionManaged(p: Planner, entry: SourceEntry, resolution: Resolution): void {
  const user = entry.user;
  const address = entry.address as string;
  if (resolution.kind === 'new') {
    const domain = domainOf(address);
    const after = newAccountFields(user, address, p.attributes);
    add(p, { kind: 'createAccount', email: address, sourceId: user.id, classification: 'claimed', domain, reason: `${address} is active and in scope on claimed domain ${domain} and has no account`, after });
    if (p.ctx.capable('createAccount')) p.plan.accountIndex[entry.index] = NEW_ACCOUNT;
    return;
  }
  const account = resolution.account;
  if (resolution.kind === 'adopt') {
    add(p, { ...subjectOf(account, user.id), kind: 'linkAccount', reason: `account ${account.user.email} is not linked; it becomes the account of directory user ${user.id}, who has the same address`, before: { externalId: null }, after: { externalId: user.id } });
    if (!p.ctx.capable('linkAccount')) return;
    p.plan.adopted.set(account.user.id, user.id);
  }
  if (account.user.status !== 'active') {
    add(p, { ...subjectOf(account, user.id), kind: 'reactivateAccount', reason: `directory user ${user.id} is active and in scope; the account is ${account.user.status}`, before: { status: account.user.status }, after: { status: 'active' } });
  }
  const changes = accountChanges(user, address, account.user, account.address, p.attributes);
  if (changes) {
    add(p, { ...subjectOf(account, user.id), kind: 'updateAccount', reason: `directory user ${user.id} has a different ${Object.keys(changes.after).join(', ')}`, ...changes });
  }
  p.plan.accountIndex[entry.index] = account.index;
}

function provisionExternal(p: Planner, entry: SourceEntry, resolution: Resolution): void {
  const user = entry.user;
  const address = entry.address as string;
  const domain = domainOf(address);
  const external = p.ctx.policy.external;
  const after = { email: address, displayName: user.displayName || null, groups: [...external.groups], roles: [...external.roles], notify: external.notify };
  const invite = { kind: 'inviteUser' as const, email: address, sourceId: user.id, classification: 'external' as const, domain, after };
  if (resolution.kind === 'new') {
    add(p, { ...invite, reason: `${address} is active and in scope on unclaimed domain ${domain} and is not in the org` });
    if (p.ctx.capable('inviteUser')) p.plan.accountIndex[entry.index] = NEW_ACCOUNT;
    return;
  }
  const account = resolution.account;
  if (resolution.kind === 'adopt') {
    add(p, { ...invite, reason: `${address} is already in the org (account ${account.user.id}, ${account.user.status}) but not linked; inviting the address again links it to directory user ${user.id}` });
    if (!p.ctx.capable('inviteUser')) return;
    p.plan.adopted.set(account.user.id, user.id);
  } else if (account.user.status === 'suspended') {
    add(p, { ...invite, email: account.user.email, accountId: account.user.id, reason: `access of ${account.user.email} was revoked earlier; directory user ${user.id} is active and in scope again, so access is restored` });
    if (!p.ctx.capable('inviteUser')) return;
  }
  p.plan.accountIndex[entry.index] = account.index;
}

/** The fields naming an existing account as the subject of an operation. */
function subjectOf(account: OrgEntry, sourceId: string | null) {
  const address = account.address as string;
  return { email: account.user.email, sourceId, accountId: account.user.id, classification: account.classification, domain: domainOf(address) };
}

/** A user who is disabled or out of scope: retire its accounts. */
function retireAll(p: Planner, entry: SourceEntry): void {
  if (!hasLinks(p.ctx, entry)) return;
  const linked = linkedTo(p.ctx, entry);
  const why = !entry.user.active ? `directory user ${entry.user.id} is disabled` : `directory user ${entry.user.id} is no longer in scope`;
  for (const account of linked) {
    p.handled[account.index] = 1;
    retire(p, account, why);
  }
}

/** Accounts linked to source ids the snapshot does not have. */
function retireGone(p: Planner): void {
  for (const account of p.ctx.orgList) {
    if (account.linkedSource !== ELSEWHERE || p.handled[account.index] === 1) continue;
    const sourceId = account.user.externalId as string;
    if (p.ctx.duplicateSourceIds.has(sourceId)) continue;
    retire(p, account, `directory user ${sourceId} is gone from the directory`);
  }
}

/** The retiring operation an account needs, if any: deactivate a managed account, revoke an external one the sync invited. */
function retiringKind(account: OrgEntry): OperationKind | null {
  const { status, source } = account.user;
  if (account.classification === 'claimed') return status === 'deactivated' ? null : 'deactivateAccount';
  if (account.classification === 'external' && source === 'sync' && (status === 'invited' || status === 'active')) return 'revokeAccess';
  return null;
}

/**
 * Retire an account (see `retiringKind`). With `reclassifiedFrom` (a source id), the retirement is
 * due to a change between claimed and unclaimed domains: warn `reclassified`.
 */
function retire(p: Planner, account: OrgEntry, why: string, reclassifiedFrom?: string): void {
  const user = account.user;
  const kind = retiringKind(account);
  if (kind === null || p.corr.heldAccount[account.index] === 1) return;
  const managed = kind === 'deactivateAccount';
  const allowed = managed ? p.ctx.policy.deprovision.managed !== 'none' : p.ctx.policy.deprovision.external !== 'none';
  if (reclassifiedFrom !== undefined) {
    const what = managed ? `the managed account ${user.email} is deactivated` : `the external access of ${user.email} is revoked`;
    const when = !p.ctx.removals ? ' once a complete read confirms it' : allowed ? '' : ` (not while policy deprovision.${managed ? 'managed' : 'external'} is none)`;
    p.sink.warn('reclassified', `${why}: ${what}${when}`, reclassifiedFrom);
  }
  if (!p.ctx.removals) return;
  if (!allowed) {
    p.sink.withhold(kind, user.email);
    return;
  }
  add(p, { ...subjectOf(account, user.externalId), kind, reason: why, before: { status: user.status }, after: { status: managed ? 'deactivated' : 'suspended' } });
}

function add(p: Planner, fields: OperationFields): void {
  p.plan.operations.push(operation(fields));
}
