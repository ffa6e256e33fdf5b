/**
 * `orgsync plans list | show <id> | approve <id> | reject <id>`: the plans kept in Redis.
 * `--json` prints machine-readable output: `list` an array of plan records (`id`, `profile`,
 * `status`, `createdAt`, `summary`, ...), `show` the plan document as planned (a plan file `apply`
 * accepts, `status` ready/blocked/empty) with a `lifecycle` key beside its own keys: lifecycle
 * `status`, decisions, history, counts and per-operation `results`.
 */
import { isOrgsyncError, OrgsyncError, usageError } from '../errors.js';
import { renderPlan } from '../plan/render/index.js';
import { longest } from '../plan/render/describe.js';
import { approveAndQueue, openControl, profileStatus, rejectPlan, type Control } from '../queue/control.js';
import { isLifecycleStatus, LIFECYCLE_STATUSES } from '../store/lifecycle.js';
import type { PlanMeta } from '../store/plan-records.js';
import type { StoredPlan } from '../store/plan-store.js';
import type { Plan } from '../model/plan.js';
import { command } from './args.js';
import type { CliIo, Command } from './io.js';
import { renderApplyReport, useColor } from './output.js';
import { openConfig } from './specs.js';

const USAGE = `usage: orgsync plans list [--profile <name>] [--status <status>] [--limit <n>] [--json]
       orgsync plans show <id> [--json]
       orgsync plans approve <id> [--override-guards] [--by <name>] [--comment <text>] [--json]
       orgsync plans reject <id> [--by <name>] [--comment <text>] [--json]

The plans the workers made, newest first. Approving a plan queues its apply; a blocked plan
(over its guards) needs --override-guards. Superseded and expired plans cannot be approved.

  --config <file>      config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --json               machine-readable output
  --by <name>          who decides (default $USER)
  --comment <text>     recorded with the decision
  statuses: ${LIFECYCLE_STATUSES.join(', ')}
`;

const SPEC = {
  verb: 'plans',
  usage: USAGE,
  options: {
    config: { type: 'string' },
    json: { type: 'boolean' },
    profile: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    by: { type: 'string' },
    comment: { type: 'string' },
    'override-guards': { type: 'boolean' },
  },
  positionals: { min: 1, max: 2 },
} as const;

type Values = { json?: boolean; profile?: string; status?: string; limit?: string; by?: string; comment?: string; 'override-guards'?: boolean };

export const run: Command = command(SPEC, async (parsed, io) => {
  const [action, id] = parsed.positionals as [string, string | undefined];
  if (!['list', 'show', 'approve', 'reject'].includes(action)) throw usageError(`plans: unknown action "${action}" (list, show, approve, reject)`);
  if (action === 'list' && id !== undefined) throw usageError(`plans list: unexpected argument "${id}"`);
  if (action !== 'list' && id === undefined) throw usageError(`plans ${action}: give the plan id`);
  const config = await openConfig(parsed.values.config, io);
  const control = await openControl(config, io.env);
  try {
    if (action === 'list') return await list(control, parsed.values, io);
    if (action === 'show') return await show(control, id!, parsed.values, io);
    return await decide(control, action as 'approve' | 'reject', id!, parsed.values, io);
  } finally {
    await control.close();
  }
});

