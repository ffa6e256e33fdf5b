/**
 * Incremental reads against a real slapd: after a full read the baseline is stored; a later read
 * lists ids only, reads the entries changed since (`modifyTimestamp`), and returns what a full read
 * of the changed server returns: a changed address, a deleted user, a new user in a group, a user
 * moved to another OU, a renamed group. The Active Directory flavor, whose cursor slapd cannot give
 * (`highestCommittedUSN`), reads everything every time and says why.
 */
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_KEY } from '../../../connectors/ldap/state.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { openldapDirectory, READER_PASSWORD, readerDn, type Fixture } from './fixtures.js';
import { readOnce } from './helpers.js';
import { slapdAvailable, startSlapd, type Slapd } from './slapd.js';

describe('ldap source: incremental reads', () => {
  let server: Slapd;
  let fixture: Fixture;
  let base: Record<string, unknown>;
  let admin: Client;

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    fixture = openldapDirectory({ users: 200 });
    server = await startSlapd({ suffix: fixture.suffix, ldif: fixture.ldif });
    base = { url: server.url, bindDn: readerDn(fixture.suffix), bindPassword: READER_PASSWORD, userBase: fixture.userBase, groupBase: fixture.groupBase, pageSize: 50 };
    admin = new Client({ url: server.url });
    await admin.bind(server.rootDn, server.rootPassword);
  }, 60_000);
  afterAll(async () => {
    await admin?.unbind();
    await server?.close();
  });

  it('reads only the changes on top of the baseline and returns the whole directory', async () => {
    // The fixture's entries last changed in 2025; one change now moves the cursor to about now
    // (less the safety minute), so the 2025 entries are not changes any more.
    const support = fixture.groups.find((g) => g.name === 'Support')!;
    await admin.modify(support.dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'description', values: ['Support desk'] }) }));
    const state = new MemoryStateStore();
    const first = await readOnce(base, { state });
    expect(first.source.lastRead).toEqual({ mode: 'full', reason: 'no baseline yet' });
    expect(await state.get(STATE_KEY)).not.toBeNull();

    const unchanged = await readOnce(base, { state });
    expect(unchanged.source.lastRead).toEqual({ mode: 'incremental', changed: { users: 0, groups: 1 } });
    expect(unchanged.snapshot).toEqual(first.snapshot);

    const [changed, deleted, moved] = [fixture.users[0]!, fixture.users[1]!, fixture.users[2]!];
    await admin.modify(changed.dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['renamed@example.com'] }) }));
    await admin.del(deleted.dn);
    const newcomer = `uid=newcomer,ou=support,${fixture.userBase}`;
    await admin.add(newcomer, { objectClass: ['inetOrgPerson'], uid: 'newcomer', cn: 'New Comer', sn: 'Comer', mail: 'newcomer@example.com' });
    const sales = fixture.groups.find((g) => g.name === 'Sales')!;
    await admin.modify(sales.dn, new Change({ operation: 'add', modification: new Attribute({ type: 'uniqueMember', values: [newcomer] }) }));
    await admin.modifyDN(moved.dn, `uid=moved,ou=support,${fixture.userBase}`);
    const platform = fixture.groups.find((g) => g.name === 'Platform')!;
    await admin.modifyDN(platform.dn, `cn=Platform Team,${fixture.groupBase}`);

    const later = await readOnce(base, { state });
    expect(later.source.lastRead?.mode).toBe('incremental');
    expect(later.source.lastRead?.changed?.users).toBe(3);
    const full = await readOnce(base, { state: new MemoryStateStore() });
    expect(later.snapshot).toEqual(full.snapshot);
    const users = new Map(later.snapshot.users.map((u) => [u.id, u]));
    expect(users.get(changed.id)?.email).toBe('renamed@example.com');
    expect(users.has(deleted.id)).toBe(false);
    expect(users.has(moved.id)).toBe(true);
    const newId = later.snapshot.users.find((u) => u.email === 'newcomer@example.com')!.id;
    expect(later.snapshot.groups.find((g) => g.id === sales.id)!.members).toContain(newId);
    expect(later.snapshot.groups.find((g) => g.id === platform.id)?.displayName).toBe('Platform Team');
  });

  it('reads everything when asked, or when the settings changed what is read', async () => {
    const state = new MemoryStateStore();
    await readOnce(base, { state });
    const forced = await readOnce(base, { state, full: true });
    expect(forced.source.lastRead).toEqual({ mode: 'full', reason: 'full read requested' });
    const narrowed = await readOnce({ ...base, userFilter: '(&(objectClass=inetOrgPerson)(mail=*))' }, { state });
    expect(narrowed.source.lastRead).toEqual({ mode: 'full', reason: 'settings changed what is read' });
  });

  it('reads everything on the Active Directory flavor when the server gives no highestCommittedUSN', async () => {
    const state = new MemoryStateStore();
    const ad = { ...base, flavor: 'activedirectory', attributes: { id: 'entryUUID' }, userFilter: '(objectClass=inetOrgPerson)', groupFilter: '(objectClass=groupOfNames)' };
    await readOnce(ad, { state });
    const again = await readOnce(ad, { state });
    expect(again.source.lastRead?.mode).toBe('full');
    expect(again.source.lastRead?.reason).toContain('highestCommittedUSN');
    expect(await state.get(STATE_KEY)).toBeNull();
  });
});
