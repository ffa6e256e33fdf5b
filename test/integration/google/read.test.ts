/**
 * The `google` source against the emulated Directory API: paging, user mapping, nested groups,
 * external and CUSTOMER members, duplicate ids.
 */
import { describe, expect, it } from 'vitest';
import { seedWorkspace } from '../../emulators/google/index.js';
import { connect, emulator, read, workspace } from './helpers.js';

describe('google source: users', () => {
  it('reads thousands of users over many pages at the largest page sizes', async () => {
    const ws = seedWorkspace({ users: 2345, groups: 3, membersPerGroup: 450 });
    const google = await emulator(ws);
    const snapshot = await read(connect(google, { subject: 'user0@acme.example' }));
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.map((u) => u.id)).toEqual(ws.users.map((u) => u.id).sort());
    expect(google.stats.byRoute).toEqual({ token: 1, users: Math.ceil(2345 / 500), groups: 1, members: 3 * Math.ceil(450 / 200) });
    const group = snapshot.groups.find((g) => g.displayName === 'Group 1')!;
    expect(group.members).toEqual(ws.users.slice(450, 900).map((u) => u.id).sort());
  });

  it('maps primaryEmail, names, the primary organization, and suspended or archived users as inactive', async () => {
    const ws = workspace();
    const plain = ws.addUser({
      primaryEmail: 'Alice@Acme.example',
      aliases: ['ali@acme.example'],
      name: { givenName: 'Alice', familyName: 'Ng', fullName: 'Alice Ng' },
      organizations: [{ title: 'Intern', department: 'Old' }, { primary: true, title: 'Engineer', department: 'R&D' }],
    });
    const suspended = ws.addUser({ primaryEmail: 'sam@acme.example', suspended: true });
    const archived = ws.addUser({ primaryEmail: 'arch@acme.example', archived: true });
    const google = await emulator(ws);
    const users = new Map((await read(connect(google))).users.map((u) => [u.id, u]));
    expect(users.get(plain.id)).toEqual({
      id: plain.id,
      email: 'Alice@Acme.example',
      userName: 'Alice@Acme.example',
      displayName: 'Alice Ng',
      givenName: 'Alice',
      familyName: 'Ng',
      active: true,
      attributes: { title: 'Engineer', department: 'R&D' },
    });
    expect(users.get(suspended.id)).toMatchObject({ active: false, attributes: {} });
    expect(users.get(archived.id)).toMatchObject({ active: false });
    expect(users.get(ws.users[0]!.id)).toMatchObject({ active: true, attributes: {} });
  });

  it('keeps both records of a duplicated id for the reconcile core to report', async () => {
    const ws = workspace();
    ws.addUser({ id: '777', primaryEmail: 'one@acme.example' });
    ws.addUser({ id: '777', primaryEmail: 'two@acme.example' });
    const snapshot = await read(connect(await emulator(ws)));
    expect(snapshot.users.filter((u) => u.id === '777').map((u) => u.email).sort()).toEqual(['one@acme.example', 'two@acme.example']);
  });

  it('passes userQuery and groupQuery to the API', async () => {
    const ws = workspace();
    ws.addUser({ primaryEmail: 'rd@acme.example', organizations: [{ primary: true, department: 'R&D' }] });
    ws.addUser({ primaryEmail: 'ops@acme.example', organizations: [{ primary: true, department: 'Ops' }] });
    ws.addGroup({ email: 'atlassian-users@acme.example', name: 'Atlassian users' });
    ws.addGroup({ email: 'all@acme.example', name: 'All' });
    const snapshot = await read(connect(await emulator(ws), { userQuery: "orgDepartment='R&D'", groupQuery: 'email:atlassian*' }));
    expect(snapshot.users.map((u) => u.email)).toEqual(['rd@acme.example']);
    expect(snapshot.groups.map((g) => g.displayName)).toEqual(['Atlassian users']);
  });
});

