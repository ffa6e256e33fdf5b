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
  const config = needsConfig(options, needs) ? await openConfig(options.config, io, profileSpecs(options)) : undefined;
  const profile = config && (options.profile !== undefined || needs.some((side) => options[side] === undefined)) ? findProfile(config, options.profile) : undefined;
  const baseDir = config?.baseDir ?? io.cwd;
  const side = (which: Side): KindSettings | undefined => {
    const spec = options[which];
    if (spec === undefined) return profile?.[which];
    if (isFileSpec(spec)) return fileSide(which, spec, io.cwd, baseDir);
    return profileSide(config!, which, spec, io.cwd);
  };
  const policy = options.policy !== undefined ? await asConfigError(loadPolicyFile(resolve(io.cwd, options.policy))) : (profile?.policy ?? defaultPolicy());
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

/** `--source`/`--org` options that name a profile (not a `file:` spec), as `--org acme`. */
function profileSpecs(options: SpecOptions): ProfileSpec[] {
  return (['source', 'org'] as const).flatMap((side) => {
    const spec = options[side];
    return spec !== undefined && !isFileSpec(spec) ? [{ side, spec }] : [];
  });
}

export interface ProfileSpec {
  side: Side;
  spec: string;
}

/** The side of a named profile; a name that is really a file path gets a hint to write `file:`. */
function profileSide(config: Config, which: Side, spec: string, cwd: string): KindSettings {
  if (!config.profiles.some((p) => p.name === spec) && existsSync(resolve(cwd, spec))) {
    throw usageError(`--${which} ${spec}: no profile named "${spec}" in ${config.path}; for the file, write --${which} file:${spec}`);
  }
  return findProfile(config, spec)[which];
}

/** Config, policy and data files read for a command are configuration: any problem with them is exit status 2. */
async function asConfigError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (isOrgsyncError(error) && error.code === 'input') throw configError(error.message, error);
    throw error;
  }
}

/**
 * Load the config file. `profileSpecs` are the options that named a profile (e.g. `--org acme`),
 * so that a missing default config file can say what asked for it.
 */
export async function openConfig(explicit: string | undefined, io: CliIo, profileSpecs: ProfileSpec[] = []): Promise<Config> {
  const given = explicit ?? (io.env.ORGSYNC_CONFIG || undefined);
  const path = resolve(io.cwd, given ?? DEFAULT_CONFIG_PATH);
  if (given === undefined && !existsSync(path)) throw missingConfig(io.cwd, profileSpecs);
  return asConfigError(loadConfig(path, io.env));
}

function missingConfig(cwd: string, profileSpecs: ProfileSpec[]): Error {
  const named = profileSpecs[0];
  if (named === undefined) {
    return usageError(`no config file ${DEFAULT_CONFIG_PATH} in ${cwd}: pass --config <file>, or --source file:<path> and --org file:<path>`);
  }
  const { side, spec } = named;
  return usageError(`--${side} ${spec}: names a profile, but there is no config file ${DEFAULT_CONFIG_PATH} in ${cwd}; for a file, write --${side} file:${spec}`);
}
