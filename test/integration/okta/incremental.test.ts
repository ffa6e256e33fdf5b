/**
 * Incremental reads: after a full read, only users updated since the cursor and the members of
 * groups whose membership moved are read, and the merged result is the same whole snapshot a fresh
 * full read gives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASELINE_KEY, CURSOR_KEY } from '../../../connectors/okta/state.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta/index.js';
import { readOnce, unsetProxy } from './helpers.js';

unsetProxy();

const MEMBER_PATH = /^\/api\/v1\/groups\/([^/]+)\/users$/;

function memberListsRead(okta: OktaEmulator): string[] {
  return [...new Set(okta.stats.log.map((r) => MEMBER_PATH.exec(r.path)?.[1]).filter((id): id is string => id !== undefined))].sort();
}

describe('okta source: incremental reads', () => {
  let okta: OktaEmulator;
  let state: MemoryStateStore;

  beforeEach(async () => {
    okta = await startOktaEmulator({ seed: { users: 45, groups: 6 }, rateLimit: { perWindow: 100_000 } });
    state = new MemoryStateStore();
    await readOnce(okta, {}, { state });
    okta.resetStats();
  });
  afterEach(() => okta.close());

  it('reads exactly the changed users and memberships, and returns the whole directory', async () => {
    const org = okta.org;
    const active = org.users.filter((u) => u.status === 'ACTIVE');
    const [groupA, groupB] = org.groups.filter((g) => g.type !== 'BUILT_IN');
    const outsider = org.users.find((u) => !groupA!.members.includes(u.id))!;
    org.updateUser(active[0]!.id, { profile: { title: 'Director', displayName: 'Renamed' } });
    org.updateUser(active[1]!.id, { profile: { email: 'moved@elsewhere.example' } });
    org.updateUser(active[2]!.id, { status: 'DEPROVISIONED' });
    const added = org.addUser({ email: 'newcomer@acme.com', firstName: 'New', lastName: 'Comer' });
    org.addMember(groupA!.id, outsider.id);
    org.removeMember(groupB!.id, groupB!.members[0]!);

    const snapshot = await readOnce(okta, {}, { state });

    expect(okta.stats.usersServed).toBe(4);
    expect(memberListsRead(okta)).toEqual([groupA!.id, groupB!.id].sort());
    const byId = new Map(snapshot.users.map((u) => [u.id, u]));
    expect(byId.get(active[0]!.id)).toMatchObject({ displayName: 'Renamed', attributes: { title: 'Director' } });
    expect(byId.get(active[1]!.id)?.email).toBe('moved@elsewhere.example');
    expect(byId.get(active[2]!.id)?.active).toBe(false);
    expect(byId.get(added.id)).toMatchObject({ email: 'newcomer@acme.com', active: true });
    expect(snapshot.groups.find((g) => g.id === groupA!.id)?.members).toContain(outsider.id);

    const fresh = await readOnce(okta, {}, { state: new MemoryStateStore() });
    expect(snapshot).toEqual(fresh);
  });

  it('reads no user and no member list when nothing changed', async () => {
    const snapshot = await readOnce(okta, {}, { state });
    expect(okta.stats.usersServed).toBe(0);
    expect(memberListsRead(okta)).toEqual([]);
    expect(snapshot.users).toHaveLength(okta.org.users.length);
    expect(okta.stats.log.some((r) => decodeURIComponent(r.query).includes('lastUpdated gt "'))).toBe(true);
  });

  it('drops a deleted group and takes a renamed one from the listing', async () => {
    const [kept, renamed] = okta.org.groups.filter((g) => g.type === 'OKTA_GROUP');
    okta.org.renameGroup(renamed!.id, 'Renamed Group');
    okta.org.deleteGroup(kept!.id);
    const snapshot = await readOnce(okta, {}, { state });
    expect(snapshot.groups.some((g) => g.id === kept!.id)).toBe(false);
    expect(snapshot.groups.find((g) => g.id === renamed!.id)?.displayName).toBe('Renamed Group');
    expect(memberListsRead(okta)).toEqual([]);
  });

  it('reads everything again when asked for a full read', async () => {
    await readOnce(okta, {}, { state, full: true });
    expect(okta.stats.usersServed).toBeGreaterThanOrEqual(okta.org.users.length);
    expect(memberListsRead(okta)).toHaveLength(okta.org.groups.filter((g) => g.type !== 'BUILT_IN').length);
  });

  it('reads everything again when the settings change what is read', async () => {
    await readOnce(okta, { groupTypes: ['OKTA_GROUP'] }, { state });
    expect(okta.stats.usersServed).toBeGreaterThanOrEqual(okta.org.users.length);
  });

  it('keeps cursor and baseline as JSON strings and moves the cursor forward', async () => {
    const first = JSON.parse((await state.get(CURSOR_KEY))!) as { at: string };
    const baseline = JSON.parse((await state.get(BASELINE_KEY))!) as { users: unknown[]; groups: unknown[] };
    expect(baseline.users).toHaveLength(okta.org.users.length);
    await readOnce(okta, {}, { state });
    const second = JSON.parse((await state.get(CURSOR_KEY))!) as { at: string };
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(Date.parse(first.at));
  });
});
