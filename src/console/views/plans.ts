/**
 * The plans page: plans newest first, filtered by profile and lifecycle status, each with its
 * status, counts by kind, warnings, failed guards and decision.
 */
import { LIFECYCLE_STATUSES } from '../../store/lifecycle.js';
import type { PlanMeta } from '../../store/plan-records.js';
import type { Principal } from '../auth/guard.js';
import { kindChips, plural, statusBadge, when } from './format.js';
import { flag, html, type Html } from './html.js';
import { page } from './layout.js';

export interface PlansFilter {
  profile?: string;
  status?: string;
  limit: number;
}

export function plansPage(plans: PlanMeta[], filter: PlansFilter, profiles: string[], principal: Principal, now: Date): string {
  const body = html`<h1>Plans</h1>
<form method="get" action="/plans" class="filters" data-autosubmit>
  <label>Profile <select name="profile"><option value="">all profiles</option>${profiles.map((p) => html`<option${flag('selected', filter.profile === p)}>${p}</option>`)}</select></label>
  <label>Status <select name="status"><option value="">any status</option>${LIFECYCLE_STATUSES.map((s) => html`<option${flag('selected', filter.status === s)}>${s}</option>`)}</select></label>
  <input type="hidden" name="limit" value="${filter.limit}">
  <button>Filter</button>
</form>
${plans.length === 0 ? html`<p class="empty">No plans match.</p>` : table(plans, now)}
${plans.length === filter.limit ? html`<p class="muted">Showing the newest ${filter.limit}. <a href="${moreHref(filter)}">Show more</a></p>` : ''}`;
  return page({ title: 'Plans', section: 'plans', principal }, body);
}

function table(plans: PlanMeta[], now: Date): Html {
  return html`<table class="grid plans">
<thead><tr><th>Created</th><th>Profile</th><th>Status</th><th>Changes</th><th>Warnings</th><th>Decision</th></tr></thead>
<tbody>${plans.map((p) => row(p, now))}</tbody>
</table>`;
}

function row(p: PlanMeta, now: Date): Html {
  return html`<tr data-plan="${p.id}">
  <td><a href="/plans/${p.id}">${when(p.createdAt, now)}</a><div class="id">${p.id}</div></td>
  <td>${p.profile}</td>
  <td>${statusBadge(p.status)}${p.failedGuards.length > 0 ? html`<div class="small danger-text">${p.failedGuards.join('; ')}</div>` : ''}</td>
  <td><div class="small muted">${plural(p.operations, 'operation')}</div>${kindChips(p.summary)}</td>
  <td>${p.warnings > 0 ? p.warnings : html`<span class="muted">0</span>`}</td>
  <td>${decision(p)}</td>
</tr>`;
}

function decision(p: PlanMeta): Html {
  if (p.approval) return html`approved by <b>${p.approval.by}</b>${p.approval.overrideGuards ? html` <span class="badge tone-danger">guards overridden</span>` : ''}`;
  if (p.rejection) return html`rejected by <b>${p.rejection.by}</b>`;
  if (p.supersededBy) return html`<span class="muted">superseded by <a href="/plans/${p.supersededBy}">${p.supersededBy}</a></span>`;
  return html`<span class="muted">—</span>`;
}

function moreHref(filter: PlansFilter): string {
  const q = new URLSearchParams();
  if (filter.profile) q.set('profile', filter.profile);
  if (filter.status) q.set('status', filter.status);
  q.set('limit', String(Math.min(filter.limit * 2, 1000)));
  return `/plans?${q.toString()}`;
}
