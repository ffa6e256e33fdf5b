/**
 * Target capabilities: operations of a kind the org cannot perform are left out of the plan, with
 * one `unsupported-operation` warning per kind giving the count and a few example subjects.
 */
import type { Operation, OperationKind } from '../model/plan.js';
import { subjectKey } from './order.js';
import { examples, plural, type WarningSink } from './warnings.js';

export function dropUnsupported(operations: Operation[], capable: (kind: OperationKind) => boolean, sink: WarningSink): Operation[] {
  const dropped = new Map<OperationKind, string[]>();
  const kept: Operation[] = [];
  for (const op of operations) {
    if (capable(op.kind)) {
      kept.push(op);
      continue;
    }
    const subjects = dropped.get(op.kind);
    if (subjects) subjects.push(subjectKey(op));
    else dropped.set(op.kind, [subjectKey(op)]);
  }
  for (const [kind, subjects] of dropped) {
    sink.warn('unsupported-operation', `the org cannot perform ${kind}: ${plural(subjects.length, 'operation')} left out (${examples(subjects)})`, kind);
  }
  return kept;
}