async function list(control: Control, values: Values, io: CliIo): Promise<number> {
  if (values.status !== undefined && !isLifecycleStatus(values.status)) {
    throw usageError(`plans list: unknown status "${values.status}" (${LIFECYCLE_STATUSES.join(', ')})`);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`plans list: --limit must be a positive whole number, not "${values.limit}"`);
  const plans = await control.plans.list({ profile: values.profile, status: values.status as PlanMeta['status'] | undefined, limit });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(plans, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(plans.length === 0 ? 'No plans.\n' : table(plans));
  io.stdout.write(await profileLines(control, values.profile));
  return 0;
}

function table(plans: PlanMeta[]): string {
  const rows = [['ID', 'PROFILE', 'STATUS', 'CREATED', 'OPS', 'SUMMARY'], ...plans.map((p) => [p.id, p.profile, p.status, time(p.createdAt), String(p.operations), summaryText(p)])];
  const widths = rows[0]!.map((_, i) => longest(rows.map((r) => r[i]!)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

async function profileLines(control: Control, only: string | undefined): Promise<string> {
  const names = control.config.profiles.map((p) => p.name).filter((name) => only === undefined || name === only);
  const lines: string[] = [];
  for (const name of names) {
    const status = await profileStatus(control, name);
    const last = status.lastRun ? `last run ${time(status.lastRun.finishedAt)} ${status.lastRun.kind} ${status.lastRun.outcome}${status.lastRun.planId ? ` (${status.lastRun.planId})` : ''}${status.lastRun.error ? `: ${status.lastRun.error}` : ''}` : 'no runs yet';
    lines.push(`${name} (${status.mode}): ${last}; next run ${status.nextRunAt ? time(status.nextRunAt) : 'not scheduled'}`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

async function show(control: Control, id: string, values: Values, io: CliIo): Promise<number> {
  const stored = await control.plans.show(id);
  if (!stored) throw new OrgsyncError('not-found', `no plan with id ${id}`);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(planWithLifecycle(stored), null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`${header(stored)}\n${renderPlan(stored.plan, 'text', { color: useColor(io.stdout, io.env) })}`);
  if (stored.counts) {
    const status = stored.status === 'partially-applied' || stored.status === 'failed' ? stored.status : 'applied';
    io.stdout.write(`\n${renderApplyReport(stored.plan, { status, results: stored.results, counts: stored.counts })}`);
  } else if (stored.results.length > 0) io.stdout.write(`\n${stored.results.length} of ${stored.operations} operations done so far.\n`);
  return 0;
}

/**
 * The plan document exactly as planned (a valid `orgsync.plan/v1` file that `apply` accepts), with
 * what happened to it since under one key beside the plan's own: `lifecycle` (status, decisions,
 * history, counts, per-operation results).
 */
export function planWithLifecycle(stored: StoredPlan): Plan & { lifecycle: Lifecycle } {
  const { plan, results, ...meta } = stored;
  const { id: _i, profile: _p, createdAt: _c, planStatus: _s, summary: _m, operations: _o, warnings: _w, ...lifecycle } = meta;
  return { ...plan, lifecycle: { ...lifecycle, results } };
}

type Lifecycle = Omit<StoredPlan, 'plan' | 'id' | 'profile' | 'createdAt' | 'planStatus' | 'summary' | 'operations' | 'warnings'>;

function header(p: StoredPlan): string {
  const lines = [`Plan ${p.id} of profile ${p.profile}: ${p.status}`, `  created  ${time(p.createdAt)}`];
  if (p.approval) lines.push(`  approved ${time(p.approval.at)} by ${p.approval.by}${p.approval.overrideGuards ? ' (guards overridden)' : ''}${p.approval.comment ? `: ${p.approval.comment}` : ''}`);
  if (p.rejection) lines.push(`  rejected ${time(p.rejection.at)} by ${p.rejection.by}${p.rejection.comment ? `: ${p.rejection.comment}` : ''}`);
  if (p.supersededBy) lines.push(`  superseded by ${p.supersededBy}`);
  if (p.error) lines.push(`  error    ${p.error}`);
  return `${lines.join('\n')}\n`;
}

async function decide(control: Control, action: 'approve' | 'reject', id: string, values: Values, io: CliIo): Promise<number> {
  const by = values.by ?? io.env.USER ?? 'unknown';
  const comment = values.comment;
  let meta: PlanMeta;
  try {
    meta =
      action === 'approve'
        ? await approveAndQueue(control, id, { by, ...(comment ? { comment } : {}), overrideGuards: values['override-guards'] === true })
        : await rejectPlan(control, id, { by, ...(comment ? { comment } : {}) });
  } catch (error) {
    if (isOrgsyncError(error) && error.code === 'plan-guarded') throw new OrgsyncError('plan-guarded', `${error.message}: pass --override-guards`);
    throw error;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(meta, null, 2)}\n`);
  else io.stdout.write(action === 'approve' ? `Approved plan ${id} (${meta.profile}); a worker will apply it.\n` : `Rejected plan ${id} (${meta.profile}).\n`);
  return 0;
}

function summaryText(p: PlanMeta): string {
  return Object.entries(p.summary)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

function time(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
