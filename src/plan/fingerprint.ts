/**
 * Content hashes: canonical JSON (object keys sorted) hashed with SHA-256. Used for operation ids,
 * plan ids and the org/policy fingerprints a plan records.
 */
import { createHash } from 'node:crypto';
import type { OrgState } from '../model/org.js';

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

/**
 * Fingerprint of an org state, independent of the order the adapter listed things in: a plan
 * records it, and `apply` refuses a plan whose org has changed since (unless forced).
 */
export function orgFingerprint(state: OrgState): string {
  const byId = <T extends { id?: string; name?: string }>(items: T[]): T[] =>
    [...items].sort((a, b) => compareText(String(a.id ?? a.name), String(b.id ?? b.name)));
  return hashOf({
    domains: byId(state.domains),
    users: byId(state.users),
    groups: byId(state.groups).map((g) => ({ ...g, members: [...g.members].sort() })),
  });
}

/** Plain code-unit order: stable across locales, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
