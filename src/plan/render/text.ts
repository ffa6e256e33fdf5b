/**
 * The text rendering of a plan, read like a Terraform plan: a header (plan, profile, status,
 * sources), a legend of the symbols in use, the operations grouped by kind with one line per
 * change and its reason (updates add one `before -> after` line per changed field, membership
 * changes one line per member), a summary line, the guards and the warnings.
 *
 * In: the plan and `{ color }`: whether to use ANSI colours (the caller decides, e.g. stdout is a
 * TTY and NO_COLOR is unset). Out: the text, ending in a newline.
 */
import type { GuardResult, Operation, OperationKind, Plan, Warning } from '../../model/plan.js';
import { byKind, changesOf, guardFigures, legend, sourcesLine, subjectOf, summaryLine, SYMBOLS } from './describe.js';

export interface TextOptions {
  color: boolean;
}

type Paint = (style: Style, text: string) => string;
type Style = 'green' | 'yellow' | 'red' | 'cyan' | 'blue' | 'magenta' | 'bold' | 'dim';

const CODES: Record<Style, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  blue: [34, 39],
  magenta: [35, 39],
  bold: [1, 22],
  dim: [2, 22],
};

const SYMBOL_STYLE: Record<string, Style> = { '+': 'green', '~': 'yellow', '-': 'red', '>': 'cyan', '=': 'blue', '^': 'green', x: 'magenta' };

const STATUS_STYLE: Record<Plan['status'], Style> = { ready: 'green', blocked: 'red', empty: 'dim' };

const SUBJECT_WIDTH = 40;

export function renderText(plan: Plan, options: TextOptions): string {
  const paint: Paint = options.color ? (style, text) => `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : (_style, text) => text;
  const lines = [...header(plan, paint), ''];
  if (plan.operations.length === 0) {
    lines.push('No changes: the org already matches the directory.', '');
  } else {
    lines.push(`Symbols: ${legend(plan)}`, '');
    for (const [kind, ops] of byKind(plan)) lines.push(...kindBlock(kind, ops, paint), '');
    lines.push(`${paint('bold', 'Summary:')} ${summaryLine(plan)}`, '');
  }
  lines.push(...guardLines(plan.guards, paint), ...warningLines(plan.warnings, paint));
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

function header(plan: Plan, paint: Paint): string[] {
  return [
    `${paint('bold', `orgsync plan ${plan.id}`)}  profile ${plan.profile}  status ${paint(STATUS_STYLE[plan.status], plan.status.toUpperCase())}`,
    `  created  ${plan.createdAt}`,
    `  source   ${sourcesLine(plan)}`,
    `  org      fingerprint ${plan.fingerprints.org.slice(0, 12)}`,
  ];
}

function kindBlock(kind: OperationKind, ops: Operation[], paint: Paint): string[] {
  const symbol = SYMBOLS[kind];
  const style = SYMBOL_STYLE[symbol] ?? 'bold';
  const width = Math.min(SUBJECT_WIDTH, Math.max(...ops.map((op) => label(op).length)));
  const lines = [paint('bold', `${kind} (${ops.length})`)];
  for (const op of ops) {
    lines.push(`  ${paint(style, `${symbol} ${label(op).padEnd(width)}`)}  ${op.reason}`);
    lines.push(...detailLines(op, paint));
  }
  return lines;
}

/** The subject, with the member count for membership changes. */
function label(op: Operation): string {
  const subject = subjectOf(op);
  if (op.members) return `${subject} (${op.members.length} member${op.members.length === 1 ? '' : 's'})`;
  return subject;
}

function detailLines(op: Operation, paint: Paint): string[] {
  switch (op.kind) {
    case 'updateAccount':
    case 'updateGroup':
      return changesOf(op).map((c) => `      ${c.field}: ${paint('red', c.before)} -> ${paint('green', c.after)}`);
    case 'addMembers':
    case 'removeMembers': {
      const symbol = SYMBOLS[op.kind];
      const style = op.kind === 'addMembers' ? 'green' : 'red';
      return (op.members ?? []).map((m) => `      ${paint(style, `${symbol} ${m.email}`)} ${paint('dim', `(${m.classification})`)}`);
    }
    case 'linkAccount':
      return op.accountId ? [`      adopts account ${op.accountId}`] : [];
    default:
      return [];
  }
}

function guardLines(guards: GuardResult[], paint: Paint): string[] {
  if (guards.length === 0) return [];
  const width = Math.max(...guards.map((g) => g.name.length));
  return [
    paint('bold', 'Guards:'),
    ...guards.map((g) => `  ${g.passed ? paint('green', 'passed ') : paint('red', 'BLOCKED')}  ${g.name.padEnd(width)}  ${guardFigures(g)}`),
    '',
  ];
}

function warningLines(warnings: Warning[], paint: Paint): string[] {
  if (warnings.length === 0) return [];
  const width = Math.max(...warnings.map((w) => w.code.length));
  return [paint('bold', `Warnings (${warnings.length}):`), ...warnings.map((w) => `  ${paint('yellow', w.code.padEnd(width))}  ${w.message}`), ''];
}
