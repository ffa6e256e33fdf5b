/**
 * `orgsync sync`: one run of a profile in this process (no Redis, no history): read both sides,
 * print the plan, and with `--apply` apply it when it is `ready`. A blocked plan is never applied
 * here (exit 1): save it with `orgsync plan --out` and use `orgsync apply --override-guards`.
 * With `--format json`, stdout holds only the plan; the apply report goes to stderr.
 */
import { applyPlan } from '../apply/executor.js';
import { MemoryJournal } from '../apply/types.js';
import { planFormat, renderPlan } from '../plan/render/index.js';
import { planRun } from '../run/pipeline.js';
import { command } from './args.js';
import type { Command } from './io.js';
import { oneShotContext, renderApplyReport, useColor } from './output.js';
import { resolveSpecs, runProfile } from './specs.js';

const USAGE = `usage: orgsync sync [--config <file>] [--profile <name>] [--apply] [--format text|json|markdown]

Run one sync of a profile in this process: read the source and the org, print the plan, and
with --apply apply it if it is ready (a blocked plan is not applied). Without --apply nothing
is changed.

  --config <file>    config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --profile <name>   profile to run (needed when the config has several)
  --apply            apply the plan when its status is ready
  --format <name>    text (default), json or markdown
`;

const SPEC = {
  verb: 'sync',
  usage: USAGE,
  options: {
    config: { type: 'string' },
    profile: { type: 'string' },
    apply: { type: 'boolean' },
    format: { type: 'string' },
  },
} as const;

export const run: Command = command(SPEC, async ({ values }, io) => {
  const format = planFormat(values.format ?? 'text');
  const resolved = await resolveSpecs(values, io, ['source', 'org']);
  const profile = runProfile(resolved);
  const { plan, org } = await planRun(profile, oneShotContext(resolved.baseDir, resolved.name, io.env));
  try {
    io.stdout.write(renderPlan(plan, format, { color: useColor(io.stdout, io.env) }));
    if (values.apply !== true) return 0;
    const out = format === 'json' ? io.stderr : io.stdout;
    if (plan.status === 'blocked') {
      io.stderr.write(`orgsync: plan ${plan.id} is blocked by its guards and was not applied; save it with "orgsync plan --out <file>", review it, and apply it with "orgsync apply <file> --override-guards"\n`);
      return 1;
    }
    if (plan.status === 'empty' || plan.operations.length === 0) {
      out.write('Nothing to apply.\n');
      return 0;
    }
    out.write(`\nApplying plan ${plan.id} (${plan.operations.length} operations)\n`);
    const report = await applyPlan(plan, org, { journal: new MemoryJournal(), ...profile.apply });
    out.write(renderApplyReport(plan, report));
    return report.counts.failed + report.counts.conflict > 0 ? 1 : 0;
  } finally {
    await org.close();
  }
});
