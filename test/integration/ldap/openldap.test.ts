/**
 * The `ldap` source against a real OpenLDAP server (Debian's slapd, started by the test on a free
 * loopback port): 2,003 users in nested OUs read in pages smaller than the result, groupOfNames and
 * groupOfUniqueNames with members spelled in other cases, a cycle of nested groups, a locked user,
 * users without mail, an escaped DN, a non-ASCII name, a member that names nobody, StartTLS with a
 * CA the test makes, and the reads that must fail: a wrong password, a referral, a size limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgsyncError } from '../../../src/errors.js';
import { limitedDn, openldapDirectory, READER_PASSWORD, readerDn, type Fixture } from './fixtures.js';
import { LdapSource } from '../../../connectors/ldap/index.js';
import { policySchema } from '../../../src/model/policy.js';
import { MemoryStateStore } from '../../../src/store/types.js';
import { failureOf, readOnce, recordingLogger, settingsFor } from './helpers.js';
import { slapdAvailable, startSlapd, type Slapd } from './slapd.js';

const USERS = 2000;

describe('ldap source: OpenLDAP', () => {
  let server: Slapd;
  let fixture: Fixture;
  let base: Record<string, unknown>;

  beforeAll(async () => {
    if (!slapdAvailable()) throw new Error('slapd is not installed: apt-get install slapd ldap-utils (as .ci/run does)');
    fixture = openldapDirectory({ users: USERS });
    const limits = `limits dn.exact="${limitedDn(fixture.suffix)}" size.soft=100 size.hard=100 size.prtotal=100`;
    server = await startSlapd({ suffix: fixture.suffix, ldif: fixture.ldif, tls: true, databaseConfig: [limits] });
    base = { url: server.url, bindDn: readerDn(fixture.suffix), bindPassword: READER_PASSWORD, userBase: fixture.userBase, groupBase: fixture.groupBase };
  }, 60_000);
  afterAll(() => server?.close());

  it('reads every user in pages smaller than the result, with ids, addresses, names and status', async () => {
    const { snapshot, source } = await readOnce({ ...base, pageSize: 300 });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users).toHaveLength(fixture.users.length);
    expect(source.lastStats!.pages).toBeGreaterThanOrEqual(Math.ceil(fixture.users.length / 300));
    const byId = new Map(snapshot.users.map((u) => [u.id, u]));
    for (const expected of fixture.users) {
      const user = byId.get(expected.id);
      expect(user, expected.dn).toBeDefined();
      expect(user!.email).toBe(expected.email);
      expect(user!.displayName).toBe(expected.displayName);
      expect(user!.givenName).toBe(expected.givenName);
      expect(user!.familyName).toBe(expected.familyName);
      expect(user!.active).toBe(expected.active);
      expect(user!.attributes.title).toBe(expected.title);
      expect(user!.attributes.department).toBe(expected.department);
    }
    expect(snapshot.users.filter((u) => u.email === null).length).toBe(fixture.users.filter((u) => u.email === null).length);
    expect(snapshot.users.filter((u) => !u.active).map((u) => u.displayName)).toEqual(['Locked Out']);
    expect(snapshot.users.find((u) => u.familyName === 'Ångström-Łukasz')?.displayName).toBe('Zoë Ångström-Łukasz');
  });

  it('matches member DNs case- and space-insensitively, across member and uniqueMember, escapes included', async () => {
    const { snapshot } = await readOnce({ ...base, pageSize: 500 }, { policy: { groups: { nested: 'direct' } } });
    expect(snapshot.groups.map((g) => g.displayName).sort()).toEqual(['Engineering', 'Platform', 'Sales', 'Support']);
    for (const expected of fixture.groups) {
      const group = snapshot.groups.find((g) => g.id === expected.id)!;
      expect(group.members, expected.name).toEqual([...expected.members].sort());
    }
  });

  it('flattens nested groups client-side and survives a cycle', async () => {
    const { snapshot } = await readOnce(base, { policy: { groups: { nested: 'flatten' } } });
    const engineering = fixture.groups.find((g) => g.name === 'Engineering')!;
    const platform = fixture.groups.find((g) => g.name === 'Platform')!;
    const users = new Set(fixture.users.map((u) => u.id));
    const union = [...new Set([...engineering.members, ...platform.members].filter((id) => users.has(id)))].sort();
    const read = (id: string) => snapshot.groups.find((g) => g.id === id)!.members.filter((m) => users.has(m));
    expect(read(engineering.id)).toEqual(union);
    expect(read(platform.id)).toEqual(union);
  });

  it('does not take a member outside userBase, or one that does not exist, for a user, and says so', async () => {
    const { snapshot } = await readOnce(base);
    const support = fixture.groups.find((g) => g.name === 'Support')!;
    expect(snapshot.groups.find((g) => g.id === support.id)!.members).toEqual([...support.members].sort());
    const issue = snapshot.issues.find((i) => i.code === 'unresolved-member');
    expect(issue?.subject).toBe(support.id);
    expect(issue?.message).toContain('2 member(s)');
    expect(snapshot.complete).toBe(true);
  });

  it('narrows users by userFilter and scope, and then leaves filtered members out of groups', async () => {
    const { snapshot } = await readOnce({ ...base, userFilter: '(&(objectClass=inetOrgPerson)(departmentNumber=Sales))' });
    const sellers = fixture.users.filter((u) => u.department === 'Sales');
    expect(snapshot.users.map((u) => u.id).sort()).toEqual(sellers.map((u) => u.id).sort());
    const engineering = fixture.groups.find((g) => g.name === 'Engineering')!;
    expect(snapshot.groups.find((g) => g.id === engineering.id)!.members.every((m) => !fixture.users.some((u) => u.id === m))).toBe(true);
    const one = await readOnce({ ...base, userBase: `ou=support,${fixture.userBase}`, scope: 'one' });
    expect(one.snapshot.users.map((u) => u.displayName).sort()).toEqual(fixture.users.filter((u) => u.dn.includes(',ou=support,')).map((u) => u.displayName).sort());
  });

  it('marks the snapshot incomplete when a scope group is not found', async () => {
    const { snapshot } = await readOnce(base, { policy: { scope: { groups: ['Engineering', 'No Such Group'] } } });
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues.find((i) => i.code === 'missing-scope-group')?.subject).toBe('No Such Group');
  });

  it('reads over StartTLS when the CA that signed the server is given, and refuses an unknown CA', async () => {
    const { snapshot } = await readOnce({ ...base, startTls: true, tls: { ca: server.caFile } });
    expect(snapshot.users).toHaveLength(fixture.users.length);
    const error = await failureOf(readOnce({ ...base, startTls: true }));
    expect(error).toBeInstanceOf(OrgsyncError);
    expect(error.message).toMatch(/StartTLS on ldap:\/\/127\.0\.0\.1:\d+ failed: .*(self-signed|certificate)/i);
  });

  it('fails a wrong password with one line naming the bind DN, never the password', async () => {
    const error = await failureOf(readOnce({ ...base, bindPassword: 'not-the-password' }));
    expect(error).toBeInstanceOf(OrgsyncError);
    expect((error as OrgsyncError).code).toBe('config');
    expect(error.message).toContain(`refused the bind as "${readerDn(fixture.suffix)}"`);
    expect(error.message).not.toContain('not-the-password');
    expect(error.message).not.toContain('\n');
  });

  it('fails a read answered with a referral instead of returning what it saw', async () => {
    const error = await failureOf(readOnce({ ...base, userBase: `ou=partners,${fixture.suffix}`, userFilter: '(objectClass=*)' }));
    expect((error as OrgsyncError).code).toBe('ldap-referral');
    expect(error.message).toContain('ldap://ldap.partner.invalid/');
  });

  it('fails a read whose base is itself a referral', async () => {
    const error = await failureOf(readOnce({ ...base, userBase: `ou=remote,ou=partners,${fixture.suffix}`, userFilter: '(objectClass=*)' }));
    expect((error as OrgsyncError).code).toBe('ldap-referral');
  });

  it('stops a read when it is aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const source = new LdapSource(settingsFor({ ...base, pageSize: 20 }), { baseDir: process.cwd() });
    const reading = source.read({ policy: policySchema.parse({}), state: new MemoryStateStore(), full: true, log: recordingLogger().log, signal: controller.signal });
    setImmediate(() => controller.abort(new Error('shutting down')));
    const error = await failureOf(reading);
    expect(error.message).toBe('shutting down');
  });

  it('fails a read cut short by the server size limit instead of returning a short snapshot', async () => {
    const error = await failureOf(readOnce({ ...base, bindDn: limitedDn(fixture.suffix), pageSize: 50 }));
    expect((error as OrgsyncError).code).toBe('ldap-limit');
    expect(error.message).toContain("hit the server's size limit");
  });

  it('keeps the bind password out of logs and the snapshot', async () => {
    const { snapshot, logLines } = await readOnce(base);
    expect(logLines.join('')).toContain('ldap read done');
    expect(logLines.join('')).not.toContain(READER_PASSWORD);
    expect(JSON.stringify(snapshot)).not.toContain(READER_PASSWORD);
  });
});