describe('google source: members', () => {
  it('keeps nested groups two deep and a cycle as group members, reading each list once', async () => {
    const ws = workspace();
    const [top, middle, bottom] = ['top', 'middle', 'bottom'].map((name) => ws.addGroup({ email: `${name}@acme.example`, name }));
    const alice = ws.addUser({ primaryEmail: 'alice@acme.example' });
    ws.addMember(top!, { group: middle! });
    ws.addMember(middle!, { group: bottom! });
    ws.addMember(bottom!, { user: alice });
    ws.addMember(bottom!, { group: top! });
    const google = await emulator(ws);
    const snapshot = await read(connect(google));
    const members = Object.fromEntries(snapshot.groups.map((g) => [g.displayName, g.members]));
    expect(members).toEqual({ top: [middle!.id], middle: [bottom!.id], bottom: [alice.id, top!.id].sort() });
    expect(Object.values(google.stats.memberRequests)).toEqual([1, 1, 1]);
  });

  it('walks nested groups the group listing left out in place, cycle-safe', async () => {
    const ws = workspace();
    const listed = ws.addGroup({ email: 'atlassian-users@acme.example', name: 'Atlassian users' });
    const outside = ws.addGroup({ email: 'team@acme.example', name: 'Team' });
    const deeper = ws.addGroup({ email: 'squad@acme.example', name: 'Squad' });
    const [a, b] = ['a', 'b'].map((n) => ws.addUser({ primaryEmail: `${n}@acme.example` }));
    ws.addMember(listed, { group: outside });
    ws.addMember(outside, { user: a! });
    ws.addMember(outside, { group: deeper });
    ws.addMember(deeper, { user: b! });
    ws.addMember(deeper, { group: outside });
    const google = await emulator(ws);
    const snapshot = await read(connect(google, { groupQuery: 'email:atlassian*' }));
    expect(snapshot.groups).toEqual([{ id: listed.id, displayName: 'Atlassian users', description: '', members: [a!.id, b!.id].sort() }]);
    expect(google.stats.memberRequests).toEqual({ [listed.id]: 1, [outside.id]: 1, [deeper.id]: 1 });
  });

  it('turns an outside address into one external user, whatever group or spelling names it', async () => {
    const ws = workspace();
    const [one, two] = ['one', 'two'].map((n) => ws.addGroup({ email: `${n}@acme.example`, name: n }));
    ws.addMember(one!, { external: 'Bob@Partner.example' });
    ws.addMember(two!, { external: 'bob@partner.EXAMPLE' });
    ws.addMember(two!, { external: 'carol@gmail.example', externalId: '987654321' });
    ws.addMember(two!, { external: 'ghost@acme.example', externalId: '555' });
    const snapshot = await read(connect(await emulator(ws)));
    const externals = snapshot.users.filter((u) => u.id.startsWith('external:'));
    expect(externals).toEqual([
      { id: 'external:bob@partner.example', email: 'Bob@Partner.example', userName: 'Bob@Partner.example', active: true, attributes: {} },
      { id: 'external:carol@gmail.example', email: 'carol@gmail.example', userName: 'carol@gmail.example', active: true, attributes: {} },
    ]);
    const members = Object.fromEntries(snapshot.groups.map((g) => [g.displayName, g.members]));
    expect(members).toEqual({ one: ['external:bob@partner.example'], two: ['external:bob@partner.example', 'external:carol@gmail.example'] });
  });

  it('reads a CUSTOMER member as everyone in the customer', async () => {
    const ws = workspace();
    const everyone = ws.addGroup({ email: 'everyone@acme.example', name: 'Everyone' });
    ws.addMember(everyone, { customer: true });
    for (const n of ['a', 'b', 'c']) ws.addUser({ primaryEmail: `${n}@acme.example`, suspended: n === 'c' });
    const snapshot = await read(connect(await emulator(ws)));
    expect(snapshot.groups[0]!.members).toEqual(ws.users.map((u) => u.id).sort());
  });

  it('reads at most `concurrency` member lists at once', async () => {
    const google = await emulator(seedWorkspace({ users: 40, groups: 24, membersPerGroup: 5 }));
    google.setLatency(20);
    await read(connect(google, { subject: 'user0@acme.example', concurrency: 3 }));
    expect(google.stats.byRoute.members).toBe(24);
    expect(google.stats.maxInFlight.members).toBeLessThanOrEqual(3);
    expect(google.stats.maxInFlight.members).toBeGreaterThan(1);
  });

  it('reads a group without members as an empty group', async () => {
    const ws = workspace();
    ws.addGroup({ email: 'empty@acme.example', name: 'Empty' });
    const snapshot = await read(connect(await emulator(ws)));
    expect(snapshot.groups).toEqual([expect.objectContaining({ displayName: 'Empty', members: [] })]);
  });
});
