/**
 * Correlation: which org account each provisioned source user has, will adopt, or will get; and
 * which users and accounts are held (no operation at all) because the match is not certain.
 *
 * In: the context. Out: a `Correlation`, warnings written to the sink.
 *
 * The link (org `externalId` == source `id`) is authoritative. Without one, a source user adopts the
 * single unlinked org account with its normalized address. Held, with a warning, and never touched:
 * - both users of a `duplicate-email` pair, and source ids that occur twice (`duplicate-source-id`);
 * - `ambiguous-match`: the address belongs to an account linked to another source user (that
 *   account and that user are held too), several unlinked accounts have it, or the user is linked to
 *   several accounts of its kind;
 * - a provisioned user with a missing or invalid address, or linked to an account whose address is
 *   invalid (the accounts it is linked to keep their state);
 * - `suspended-account` / `account-deactivated`: the external account to use is not usable.
 */
import { compareText } from './order.js';
import { accountsAt, hasLinks, isPresent, linkedTo, type Context, type OrgEntry, type SourceEntry } from './context.js';
import { examples, type WarningSink } from './warnings.js';

export type Resolution =
  /** The user's linked account of its current kind (for an external user: at its current address); `only`: no other account is linked to the user. */
  | { kind: 'linked'; account: OrgEntry; only: boolean }
  /** An unlinked account with the same address, to be linked. */
  | { kind: 'adopt'; account: OrgEntry }
  /** No account: create (claimed) or invite (external). */
  | { kind: 'new' };

export interface Correlation {
  /** By source position: the resolution of every present, not held source user. */
  resolutions: (Resolution | undefined)[];
  /** Ids of the source users held (some need not be in the source list: owners of held accounts). */
  heldSources: Set<string>;
  /** Ids of the org accounts held. */
  heldAccounts: Set<string>;
  /** The same, by source position: 1 for a held source user. */
  heldSource: Uint8Array;
  /** The same, by org position: 1 for a held account. */
  heldAccount: Uint8Array;
}

const USABLE_EXTERNAL = new Set(['invited', 'active']);

export function correlate(ctx: Context, sink: WarningSink): Correlation {
  const corr: Correlation = {
    resolutions: new Array(ctx.sourceList.length),
    heldSources: new Set(),
    heldAccounts: new Set(),
    heldSource: new Uint8Array(ctx.sourceList.length),
    heldAccount: new Uint8Array(ctx.orgList.length),
  };
  holdDuplicates(ctx, corr, sink);
  for (const entry of ctx.sourceList) {
    warnAboutAddress(ctx, entry, sink);
    if (entry.problem && entry.user.active && entry.inScope) corr.heldSources.add(entry.user.id);
    // Every present user is resolved, even one a previous user's ambiguity holds: which users are
    // evaluated (and warned about) must not depend on the order of the input.
    if (!isPresent(entry)) continue;
    const resolution = resolve(ctx, entry, corr, sink);
    if (resolution) corr.resolutions[entry.index] = resolution;
  }
  for (const id of corr.heldSources) {
    const index = ctx.sourceIndex.get(id);
    if (index === undefined) continue;
    corr.resolutions[index] = undefined;
    corr.heldSource[index] = 1;
  }
  if (corr.heldAccounts.size > 0) {
    for (const entry of ctx.orgList) if (corr.heldAccounts.has(entry.user.id)) corr.heldAccount[entry.index] = 1;
  }
  return corr;
}

function holdDuplicates(ctx: Context, corr: Correlation, sink: WarningSink): void {
  const told = ctx.duplicateSourceIds.size > 0 ? sink.subjectsOf('duplicate-source-id') : new Set<string>();
  for (const id of ctx.duplicateSourceIds) {
    if (told.has(id)) continue;
    sink.warn('duplicate-source-id', `source id ${id} occurs more than once in the directory; nothing linked to it is changed`, id);
  }
  for (const [number, positions] of ctx.sourcesByAddress.multiples()) {
    const address = ctx.addresses.address(number);
    const ids = positions.map((at) => ctx.sourceList[at].user.id);
    for (const id of ids) corr.heldSources.add(id);
    sink.warn('duplicate-email', `directory users ${ids.join(', ')} share the address ${address}; none of them is changed`, address);
  }
}

