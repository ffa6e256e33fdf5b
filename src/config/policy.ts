/**
 * Policy loading: from a profile's `policy` block or a JSON/YAML file, defaults filled in.
 */
import { configError } from '../errors.js';
import { policySchema, type Policy } from '../model/policy.js';
import { readStructured } from './files.js';
import { deepFreeze, validate } from './validate.js';

/** Validate a policy object; errors name the key, prefixed with `where` (a file or config path). */
export function parsePolicy(value: unknown, where = 'policy', prefix = ''): Policy {
  return deepFreeze(validate(policySchema, value ?? {}, where, prefix));
}

export function defaultPolicy(): Policy {
  return parsePolicy({});
}

/**
 * A policy file must hold an object: an empty or truncated file is an error, never "the defaults",
 * since the defaults may deprovision more and guard less than the policy the operator wrote.
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const value = await readStructured(path, 'policy file');
  if (value === null || value === undefined) throw configError(`${path}: policy file is empty (write {} to use the defaults)`);
  if (typeof value !== 'object' || Array.isArray(value)) throw configError(`${path}: a policy file must hold an object of policy keys`);
  return parsePolicy(value, path);
}
