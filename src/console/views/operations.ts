/**
 * The operations section of the plan page: the filter form (kind with counts, classification,
 * text), one row per operation with its symbol, kind, subject, classification, reason, the
 * `before -> after` of each changed field, the members of a membership change, and its result
 * once applied; then page links. Rows carry `data-op` so the page script can fill in results.
 */
import type { OperationResult } from '../../apply/types.js';
import { OPERATION_KINDS, type MemberRef, type Operation, type Plan } from '../../model/plan.js';
import { changesOf, subjectOf } from '../../plan/render/describe.js';
import type { FilteredOperations, OperationFilter } from '../filter.js';
import { resultBadge, symbolOf } from './format.js';
import { flag, html, type Html } from './html.js';

const MEMBERS_INLINE = 6;

export function operationsSection(plan: Plan, filter: OperationFilter, shown: FilteredOperations, results: Map<string, OperationResult>): Html {
  return html`<section class="card" id="operations">
  <header class="card-head"><h2>Operations</h2><span class="muted">${shown.matched === plan.operations.length ? `${plan.operations.length}` : `${shown.matched} of ${plan.operations.length}`}</span></header>
  ${filterForm(plan, filter)}
  ${shown.matched === 0 ? html`<p class="empty">No operation matches.</p>` : table(shown.items, results)}
  ${pager(plan.id, filter, shown)}
</section>`;
}

function filterForm(plan: Plan, filter: OperationFilter): Html {
  const counts = new Map<string, number>();
  for (const op of plan.operations) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
  const kinds = OPERATION_KINDS.filter((k) => counts.has(k));
  return html`<form method="get" action="/plans/${plan.id}#operations" class="filters" data-autosubmit>
  <label>Kind <select name="kind"><option value="">all kinds</option>${kinds.map((k) => html`<option value="${k}"${flag('selected', filter.kind === k)}>${k} (${counts.get(k)})</option>`)}</select></label>
  <label>Users <select name="classification"><option value="">claimed and external</option><option value="claimed"${flag('selected', filter.classification === 'claimed')}>claimed domains (managed)</option><option value="external"${flag('selected', filter.classification === 'external')}>external</option></select></label>
  <label class="grow">Text <input type="search" name="q" value="${filter.text}" placeholder="email, group, domain, reason"></label>
  <button>Filter</button>
  ${filter.kind || filter.classification || filter.text ? html`<a href="/plans/${plan.id}#operations">Clear</a>` : ''}
</form>`;
}

function table(ops: Operation[], results: Map<string, OperationResult>): Html {
  return html`<table class="grid ops">
<thead><tr><th class="sym-col"></th><th>Operation</th><th>Subject</th><th>Why</th><th>Result</th></tr></thead>
<tbody>${ops.map((op) => row(op, results.get(op.id)))}</tbody>
</table>`;
}

function row(op: Operation, result: OperationResult | undefined): Html {
  return html`<tr data-op="${op.id}" data-kind="${op.kind}" data-classification="${op.classification ?? ''}">
  <td class="sym-col">${symbolOf(op.kind)}</td>
  <td class="kind">${op.kind}</td>
  <td class="subject">${subjectOf(op)}${op.classification ? html` <span class="class class-${op.classification}">${op.classification}</span>` : ''}</td>
  <td class="why">${op.reason}${details(op)}</td>
  <td class="result">${result ? resultCell(result) : ''}</td>
</tr>`;
}

function resultCell(result: OperationResult): Html {
  return html`${resultBadge(result.result)}${result.message ? html`<div class="small muted">${result.message}</div>` : ''}`;
}

function details(op: Operation): Html {
  if (op.members) return members(op.members);
  if (!op.before || !op.after) return html``;
  const changes = changesOf(op);
  if (changes.length === 0) return html``;
  return html`<ul class="changes">${changes.map((c) => html`<li><code>${c.field}</code> <del>${c.before}</del> → <ins>${c.after}</ins></li>`)}</ul>`;
}

function members(list: MemberRef[]): Html {
  const items = (ms: MemberRef[]) => html`<ul class="members">${ms.map((m) => html`<li>${m.email} <span class="class class-${m.classification}">${m.classification}</span></li>`)}</ul>`;
  if (list.length <= MEMBERS_INLINE) return items(list);
  return html`<details><summary>${list.length} members</summary>${items(list)}</details>`;
}

function pager(id: string, filter: OperationFilter, shown: FilteredOperations): Html {
  if (shown.pages <= 1) return html``;
  const href = (page: number) => {
    const q = new URLSearchParams();
    if (filter.kind) q.set('kind', filter.kind);
    if (filter.classification) q.set('classification', filter.classification);
    if (filter.text) q.set('q', filter.text);
    q.set('page', String(page));
    return `/plans/${id}?${q.toString()}#operations`;
  };
  return html`<nav class="pager">
  ${shown.page > 1 ? html`<a href="${href(shown.page - 1)}">← previous</a>` : ''}
  <span>page ${shown.page} of ${shown.pages}</span>
  ${shown.page < shown.pages ? html`<a href="${href(shown.page + 1)}">next →</a>` : ''}
</nav>`;
}
