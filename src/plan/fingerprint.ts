/**
 * Content hashes: canonical JSON (object keys sorted) hashed with SHA-256. Used for operation ids,
 * plan ids and the org/policy fingerprints a plan records.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal data always serializes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

