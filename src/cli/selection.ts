/**
 * `apply --only <list>` / `--exclude <list>`: the operations of a verified plan an operator wants
 * applied, instead of editing the plan file (which `apply` refuses).
 *
 * In: the plan and the two option values, each a comma-separated list of operation ids or kinds.
 * Out: the selected operations in plan order, and a description for the report. A name that is
 * neither a kind nor an id in the plan is a usage error naming it (exit 2): a typo must not
 * quietly select nothing, or everything.
 */
import { usageError } from '../errors.js';
import { OPERATION_KINDS, type Operation, type Plan } from '../model/plan.js';
import { printable } from '../util/printable.js';

export interface Selection {
  operations: Operation[];
  /** Whether --only or --exclude was given. */
  filtered: boolean;
  only: string[];
  exclude: string[];
  total: number;
}

const KINDS: ReadonlySet<string> = new Set(OPERATION_KINDS);

export function selectOperations(plan: Plan, options: { only?: string; exclude?: string }): Selection {
  const ids = new Set(plan.operations.map((op) => op.id));
  const only = names(options.only, '--only', ids);
  const exclude = names(options.exclude, '--exclude', ids);
  const total = plan.operations.length;
  if (only === undefined && exclude === undefined) return { operations: plan.operations, filtered: false, only: [], exclude: [], total };
  const included = only && new Set(only);
  const excluded = new Set(exclude ?? []);
  const operations = plan.operations.filter((op) => (!included || included.has(op.id) || included.has(op.kind)) && !excluded.has(op.id) && !excluded.has(op.kind));
  return { operations, filtered: true, only: only ?? [], exclude: exclude ?? [], total };
}

/** E.g. `--only createAccount,inviteUser (5 of 29 operations)`. */
export function describeSelection(selection: Selection): string {
  const parts: string[] = [];
  if (selection.only.length > 0) parts.push(`--only ${selection.only.join(',')}`);
  if (selection.exclude.length > 0) parts.push(`--exclude ${selection.exclude.join(',')}`);
  return `${parts.join(' ')} (${selection.operations.length} of ${selection.total} operations)`;
}

function names(value: string | undefined, option: string, ids: ReadonlySet<string>): string[] | undefined {
  if (value === undefined) return undefined;
  const list = [...new Set(value.split(',').map((name) => name.trim()).filter(Boolean))];
  if (list.length === 0) throw usageError(`apply: ${option} needs operation ids or kinds, comma-separated`);
  for (const name of list) {
    if (!KINDS.has(name) && !ids.has(name)) throw usageError(`apply: ${option}: "${printable(name)}" is neither an operation kind (${OPERATION_KINDS.join(', ')}) nor the id of an operation in the plan`);
  }
  return list;
}
