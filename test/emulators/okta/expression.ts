/**
 * Okta filter / search expressions, as far as the emulator needs them: comparisons
 * `attr op "value"` (op: eq, ne, gt, ge, lt, le, sw, co; `attr pr`), joined with `and` / `or`
 * (and binds tighter), `not`, and parentheses. Values are strings, numbers, true/false/null.
 * Attributes are dotted paths (`status`, `profile.department`). Dates compare as instants.
 */
export type Expr =
  | { kind: 'cmp'; attr: string; op: string; value: string | number | boolean | null }
  | { kind: 'pr'; attr: string }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr };

export class ExpressionError extends Error {}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co']);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = re.exec(text)) !== null) {
    tokens.push(match[1]!);
    end = re.lastIndex;
  }
  if (text.slice(end).trim() !== '') throw new ExpressionError(`cannot parse near "${text.slice(end)}"`);
  return tokens;
}

export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const take = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError('unexpected end of expression');
    return t;
  };
  function orExpr(): Expr {
    let left = andExpr();
    while (peek() === 'or') {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): Expr {
    let left = unary();
    while (peek() === 'and') {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }
  function unary(): Expr {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', inner: unary() };
    }
    if (peek() === '(') {
      pos++;
      const inner = orExpr();
      if (take() !== ')') throw new ExpressionError('missing )');
      return inner;
    }
    const attr = take();
    const op = take().toLowerCase();
    if (op === 'pr') return { kind: 'pr', attr };
    if (!OPS.has(op)) throw new ExpressionError(`unknown operator "${op}"`);
    return { kind: 'cmp', attr, op, value: literal(take()) };
  }
  const expr = orExpr();
  if (pos !== tokens.length) throw new ExpressionError(`unexpected "${tokens[pos]}"`);
  return expr;
}

function literal(token: string): string | number | boolean | null {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  const n = Number(token);
  if (Number.isFinite(n)) return n;
  throw new ExpressionError(`bad value ${token}`);
}

/** Every attribute an expression names. */
export function attributesOf(expr: Expr): string[] {
  switch (expr.kind) {
    case 'cmp':
    case 'pr':
      return [expr.attr];
    case 'not':
      return attributesOf(expr.inner);
    default:
      return [...attributesOf(expr.left), ...attributesOf(expr.right)];
  }
}

/** Every operator an expression uses. */
export function operatorsOf(expr: Expr): string[] {
  switch (expr.kind) {
    case 'cmp':
      return [expr.op];
    case 'pr':
      return ['pr'];
    case 'not':
      return ['not', ...operatorsOf(expr.inner)];
    default:
      return [expr.kind, ...operatorsOf(expr.left), ...operatorsOf(expr.right)];
  }
}

function lookup(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const ISO = /^\d{4}-\d{2}-\d{2}T/;

function compare(actual: unknown, op: string, expected: string | number | boolean | null): boolean {
  if (op === 'eq') return actual === expected || (actual === undefined && expected === null);
  if (op === 'ne') return !compare(actual, 'eq', expected);
  if (actual === undefined || actual === null || expected === null) return false;
  if (op === 'sw') return String(actual).toLowerCase().startsWith(String(expected).toLowerCase());
  if (op === 'co') return String(actual).toLowerCase().includes(String(expected).toLowerCase());
  let a: string | number = actual as string | number;
  let b: string | number = expected as string | number;
  if (typeof a === 'string' && typeof b === 'string' && ISO.test(a) && ISO.test(b)) {
    a = Date.parse(a);
    b = Date.parse(b);
  }
  if (op === 'gt') return a > b;
  if (op === 'ge') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

export function evaluate(expr: Expr, record: unknown): boolean {
  switch (expr.kind) {
    case 'cmp':
      return compare(lookup(record, expr.attr), expr.op, expr.value);
    case 'pr': {
      const v = lookup(record, expr.attr);
      return v !== undefined && v !== null && v !== '';
    }
    case 'not':
      return !evaluate(expr.inner, record);
    case 'and':
      return evaluate(expr.left, record) && evaluate(expr.right, record);
    case 'or':
      return evaluate(expr.left, record) || evaluate(expr.right, record);
  }
}
