/**
 * The incremental state of an Okta source in its `StateStore`: a cursor (the server time the last
 * successful read started, written after the baseline, so a baseline without one is never used)
 * and the baseline that read produced, both JSON strings, tagged with a fingerprint of what was
 * read (org, searches, wanted groups). A missing, unreadable or differently scoped state means
 * "read everything".
 */
import type { StateStore } from '../../src/store/types.js';
import type { OktaUserRecord } from './client.js';
import type { Baseline, StoredGroup } from './read.js';

export const CURSOR_KEY = 'okta:cursor';
export const BASELINE_KEY = 'okta:baseline';

interface StoredCursor {
  at: string;
  scope: string;
}

interface StoredBaseline {
  scope: string;
  users: OktaUserRecord[];
  groups: StoredGroup[];
}

export interface IncrementalState {
  cursor: string;
  baseline: Baseline;
}

/** The stored state when it matches `scope`; `problem` says why it was not usable otherwise. */
export async function loadState(store: StateStore, scope: string): Promise<{ state?: IncrementalState; problem?: string }> {
  const [cursorText, baselineText] = await Promise.all([store.get(CURSOR_KEY), store.get(BASELINE_KEY)]);
  if (cursorText === null || baselineText === null) return { problem: 'no cursor yet' };
  let cursor: StoredCursor;
  let stored: StoredBaseline;
  try {
    cursor = JSON.parse(cursorText) as StoredCursor;
    stored = JSON.parse(baselineText) as StoredBaseline;
  } catch {
    return { problem: 'stored state is not valid JSON' };
  }
  if (cursor.scope !== scope || stored.scope !== scope) return { problem: 'settings or policy changed what is read' };
  if (typeof cursor.at !== 'string' || Number.isNaN(Date.parse(cursor.at)) || !Array.isArray(stored.users) || !Array.isArray(stored.groups)) {
    return { problem: 'stored state is malformed' };
  }
  return {
    state: {
      cursor: cursor.at,
      baseline: { users: new Map(stored.users.map((u) => [u.id, u])), groups: new Map(stored.groups.map((g) => [g.id, g])) },
    },
  };
}

/** Store the baseline, then the cursor that makes it usable. */
export async function saveState(store: StateStore, scope: string, cursor: string, baseline: Baseline): Promise<void> {
  const stored: StoredBaseline = { scope, users: [...baseline.users.values()], groups: [...baseline.groups.values()] };
  await store.delete(CURSOR_KEY);
  await store.set(BASELINE_KEY, JSON.stringify(stored));
  await store.set(CURSOR_KEY, JSON.stringify({ at: cursor, scope } satisfies StoredCursor));
}
