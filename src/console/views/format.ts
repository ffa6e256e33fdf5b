/**
 * Small pieces the pages share: times (UTC, with "5 min ago"), status and result badges, kind
 * chips, schedules and count lists. Pure: in data, out `Html`.
 */
import type { OperationResultKind } from '../../apply/types.js';
import type { Schedule } from '../../config/schema.js';
import type { OperationKind } from '../../model/plan.js';
import { SYMBOLS } from '../../plan/render/describe.js';
import type { LifecycleStatus } from '../../store/lifecycle.js';
import { html, type Html } from './html.js';

export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

export function ago(iso: string, now: Date): string {
  const seconds = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} days`;
  return future ? `in ${text}` : `${text} ago`;
}

export function when(iso: string | null | undefined, now: Date): Html {
  if (!iso) return html`<span class="muted">never</span>`;
  return html`<time datetime="${iso}" title="${iso}">${utc(iso)}</time> <span class="muted">(${ago(iso, now)})</span>`;
}

const STATUS_TONE: Record<LifecycleStatus, string> = {
  planned: 'info',
  blocked: 'danger',
  approved: 'accent',
  applying: 'warn',
  applied: 'ok',
  'partially-applied': 'warn',
  failed: 'danger',
  rejected: 'muted',
  superseded: 'muted',
  expired: 'muted',
};

export function statusBadge(status: LifecycleStatus): Html {
  return html`<span class="badge tone-${STATUS_TONE[status]}" data-status="${status}">${status}</span>`;
}

const RESULT_TONE: Record<OperationResultKind, string> = { applied: 'ok', skipped: 'muted', conflict: 'warn', failed: 'danger' };

export function resultBadge(result: OperationResultKind): Html {
  return html`<span class="badge tone-${RESULT_TONE[result]}">${result}</span>`;
}

export function outcomeBadge(outcome: string): Html {
  const tone = ['applied', 'approved', 'no-changes'].includes(outcome) ? 'ok' : ['error', 'failed', 'blocked'].includes(outcome) ? 'danger' : outcome === 'planned' ? 'info' : 'warn';
  return html`<span class="badge tone-${tone}">${outcome}</span>`;
}

const SYMBOL_TONE: Record<string, string> = { '+': 'add', '~': 'change', '-': 'remove', '>': 'invite', '=': 'link', '^': 'add', x: 'remove' };

export function symbolOf(kind: OperationKind): Html {
  const symbol = SYMBOLS[kind];
  return html`<span class="sym sym-${SYMBOL_TONE[symbol] ?? 'change'}" aria-hidden="true">${symbol}</span>`;
}

export function kindChips(summary: Partial<Record<string, number>>): Html {
  const entries = Object.entries(summary).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return html`<span class="muted">no changes</span>`;
  return html`<span class="chips">${entries.map(([kind, n]) => html`<span class="chip"><b>${n}</b> ${kind}</span>`)}</span>`;
}

export function scheduleText(schedule: Schedule | null | undefined): string {
  if (!schedule || (!schedule.every && !schedule.pattern)) return 'on demand only';
  const base = schedule.every ? `every ${schedule.every}` : `cron ${schedule.pattern}${schedule.tz ? ` (${schedule.tz})` : ''}`;
  return schedule.fullEvery ? `${base}; full read every ${schedule.fullEvery}` : base;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
