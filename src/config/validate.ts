/**
 * Validation helpers shared by every schema: run a zod schema and turn the first problems into one
 * line that names the file and the key at fault, e.g.
 * `orgsync.yaml: profiles[0].source.tenantId: expected string, received undefined`.
 */
import type { z } from 'zod';
import { configError } from '../errors.js';

export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const at = keyPath([...(prefix ? [prefix] : []), ...issue.path]);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => keyPath([...(at ? [at] : []), k]));
    return `unknown key ${keys.join(', ')}`;
  }
  return `${at || '(top level)'}: ${issue.message}`;
}

/**
 * Parse `value` with `schema`, or throw a config error whose message starts with `where`
 * (a file name or a label) and names every key at fault (at most five).
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, where: string, prefix = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, prefix));
  throw configError(`${where}: ${lines.join('; ')}`, result.error);
}

/** Deep-freeze validated config so nothing downstream changes it by accident. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
