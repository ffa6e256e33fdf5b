/**
 * The console's page script, served at `/assets/console.js`: sends decisions and resync requests
 * to the JSON API (with the page's CSRF token), submits filter forms on change, and polls a
 * plan's progress while it is approved or being applied.
 */
export const SCRIPT = `(() => {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  async function send(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message ?? 'request failed (' + response.status + ')');
    return data;
  }

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle('error', Boolean(isError));
  }

  function busy(form, on) {
    for (const button of form.querySelectorAll('button')) button.disabled = on;
  }

  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => form.requestSubmit());
  }

  for (const form of document.querySelectorAll('form[data-resync]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const profile = form.dataset.resync;
      const status = form.querySelector('[data-resync-status]');
      busy(form, true);
      try {
        const body = { full: form.elements.full.checked, apply: form.elements.apply.checked };
        const receipt = await send('/api/profiles/' + encodeURIComponent(profile) + '/resync', body);
        say(status, receipt.coalesced ? 'Joined the run already waiting (job ' + receipt.jobId + ')' : 'Run queued (job ' + receipt.jobId + ')');
      } catch (error) {
        say(status, error.message, true);
      } finally {
        busy(form, false);
      }
    });
  }

  for (const form of document.querySelectorAll('form[data-provision]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const apply = event.submitter?.name === 'apply';
      const status = form.querySelector('[data-provision-status]');
      const steps = form.querySelector('[data-provision-steps]');
      busy(form, true);
      try {
        const url = '/api/profiles/' + encodeURIComponent(form.dataset.provision) + '/provision';
        const answer = await send(url, { key: form.elements.key.value, apply });
        steps.hidden = answer.result !== 'planned';
        if (answer.result !== 'planned') return say(status, answer.message, true);
        steps.textContent = answer.text;
        const counts = answer.apply ? answer.apply.counts : null;
        say(status, counts ? 'Applied: ' + counts.applied + ' applied, ' + counts.failed + ' failed, ' + counts.conflict + ' conflicts' : apply ? 'Nothing to apply' : 'Plan ' + answer.plan.id + ' (' + answer.plan.status + '), nothing applied');
      } catch (error) {
        say(status, error.message, true);
      } finally {
        busy(form, false);
      }
    });
  }

  const decisionStatus = document.querySelector('[data-decision-status]');
  const approve = document.getElementById('approve');
  if (approve) {
    approve.addEventListener('submit', async (event) => {
      event.preventDefault();
      const blocked = approve.dataset.blocked === 'true';
      const override = blocked && approve.elements.overrideGuards.checked;
      const question = blocked
        ? 'This plan is over its guards. Approve it anyway and let a worker apply it?'
        : 'Approve this plan and let a worker apply it?';
      if (!window.confirm(question)) return;
      busy(approve, true);
      try {
        const comment = approve.elements.comment.value.trim();
        await send('/api/plans/' + encodeURIComponent(approve.dataset.plan) + '/approve', { overrideGuards: override, ...(comment ? { comment } : {}) });
        window.location.reload();
      } catch (error) {
        say(decisionStatus, error.message, true);
        busy(approve, false);
      }
    });
  }

  const reject = document.getElementById('reject');
  if (reject) {
    reject.addEventListener('submit', async (event) => {
      event.preventDefault();
      busy(reject, true);
      try {
        await send('/api/plans/' + encodeURIComponent(reject.dataset.plan) + '/reject', { comment: reject.elements.comment.value.trim() });
        window.location.reload();
      } catch (error) {
        say(decisionStatus, error.message, true);
        busy(reject, false);
      }
    });
  }

  const progress = document.querySelector('[data-progress]');
  const RUNNING = ['approved', 'applying'];
  if (progress && RUNNING.includes(progress.dataset.status)) poll(progress);

  function poll(panel) {
    const id = panel.dataset.plan;
    const tick = async () => {
      let data;
      try {
        const response = await fetch('/api/plans/' + encodeURIComponent(id) + '/progress', { credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error('progress ' + response.status);
        data = await response.json();
      } catch {
        setTimeout(tick, 5000);
        return;
      }
      show(panel, data);
      if (RUNNING.includes(data.status)) setTimeout(tick, 1000);
      else window.location.reload();
    };
    setTimeout(tick, 500);
  }

  function show(panel, data) {
    const bar = panel.querySelector('[data-progress-bar]');
    if (bar) { bar.max = Math.max(data.operations, 1); bar.value = data.operations === 0 ? 1 : data.done; }
    const done = panel.querySelector('[data-progress-done]');
    if (done) done.textContent = String(data.done);
    for (const [kind, n] of Object.entries(data.counts)) {
      const cell = panel.querySelector('[data-count="' + kind + '"]');
      if (cell) cell.textContent = String(n);
    }
    const badge = panel.querySelector('[data-progress-status] .badge');
    if (badge) { badge.textContent = data.status; badge.dataset.status = data.status; }
    for (const result of data.results) {
      const cell = document.querySelector('tr[data-op="' + CSS.escape(result.id) + '"] .result');
      if (cell && !cell.dataset.filled) {
        cell.dataset.filled = '1';
        const tag = document.createElement('span');
        tag.className = 'badge tone-' + ({ applied: 'ok', skipped: 'muted', conflict: 'warn', failed: 'danger' }[result.result] ?? 'muted');
        tag.textContent = result.result;
        cell.replaceChildren(tag);
        if (result.message) {
          const note = document.createElement('div');
          note.className = 'small muted';
          note.textContent = result.message;
          cell.append(note);
        }
      }
    }
  }
})();
`;
