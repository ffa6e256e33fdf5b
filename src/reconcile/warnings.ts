/**
 * Warning codes the core emits (kebab-case, stable) and the collector planners write to.
 *
 * Codes from DESIGN §3: `missing-email`, `invalid-email`, `duplicate-email`, `unverified-domain`,
 * `reclassified`, `ambiguous-match`, `incomplete-source`, `unmatched-managed`. Added here:
 * - `duplicate-source-id`, `duplicate-group-id`: an id occurs twice in the snapshot; nothing linked
 *   to it is touched. A source that reported the id itself (naming the records) is not repeated.
 * - `scope-group-missing`, `sync-group-missing`: a group named in the policy is not in the snapshot.
 * - `group-name-conflict`: an org group the sync does not mirror already has the name a mirrored
 *   group needs; it is neither created nor renamed.
 * - `ambiguous-group`: several org groups are linked to one IdP group; none of them is touched.
 * - `group-link-stale`: an org group created by hand is linked to an IdP group that is gone or not
 *   mirrored; it is left as it is.
 * - `suspended-account`: an external user is in the org, unlinked, with access suspended by hand;
 *   it is not restored.
 * - `account-deactivated`: the external account of an in-scope user is deactivated; nothing is planned.
 * - `deprovision-disabled`: deprovisioning was needed but the policy says `none`; one per kind with a count.
 * - `unsupported-operation`: the org cannot perform a kind; one per kind with a count and examples.
 * - `similar-address`: `alice+tag@…` beside `alice@…`; both are handled, as two people.
 * Snapshot read issues keep the connector's code.
 */
import type { OperationKind, Warning } from '../model/plan.js';
import { compareText } from './order.js';

export const EXAMPLES = 3;

/** A short, stable list: the first few of the sorted subjects, and how many more there are. */
export function examples(subjects: Iterable<string>): string {
  const sorted = [...subjects].sort(compareText);
  const shown = sorted.slice(0, EXAMPLES).join(', ');
  return sorted.length > EXAMPLES ? `${shown} and ${sorted.length - EXAMPLES} more` : shown;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Collects warnings and the deprovisions the policy held back. */
export class WarningSink {
  readonly warnings: Warning[] = [];
  /** Subjects of deprovisions left out because the policy says `none`, by kind. */
  private readonly withheld = new Map<OperationKind, string[]>();

  warn(code: string, message: string, subject?: string): void {
    this.warnings.push(subject === undefined ? { code, message } : { code, message, subject });
  }

  /** Subjects warned about with `code` so far (e.g. by the source's own read issues, which come first). */
  subjectsOf(code: string): Set<string> {
    const subjects = new Set<string>();
    for (const w of this.warnings) if (w.code === code && w.subject !== undefined) subjects.add(w.subject);
    return subjects;
  }

  withhold(kind: OperationKind, subject: string): void {
    const list = this.withheld.get(kind);
    if (list) list.push(subject);
    else this.withheld.set(kind, [subject]);
  }

  /** Turn the withheld deprovisions into one `deprovision-disabled` warning per kind. */
  flushWithheld(): void {
    const deactivations = this.withheld.get('deactivateAccount');
    if (deactivations) {
      this.warn('deprovision-disabled', `policy deprovision.managed is none: ${plural(deactivations.length, 'managed account')} left active that would be deactivated (${examples(deactivations)})`, 'deactivateAccount');
    }
    const revocations = this.withheld.get('revokeAccess');
    if (revocations) {
      this.warn('deprovision-disabled', `policy deprovision.external is none: ${plural(revocations.length, 'external user')} keep access that would be revoked (${examples(revocations)})`, 'revokeAccess');
    }
    this.withheld.clear();
  }
}
