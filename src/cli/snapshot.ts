/**
 * `orgsync snapshot source|org`: print what one side holds, in the file formats of DESIGN §4
 * (a directory file for the source, an org file for the org), so it can be saved, diffed, or
 * used as a `file:` source or org. Read issues of the source go to stderr.
 */
import { resolve } from 'node:path';
import { formatDirectory } from '../../connectors/file/format.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { formatOrgFile, writeOrgFile } from '../org/file/orgfile.js';
import type { OrgState } from '../model/org.js';
import { usageError } from '../errors.js';
import { openOrg, openSource } from '../run/pipeline.js';
import { command } from './args.js';
import type { CliIo, Command } from './io.js';
import { oneShotContext } from './output.js';
import { required, resolveSpecs, type Resolved } from './specs.js';
import { printable } from '../util/printable.js';

const USAGE = `usage: orgsync snapshot source|org [--config <file>] [--profile <name>] [--source <spec>] [--org <spec>] [--out <file>]

Print what the source (as a directory file) or the org (as an org file) holds.

  --config <file>    config file (default $ORGSYNC_CONFIG, else ./orgsync.yaml)
  --profile <name>   profile whose source or org to read
  --source <spec>    file:<path>, or a profile name
  --org <spec>       file:<path>, or a profile name
  --out <file>       write to this file (atomically) instead of stdout
`;

const SPEC = {
  verb: 'snapshot',
  usage: USAGE,
  positionals: { min: 1, max: 1 },
  options: {
    config: { type: 'string' },
    profile: { type: 'string' },
    source: { type: 'string' },
    org: { type: 'string' },
    out: { type: 'string' },
  },
} as const;

export const run: Command = command(SPEC, async ({ values, positionals }, io) => {
  const side = positionals[0];
  if (side !== 'source' && side !== 'org') throw usageError(`snapshot: expected "source" or "org", got "${side}"`);
  const resolved = await resolveSpecs(values, io, [side]);
  const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  if (side === 'org') {
    const state = await readOrg(resolved, io);
    if (out === undefined) io.stdout.write(formatOrgFile(state));
    else await writeOrgFile(out, state);
    return 0;
  }
  const text = await sourceText(resolved, io);
  if (out === undefined) io.stdout.write(text);
  else await writeFileAtomic(out, text);
  return 0;
});

async function sourceText(resolved: Resolved, io: CliIo): Promise<string> {
  const context = oneShotContext(resolved.baseDir, resolved.name, io.env);
  const source = await openSource({ source: required(resolved, 'source') }, context);
  const snapshot = await source.read({ policy: resolved.policy, state: context.sourceState, full: true, log: context.log });
  for (const issue of snapshot.issues) io.stderr.write(`warning: ${printable(issue.code)}: ${printable(issue.message)}\n`);
  return formatDirectory(snapshot);
}

async function readOrg(resolved: Resolved, io: CliIo): Promise<OrgState> {
  const org = await openOrg({ org: required(resolved, 'org') }, oneShotContext(resolved.baseDir, resolved.name, io.env));
  try {
    return await org.readState();
  } finally {
    await org.close();
  }
}
