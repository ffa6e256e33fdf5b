/**
 * The plan page: status and facts, the decision panel (Approve with an optional comment and, for
 * a blocked plan, an explicit guard override; Reject with a comment), the apply progress (the
 * page script polls `/api/plans/:id/progress` while the plan is approved or applying), the
 * history (who asked for the run, who decided, what the worker did), guards (actual against
 * limit, failed ones in red), warnings grouped by code, and the operations.
 */
import type { OperationResult } from '../../apply/types.js';
import type { GuardResult, Warning } from '../../model/plan.js';
import { guardFigures, sourcesLine } from '../../plan/render/describe.js';
import { AWAITING_DECISION } from '../../store/lifecycle.js';
import type { Principal } from '../auth/guard.js';
import type { FilteredOperations, OperationFilter } from '../filter.js';
import type { PlanDetail } from '../queries.js';
import { kindChips, plural, statusBadge, when } from './format.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';
import { operationsSection } from './operations.js';

const GUARD_LABELS: Record<string, string> = {
  maxDeprovisions: 'Deprovisions (deactivate + revoke)',
  maxDeprovisionPercent: 'Deprovisions, % of linked users',
  maxGroupDeletions: 'Group deletions',
  emptySource: 'Linked users an empty source would orphan',
};

const WARNINGS_SHOWN = 100;

export function planPage(detail: PlanDetail, filter: OperationFilter, shown: FilteredOperations, principal: Principal, now: Date): string {
  const results = new Map<string, OperationResult>(detail.results.map((r) => [r.id, r]));
  const body = html`${head(detail, now)}
<div class="columns">
  <div class="main">
    ${guards(detail.plan.guards)}
    ${warnings(detail.plan.warnings)}
    ${operationsSection(detail.plan, filter, shown, results)}
  </div>
  <aside class="side">
    ${decision(detail, now)}
    ${progress(detail)}
    ${history(detail, now)}
  </aside>
</div>`;
  return page({ title: `Plan ${detail.id}`, section: 'plans', principal }, body);
}

function head(d: PlanDetail, now: Date): Html {
  return html`<div class="plan-head">
  <h1>Plan <code>${d.id}</code> <span data-plan-status>${statusBadge(d.status)}</span></h1>
  <dl class="facts inline">
    <dt>Profile</dt><dd>${d.profile}</dd>
    <dt>Created</dt><dd>${when(d.createdAt, now)}</dd>
    <dt>Source</dt><dd>${sourcesLine(d.plan)}</dd>
    <dt>Changes</dt><dd>${plural(d.operations, 'operation')} ${kindChips(d.summary)}</dd>
  </dl>
  ${d.plan.sources.some((s) => !s.complete) ? html`<p class="alert warn">The source read was incomplete: nothing is removed, deactivated or revoked by this plan.</p>` : ''}
</div>`;
}

function guards(list: GuardResult[]): Html {
  const failed = list.filter((g) => !g.passed);
  return html`<section class="card${failed.length > 0 ? ' blocked' : ''}" id="guards">
  <header class="card-head"><h2>Guards</h2>${failed.length > 0 ? html`<span class="badge tone-danger">blocked by ${plural(failed.length, 'guard')}</span>` : html`<span class="badge tone-ok">all passed</span>`}</header>
  <table class="grid guards">
    <thead><tr><th>Guard</th><th class="num">Actual</th><th class="num">Limit</th><th></th></tr></thead>
    <tbody>${list.map((g) => html`<tr class="${g.passed ? 'pass' : 'fail'}"><td>${GUARD_LABELS[g.name] ?? g.name} <span class="muted small">${g.name}</span></td><td class="num">${g.actual}</td><td class="num">${g.limit}</td><td>${g.passed ? html`<span class="badge tone-ok">passed</span>` : html`<span class="badge tone-danger" title="${guardFigures(g)}">over the limit</span>`}</td></tr>`)}</tbody>
  </table>
</section>`;
}

function warnings(list: Warning[]): Html {
  if (list.length === 0) return html``;
  const byCode = new Map<string, Warning[]>();
  for (const w of list) {
    const same = byCode.get(w.code);
    if (same) same.push(w);
    else byCode.set(w.code, [w]);
  }
  return html`<section class="card" id="warnings">
  <header class="card-head"><h2>Warnings</h2><span class="muted">${list.length}</span></header>
  ${[...byCode].map(([code, ws]) => html`<details class="warning-group"${byCode.size <= 3 ? html` open` : ''}>
    <summary><code>${code}</code> <span class="count">${ws.length}</span></summary>
    <ul>${ws.slice(0, WARNINGS_SHOWN).map((w) => html`<li>${w.subject ? html`<b>${w.subject}</b>: ` : ''}${w.message}</li>`)}</ul>
    ${ws.length > WARNINGS_SHOWN ? html`<p class="muted small">and ${ws.length - WARNINGS_SHOWN} more (all are in <code>GET /api/plans/:id</code>)</p>` : ''}
  </details>`)}
</section>`;
}

