/**
 * Full or incremental: how one read uses and renews the baseline of the last one.
 *
 * Incremental (a baseline of the same scope, `full` not asked, a cursor the server still honours):
 * a cheap pass lists every user and group with its id only (so deletions and moves are seen, as
 * the Okta source does), then the entries changed since the cursor are read whole
 * (`modifyTimestamp >= t` on OpenLDAP, `uSNChanged > usn` on Active Directory), and the rest come
 * from the baseline. When a user or a group was renamed or moved, every group is read again
 * (member DNs follow renames on AD without a change stamp on the group that holds them). Anything that does not add up (an
 * entry listed that is neither changed nor in the baseline) falls back to a full read. Either way
 * the result is the whole directory, as a full read would give it.
 *
 * Cursors. AD: `highestCommittedUSN` of the rootDSE, read before the searches, with the DC's
 * `invocationId` (another DC, or a restored one, means a full read); the next read asks for
 * `uSNChanged >= highestCommittedUSN + 1`, as Microsoft's "Example Code to Retrieve Changes Using
 * USNChanged" (learn.microsoft.com, win32/ad) describes. OpenLDAP: the newest
 * `modifyTimestamp` read, minus the read's duration and a minute, so a change made during the read
 * is asked for again next time. A server that offers neither gets a full read every time.
 */
import type { Entry, LdapClient } from './client.js';
import { dnKey } from './dn.js';
import { idOf, valuesOf, type GroupEntry } from './map.js';
import { binaryAttributes, collect, groupAttributes, memberValues, readDirectory, readGroups, userAttributes, type RawDirectory } from './read.js';
import type { LdapProfile } from './settings.js';
import type { Baseline, Cursor } from './state.js';

export interface ReadOutcome {
  raw: RawDirectory;
  mode: 'full' | 'incremental';
  /** Why the read was full. */
  reason?: string;
  /** Entries read whole on an incremental read. */
  changed?: { users: number; groups: number };
  /** The baseline to store; absent when the server offers no cursor. */
  baseline?: Baseline;
}

const SAFETY_MS = 60_000;

