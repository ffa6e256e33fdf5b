/**
 * What the text and markdown renderings share: the symbol of each operation kind, the subject an
 * operation names, the field changes of an update, and plan-level phrases. Pure.
 */
import type { GuardResult, Operation, OperationKind, Plan } from '../../model/plan.js';
import { OPERATION_KINDS } from '../../model/plan.js';

/** One symbol per kind, Terraform style. */
export const SYMBOLS: Record<OperationKind, string> = {
  createGroup: '+',
  updateGroup: '~',
  linkAccount: '=',
  createAccount: '+',
  reactivateAccount: '^',
  updateAccount: '~',
  inviteUser: '>',
  addMembers: '+',
  removeMembers: '-',
  revokeAccess: 'x',
  deactivateAccount: '-',
  deleteGroup: '-',
};

const MEANINGS: [symbol: string, meaning: string][] = [
  ['+', 'create/add'],
  ['~', 'update'],
  ['=', 'link existing account'],
  ['^', 'reactivate'],
  ['>', 'invite'],
  ['x', 'revoke access'],
  ['-', 'deactivate/remove/delete'],
];

/** The legend for the symbols a plan uses, e.g. `+ create/add  ~ update`. */
export function legend(plan: Plan): string {
  const used = new Set(plan.operations.map((op) => SYMBOLS[op.kind]));
  return MEANINGS.filter(([symbol]) => used.has(symbol))
    .map(([symbol, meaning]) => `${symbol} ${meaning}`)
    .join('  ');
}

/** Operations grouped by kind, in plan order; kinds without operations are left out. */
export function byKind(plan: Plan): [OperationKind, Operation[]][] {
  const groups = new Map<OperationKind, Operation[]>(OPERATION_KINDS.map((kind) => [kind, []]));
  for (const op of plan.operations) groups.get(op.kind)?.push(op);
  return [...groups].filter(([, ops]) => ops.length > 0);
}

/** What an operation acts on: the group name, or the account's address. */
export function subjectOf(op: Operation): string {
  if (op.group) return op.group.name;
  return op.email ?? op.accountId ?? op.sourceId ?? op.id;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** Fields whose value differs between `before` and `after` (nested objects flattened: `attributes.title`). */
export function changesOf(op: Operation): FieldChange[] {
  const before = flatten(op.before ?? {});
  const after = flatten(op.after ?? {});
  const fields = new Set(Object.keys(before));
  for (const field of Object.keys(after)) fields.add(field);
  return [...fields]
    .filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
    .map((field) => ({ field, before: show(before[field]), after: show(after[field]) }));
}

/** Push every item of `items` onto `into` (one at a time: a spread into `push` fails on a long list); returns `into`. */
export function append<T>(into: T[], items: readonly T[]): T[] {
  for (const item of items) into.push(item);
  return into;
}

/** The length of the longest string (0 for none), by a loop: a list of any length. */
export function longest(texts: readonly string[]): number {
  let width = 0;
  for (const text of texts) if (text.length > width) width = text.length;
  return width;
}

/** Counts per kind in plan order, e.g. `2 createAccount, 1 inviteUser`. */
export function summaryLine(plan: Plan): string {
  const parts = byKind(plan).map(([kind, ops]) => `${ops.length} ${kind}`);
  const total = plan.operations.length;
  return `${total} operation${total === 1 ? '' : 's'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export function sourcesLine(plan: Plan): string {
  return plan.sources
    .map((s) => `${s.name} (${s.kind}): ${s.complete ? 'complete' : 'INCOMPLETE'}, ${s.users} users, ${s.groups} groups`)
    .join('; ');
}

export function guardFigures(guard: GuardResult): string {
  return `${formatNumber(guard.actual)} of ${formatNumber(guard.limit)}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Nested objects as dotted keys, in key order, walked with a stack (a hand-made plan may nest deeply). */
function flatten(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const stack = [{ entries: Object.entries(value), at: 0, prefix: '' }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.at === top.entries.length) {
      stack.pop();
      continue;
    }
    const [key, v] = top.entries[top.at++]!;
    if (v && typeof v === 'object' && !Array.isArray(v)) stack.push({ entries: Object.entries(v), at: 0, prefix: `${top.prefix}${key}.` });
    else out[`${top.prefix}${key}`] = v;
  }
  return out;
}

function show(value: unknown): string {
  return value === undefined || value === null ? '(none)' : JSON.stringify(value);
}
