/**
 * `orgsync plan`: read a source and an org, reconcile, print the plan. Nothing is changed; a
 * blocked plan is still a successful plan (exit 0). `--out` also saves the plan document as JSON
 * for `orgsync apply`, whatever `--format` prints.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { planFormat, renderPlan } from '../plan/render/index.js';
import { renderJson } from '../plan/render/json.js';
import { planRun } from '../run/pipeline.js';
import { command } from './args.js';
import type { Command } from './io.js';
import { oneShotContext, useColor } from './output.js';
import { resolveSpecs, runProfile } from './specs.js';

const USAGE = `usage: orgsync plan --source <spec> --org <spec> [--policy <file>] [--format text|json|markdown] [--out <file>]
       orgsync plan [--config <file>] [--profile <name>] [--policy <file>] [--format …] [--out <file>]

Read the source and the org, and print what a sync would change. Nothing is changed.

  --source <spec>    file:<path> of a directory file (.json or .csv), or a profile name
  --org <spec>       file:<path> of an org file, or a profile name
  --config <file>    config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --profile <name>   profile of the config file (needed when it has several)
  --policy <file>    policy file (JSON or YAML); default: the profile's policy, else the defaults
  --format <name>    text (default), json or markdown
  --out <file>       also save the plan as JSON, to review and then run "orgsync apply <file>"
`;

const SPEC = {
  verb: 'plan',
  usage: USAGE,
  options: {
    source: { type: 'string' },
    org: { type: 'string' },
    config: { type: 'string' },
    profile: { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
} as const;

export const run: Command = command(SPEC, async ({ values }, io) => {
  const format = planFormat(values.format ?? 'text');
  const resolved = await resolveSpecs(values, io, ['source', 'org']);
  const { plan, org } = await planRun(runProfile(resolved), oneShotContext(resolved.baseDir, resolved.name, io.env));
  await org.close();
  if (values.out !== undefined) await writeFileAtomic(resolve(io.cwd, values.out), renderJson(plan));
  io.stdout.write(renderPlan(plan, format, { color: useColor(io.stdout, io.env) }));
  if (values.out !== undefined) io.stderr.write(`Plan ${plan.id} saved to ${values.out}.\n`);
  return 0;
});
