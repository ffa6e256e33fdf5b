/**
 * Policy loading: from a profile's `policy` block or a JSON/YAML file, defaults filled in.
 */
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

export async function loadPolicyFile(path: string): Promise<Policy> {
  return parsePolicy(await readStructured(path, 'policy file'), path);
}
