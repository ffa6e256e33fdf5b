/**
 * Managed org accounts no source user matches: claimed-domain accounts that are not linked, not
 * adopted in this plan, not deactivated, and whose address no source user has (in scope or not).
 *
 * They are reported with one `unmatched-managed` warning (count and examples). Only when the policy
 * says `deprovision.unmatchedManaged: deactivate` are they deactivated, and then only when removals
 * are allowed and `deprovision.managed` is not `none` (`none` means no deactivation at all).
 */
import type { Operation } from '../model/plan.js';
import type { Context, OrgEntry } from './context.js';
import type { Correlation } from './correlate.js';
import { domainOf } from './email.js';
import { operation } from './ids.js';
import { examples, plural, type WarningSink } from './warnings.js';

export function planUnmatched(ctx: Context, corr: Correlation, adopted: ReadonlyMap<string, string>, sink: WarningSink): Operation[] {
  const unmatched: OrgEntry[] = [];
  for (const entry of ctx.orgList) {
    const user = entry.user;
    if (entry.classification !== 'claimed' || user.externalId != null || user.status === 'deactivated') continue;
    if (adopted.has(user.id) || corr.heldAccount[entry.index] === 1 || ctx.sourcesByAddress.has(entry.addressNumber) || ctx.duplicateIdAddresses.has(entry.address as string)) continue;
    unmatched.push(entry);
  }
  if (unmatched.length === 0) return [];
  const deactivate = ctx.policy.deprovision.unmatchedManaged === 'deactivate';
  const action = !deactivate
    ? 'they are left as they are (policy deprovision.unmatchedManaged is ignore)'
    : !ctx.removals
      ? 'they are not deactivated while the source read is incomplete'
      : ctx.policy.deprovision.managed === 'none'
        ? 'they are not deactivated while policy deprovision.managed is none'
        : 'they are deactivated (policy deprovision.unmatchedManaged is deactivate)';
  sink.warn('unmatched-managed', `${plural(unmatched.length, 'managed account')} on claimed domains no directory user has (${examples(unmatched.map((e) => e.user.email))}): ${action}`);
  if (!deactivate || !ctx.removals || ctx.policy.deprovision.managed === 'none') return [];
  return unmatched.map((entry) =>
    operation({
      kind: 'deactivateAccount',
      email: entry.user.email,
      accountId: entry.user.id,
      classification: 'claimed',
      domain: domainOf(entry.address as string),
      reason: `no directory user has the address ${entry.address} and policy deprovision.unmatchedManaged is deactivate`,
      before: { status: entry.user.status },
      after: { status: 'deactivated' },
    }),
  );
}