/** `missing-email` / `invalid-email` for users the plan would act on: in scope and active, or linked. */
function warnAboutAddress(ctx: Context, entry: SourceEntry, sink: WarningSink): void {
  if (!entry.problem) return;
  const id = entry.user.id;
  const linked = hasLinks(ctx, entry);
  if (!linked && !(entry.inScope && entry.user.active)) return;
  const consequence = entry.user.active && entry.inScope ? (linked ? '; its account is left as it is' : '; no account is planned') : '';
  sink.warn(entry.problem.code, `directory user ${id} ${entry.problem.message}${consequence}`, id);
}

function resolve(ctx: Context, entry: SourceEntry, corr: Correlation, sink: WarningSink): Resolution | null {
  const id = entry.user.id;
  const address = entry.address as string;
  const linked = linkedTo(ctx, entry);
  if (linked.some((account) => account.classification === null)) {
    const broken = linked.filter((account) => account.classification === null);
    sink.warn('invalid-email', `org account ${examples(broken.map((a) => a.user.id))} linked to directory user ${id} has an invalid email address; nothing is changed for this user`, id);
    return hold(corr, id);
  }
  const claimed = entry.classification === 'claimed';
  const mine = linked.length === 1 ? (isMine(linked[0], claimed, address) ? linked : []) : linked.filter((account) => isMine(account, claimed, address));
  if (mine.length > 1) {
    const which = examples(mine.map((a) => a.user.id));
    return ambiguous(corr, sink, id, claimed ? `directory user ${id} is linked to several managed accounts (${which})` : `directory user ${id} is linked to several accounts at ${address} (${which})`);
  }
  if (mine.length === 0) return resolveUnlinked(corr, sink, entry, othersWith(ctx, entry));
  const account = mine[0];
  if (claimed && account.address !== address) {
    const taken = othersWith(ctx, entry);
    if (taken.length > 0) return ambiguousAddress(corr, sink, id, address, taken);
  }
  if (!claimed && account.user.status === 'deactivated') {
    sink.warn('account-deactivated', `the external account ${account.user.id} (${address}) of directory user ${id} is deactivated; nothing is planned for this user`, id);
    return hold(corr, id);
  }
  return { kind: 'linked', account, only: linked.length === 1 };
}

/** The account of the user's current kind: its managed account (any address) or its external account at this address. */
function isMine(account: OrgEntry, claimed: boolean, address: string): boolean {
  return claimed ? account.classification === 'claimed' : account.classification === 'external' && account.address === address;
}

/** Org accounts with the user's address that are not linked to the user. */
function othersWith(ctx: Context, entry: SourceEntry): OrgEntry[] {
  const id = entry.user.id;
  return accountsAt(ctx, entry.addressNumber).filter((account) => account.user.externalId !== id);
}

/** No linked account of the right kind: adopt the one unlinked account with the address, or start afresh. */
function resolveUnlinked(corr: Correlation, sink: WarningSink, entry: SourceEntry, others: readonly OrgEntry[]): Resolution | null {
  const id = entry.user.id;
  const address = entry.address as string;
  if (others.some((account) => account.user.externalId != null)) return ambiguousAddress(corr, sink, id, address, others);
  if (others.length > 1) return ambiguous(corr, sink, id, `several org accounts (${examples(others.map((a) => a.user.id))}) have the address ${address} of directory user ${id}`);
  if (others.length === 0) return { kind: 'new' };
  const account = others[0];
  if (entry.classification === 'external' && !USABLE_EXTERNAL.has(account.user.status)) {
    sink.warn('suspended-account', `${address} is in the org (account ${account.user.id}, ${account.user.status}) with its access removed by hand; directory user ${id} is not given access`, id);
    return hold(corr, id);
  }
  return { kind: 'adopt', account };
}

/** The address is in use by other accounts: hold this user, those accounts and the users they are linked to. */
function ambiguousAddress(corr: Correlation, sink: WarningSink, id: string, address: string, others: readonly OrgEntry[]): null {
  const owners: string[] = [];
  for (const account of others) {
    corr.heldAccounts.add(account.user.id);
    const owner = account.user.externalId;
    if (owner != null) {
      corr.heldSources.add(owner);
      owners.push(`${account.user.id} (linked to directory user ${owner})`);
    } else {
      owners.push(`${account.user.id} (not linked)`);
    }
  }
  owners.sort(compareText);
  return ambiguous(corr, sink, id, `the address ${address} of directory user ${id} belongs to org account ${owners.join(', ')}`);
}

function ambiguous(corr: Correlation, sink: WarningSink, id: string, message: string): null {
  sink.warn('ambiguous-match', `${message}; nothing is changed for this user`, id);
  return hold(corr, id);
}

function hold(corr: Correlation, id: string): null {
  corr.heldSources.add(id);
  return null;
}
