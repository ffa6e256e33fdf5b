/**
 * What a one-shot command runs against, from its options: `--source`/`--org` specs, `--config`,
 * `--profile` and `--policy`.
 *
 * - `file:<path>` names a directory file (source) or an org file (org), relative to the working
 *   directory. Any other spec names a profile of the config file whose source (or org) is used.
 * - `--config <file>` (default `$ORGSYNC_CONFIG`, else `orgsync.yaml` in the working directory)
 *   is read only when something needs it: a profile name, `--profile`, or a side not given as a
 *   `file:` spec. Anything wrong with it is a config error (exit status 2).
 * - The policy is `--policy <file>` if given, else the profile's, else the defaults.
 *
 * Out: a `Profile` and the directory its relative paths resolve against. Sides a command does
 * not need may be absent (`source`/`org` undefined).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { sourceFactories } from '../../connectors/registry.js';
import { defaultPolicy, loadPolicyFile } from '../config/policy.js';
import { DEFAULT_CONFIG_PATH, findProfile, loadConfig, type Config, type KindSettings, type Profile } from '../config/load.js';
import { validate } from '../config/validate.js';
import { configError, isOrgsyncError, usageError } from '../errors.js';
import { orgFactories } from '../org/registry.js';
import type { CliIo } from './io.js';

export interface SpecOptions {
  config?: string;
  profile?: string;
  source?: string;
  org?: string;
  policy?: string;
}

export type Side = 'source' | 'org';

export interface Resolved {
  name: string;
  baseDir: string;
  source: KindSettings | undefined;
  org: KindSettings | undefined;
  profile: Profile | undefined;
  policy: Profile['policy'];
  apply: Profile['apply'];
}

const ADHOC_APPLY: Profile['apply'] = { concurrency: 4, operationsPerSecond: 0 };

/** Resolve the options; `needs` lists the sides the command cannot run without. */
export async function resolveSpecs(options: SpecOptions, io: CliIo, needs: Side[]): Promise<Resolved> {
  const config = needsConfig(options, needs) ? await openConfig(options.config, io) : undefined;
  const profile = config && (options.profile !== undefined || needs.some((side) => options[side] === undefined)) ? findProfile(config, options.profile) : undefined;
  const baseDir = config?.baseDir ?? io.cwd;
  const side = (which: Side): KindSettings | undefined => {
    const spec = options[which];
    if (spec === undefined) return profile?.[which];
    if (isFileSpec(spec)) return fileSide(which, spec, io.cwd, baseDir);
    return findProfile(config!, spec)[which];
  };
  const policy = options.policy !== undefined ? await loadPolicyFile(resolve(io.cwd, options.policy)) : (profile?.policy ?? defaultPolicy());
  return {
    name: profile?.name ?? 'adhoc',
    baseDir,
    source: side('source'),
    org: side('org'),
    profile,
    policy,
    apply: profile?.apply ?? ADHOC_APPLY,
  };
}

/** The side, or a usage error saying how to give it. */
export function required(resolved: Resolved, which: Side): KindSettings {
  const found = resolved[which];
  if (!found) throw usageError(`no ${which} given: pass --${which} file:<path>, or --config/--profile`);
  return found;
}

/** A full profile for a run that reads both sides. */
export function runProfile(resolved: Resolved): Profile {
  return {
    name: resolved.name,
    source: required(resolved, 'source'),
    org: required(resolved, 'org'),
    policy: resolved.policy,
    schedule: resolved.profile?.schedule,
    mode: resolved.profile?.mode ?? 'review',
    apply: resolved.apply,
  };
}

/** The config is read for `--config`/`--profile`, a profile-name spec, or a needed side given no spec. */
function needsConfig(options: SpecOptions, needs: Side[]): boolean {
  if (options.config !== undefined || options.profile !== undefined) return true;
  if (needs.some((side) => options[side] === undefined)) return true;
  return [options.source, options.org].some((spec) => spec !== undefined && !isFileSpec(spec));
}

function isFileSpec(spec: string): boolean {
  return spec.startsWith('file:');
}

function fileSide(which: Side, spec: string, cwd: string, baseDir: string): KindSettings {
  const path = spec.slice('file:'.length);
  if (path === '') throw usageError(`--${which} ${spec}: give a path after "file:"`);
  const factory = (which === 'source' ? sourceFactories : orgFactories).get('file')!;
  const located = isAbsolute(path) || baseDir === cwd ? path : resolve(cwd, path);
  return { kind: 'file', settings: validate(factory.settings, { path: located }, `--${which}`) };
}

export async function openConfig(explicit: string | undefined, io: CliIo): Promise<Config> {
  const given = explicit ?? (io.env.ORGSYNC_CONFIG || undefined);
  const path = resolve(io.cwd, given ?? DEFAULT_CONFIG_PATH);
  if (given === undefined && !existsSync(path)) {
    throw usageError(`no config file ${DEFAULT_CONFIG_PATH} in ${io.cwd}: pass --config <file>, or --source file:<path> and --org file:<path>`);
  }
  try {
    return await loadConfig(path, io.env);
  } catch (error) {
    if (isOrgsyncError(error) && error.code === 'input') throw configError(error.message, error);
    throw error;
  }
}
