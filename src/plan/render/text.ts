/**
 * The text rendering of a plan, read like a Terraform plan: a header (plan, profile, status,
 * sources), a legend of the symbols in use, the operations grouped by kind with one line per
 * change and its reason (updates add one `before -> after` line per changed field, membership
 * changes one line per member), a summary line, the guards and the warnings.
 *
 * In: the plan and `{ color }`: whether to use ANSI colours (the caller decides, e.g. stdout is a
 * TTY and NO_COLOR is unset). Out: the text, ending in a newline.
 *
 * Every value that comes from the directory or the org (names, addresses, reasons, messages) goes
 * through `printable`, so a control character or a newline in a name can neither drive the
 * terminal nor start a line that looks like a change. Widths are found with loops, never by
 * spreading a list of operations into a call: a plan of any size renders.
 */
import type { GuardResult, Operation, OperationKind, Plan, Warning } from '../../model/plan.js';
import { printable } from '../../util/printable.js';
import { append, byKind, changesOf, guardFigures, legend, longest, sourcesLine, subjectOf, summaryLine, SYMBOLS } from './describe.js';

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
    for (const [kind, ops] of byKind(plan)) append(lines, kindBlock(kind, ops, paint)).push('');
    lines.push(`${paint('bold', 'Summary:')} ${summaryLine(plan)}`, '');
  }
  append(append(lines, guardLines(plan.guards, paint)), warningLines(plan.warnings, paint));
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

function header(plan: Plan, paint: Paint): string[] {
  return [
    `${paint('bold', `orgsync plan ${printable(plan.id)}`)}  profile ${printable(plan.profile)}  status ${paint(STATUS_STYLE[plan.status], plan.status.toUpperCase())}`,
    `  created  ${printable(plan.createdAt)}`,
    `  source   ${printable(sourcesLine(plan))}`,
    `  org      fingerprint ${printable(plan.fingerprints.org.slice(0, 12))}`,
  ];
}

function kindBlock(kind: OperationKind, ops: Operation[], paint: Paint): string[] {
  const symbol = SYMBOLS[kind];
  const style = SYMBOL_STYLE[symbol] ?? 'bold';
  const labels = ops.map(label);
  const width = Math.min(SUBJECT_WIDTH, longest(labels));
  const lines = [paint('bold', `${kind} (${ops.length})`)];
  ops.forEach((op, i) => {
    lines.push(`  ${paint(style, `${symbol} ${labels[i]!.padEnd(width)}`)}  ${printable(op.reason)}`);
    append(lines, detailLines(op, paint));
  });
  return lines;
}

/** The subject, with the member count for membership changes. */
function label(op: Operation): string {
  const subject = printable(subjectOf(op));
  if (op.members) return `${subject} (${op.members.length} member${op.members.length === 1 ? '' : 's'})`;
  return subject;
}

function detailLines(op: Operation, paint: Paint): string[] {
  switch (op.kind) {
    case 'updateAccount':
    case 'updateGroup':
      return changesOf(op).map((c) => `      ${printable(c.field)}: ${paint('red', printable(c.before))} -> ${paint('green', printable(c.after))}`);
    case 'addMembers':
    case 'removeMembers': {
      const symbol = SYMBOLS[op.kind];
      const style = op.kind === 'addMembers' ? 'green' : 'red';
      return (op.members ?? []).map((m) => `      ${paint(style, `${symbol} ${printable(m.email)}`)} ${paint('dim', `(${m.classification})`)}`);
    }
    case 'linkAccount':
      return op.accountId ? [`      adopts account ${printable(op.accountId)}`] : [];
    default:
      return [];
  }
}

function guardLines(guards: GuardResult[], paint: Paint): string[] {
  if (guards.length === 0) return [];
  const names = guards.map((g) => printable(g.name));
  const width = longest(names);
  return [
    paint('bold', 'Guards:'),
    ...guards.map((g, i) => `  ${g.passed ? paint('green', 'passed ') : paint('red', 'BLOCKED')}  ${names[i]!.padEnd(width)}  ${guardFigures(g)}`),
    '',
  ];
}

function warningLines(warnings: Warning[], paint: Paint): string[] {
  if (warnings.length === 0) return [];
  const codes = warnings.map((w) => printable(w.code));
  const width = longest(codes);
  const lines = [paint('bold', `Warnings (${warnings.length}):`)];
  warnings.forEach((w, i) => lines.push(`  ${paint('yellow', codes[i]!.padEnd(width))}  ${printable(w.message)}`));
  lines.push('');
  return lines;
}
