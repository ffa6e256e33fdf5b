/**
 * The pure parts of the `ldap` source: DN normalization (RFC 4514), GUID formatting, UPN domains,
 * flattening nested groups, settings validation, and ranged `member` retrieval (AD's
 * `member;range=0-1499`), which slapd cannot produce: gathered here through a client whose base
 * searches answer the way AD documents.
 */
import { describe, expect, it } from 'vitest';
import { SizeLimitExceededError, TimeLimitExceededError } from 'ldapts';
import { LdapClient, ldapFailure, type Entry } from '../../../connectors/ldap/client.js';
import { dnKey, isWithin, normalizeDn } from '../../../connectors/ldap/dn.js';
import { flattenGroups, formatGuid, onRoutableDomain, toSnapshot } from '../../../connectors/ldap/map.js';
import { memberValues, parseRange } from '../../../connectors/ldap/read.js';
import { LdapSource } from '../../../connectors/ldap/index.js';
import { ldapSettingsSchema, resolveSettings } from '../../../connectors/ldap/settings.js';
import { validate } from '../../../src/config/validate.js';
import { guidBytes } from './fixtures.js';

describe('DN normalization', () => {
  it('treats case, spaces after separators and escape forms as the same name', () => {
    const forms = ['CN=Smith\\, John,OU=Sales,DC=Example,DC=com', 'cn=smith\\, john, ou=sales, dc=example, dc=com', 'cn=Smith\\2C John,ou=Sales,dc=example,dc=com', 'cn="Smith, John",ou=Sales,dc=example,dc=com', '2.5.4.3=Smith\\2c John;OU=Sales;DC=example;DC=COM'];
    const keys = new Set(forms.map(dnKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBe('cn=smith\\, john,ou=sales,dc=example,dc=com');
  });

  it('keeps names that differ apart, and escaped separators inside values', () => {
    expect(dnKey('cn=a\\,ou=x,dc=y')).not.toBe(dnKey('cn=a,ou=x,dc=y'));
    expect(normalizeDn('cn=a\\,ou=x,dc=y')).toEqual(['cn=a\\,ou=x', 'dc=y']);
    expect(dnKey('uid=ann,ou=a,dc=x')).not.toBe(dnKey('uid=ann,ou=b,dc=x'));
  });

  it('decodes UTF-8 hex pairs and sorts multi-valued RDNs', () => {
    expect(dnKey('cn=Zo\\C3\\AB,dc=x')).toBe(dnKey('CN=ZOË,DC=X'));
    expect(dnKey('cn=a+uid=b,dc=x')).toBe(dnKey('UID=B+CN=A,dc=x'));
  });

  it('refuses what is not a DN', () => {
    expect(dnKey('ann')).toBeUndefined();
    expect(dnKey('cn=a,')).toBeUndefined();
    expect(dnKey('=a')).toBeUndefined();
  });

  it('knows whether an entry is in a search scope', () => {
    const base = normalizeDn('ou=People,dc=x')!;
    expect(isWithin(normalizeDn('uid=a,ou=eng,OU=people,dc=x')!, base, 'sub')).toBe(true);
    expect(isWithin(normalizeDn('uid=a,ou=eng,ou=people,dc=x')!, base, 'one')).toBe(false);
    expect(isWithin(normalizeDn('uid=a,ou=people,dc=x')!, base, 'one')).toBe(true);
    expect(isWithin(normalizeDn('uid=a,ou=services,dc=x')!, base, 'sub')).toBe(false);
  });
});

describe('GUIDs and addresses', () => {
  it('formats objectGUID bytes as .NET does (first three fields little-endian)', () => {
    // Guid("00010203-0405-0607-0809-0a0b0c0d0e0f").ToByteArray() per the .NET documentation.
    expect(formatGuid(Buffer.from('03020100050407060809' + '0a0b0c0d0e0f', 'hex'))).toBe('00010203-0405-0607-0809-0a0b0c0d0e0f');
    expect(formatGuid(guidBytes('6f1c1f0e-3b55-4c1e-9a43-0a0000000101'))).toBe('6f1c1f0e-3b55-4c1e-9a43-0a0000000101');
    expect(formatGuid(Buffer.alloc(15))).toBeUndefined();
  });

  it('takes a UPN for an address only on a routable domain', () => {
    expect(onRoutableDomain('ann@acme.com')).toBe(true);
    expect(onRoutableDomain('ann@corp.acme.com')).toBe(true);
    expect(onRoutableDomain('ann@acme.local')).toBe(false);
    expect(onRoutableDomain('ann@ACME.INTERNAL')).toBe(false);
    expect(onRoutableDomain('ann@acme')).toBe(false);
  });
});

describe('nested groups', () => {
  it('flattens a long chain and a cycle without recursion, each group visited once', () => {
    const depth = 400;
    const groups = Array.from({ length: depth }, (_, i) => ({ id: `g${i}`, displayName: `g${i}`, description: '', members: [`u${i}`, `g${(i + 1) % depth}`] }));
    const users = new Set(Array.from({ length: depth }, (_, i) => `u${i}`));
    const flat = flattenGroups(groups, users);
    expect(flat[0]!.members.filter((m) => users.has(m))).toHaveLength(depth);
    expect(flat[depth - 1]!.members.filter((m) => users.has(m))).toHaveLength(depth);
    expect(flat[0]!.members).toContain('g1');
  });
});

describe('settings', () => {
  const base = { url: 'ldap://127.0.0.1:389', bindDn: 'cn=r,dc=x', bindPassword: 'pw-secret-1', userBase: 'ou=p,dc=x' };
  const problem = (input: Record<string, unknown>) => {
    try {
      validate(ldapSettingsSchema, input, 'orgsync.yaml', 'profiles[0].source');
    } catch (error) {
      return (error as Error).message;
    }
    return 'valid';
  };

  it('names the key at fault and never echoes the password', () => {
    expect(problem({ ...base, bindPassword: undefined })).toContain('profiles[0].source.bindPassword: required');
    expect(problem({ ...base, bindDn: undefined, bindPassword: undefined })).toContain('profiles[0].source.bindDn: required');
    expect(problem({ ...base, url: 'https://x' })).toContain('profiles[0].source.url: must be ldap://');
    expect(problem({ ...base, url: 'ldaps://x:636', startTls: true })).toContain('profiles[0].source.startTls');
    expect(problem({ ...base, userFilter: 'objectClass=person' })).toContain('profiles[0].source.userFilter: must be an LDAP filter');
    expect(problem({ ...base, attributes: { mail: 'x' } })).toContain('profiles[0].source.attributes.mail');
    expect(problem({ ...base, pageSize: 0 })).toContain('profiles[0].source.pageSize');
    expect(problem({ ...base, allowAnonymous: true })).toContain('profiles[0].source.allowAnonymous');
    expect(problem({ ...base, bindDn: undefined, bindPassword: undefined, allowAnonymous: true })).toBe('valid');
    expect(problem({ ...base, userFilter: 'bad' })).not.toContain('pw-secret-1');
  });

  it('names tls.ca when the CA file cannot be read', () => {
    const settings = ldapSettingsSchema.parse({ ...base, startTls: true, tls: { ca: 'absent-ca.pem' } });
    expect(() => new LdapSource(settings, { baseDir: '/nonexistent' })).toThrow(/^ldap source: tls\.ca: cannot read \/nonexistent\/absent-ca\.pem/);
  });

  it('fills the flavor defaults, every one overridable', () => {
    const ad = resolveSettings(ldapSettingsSchema.parse({ ...base, flavor: 'activedirectory' }));
    expect(ad.attributes.id).toBe('objectGUID');
    expect(ad.disabled).toEqual({ kind: 'userAccountControl' });
    expect(ad.upnFallback).toBe(true);
    const ldap = resolveSettings(ldapSettingsSchema.parse({ ...base, attributes: { member: 'memberUid', department: 'ou' }, disabled: { attribute: 'employeeType', value: 'inactive' } }));
    expect(ldap.attributes).toMatchObject({ id: 'entryUUID', member: ['memberUid'], department: 'ou' });
    expect(ldap.disabled).toEqual({ kind: 'attribute', attribute: 'employeeType', value: 'inactive' });
    expect(ldap.upnFallback).toBe(false);
  });
});

describe('ranged member retrieval', () => {
  it('parses range attribute names', () => {
    expect(parseRange('member;range=0-1499')).toEqual({ attribute: 'member', start: 0, end: 1499 });
    expect(parseRange('member;range=3000-*')).toEqual({ attribute: 'member', start: 3000, end: '*' });
    expect(parseRange('member')).toBeUndefined();
  });

  /**
   * Answers base searches for `member;range=N-*` with up to 1,500 values (AD's default MaxValRange),
   * naming the range it returns and `*` on the last one, per [MS-ADTS] 3.1.1.3.1.3.3. Unverified
   * against a real domain controller.
   */
  class RangedClient extends LdapClient {
    readonly asked: string[] = [];
    constructor(private readonly all: string[]) {
      super({ url: 'ldap://dc.invalid', startTls: false, timeoutMs: 1000 });
    }
    override async entry(dn: string, attributes: string[]): Promise<Entry | undefined> {
      this.asked.push(attributes[0]!);
      const start = parseRange(attributes[0]!)!.start;
      const end = Math.min(start + 1499, this.all.length - 1);
      const last = end === this.all.length - 1;
      return { dn, [`member;range=${start}-${last ? '*' : end}`]: this.all.slice(start, end + 1) };
    }
  }

  it('reads the rest of a member list the server returned ranged', async () => {
    const all = Array.from({ length: 4000 }, (_, i) => `cn=u${i},dc=x`);
    const client = new RangedClient(all);
    const first: Entry = { dn: 'cn=big,dc=x', member: [], 'member;range=0-1499': all.slice(0, 1500) };
    const [members] = await memberValues(client, first, ['member']);
    expect(members!.values).toEqual(all);
    expect(client.asked).toEqual(['member;range=1500-*', 'member;range=3000-*']);
  });

  it('fails when a range the server promised does not come', async () => {
    const client = new (class extends LdapClient {
      override async entry(dn: string): Promise<Entry | undefined> {
        return { dn, member: [] };
      }
    })({ url: 'ldap://dc.invalid', startTls: false, timeoutMs: 1000 });
    const first: Entry = { dn: 'cn=big,dc=x', 'member;range=0-1499': ['cn=a,dc=x'] };
    await expect(memberValues(client, first, ['member'])).rejects.toThrow('gave no member;range=1500-* for "cn=big,dc=x"');
  });
});

describe('mapping entries', () => {
  const profile = resolveSettings(ldapSettingsSchema.parse({ url: 'ldap://x', allowAnonymous: true, userBase: 'ou=p,dc=x', groupBase: 'ou=g,dc=x', attributes: { member: ['member', 'memberUid'] } }));
  const user = (uid: string, id: string): Entry => ({ dn: `uid=${uid},ou=p,dc=x`, entryUUID: id, uid, mail: `${uid}@x.com` });

  it('keeps both records when two entries carry one id', () => {
    const snapshot = toSnapshot({ users: [user('a', 'same-id'), user('b', 'same-id')], groups: [], nested: 'direct', complete: true, issues: [] }, profile);
    expect(snapshot.users.map((u) => u.email)).toEqual(['a@x.com', 'b@x.com']);
  });

  it('matches memberUid values to user names and DNs to entries', () => {
    const group: Entry = { dn: 'cn=g,ou=g,dc=x', entryUUID: 'g-1', cn: 'g' };
    const snapshot = toSnapshot(
      { users: [user('a', 'id-a'), user('b', 'id-b')], groups: [{ entry: group, members: [{ attribute: 'memberUid', values: ['A', 'nobody'] }, { attribute: 'member', values: ['UID=b, OU=p, DC=x'] }] }], nested: 'direct', complete: true, issues: [] },
      profile,
    );
    expect(snapshot.groups[0]!.members).toEqual(['id-a', 'id-b']);
    expect(snapshot.issues.map((i) => i.code)).toEqual(['unresolved-member']);
  });

  it('skips an entry without an id, with an issue naming its DN', () => {
    const snapshot = toSnapshot({ users: [{ dn: 'uid=c,ou=p,dc=x', mail: 'c@x.com' }], groups: [], nested: 'direct', complete: true, issues: [] }, profile);
    expect(snapshot.users).toEqual([]);
    expect(snapshot.issues[0]).toMatchObject({ code: 'missing-id', subject: 'uid=c,ou=p,dc=x' });
  });
});

describe('failure classes', () => {
  it('reads time, size and admin limits as an abandoned read, never as a short one', () => {
    for (const error of [new TimeLimitExceededError(), new SizeLimitExceededError()]) {
      const failure = ldapFailure(error, 'ldap://dc', 'search of "ou=p"');
      expect(failure.code).toBe('ldap-limit');
      expect(failure.retry).toBe('never');
    }
  });
});
