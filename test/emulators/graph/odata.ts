/**
 * The OData query options the Graph emulator understands: `$select` (projection; `id` always
 * kept), `$top` (1-999) and a small `$filter`: clauses `prop eq|ne 'text'|true|false|null`,
 * `startswith(prop,'text')` and `endswith(prop,'text')`, `not`, parentheses, `and` / `or`; text
 * comparisons ignore case, as Graph's do. The parsed filter names the operators that Graph accepts
 * only in advanced queries (see ASSUMPTIONS.md). Anything else is an `ODataError`, which the
 * server answers with 400 like Graph.
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

/** A parsed `$filter`: its predicate and the operators in it that only advanced queries accept. */
export interface Filter {
  predicate: Predicate;
  /** `ne`, `not`, `endsWith`, `eq null` (as `null`), in the order met. */
  advanced: string[];
}

const FUNCTION = /^\s*(startswith|endswith)\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*/i;
const COMPARISON = /^\s*(\w+)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|null)\s*/i;
const NOT = /^\s*not\s*(?=\(|\s)/i;
const CONNECTIVE = /^(and|or)\s+/i;

function literal(token: string): unknown {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  return token === 'null' ? null : token === 'true';
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === b;
}

function unsupported(rest: string): ODataError {
  return new ODataError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified near '${rest.slice(0, 40)}'.`);
}

/** Parses `$filter` text left to right: clauses, `not`, parentheses, `and` binding tighter than `or`. */
class FilterParser {
  readonly advanced: string[] = [];

  constructor(private rest: string) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.rest.trim() !== '') throw unsupported(this.rest);
    return predicate;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.connective('or')) parts.push(this.and());
    return parts.length === 1 ? parts[0]! : (obj) => parts.some((p) => p(obj));
  }

  private and(): Predicate {
    const parts = [this.unary()];
    while (this.connective('and')) parts.push(this.unary());
    return parts.length === 1 ? parts[0]! : (obj) => parts.every((p) => p(obj));
  }

  private connective(word: 'and' | 'or'): boolean {
    const match = CONNECTIVE.exec(this.rest.trimStart());
    if (!match || match[1]!.toLowerCase() !== word) return false;
    this.rest = this.rest.trimStart().slice(match[0].length);
    return true;
  }

  private unary(): Predicate {
    const not = NOT.exec(this.rest);
    if (not) {
      this.advanced.push('not');
      this.rest = this.rest.slice(not[0].length);
      const inner = this.unary();
      return (obj) => !inner(obj);
    }
    const open = /^\s*\(/.exec(this.rest);
    if (open) {
      this.rest = this.rest.slice(open[0].length);
      const inner = this.or();
      const close = /^\s*\)\s*/.exec(this.rest);
      if (!close) throw unsupported(this.rest);
      this.rest = this.rest.slice(close[0].length);
      return inner;
    }
    return this.clause();
  }

  private clause(): Predicate {
    const fn = FUNCTION.exec(this.rest);
    if (fn) {
      this.rest = this.rest.slice(fn[0].length);
      const [name, prop, text] = [fn[1]!.toLowerCase(), fn[2]!, (literal(`'${fn[3]}'`) as string).toLowerCase()];
      if (name === 'endswith') this.advanced.push('endsWith');
      const test = name === 'endswith' ? (v: string) => v.endsWith(text) : (v: string) => v.startsWith(text);
      return (obj) => typeof obj[prop] === 'string' && test((obj[prop] as string).toLowerCase());
    }
    const cmp = COMPARISON.exec(this.rest);
    if (!cmp) throw unsupported(this.rest);
    this.rest = this.rest.slice(cmp[0].length);
    const [prop, op, value] = [cmp[1]!, cmp[2]!.toLowerCase(), literal(cmp[3]!)];
    if (op === 'ne') this.advanced.push('ne');
    else if (value === null) this.advanced.push('null');
    return op === 'eq' ? (obj) => same(obj[prop], value) : (obj) => !same(obj[prop], value);
  }
}

export function parseFilter(value: string | null): Filter | undefined {
  if (value === null || value.trim() === '') return undefined;
  const parser = new FilterParser(value);
  const predicate = parser.parse();
  return { predicate, advanced: parser.advanced };
}

/** Whether a request carries Graph's advanced query parameters: `ConsistencyLevel: eventual` and `$count=true`. */
export function isAdvancedQuery(url: URL, consistencyLevel: string | undefined): boolean {
  return consistencyLevel?.toLowerCase() === 'eventual' && url.searchParams.get('$count')?.toLowerCase() === 'true';
}

/**
 * The refusal Graph sends for an operator that needs advanced query parameters when they are
 * missing (message as in "Advanced query capabilities on Microsoft Entra ID objects").
 */
export function advancedQueryRequired(operator: string): ODataError {
  const name = operator === 'null' ? 'eq null' : operator;
  return new ODataError(
    'Request_UnsupportedQuery',
    `Operator '${name}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}
