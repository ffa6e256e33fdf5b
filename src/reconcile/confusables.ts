/**
 * Look-alike addresses on claimed domains (`confusable-address`): a source user about to be
 * provisioned at an address that a reader cannot tell from another address on the same claimed
 * domain (same TR39 skeleton of the local part: a Cyrillic `а` for `a`, `rn` for `m`), or whose
 * local part hides invisible characters (zero-width space, bidi controls, ...).
 *
 * In: the context and the correlation. Out: a warning per such user naming its address and the
 * address(es) it looks like; unless the policy says `addresses.allowConfusable: true`, the user
 * is held like any uncertain match (no operation, memberships left alone).
 *
 * Who is held: present users (active, in scope) on a claimed domain whose local part has an
 * invisible character; and those whose address looks like another source user's or org account's
 * address and who have no account at exactly their own address yet (so an existing person is never
 * held because someone new looks like them; two new look-alikes are both held).
 *
 * Cost: one skeleton per address on a claimed domain, and a second pass only over the addresses
 * whose skeleton collides.
 */
import { invisibleCharacters, revealed, skeleton } from '../util/confusables.js';
import { isPresent, type Context, type SourceEntry } from './context.js';
import type { Correlation } from './correlate.js';
import { domainOf } from './email.js';
import { examples, type WarningSink } from './warnings.js';

export function holdConfusables(ctx: Context, corr: Correlation, sink: WarningSink): void {
  const lookalikes = collidingAddresses(ctx);
  const allowed = ctx.policy.addresses.allowConfusable;
  const consequence = allowed ? 'it is provisioned anyway (policy addresses.allowConfusable is true)' : `nothing is planned for this user (policy addresses.allowConfusable is false)`;
  for (const entry of ctx.sourceList) {
    if (!isPresent(entry) || entry.classification !== 'claimed' || corr.heldSources.has(entry.user.id)) continue;
    const address = entry.address as string;
    const hidden = invisibleCharacters(address.slice(0, address.lastIndexOf('@')));
    const others = hasAccountAt(ctx, entry) ? [] : (lookalikes.get(address) ?? []);
    if (hidden.length === 0 && others.length === 0) continue;
    sink.warn('confusable-address', `${describe(entry, hidden, others)}: ${consequence}`, entry.user.id);
    if (!allowed) hold(corr, entry);
  }
}

function describe(entry: SourceEntry, hidden: string[], others: string[]): string {
  const address = entry.address as string;
  const who = `${address} (${revealed(address)}) of directory user ${entry.user.id}`;
  const parts: string[] = [];
  if (hidden.length > 0) parts.push(`hides invisible character ${[...new Set(hidden)].join(', ')} in its local part`);
  if (others.length > 0) parts.push(`looks like ${examples(others.map((other) => `${other} (${revealed(other)})`))}`);
  return `${who} ${parts.join(' and ')}`;
}

/** An org account has exactly this user's address. */
function hasAccountAt(ctx: Context, entry: SourceEntry): boolean {
  return entry.addressNumber >= 0 && ctx.orgByAddress.has(entry.addressNumber);
}

function hold(corr: Correlation, entry: SourceEntry): void {
  corr.heldSources.add(entry.user.id);
  corr.heldSource[entry.index] = 1;
  corr.resolutions[entry.index] = undefined;
}

/**
 * For every address on a claimed domain (source users and org accounts) that shares its skeleton
 * with a different address on the same domain: those other addresses.
 */
function collidingAddresses(ctx: Context): Map<string, string[]> {
  const addresses: string[] = [];
  for (const entry of ctx.sourceList) if (entry.classification === 'claimed') addresses.push(entry.address as string);
  for (const entry of ctx.orgList) if (entry.classification === 'claimed') addresses.push(entry.address as string);
  const keys = addresses.map(keyOf);
  const first = new Map<string, string>();
  const colliding = new Set<string>();
  keys.forEach((key, i) => {
    const seen = first.get(key);
    if (seen === undefined) first.set(key, addresses[i]!);
    else if (seen !== addresses[i]) colliding.add(key);
  });
  const groups = new Map<string, Set<string>>();
  keys.forEach((key, i) => {
    if (!colliding.has(key)) return;
    const group = groups.get(key) ?? new Set<string>();
    group.add(addresses[i]!);
    groups.set(key, group);
  });
  const out = new Map<string, string[]>();
  for (const group of groups.values()) {
    for (const address of group) out.set(address, [...group].filter((other) => other !== address));
  }
  return out;
}

function keyOf(address: string): string {
  const at = address.lastIndexOf('@');
  return `${skeleton(address.slice(0, at))}@${domainOf(address)}`;
}
