/**
 * The profiles page: one card per configured profile with its source and org kinds, mode,
 * schedule, last run (when, outcome, counts, error), next run, the plan waiting for a decision,
 * the last actions operators took, and a Resync form (full read, apply if ready).
 */
import type { Principal } from '../auth/guard.js';
import type { AuditEntry } from '../audit.js';
import type { ProfileOverview } from '../queries.js';
import { kindChips, outcomeBadge, scheduleText, statusBadge, when } from './format.js';
import { html, type Html } from './html.js';
import { page } from './layout.js';

export function profilesPage(profiles: ProfileOverview[], principal: Principal, now: Date): string {
  const body = html`<h1>Profiles</h1>
<div class="cards">${profiles.map((p) => card(p, now))}</div>`;
  return page({ title: 'Profiles', section: 'profiles', principal }, body);
}

function card(p: ProfileOverview, now: Date): Html {
  return html`<section class="card profile" data-profile="${p.profile}">
  <header class="card-head">
    <h2>${p.profile}</h2>
    <span class="badge tone-${p.mode === 'auto' ? 'warn' : 'info'}" title="${p.mode === 'auto' ? 'ready plans are applied without review' : 'plans wait for approval'}">${p.mode}</span>
  </header>
  <dl class="facts">
    <dt>Source → org</dt><dd><code>${p.source.kind}</code> → <code>${p.org.kind}</code></dd>
    <dt>Schedule</dt><dd>${scheduleText(p.schedule)}</dd>
    <dt>Last run</dt><dd>${lastRun(p, now)}</dd>
    <dt>Next run</dt><dd>${p.nextRunAt ? when(p.nextRunAt, now) : html`<span class="muted">not scheduled</span>`}</dd>
    <dt>Waiting</dt><dd>${p.awaiting ? html`<a href="/plans/${p.awaiting.id}">${p.awaiting.id}</a> ${statusBadge(p.awaiting.status)} ${kindChips(p.awaiting.summary)}` : html`<span class="muted">no plan awaits a decision</span>`}</dd>
  </dl>
  ${p.actions.length > 0 ? html`<details class="actions"><summary>Recent actions</summary><ul>${p.actions.map((a) => action(a, now))}</ul></details>` : ''}
  <form class="resync" data-resync="${p.profile}">
    <label class="check"><input type="checkbox" name="full"> full read</label>
    <label class="check"><input type="checkbox" name="apply"> apply if ready</label>
    <button class="primary">Resync</button>
    <span class="status" data-resync-status role="status"></span>
  </form>
  <form class="provision" data-provision="${p.profile}">
    <label>Provision one person <input type="text" name="key" placeholder="email or source id" required maxlength="320"></label>
    <button name="preview" value="1">Show steps</button>
    <button name="apply" value="1" class="primary">Apply now</button>
    <span class="status" data-provision-status role="status"></span>
    <pre class="steps" data-provision-steps hidden></pre>
  </form>
</section>`;
}

function lastRun(p: ProfileOverview, now: Date): Html {
  const r = p.lastRun;
  if (!r) return html`<span class="muted">no runs yet</span>`;
  return html`${when(r.finishedAt, now)} · ${r.kind} ${outcomeBadge(r.outcome)}${r.full ? html` <span class="muted">full read</span>` : ''}
    ${r.planId ? html` · <a href="/plans/${r.planId}">${r.planId}</a>` : ''}
    ${r.counts && Object.keys(r.counts).length > 0 ? html`<div>${kindChips(r.counts)}</div>` : ''}
    ${r.error ? html`<div class="alert danger small">${r.error}${r.willRetry ? ' (will retry)' : ''}</div>` : ''}`;
}

export function action(a: AuditEntry, now: Date): Html {
  const what =
    a.action === 'resync'
      ? `asked for a${a.full ? ' full' : ''} run${a.apply ? ' (apply if ready)' : ''}${a.coalesced ? ', joining one already waiting' : ''}`
      : a.action === 'provision'
        ? `provisioned directory user ${a.sourceId ?? ''} now (plan ${a.planId ?? ''})`
        : `${a.action === 'approve' ? 'approved' : 'rejected'} ${a.planId ?? ''}${a.overrideGuards ? ' overriding its guards' : ''}`;
  return html`<li><b>${a.by}</b> ${what} ${when(a.at, now)}${a.comment ? html`: <q>${a.comment}</q>` : ''}</li>`;
}
