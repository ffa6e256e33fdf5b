/**
 * The incremental state of an LDAP source in its `StateStore`: the entries of the last successful
 * read (the baseline) and the cursor that says from where to ask for changes, tagged with a
 * fingerprint of what was read (server, bases, filters, attributes). One JSON value under one key,
 * written only after a read succeeded. A missing, unreadable or differently scoped state means
 * "read everything".
 *
 * Cursors: `timestamp` (OpenLDAP: changes have `modifyTimestamp >= value`) and `usn` (Active
 * Directory: changes have `uSNChanged > value` on the domain controller whose `invocationId` is
 * stored; another DC, or a restored one, means a full read).
 */
import { createHash } from 'node:crypto';
import type { ReadOptions } from '../types.js';
import type { Entry } from './client.js';
import type { GroupEntry } from './map.js';
import type { LdapProfile } from './settings.js';

type StateStore = ReadOptions['state'];

export const STATE_KEY = 'ldap:baseline';

export type Cursor = { kind: 'timestamp'; value: string } | { kind: 'usn'; value: string; invocationId: string };

export interface Baseline {
  cursor: Cursor;
  users: Entry[];
  groups: GroupEntry[];
}

type Stored = { scope: string; cursor: Cursor; users: unknown[]; groups: { entry: unknown; members: GroupEntry['members'] }[] };

/** What a read covers: a baseline of another server, base, filter or mapping is not reused. */
export function scopeOf(url: string, profile: LdapProfile): string {
  const { flavor, userBase, userFilter, groupBase, groupFilter, scope, attributes, disabled, upnFallback } = profile;
  const text = JSON.stringify({ url, flavor, userBase, userFilter, groupBase, groupFilter, scope, attributes, disabled, upnFallback });
  return createHash('sha256').update(text).digest('hex');
}

/** Buffers (AD's objectGUID) as `{ b64 }`, so an entry survives JSON. */
function encode(entry: Entry): unknown {
  const binary = Object.values(entry).some((value) => Buffer.isBuffer(value) || (Array.isArray(value) && value.some((v) => Buffer.isBuffer(v))));
  if (!binary) return entry;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    const one = (v: unknown) => (Buffer.isBuffer(v) ? { b64: v.toString('base64') } : v);
    out[key] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return out;
}

function decode(stored: unknown): Entry {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    const one = (v: unknown) => (v !== null && typeof v === 'object' && 'b64' in v ? Buffer.from(String((v as { b64: string }).b64), 'base64') : v);
    out[key] = Array.isArray(value) ? value.map(one) : one(value);
  }
  return out as Entry;
}

export async function loadBaseline(store: StateStore, scope: string): Promise<{ baseline?: Baseline; problem?: string }> {
  const text = await store.get(STATE_KEY);
  if (text === null) return { problem: 'no baseline yet' };
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return { problem: 'stored state is not valid JSON' };
  }
  if (stored.scope !== scope) return { problem: 'settings changed what is read' };
  if (!Array.isArray(stored.users) || !Array.isArray(stored.groups) || typeof stored.cursor?.value !== 'string') return { problem: 'stored state is malformed' };
  return {
    baseline: {
      cursor: stored.cursor,
      users: stored.users.map(decode),
      groups: stored.groups.map((g) => ({ entry: decode(g.entry), members: g.members })),
    },
  };
}

export async function saveBaseline(store: StateStore, scope: string, baseline: Baseline): Promise<void> {
  const stored: Stored = { scope, cursor: baseline.cursor, users: baseline.users.map(encode), groups: baseline.groups.map((g) => ({ entry: encode(g.entry), members: g.members })) };
  await store.set(STATE_KEY, JSON.stringify(stored));
}
