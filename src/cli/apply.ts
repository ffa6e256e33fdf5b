/**
 * `orgsync apply <plan.json>`: apply a saved plan to an org.
 *
 * First the plan file is verified (`src/plan/verify.ts`: operation ids, unique ids, summary,
 * guards, plan id, digest); any mismatch refuses the whole plan (exit 1). `--only` / `--exclude`
 * (operation ids or kinds, comma-separated) apply part of a verified plan; the selection is
 * printed in the report. Then it refuses a `blocked` plan unless `--override-guards`, and a plan made against another org state
 * (its org fingerprint differs from the org's now) unless `--force`; either override is printed
 * before anything is applied. Each operation still checks its own precondition and reports a
 * conflict rather than overwrite a change. Prints one line per operation and the counts; exit 1
 * when any operation failed or conflicted.
 */
import { resolve } from 'node:path';
import { applyPlan } from '../apply/executor.js';
import { MemoryJournal } from '../apply/types.js';
import { OrgsyncError } from '../errors.js';
import type { OrgState } from '../model/org.js';
import type { Plan } from '../model/plan.js';
import { orgFingerprint } from '../reconcile/fingerprints.js';
import { guardFigures } from '../plan/render/describe.js';
import { readPlanFile } from '../plan/schema.js';
import { verifyPlan } from '../plan/verify.js';
import { printable } from '../util/printable.js';
import { openOrg } from '../run/pipeline.js';
import { command } from './args.js';
import type { CliIo, Command } from './io.js';
import { oneShotOrgState, renderApplyReport } from './output.js';
import { describeSelection, selectOperations, type Selection } from './selection.js';
import { required, resolveSpecs } from './specs.js';

const USAGE = `usage: orgsync apply <plan.json> --org <spec> [--only <ids|kinds>] [--exclude <ids|kinds>] [--override-guards] [--force]
       orgsync apply <plan.json> [--config <file>] [--profile <name>] [--only …] [--exclude …] [--override-guards] [--force]

Apply a plan saved with "orgsync plan --out <plan.json>". The plan file is verified first
(operation ids, summary, guards, digest): an edited plan is refused.

  --org <spec>        file:<path> of an org file, or a profile name
  --config <file>     config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --profile <name>    profile whose org to apply to
  --override-guards   apply a plan its guards blocked (the override is printed)
  --force             apply although the org changed since the plan was made
  --only <list>       apply only these operations: ids or kinds, comma-separated
  --exclude <list>    leave these operations out: ids or kinds, comma-separated
`;

const SPEC = {
  verb: 'apply',
  usage: USAGE,
  positionals: { min: 1, max: 1 },
  options: {
    org: { type: 'string' },
    config: { type: 'string' },
    profile: { type: 'string' },
    'override-guards': { type: 'boolean' },
    force: { type: 'boolean' },
    only: { type: 'string' },
    exclude: { type: 'string' },
  },
} as const;

export const run: Command = command(SPEC, async ({ values, positionals }, io) => {
  const file = positionals[0]!;
  const plan = await readPlanFile(resolve(io.cwd, file), file);
  verifyPlan(plan, file);
  const selection = selectOperations(plan, { only: values.only, exclude: values.exclude });
  const overrideGuards = values['override-guards'] === true;
  checkGuards(plan, file, overrideGuards);
  if (selection.operations.length === 0) {
    io.stdout.write(`Plan ${printable(plan.id)} has no operations${selection.filtered ? ` left by ${describeSelection(selection)}` : ''}: nothing to apply.\n`);
    return 0;
  }
  const resolved = await resolveSpecs(values, io, ['org']);
  const adapter = await openOrg({ org: required(resolved, 'org') }, { baseDir: resolved.baseDir, orgState: oneShotOrgState(resolved.baseDir, resolved.name, io.env) });
  try {
    checkOrg(plan, await adapter.readState(), values.force === true, io);
    if (overrideGuards && plan.status === 'blocked') io.stdout.write(overrideNote(plan));
    io.stdout.write(`Applying plan ${printable(plan.id)} (${appliedCount(selection, plan)}) of profile ${printable(plan.profile)}\n`);
    const report = await applyPlan({ ...plan, operations: selection.operations }, adapter, { journal: new MemoryJournal(), ...resolved.apply });
    io.stdout.write(renderApplyReport(plan, report, selection.filtered ? describeSelection(selection) : undefined));
    return report.counts.failed + report.counts.conflict > 0 ? 1 : 0;
  } finally {
    await adapter.close();
  }
});

function appliedCount(selection: Selection, plan: Plan): string {
  const total = plan.operations.length;
  return selection.filtered ? `${selection.operations.length} of ${total} operations, ${describeSelection(selection)}` : `${total} operations`;
}

function failedGuards(plan: Plan): string {
  return plan.guards
    .filter((g) => !g.passed)
    .map((g) => `${g.name} (${guardFigures(g)})`)
    .join(', ');
}

function checkGuards(plan: Plan, file: string, override: boolean): void {
  if (plan.status !== 'blocked' || override) return;
  const which = failedGuards(plan) || 'its guards';
  throw new OrgsyncError('plan-blocked', `${file}: plan ${printable(plan.id)} is blocked by ${which}; review it, then rerun with --override-guards to apply it anyway`);
}

function overrideNote(plan: Plan): string {
  return `Guards overridden with --override-guards: ${failedGuards(plan) || 'plan was blocked'}\n`;
}

/**
 * The plan against the org as it is now: the org must be the one planned against (its
 * fingerprint), unless `--force`; and when it is, the number of linked users the guards used must
 * be the org's.
 */
function checkOrg(plan: Plan, state: OrgState, force: boolean, io: CliIo): void {
  const current = orgFingerprint(state);
  if (current === plan.fingerprints.org) {
    let linked = 0;
    for (const user of state.users) if (user.externalId != null) linked += 1;
    if (linked !== plan.basis.linkedUsers) {
      throw new OrgsyncError('plan-mismatch', `plan ${printable(plan.id)} says the org had ${plan.basis.linkedUsers} linked users when its guards were computed, the org it was made against has ${linked}; nothing was applied`);
    }
    return;
  }
  const detail = `org fingerprint is ${current.slice(0, 12)}, the plan was made against ${plan.fingerprints.org.slice(0, 12)}`;
  if (!force) {
    throw new OrgsyncError('org-changed', `the org has changed since plan ${printable(plan.id)} was made (${detail}); make a new plan, or rerun with --force`);
  }
  io.stdout.write(`The org has changed since the plan was made (${detail}); applying anyway (--force): each operation still checks its precondition.\n`);
}
