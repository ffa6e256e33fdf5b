/**
 * Incremental reads: after a full read, every user is listed again but member lists are read only
 * for groups whose membership moved, and the result is the same whole snapshot a fresh full read
 * gives, including users deleted in Okta or no longer matching `userSearch`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASELINE_KEY, CURSOR_KEY } from '../../../connectors/okta/state.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta/index.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import { connector, readOnce, unsetProxy } from './helpers.js';

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

  it('lists every user once, reads only the moved memberships, and returns the whole directory', async () => {
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

    expect(okta.stats.usersServed).toBe(org.users.length);
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

  it('reads no member list when nothing changed', async () => {
    const snapshot = await readOnce(okta, {}, { state });
    expect(okta.stats.usersServed).toBe(okta.org.users.length);
    expect(memberListsRead(okta)).toEqual([]);
    expect(snapshot.users).toHaveLength(okta.org.users.length);
    expect(snapshot.groups.every((g) => g.members.length > 0)).toBe(true);
  });

  it('drops a user deleted in Okta from the users and from every group', async () => {
    const victim = okta.org.users.find((u) => u.status === 'ACTIVE' && okta.org.groups.some((g) => g.type === 'OKTA_GROUP' && g.members.includes(u.id)))!;
    okta.org.updateUser(victim.id, { status: 'DEPROVISIONED' });
    okta.org.deleteUser(victim.id);

    const snapshot = await readOnce(okta, {}, { state });

    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.some((u) => u.id === victim.id)).toBe(false);
    expect(snapshot.groups.some((g) => g.members.includes(victim.id))).toBe(false);
    expect(snapshot).toEqual(await readOnce(okta, {}, { state: new MemoryStateStore() }));
  });

  it('drops a deleted user from a reused member list even when its membership time did not move', async () => {
    const group = okta.org.groups.find((g) => g.type === 'OKTA_GROUP')!;
    const victim = okta.org.user(group.members[0]!)!;
    const membershipTime = group.lastMembershipUpdated;
    okta.org.deleteUser(victim.id);
    group.lastMembershipUpdated = membershipTime;

    const snapshot = await readOnce(okta, {}, { state });

    expect(memberListsRead(okta)).not.toContain(group.id);
    expect(snapshot.groups.find((g) => g.id === group.id)?.members).not.toContain(victim.id);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.users.some((u) => u.id === victim.id)).toBe(false);
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

  it('drops a user who no longer matches userSearch, and takes in one who now does', async () => {
    const settings = { userSearch: 'profile.department eq "Sales"' };
    const searched = new MemoryStateStore();
    const first = await readOnce(okta, settings, { state: searched });
    const leaver = okta.org.users.find((u) => u.status === 'ACTIVE' && u.profile.department === 'Sales')!;
    const joiner = okta.org.users.find((u) => u.status === 'ACTIVE' && u.profile.department === 'Support')!;
    expect(first.users.map((u) => u.id)).toContain(leaver.id);
    expect(first.users.map((u) => u.id)).not.toContain(joiner.id);
    okta.org.updateUser(leaver.id, { profile: { department: 'Support' } });
    okta.org.updateUser(joiner.id, { profile: { department: 'Sales' } });
    okta.resetStats();

    const snapshot = await readOnce(okta, settings, { state: searched });

    expect(memberListsRead(okta)).toEqual([]);
    expect(snapshot.users.map((u) => u.id)).not.toContain(leaver.id);
    expect(snapshot.users.map((u) => u.id)).toContain(joiner.id);
    expect(snapshot.groups.some((g) => g.members.includes(leaver.id))).toBe(false);
    expect(snapshot.groups.filter((g) => g.members.includes(joiner.id))).not.toEqual([]);
    expect(snapshot).toEqual(await readOnce(okta, settings, { state: new MemoryStateStore() }));
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

  it('stores nothing when the state is not kept', async () => {
    const discarded = new MemoryStateStore();
    const snapshot = await connector(okta).read({ policy: parsePolicy({}), state: discarded, full: true, keepState: false, log: silentLogger() });
    expect(snapshot.users).toHaveLength(okta.org.users.length);
    expect(await discarded.get(CURSOR_KEY)).toBeNull();
    expect(await discarded.get(BASELINE_KEY)).toBeNull();
  });
});