function decision(d: PlanDetail, now: Date): Html {
  if (AWAITING_DECISION.has(d.status)) return decisionForms(d);
  const lines: Html[] = [];
  if (d.approval) lines.push(html`<p>Approved by <b>${d.approval.by}</b> ${when(d.approval.at, now)}${d.approval.overrideGuards ? html` <span class="badge tone-danger">guards overridden</span>` : ''}</p>${d.approval.comment ? html`<blockquote>${d.approval.comment}</blockquote>` : ''}`);
  if (d.rejection) lines.push(html`<p>Rejected by <b>${d.rejection.by}</b> ${when(d.rejection.at, now)}</p>${d.rejection.comment ? html`<blockquote>${d.rejection.comment}</blockquote>` : ''}`);
  if (d.supersededBy) lines.push(html`<p>Superseded by the newer plan <a href="/plans/${d.supersededBy}">${d.supersededBy}</a>.</p>`);
  if (d.status === 'expired') lines.push(html`<p>Expired before anyone decided. Ask for a fresh run on the <a href="/">profiles page</a>.</p>`);
  if (d.error) lines.push(html`<p class="alert danger">${d.error}</p>`);
  return html`<section class="card" id="decision"><header class="card-head"><h2>Decision</h2></header>${lines}</section>`;
}

function decisionForms(d: PlanDetail): Html {
  const blocked = d.status === 'blocked';
  return html`<section class="card${blocked ? ' blocked' : ''}" id="decision">
  <header class="card-head"><h2>Decision</h2></header>
  ${blocked ? html`<p class="alert danger">Blocked by its guards: ${d.failedGuards.join('; ')}.</p>` : html`<p class="muted">Approving queues the apply; a worker applies the plan and this page shows its progress.</p>`}
  <form id="approve" data-plan="${d.id}" data-blocked="${blocked ? 'true' : 'false'}" class="stack">
    <label>Comment <span class="muted">(optional)</span><textarea name="comment" rows="2" maxlength="2000"></textarea></label>
    ${blocked ? html`<label class="check override"><input type="checkbox" name="overrideGuards" required> Override the guards: I have checked the ${plural(d.failedGuards.length, 'failed guard')} and want this plan applied anyway</label>` : ''}
    <button class="${blocked ? 'danger' : 'primary'}">${blocked ? 'Approve, overriding guards' : 'Approve and apply'}</button>
  </form>
  <form id="reject" data-plan="${d.id}" class="stack">
    <label>Reason for rejecting <textarea name="comment" rows="2" maxlength="2000" required></textarea></label>
    <button class="secondary">Reject</button>
  </form>
  <p class="status" data-decision-status role="status"></p>
</section>`;
}

function progress(d: PlanDetail): Html {
  if (AWAITING_DECISION.has(d.status) && d.results.length === 0) return html``;
  if (!d.approval && d.results.length === 0) return html``;
  const counts = { applied: 0, skipped: 0, conflict: 0, failed: 0 };
  for (const r of d.results) counts[r.result] += 1;
  const percent = d.operations === 0 ? 100 : Math.round((d.results.length * 100) / d.operations);
  return html`<section class="card" id="progress" data-progress data-plan="${d.id}" data-status="${d.status}">
  <header class="card-head"><h2>Apply</h2><span data-progress-status>${statusBadge(d.status)}</span></header>
  <progress max="${Math.max(d.operations, 1)}" value="${d.operations === 0 ? 1 : d.results.length}" data-progress-bar>${percent}%</progress>
  <p><span data-progress-done>${d.results.length}</span> of ${d.operations} operations done</p>
  <ul class="counts">${(Object.keys(counts) as (keyof typeof counts)[]).map((k) => html`<li class="count-${k}"><b data-count="${k}">${counts[k]}</b> ${k}</li>`)}</ul>
  <p class="alert danger" data-progress-error${d.error ? '' : html` hidden`}>${d.error ?? ''}</p>
</section>`;
}

function history(d: PlanDetail, now: Date): Html {
  const requests = d.requests.map((r) => html`<li><b>${r.by}</b> asked for a${r.full ? ' full' : ''} run${r.apply ? ' (apply if ready)' : ''} ${when(r.at, now)}</li>`);
  const steps = d.history.map((h) => html`<li>${statusBadge(h.status)} ${when(h.at, now)}${h.by ? html` by <b>${h.by}</b>` : ''}${h.note ? html`<div class="small muted">${h.note}</div>` : ''}</li>`);
  return html`<section class="card" id="history"><header class="card-head"><h2>History</h2></header><ol class="timeline">${requests}${steps}</ol></section>`;
}
