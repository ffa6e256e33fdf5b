/**
 * Plan order (DESIGN §3 "Order"): operations by kind in `OPERATION_KINDS` order, inside a kind by
 * subject key (the email for user operations, the group name for group operations), then by id.
 * Warnings by code, subject, message. Comparison is by UTF-16 code unit, never by locale, so the
 * order is the same on every machine and never depends on the order of the input.
 */
import { OPERATION_KINDS, type Operation, type OperationKind, type Warning } from '../model/plan.js';

const RANK = new Map<OperationKind, number>(OPERATION_KINDS.map((kind, index) => [kind, index]));

/** Code-unit order: the same everywhere, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The key an operation sorts by inside its kind. */
export function subjectKey(op: Operation): string {
  return op.group ? op.group.name : (op.email ?? '');
}

export function compareOperations(a: Operation, b: Operation): number {
  return (RANK.get(a.kind) as number) - (RANK.get(b.kind) as number) || compareText(subjectKey(a), subjectKey(b)) || compareText(a.id, b.id);
}

export function sortOperations(operations: Operation[]): Operation[] {
  return operations.sort(compareOperations);
}

export function sortWarnings(warnings: Warning[]): Warning[] {
  return warnings.sort((a, b) => compareText(a.code, b.code) || compareText(a.subject ?? '', b.subject ?? '') || compareText(a.message, b.message));
}
