/**
 * The `activedirectory` flavor against slapd loaded with Debian's msuser.schema (AD's `user` and
 * `group` classes, binary `objectGUID`, `userAccountControl`, `userPrincipalName`): GUIDs in
 * canonical form, the disabled bit, the UPN fallback on routable domains only, computers left out,
 * AD-style upper-case member DNs matched to lower-case ones, nested groups in a cycle.
 *
 * Not exercised here (slapd cannot produce it): ranged `member` retrieval (`member;range=...`),
 * covered by the parsing and gathering tests in `pure.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adDirectory, type AdUser, type Fixture } from './fixtures.js';
import { readOnce } from './helpers.js';
import { slapdAvailable, startSlapd, type Slapd } from './slapd.js';

describe('ldap source: Active Directory flavor', () => {
  let server: Slapd;
  let fixture: Fixture;
  let base: Record<string, unknown>;

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    fixture = adDirectory(40);
    server = await startSlapd({ suffix: fixture.suffix, ldif: fixture.ldif });
    base = { flavor: 'activedirectory', url: server.url, bindDn: server.rootDn, bindPassword: server.rootPassword, userBase: fixture.userBase, groupBase: fixture.groupBase, pageSize: 7 };
  }, 60_000);
  afterAll(() => server?.close());

  it('reads users with canonical GUIDs, the disabled bit and addresses (UPN only on routable domains)', async () => {
    const { snapshot, source } = await readOnce(base);
    expect(snapshot.complete).toBe(true);
    expect(source.lastStats!.pages).toBeGreaterThan(5);
    expect(snapshot.users.map((u) => u.id).sort()).toEqual(fixture.users.map((u) => u.id).sort());
    for (const expected of fixture.users as AdUser[]) {
      const user = snapshot.users.find((u) => u.id === expected.id)!;
      expect(user.email, expected.dn).toBe(expected.email);
      expect(user.active, expected.dn).toBe(expected.active);
      expect(user.userName).toBe(expected.upn);
      expect(user.displayName).toBe(expected.displayName);
    }
    expect(snapshot.users.some((u) => u.displayName === 'WS01' || u.userName === undefined)).toBe(false);
  });

  it('matches AD-style member DNs and keeps nested groups, cycle included', async () => {
    const direct = await readOnce(base, { policy: { groups: { nested: 'direct' } } });
    for (const expected of fixture.groups) {
      expect(direct.snapshot.groups.find((g) => g.id === expected.id)?.members, expected.name).toEqual([...expected.members].sort());
    }
    const flat = await readOnce(base, { policy: { groups: { nested: 'flatten' } } });
    const users = new Set(fixture.users.map((u) => u.id));
    const everyone = [...new Set(fixture.groups.flatMap((g) => g.members).filter((id) => users.has(id)))].sort();
    for (const group of flat.snapshot.groups) expect(group.members.filter((m) => users.has(m))).toEqual(everyone);
  });

  it('lets every attribute be overridden', async () => {
    const { snapshot } = await readOnce({ ...base, attributes: { email: 'userPrincipalName', displayName: 'cn' }, disabled: 'none' });
    const dan = snapshot.users.find((u) => u.userName === 'dan@ad.example.com')!;
    expect(dan.email).toBe('dan@ad.example.com');
    expect(dan.active).toBe(true);
    expect(snapshot.users.find((u) => u.familyName === 'Smith')?.displayName).toBe('Smith, John');
  });
});
