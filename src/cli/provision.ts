/**
 * `orgsync provision <profile> <email|source id>`: plan the operations about one person (see
 * `src/run/provision.ts`), show them as steps, and with `--apply` apply them at once through the
 * executor. Exit status: 0 when planned (and applied); 1 when the source does not have the person,
 * has them more than once, the plan is blocked by its guards (not applied), or an operation failed
 * or met a conflict; 2 for usage or config errors.
 */
import { applyPlan } from '../apply/executor.js';
import { MemoryJournal } from '../apply/types.js';
import type { ApplyReport } from '../apply/types.js';
import { lookupLine, renderSteps } from '../plan/render/steps.js';
import { provisionPerson } from '../run/provision.js';
import { command } from './args.js';
import type { CliIo, Command } from './io.js';
import { oneShotContext, renderApplyReport, useColor } from './output.js';
import { resolveSpecs, runProfile } from './specs.js';

const USAGE = `usage: orgsync provision <profile> <email|source id> [--apply] [--json] [--config <file>]

Read one person from the profile's source (with the groups they belong to) and show what a sync
would do for them: read, classify, match, actions. Only that person's operations are planned; no
one else is changed. With --apply, apply them now (a plan blocked by its guards is not applied).

  --config <file>    config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --apply            apply the person's operations now
  --json             print the steps, the plan and the apply report as one JSON document

Exit status: 0 done; 1 when the source does not have the person or has them twice, the plan is
blocked, or an operation failed; 2 for usage or config errors.
`;

const SPEC = {
  verb: 'provision',
  usage: USAGE,
  options: { config: { type: 'string' }, apply: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
} as const;

export const run: Command = command(SPEC, async ({ values, positionals }, io) => {
  const [profileName, key] = positionals as [string, string];
  const resolved = await resolveSpecs({ config: values.config, profile: profileName }, io, ['source', 'org']);
  const profile = runProfile(resolved);
  const outcome = await provisionPerson(profile, oneShotContext(resolved.baseDir, resolved.name, io.env), key);
  if (outcome.result !== 'planned') {
    if (values.json === true) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    io.stderr.write(`orgsync: ${lookupLine(outcome)}\n`);
    return 1;
  }
  const { steps, plan, org } = outcome;
  try {
    if (values.json !== true) io.stdout.write(renderSteps(steps, plan, { color: useColor(io.stdout, io.env) }));
    const report = values.apply === true ? await applyNow(outcome, profile.apply, io, values.json !== true) : undefined;
    if (values.json === true) io.stdout.write(`${JSON.stringify({ result: 'planned', steps, plan, apply: report?.report ?? null }, null, 2)}\n`);
    return report?.code ?? 0;
  } finally {
    await org.close();
  }
});

type Planned = Extract<Awaited<ReturnType<typeof provisionPerson>>, { result: 'planned' }>;

/** Apply the person's plan unless blocked or empty; the text goes to stdout only when `text`. */
async function applyNow(outcome: Planned, options: { concurrency: number; operationsPerSecond: number }, io: CliIo, text: boolean): Promise<{ code: number; report: ApplyReport | null }> {
  const { plan, org } = outcome;
  if (plan.status === 'blocked') {
    io.stderr.write(`orgsync: the plan for this person is blocked by its guards and was not applied\n`);
    return { code: 1, report: null };
  }
  if (plan.operations.length === 0) {
    if (text) io.stdout.write('Nothing to apply.\n');
    return { code: 0, report: null };
  }
  if (text) io.stdout.write(`\nApplying ${plan.operations.length} operation${plan.operations.length === 1 ? '' : 's'} (plan ${plan.id})\n`);
  const report = await applyPlan(plan, org, { journal: new MemoryJournal(), ...options });
  if (text) io.stdout.write(renderApplyReport(plan, report));
  return { code: report.counts.failed + report.counts.conflict > 0 ? 1 : 0, report };
}
