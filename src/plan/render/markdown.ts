/**
 * The markdown rendering of a plan, for a ticket or a chat message: a heading with the status, a
 * summary table, the guards (failed ones marked), the warnings, and the operations as lists per
 * kind. Long lists are cut at `limit` items (and members at `memberLimit`) with "and N more", so a
 * huge plan still fits in a message; the JSON plan has everything.
 *
 * In: the plan and optional limits. Out: markdown text ending in a newline. Names and addresses
 * are escaped so they cannot inject markup, and control characters (escape sequences, newlines,
 * bidi overrides) are written as visible escapes (`printable`), so a name can neither carry raw
 * escape bytes into a chat nor start a line or a table row of its own.
 */
import type { GuardResult, Operation, OperationKind, Plan, Warning } from '../../model/plan.js';
import { printable } from '../../util/printable.js';
import { append, byKind, changesOf, guardFigures, sourcesLine, subjectOf, SYMBOLS } from './describe.js';

export interface MarkdownOptions {
  /** Operations shown per kind (default 25). */
  limit?: number;
  /** Members shown per membership change (default 10). */
  memberLimit?: number;
}

export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? 25;
  const memberLimit = options.memberLimit ?? 10;
  const lines = [
    `### orgsync plan \`${escape(plan.id)}\`: ${plan.status.toUpperCase()}`,
    '',
    `Profile **${escape(plan.profile)}**, created ${escape(plan.createdAt)}. Source: ${escape(sourcesLine(plan))}.`,
    '',
    ...summaryTable(plan),
    ...guardTable(plan.guards),
    ...warningList(plan.warnings, limit),
  ];
  for (const [kind, ops] of byKind(plan)) append(lines, kindList(kind, ops, limit, memberLimit));
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

function summaryTable(plan: Plan): string[] {
  const rows = byKind(plan);
  if (rows.length === 0) return ['No changes: the org already matches the directory.', ''];
  return [
    '| Operation | Count |',
    '| --- | ---: |',
    ...rows.map(([kind, ops]) => `| \`${SYMBOLS[kind]}\` ${kind} | ${ops.length} |`),
    `| **total** | **${plan.operations.length}** |`,
    '',
  ];
}

function guardTable(guards: GuardResult[]): string[] {
  if (guards.length === 0) return [];
  return [
    '**Guards**',
    '',
    '| Guard | Actual of limit | Result |',
    '| --- | --- | --- |',
    ...guards.map((g) => `| ${escape(g.name)} | ${guardFigures(g)} | ${g.passed ? 'passed' : '**BLOCKED**'} |`),
    '',
  ];
}

function warningList(warnings: Warning[], limit: number): string[] {
  if (warnings.length === 0) return [];
  return [`**Warnings (${warnings.length})**`, '', ...capped(warnings, limit, (w) => `- \`${escape(w.code)}\` ${escape(w.message)}`), ''];
}

function kindList(kind: OperationKind, ops: Operation[], limit: number, memberLimit: number): string[] {
  return [`#### \`${SYMBOLS[kind]}\` ${kind} (${ops.length})`, '', ...capped(ops, limit, (op) => item(op, memberLimit)), ''];
}

function item(op: Operation, memberLimit: number): string {
  const head = `- **${escape(subjectOf(op))}**: ${escape(op.reason)}`;
  const details =
    op.kind === 'updateAccount' || op.kind === 'updateGroup'
      ? changesOf(op).map((c) => `  - ${escape(c.field)}: ${escape(c.before)} → ${escape(c.after)}`)
      : capped(op.members ?? [], memberLimit, (m) => `  - ${escape(m.email)} (${m.classification})`, '  ');
  return [head, ...details].join('\n');
}

/** The first `limit` items rendered, then "and N more" when some were left out. */
function capped<T>(items: T[], limit: number, render: (item: T) => string, indent = ''): string[] {
  const shown = items.slice(0, limit).map(render);
  if (items.length > limit) shown.push(`${indent}- …and ${items.length - limit} more`);
  return shown;
}

/** Escape characters markdown would read as markup (including `|`, which would break a table) and control characters. */
export function escape(text: string): string {
  return printable(text).replace(/[\\`*_{}[\]<>|~]/g, (c) => `\\${c}`);
}
