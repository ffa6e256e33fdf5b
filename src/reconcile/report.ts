/**
 * Warnings about the inputs as a whole: the connector's read issues (their codes kept), an
 * incomplete read (`incomplete-source`, also when a scope group is missing: `scope-group-missing`),
 * users on domains the org has claimed without verifying (`unverified-domain`, one per domain), and
 * `+tag` addresses beside the untagged one (`similar-address`).
 */
import type { Snapshot } from '../model/directory.js';
import { sourceIdsAt, type Context } from './context.js';
import { domainOf } from './email.js';
import { compareText } from './order.js';
import { examples, plural, type WarningSink } from './warnings.js';

export function reportInputs(ctx: Context, snapshot: Snapshot, sink: WarningSink): void {
  for (const issue of snapshot.issues) sink.warn(issue.code, issue.message, issue.subject);
  for (const name of ctx.scope.missing) {
    sink.warn('scope-group-missing', `scope group "${name}" is not in the directory; its members cannot be told from users who left`, name);
  }
  const reasons: string[] = [];
  if (!ctx.complete) reasons.push('the directory read was incomplete');
  if (ctx.scope.missing.length > 0) reasons.push(`scope ${ctx.scope.missing.length === 1 ? 'group' : 'groups'} ${ctx.scope.missing.map((n) => `"${n}"`).join(', ')} could not be found`);
  if (reasons.length > 0) {
    sink.warn('incomplete-source', `${reasons.join(' and ')}: nothing is deactivated, revoked, removed from a group or deleted this run`);
  }
  reportUnverified(ctx, sink);
  reportTaggedAddresses(ctx, sink);
}

/**
 * `similar-address`: an address with a `+tag` beside the same address without it
 * (`alice+ops@acme.com` and `alice@acme.com`). They stay two addresses and two people; the warning
 * makes sure nobody mistakes one for the other.
 */
function reportTaggedAddresses(ctx: Context, sink: WarningSink): void {
  for (const entry of ctx.sourceList) {
    const address = entry.address;
    const plus = address === null ? -1 : address.indexOf('+');
    if (address === null || plus <= 0 || !entry.inScope) continue;
    const base = `${address.slice(0, plus)}@${domainOf(address)}`;
    const others = sourceIdsAt(ctx, base);
    if (others.length === 0) continue;
    sink.warn('similar-address', `${address} (directory user ${entry.user.id}) differs from ${base} (directory user ${others.join(', ')}) only by its +tag; they are handled as two people`, address);
  }
}

function reportUnverified(ctx: Context, sink: WarningSink): void {
  if (ctx.claims.pending.size === 0) return;
  const byDomain = new Map<string, string[]>();
  for (const entry of ctx.sourceList) {
    if (entry.address === null || !entry.inScope) continue;
    const domain = domainOf(entry.address);
    if (!ctx.claims.pending.has(domain)) continue;
    const list = byDomain.get(domain);
    if (list) list.push(entry.user.id);
    else byDomain.set(domain, [entry.user.id]);
  }
  for (const domain of [...byDomain.keys()].sort(compareText)) {
    const ids = byDomain.get(domain) as string[];
    sink.warn('unverified-domain', `${plural(ids.length, 'directory user')} (${examples(ids)}) ${ids.length === 1 ? 'is' : 'are'} on ${domain}, which the org has claimed but not verified (status ${ctx.claims.pending.get(domain)}): they are handled as external users`, domain);
  }
}