/** `20261201233900Z` or `20261201233900.5Z` as epoch milliseconds. */
export function parseGeneralizedTime(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

export function formatGeneralizedTime(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** The OpenLDAP cursor after a read: newest `modifyTimestamp` seen, less the read's duration and a minute. */
export function timestampCursor(entries: Iterable<Entry>, durationMs: number): Cursor | undefined {
  let newest: number | undefined;
  for (const entry of entries) {
    const value = valuesOf(entry, 'modifyTimestamp')[0];
    const time = value === undefined ? undefined : parseGeneralizedTime(String(value));
    if (time !== undefined && (newest === undefined || time > newest)) newest = time;
  }
  return newest === undefined ? undefined : { kind: 'timestamp', value: formatGeneralizedTime(newest - durationMs - SAFETY_MS) };
}

/** AD's cursor, read before the searches: the DC's highest USN and its invocationId. */
async function usnCursor(client: LdapClient): Promise<{ cursor?: Cursor; problem?: string }> {
  const root = await client.entry('', ['highestCommittedUSN', 'dsServiceName']);
  const usn = root === undefined ? undefined : valuesOf(root, 'highestCommittedUSN')[0];
  const service = root === undefined ? undefined : valuesOf(root, 'dsServiceName')[0];
  if (usn === undefined || service === undefined) return { problem: 'the server publishes no highestCommittedUSN/dsServiceName in its rootDSE' };
  const settings = await client.entry(String(service), ['invocationId'], ['invocationId']);
  const invocation = settings === undefined ? undefined : valuesOf(settings, 'invocationId')[0];
  if (invocation === undefined) return { problem: `the server gives no invocationId for ${String(service)}` };
  const invocationId = Buffer.isBuffer(invocation) ? invocation.toString('hex') : String(invocation);
  return { cursor: { kind: 'usn', value: String(usn), invocationId } };
}

function changedFilter(cursor: Cursor): string {
  return cursor.kind === 'timestamp' ? `(modifyTimestamp>=${cursor.value})` : `(uSNChanged>=${BigInt(cursor.value) + 1n})`;
}

/**
 * The listed entries, each taken from the changes or else the baseline (matched by DN, same id).
 * Undefined, with the reason, when an entry is in neither.
 */
export function mergeListed<T>(listed: Entry[], changed: T[], previous: T[], entryOf: (item: T) => Entry, idAttribute: string): { items?: T[]; problem?: string } {
  const index = (items: T[]) => new Map(items.map((item) => [dnKey(entryOf(item).dn), item]));
  const changedByDn = index(changed);
  const previousByDn = index(previous);
  const items: T[] = [];
  for (const entry of listed) {
    const key = dnKey(entry.dn);
    const item = changedByDn.get(key) ?? previousByDn.get(key);
    if (item === undefined || idOf(entryOf(item), idAttribute) !== idOf(entry, idAttribute)) return { problem: `"${entry.dn}" is neither in the baseline nor among the changes` };
    items.push(item);
  }
  return { items };
}

/** Whether a changed entry is one of the baseline's under another DN (renamed or moved). */
function anyRenamed(changed: Entry[], previous: Entry[], idAttribute: string): boolean {
  const dnById = new Map(previous.map((entry) => [idOf(entry, idAttribute), dnKey(entry.dn)]));
  return changed.some((entry) => {
    const before = dnById.get(idOf(entry, idAttribute));
    return before !== undefined && before !== dnKey(entry.dn);
  });
}

async function readChanges(client: LdapClient, profile: LdapProfile, previous: Baseline): Promise<{ raw?: RawDirectory; changed?: ReadOutcome['changed']; problem?: string }> {
  const id = profile.attributes.id;
  const since = changedFilter(previous.cursor);
  const binary = binaryAttributes(profile);
  const users = { base: profile.userBase, scope: profile.scope, binary, pageSize: profile.pageSize };
  const listedUsers = await collect(client, { ...users, filter: profile.userFilter, attributes: [id] });
  const changedUsers = await collect(client, { ...users, filter: `(&${profile.userFilter}${since})`, attributes: userAttributes(profile) });
  const mergedUsers = mergeListed(listedUsers, changedUsers, previous.users, (e) => e, id);
  if (!mergedUsers.items) return { problem: mergedUsers.problem };
  if (profile.groupBase === undefined || anyRenamed(changedUsers, previous.users, id)) {
    const groups = await readGroups(client, profile);
    return { raw: { users: mergedUsers.items, groups }, changed: { users: changedUsers.length, groups: groups.length } };
  }
  const groupRequest = { base: profile.groupBase, scope: profile.scope, binary, pageSize: profile.pageSize };
  const listedGroups = await collect(client, { ...groupRequest, filter: profile.groupFilter, attributes: [id] });
  const changedEntries = await collect(client, { ...groupRequest, filter: `(&${profile.groupFilter}${since})`, attributes: groupAttributes(profile) });
  if (anyRenamed(changedEntries, previous.groups.map((g) => g.entry), id)) {
    const groups = await readGroups(client, profile);
    return { raw: { users: mergedUsers.items, groups }, changed: { users: changedUsers.length, groups: groups.length } };
  }
  const changedGroups: GroupEntry[] = [];
  for (const entry of changedEntries) changedGroups.push({ entry, members: await memberValues(client, entry, profile.attributes.member) });
  const mergedGroups = mergeListed(listedGroups, changedGroups, previous.groups, (g) => g.entry, id);
  if (!mergedGroups.items) return { problem: mergedGroups.problem };
  return { raw: { users: mergedUsers.items, groups: mergedGroups.items }, changed: { users: changedUsers.length, groups: changedGroups.length } };
}

function* entriesOf(raw: RawDirectory): Iterable<Entry> {
  yield* raw.users;
  for (const group of raw.groups) yield group.entry;
}

/** One read: incremental on top of `previous` when it can be, else full; and the baseline to store. */
export async function readWithBaseline(client: LdapClient, profile: LdapProfile, previous: { baseline?: Baseline; problem?: string }): Promise<ReadOutcome> {
  const started = Date.now();
  const usn = profile.flavor === 'activedirectory' ? await usnCursor(client) : undefined;
  let reason = usn?.problem ?? previous.problem;
  let outcome: ReadOutcome | undefined;
  const base = previous.baseline;
  if (base && reason === undefined) {
    const current = usn?.cursor;
    const sameDc = base.cursor.kind === 'timestamp' ? current === undefined : current?.kind === 'usn' && current.invocationId === base.cursor.invocationId;
    if (!sameDc) reason = 'the domain controller (invocationId) changed';
    else {
      const changes = await readChanges(client, profile, base);
      if (changes.raw) outcome = { raw: changes.raw, mode: 'incremental', ...(changes.changed ? { changed: changes.changed } : {}) };
      else reason = changes.problem;
    }
  }
  outcome ??= { raw: await readDirectory(client, profile), mode: 'full', ...(reason ? { reason } : {}) };
  const cursor = usn ? usn.cursor : timestampCursor(entriesOf(outcome.raw), Date.now() - started);
  if (cursor) outcome.baseline = { cursor, users: outcome.raw.users, groups: outcome.raw.groups };
  return outcome;
}
