/**
 * Filtering a plan's operations for the plan page: by kind, by classification (an operation
 * matches `external` when it acts on an external person, or changes a group membership of one)
 * and by text (subject, email, domain, group, reason, member emails; case-insensitive), one page
 * at a time. Pure. Query values that are not a known kind or classification are a 400.
 */
import { OPERATION_KINDS, type Classification, type Operation, type OperationKind } from '../model/plan.js';
import { httpError } from './errors.js';

export const PAGE_SIZE = 200;

export interface OperationFilter {
  kind: OperationKind | null;
  classification: Classification | null;
  text: string;
  page: number;
}

export interface FilteredOperations {
  items: Operation[];
  matched: number;
  page: number;
  pages: number;
}

export function parseOperationFilter(query: Record<string, unknown>): OperationFilter {
  const kind = pick(query.kind);
  const classification = pick(query.classification);
  if (kind !== null && !(OPERATION_KINDS as readonly string[]).includes(kind)) throw httpError('bad-request', `kind: unknown operation kind "${kind}"`);
  if (classification !== null && classification !== 'claimed' && classification !== 'external') {
    throw httpError('bad-request', `classification: expected claimed or external, not "${classification}"`);
  }
  const page = Number(pick(query.page) ?? '1');
  if (!Number.isInteger(page) || page < 1) throw httpError('bad-request', 'page: expected a positive whole number');
  return { kind: kind as OperationKind | null, classification: classification as Classification | null, text: (pick(query.q) ?? '').trim().slice(0, 200), page };
}

export function filterOperations(operations: readonly Operation[], filter: OperationFilter): FilteredOperations {
  const needle = filter.text.toLowerCase();
  const matched = operations.filter((op) => (!filter.kind || op.kind === filter.kind) && classMatches(op, filter.classification) && (!needle || haystack(op).includes(needle)));
  const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  return { items: matched.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), matched: matched.length, page, pages };
}

function classMatches(op: Operation, wanted: Classification | null): boolean {
  if (!wanted) return true;
  return op.classification === wanted || (op.members?.some((m) => m.classification === wanted) ?? false);
}

function haystack(op: Operation): string {
  const parts = [op.email, op.domain, op.sourceId, op.accountId, op.group?.name, op.reason, ...(op.members?.map((m) => m.email) ?? [])];
  return parts.filter((p): p is string => typeof p === 'string').join('\n').toLowerCase();
}

function pick(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : null;
}
