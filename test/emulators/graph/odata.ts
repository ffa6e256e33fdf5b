/**
 * The OData query options the Graph emulator understands: `$select` (projection; `id` always
 * kept), `$top` (1-999) and a small `$filter`: clauses `prop eq|ne 'text'|true|false|null` and
 * `startswith(prop,'text')` joined by `and`; text comparisons ignore case, as Graph's do.
 * Anything else is an `ODataError`, which the server answers with 400 like Graph.
 */

export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseSelect(value: string | null): string[] | undefined {
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** `obj` with only the selected keys (or `defaults` when nothing is selected); `id` always. */
export function project(obj: object, select: readonly string[] | undefined, defaults: readonly string[]): Record<string, unknown> {
  const source = obj as Record<string, unknown>;
  const out: Record<string, unknown> = { id: source.id };
  for (const key of select ?? defaults) if (key in source && key !== 'members') out[key] = source[key];
  return out;
}

export function parseTop(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new ODataError('Request_UnsupportedQuery', `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`);
  return n;
}

type Predicate = (obj: Record<string, unknown>) => boolean;

const CLAUSE = /^\s*(?:startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)|(\w+)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|null))\s*/i;

function literal(token: string): unknown {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  return token === 'null' ? null : token === 'true';
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === b;
}

function clause(match: RegExpExecArray): Predicate {
  if (match[1] !== undefined) {
    const [prop, prefix] = [match[1], literal(`'${match[2]}'`) as string];
    return (obj) => typeof obj[prop] === 'string' && (obj[prop] as string).toLowerCase().startsWith(prefix.toLowerCase());
  }
  const [prop, op, value] = [match[3]!, match[4]!.toLowerCase(), literal(match[5]!)];
  return op === 'eq' ? (obj) => same(obj[prop], value) : (obj) => !same(obj[prop], value);
}

export function parseFilter(value: string | null): Predicate | undefined {
  if (value === null || value.trim() === '') return undefined;
  const predicates: Predicate[] = [];
  let rest = value;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) throw new ODataError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified near '${rest.slice(0, 40)}'.`);
    predicates.push(clause(match));
    rest = rest.slice(match[0].length);
    if (rest === '') break;
    const and = /^and\s+/i.exec(rest);
    if (!and) throw new ODataError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified near '${rest.slice(0, 40)}'.`);
    rest = rest.slice(and[0].length);
  }
  return (obj) => predicates.every((p) => p(obj));
}
