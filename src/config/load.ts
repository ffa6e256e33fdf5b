/**
 * Load, substitute, validate and freeze the config file. Every error names the file and the key.
 */
import { dirname, resolve } from 'node:path';
import type { ZodType } from 'zod';
import { sourceFactories } from '../../connectors/registry.js';
import { configError } from '../errors.js';
import type { Policy } from '../model/policy.js';
import { collectSecrets } from '../http/redact.js';
import { orgFactories } from '../org/registry.js';
import { readStructured } from './files.js';
import { loadPolicyFile, parsePolicy } from './policy.js';
import { configSchema, type RawConfig, type Schedule } from './schema.js';
import { deepFreeze, keyPath, validate } from './validate.js';

export interface KindSettings {
  kind: string;
  settings: unknown;
}

export interface Profile {
  name: string;
  source: KindSettings;
  org: KindSettings;
  policy: Policy;
  schedule: Schedule | undefined;
  mode: 'review' | 'auto';
  apply: { concurrency: number; operationsPerSecond: number };
}

export interface Config extends Omit<RawConfig, 'profiles'> {
  path: string;
  /** Relative paths in the config (files, policy files, keys) resolve against this directory. */
  baseDir: string;
  profiles: Profile[];
}

export const DEFAULT_CONFIG_PATH = 'orgsync.yaml';

/** Replace `${VAR}` in every string value; an unset variable is an error naming the key and the variable. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, where: string, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw configError(`${where}: ${keyPath(path)}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, where, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, where, [...path, k])]));
  }
  return value;
}

function kindSettings(
  block: { kind: string } & Record<string, unknown>,
  factories: ReadonlyMap<string, { settings: ZodType }>,
  where: string,
  at: string,
): KindSettings {
  const factory = factories.get(block.kind);
  if (!factory) {
    throw configError(`${where}: ${at}.kind: unknown kind "${block.kind}" (known: ${[...factories.keys()].join(', ')})`);
  }
  const { kind, ...rest } = block;
  return { kind, settings: validate(factory.settings, rest, where, at) };
}

export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const raw = await readStructured(path, 'config file');
  const substituted = substituteEnv(raw, env, path);
  collectSecrets(substituted);
  const parsed = validate(configSchema, substituted, path);
  const baseDir = dirname(resolve(path));
  const profiles: Profile[] = [];
  const seen = new Set<string>();
  for (const [i, p] of parsed.profiles.entries()) {
    const at = `profiles[${i}]`;
    if (seen.has(p.name)) throw configError(`${path}: ${at}.name: duplicate profile name "${p.name}"`);
    seen.add(p.name);
    const policyFile = p.policyFile ? resolve(baseDir, p.policyFile) : undefined;
    const policy = policyFile ? await loadPolicyFile(policyFile) : parsePolicy(p.policy, path, `${at}.policy`);
    const org = kindSettings(p.org, orgFactories, path, `${at}.org`);
    const check = await orgFactories.get(org.kind)?.policyCheck?.();
    const refused = check?.(policy);
    if (refused) throw configError(policyFile ? `${policyFile}: ${refused.key}: ${refused.message}` : `${path}: ${at}.policy.${refused.key}: ${refused.message}`);
    profiles.push({
      name: p.name,
      source: kindSettings(p.source, sourceFactories, path, `${at}.source`),
      org,
      policy,
      schedule: p.schedule,
      mode: p.mode,
      apply: p.apply,
    });
  }
  return deepFreeze({ ...parsed, path, baseDir, profiles });
}

/** The named profile, or the only one; an error lists the names when the choice is unclear. */
export function findProfile(config: Config, name: string | undefined): Profile {
  if (name === undefined) {
    if (config.profiles.length === 1) return config.profiles[0]!;
    throw configError(`${config.path}: several profiles (${config.profiles.map((p) => p.name).join(', ')}); choose one with --profile`);
  }
  const found = config.profiles.find((p) => p.name === name);
  if (!found) throw configError(`${config.path}: no profile named "${name}" (profiles: ${config.profiles.map((p) => p.name).join(', ')})`);
  return found;
}
