/**
 * LDIF fixtures made in code, with the facts a read of them must give.
 *
 * `openldapDirectory` builds an inetOrgPerson directory: users in nested OUs under `ou=people`,
 * a service account outside it, `groupOfNames` and `groupOfUniqueNames` groups (two nested in each
 * other), a locked (ppolicy) user, users without `mail`, `cn=Smith\, John`, a non-ASCII name, a
 * member DN that names nobody and member DNs spelled in another case and spacing. `adDirectory`
 * builds the same kind of thing with Active Directory's `user`/`group` classes (msuser.schema).
 *
 * Each fixture returns the LDIF and, per user and group, what the read should produce (ids,
 * addresses, expected member ids): the generator decides them, the test compares the read to them.
 */

export type Value = string | Buffer;
export interface LdifEntry {
  dn: string;
  attributes: Record<string, Value | Value[]>;
}

export interface ExpectedUser {
  dn: string;
  id: string;
  email: string | null;
  displayName: string;
  givenName: string;
  familyName: string;
  title?: string;
  department?: string;
  active: boolean;
}

export interface ExpectedGroup {
  dn: string;
  id: string;
  name: string;
  /** Ids of the users and groups it names directly and that are read. */
  members: string[];
}

export interface Fixture {
  suffix: string;
  userBase: string;
  groupBase: string;
  ldif: string;
  users: ExpectedUser[];
  groups: ExpectedGroup[];
}

function needsBase64(value: string): boolean {
   
  return /^[ :<]|[^\x20-\x7e]|\s$/.test(value);
}

function line(name: string, value: Value): string {
  if (Buffer.isBuffer(value)) return `${name}:: ${value.toString('base64')}`;
  return needsBase64(value) ? `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}` : `${name}: ${value}`;
}

export function toLdif(entries: Iterable<LdifEntry>): string {
  const out: string[] = [];
  for (const entry of entries) {
    out.push(line('dn', entry.dn));
    for (const [name, values] of Object.entries(entry.attributes)) {
      for (const value of Array.isArray(values) ? values : [values]) out.push(line(name, value));
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** A deterministic UUID (version 4 layout) from a number and a 2-digit tag. */
export function uuidOf(tag: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${tag.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

/** When the OpenLDAP fixture's entries claim to have last changed (so later changes stand out). */
export const LOADED_AT = '20250101000000Z';

const LEAF_OUS = ['ou=platform,ou=engineering', 'ou=apps,ou=engineering', 'ou=emea,ou=sales', 'ou=americas,ou=sales', 'ou=support'];
const DEPARTMENTS = ['Engineering', 'Engineering', 'Sales', 'Sales', 'Support'];

function organizationalUnits(base: string, names: string[]): LdifEntry[] {
  const seen = new Set<string>();
  const out: LdifEntry[] = [];
  for (const path of names) {
    const parts = path.split(',');
    for (let i = parts.length - 1; i >= 0; i -= 1) {
      const dn = `${parts.slice(i).join(',')},${base}`;
      if (seen.has(dn)) continue;
      seen.add(dn);
      out.push({ dn, attributes: { objectClass: 'organizationalUnit', ou: parts[i]!.slice(3) } });
    }
  }
  return out;
}

/** The bind accounts of the tests: `reader` (no limits) and `limited` (a size limit in `slapd.ts` configs). */
export const READER_PASSWORD = 'Reader-pw-7f3a1c';
export const readerDn = (suffix: string) => `cn=reader,ou=services,${suffix}`;
export const limitedDn = (suffix: string) => `cn=limited,ou=services,${suffix}`;

function serviceAccounts(suffix: string): LdifEntry[] {
  return [readerDn(suffix), limitedDn(suffix)].map((dn) => ({
    dn,
    attributes: { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: dn.slice(3, dn.indexOf(',')), userPassword: READER_PASSWORD },
  }));
}

/** `ou=partners` holds only a referral to another server: a search there is answered with a reference. */
function referral(suffix: string): LdifEntry[] {
  return [
    { dn: `ou=partners,${suffix}`, attributes: { objectClass: 'organizationalUnit', ou: 'partners' } },
    { dn: `ou=remote,ou=partners,${suffix}`, attributes: { objectClass: ['referral', 'extensibleObject'], ou: 'remote', ref: 'ldap://ldap.partner.invalid/ou=remote,dc=partner,dc=invalid' } },
  ];
}

export interface OpenLdapOptions {
  users: number;
  /** Extra groups of `groupSize` members each (for the bench). */
  extraGroups?: number;
  groupSize?: number;
}

/** A generated person: the LDIF entry and the expected user. */
function person(index: number, base: string): { entry: LdifEntry; user: ExpectedUser } {
  const uid = `u${String(index).padStart(5, '0')}`;
  const ou = LEAF_OUS[index % LEAF_OUS.length]!;
  const dn = `uid=${uid},${ou},${base}`;
  const id = uuidOf(1, index);
  const withoutMail = index % 97 === 0;
  const user: ExpectedUser = {
    dn,
    id,
    email: withoutMail ? null : `${uid}@example.com`,
    displayName: `Given${index} Family${index}`,
    givenName: `Given${index}`,
    familyName: `Family${index}`,
    title: index % 2 === 0 ? 'Engineer' : 'Analyst',
    department: DEPARTMENTS[index % LEAF_OUS.length]!,
    active: true,
  };
  return { entry: inetOrgPerson(user, { uid }), user };
}

function inetOrgPerson(user: ExpectedUser, extra: Record<string, Value | Value[]>): LdifEntry {
  const attributes: Record<string, Value | Value[]> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    cn: user.displayName,
    sn: user.familyName,
    givenName: user.givenName,
    displayName: user.displayName,
    entryUUID: user.id,
    modifyTimestamp: LOADED_AT,
    ...(user.email ? { mail: user.email } : {}),
    ...(user.title ? { title: user.title } : {}),
    ...(user.department ? { departmentNumber: user.department } : {}),
    ...extra,
  };
  return { dn: user.dn, attributes };
}

/** The same DN in upper case with a space after each comma: the same entry per RFC 4514. */
export function respelled(dn: string): string {
  return dn.replace(/,/g, ', ').toUpperCase().replace(/\\, /g, '\\,');
}

export function openldapDirectory(options: OpenLdapOptions): Fixture {
  const suffix = 'dc=example,dc=com';
  const userBase = `ou=people,${suffix}`;
  const groupBase = `ou=groups,${suffix}`;
  const entries: LdifEntry[] = [
    { dn: suffix, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: 'example', o: 'Example' } },
    ...organizationalUnits(suffix, ['ou=people', 'ou=groups', 'ou=services']),
    ...organizationalUnits(userBase, LEAF_OUS),
  ];
  const users: ExpectedUser[] = [];
  for (let i = 1; i <= options.users; i += 1) {
    const made = person(i, userBase);
    entries.push(made.entry);
    users.push(made.user);
  }
  const smith: ExpectedUser = { dn: `cn=Smith\\, John,ou=emea,ou=sales,${userBase}`, id: uuidOf(2, 1), email: 'john.smith@example.com', displayName: 'John Smith', givenName: 'John', familyName: 'Smith', active: true };
  const zoe: ExpectedUser = { dn: `uid=zoe,ou=support,${userBase}`, id: uuidOf(2, 2), email: 'zoe@example.com', displayName: 'Zoë Ångström-Łukasz', givenName: 'Zoë', familyName: 'Ångström-Łukasz', active: true };
  const locked: ExpectedUser = { dn: `uid=locked,ou=support,${userBase}`, id: uuidOf(2, 3), email: 'locked@example.com', displayName: 'Locked Out', givenName: 'Locked', familyName: 'Out', active: false };
  entries.push(inetOrgPerson(smith, {}), inetOrgPerson(zoe, { uid: 'zoe' }), inetOrgPerson(locked, { uid: 'locked', pwdAccountLockedTime: '000001010000Z' }));
  users.push(smith, zoe, locked);
  const service = `uid=svc-backup,ou=services,${suffix}`;
  entries.push({ dn: service, attributes: { objectClass: ['inetOrgPerson'], cn: 'Backup', sn: 'Service', uid: 'svc-backup', mail: 'backup@example.com', entryUUID: uuidOf(3, 1) } });

  entries.push(...serviceAccounts(suffix), ...referral(suffix));
  const groups = specialGroups(groupBase, users, { smith, zoe, locked, service });
  for (let g = 0; g < (options.extraGroups ?? 0); g += 1) {
    const size = options.groupSize ?? 40;
    const members = Array.from({ length: size }, (_, k) => users[(g * 37 + k * 11) % options.users]!);
    groups.push({ dn: `cn=team-${g},${groupBase}`, id: uuidOf(5, g), name: `team-${g}`, members: [...new Set(members.map((u) => u.id))], memberDns: [...new Set(members.map((u) => u.dn))], kind: 'groupOfNames' });
  }
  for (const group of groups) {
    const attribute = group.kind === 'groupOfNames' ? 'member' : 'uniqueMember';
    entries.push({ dn: group.dn, attributes: { objectClass: ['top', group.kind], cn: group.name, description: `The ${group.name} group`, entryUUID: group.id, modifyTimestamp: LOADED_AT, [attribute]: group.memberDns } });
  }
  return { suffix, userBase, groupBase, ldif: toLdif(entries), users, groups: groups.map(({ dn, id, name, members }) => ({ dn, id, name, members })) };
}

interface GroupSpec extends ExpectedGroup {
  memberDns: string[];
  kind: 'groupOfNames' | 'groupOfUniqueNames';
}

function specialGroups(base: string, users: ExpectedUser[], special: { smith: ExpectedUser; zoe: ExpectedUser; locked: ExpectedUser; service: string }): GroupSpec[] {
  const engineering = `cn=Engineering,${base}`;
  const platform = `cn=Platform,${base}`;
  const engineers = users.filter((u) => u.department === 'Engineering').slice(0, 30);
  const sellers = users.filter((u) => u.department === 'Sales').slice(0, 20);
  const ghost = `uid=ghost,ou=support,ou=people,dc=example,dc=com`;
  return [
    {
      dn: engineering, id: uuidOf(4, 1), name: 'Engineering', kind: 'groupOfNames',
      memberDns: [...engineers.slice(0, 20).map((u, i) => (i % 2 === 0 ? respelled(u.dn) : u.dn)), respelled(platform)],
      members: [...engineers.slice(0, 20).map((u) => u.id), uuidOf(4, 2)],
    },
    {
      dn: platform, id: uuidOf(4, 2), name: 'Platform', kind: 'groupOfNames',
      memberDns: [...engineers.slice(15).map((u) => u.dn), engineering],
      members: [...engineers.slice(15).map((u) => u.id), uuidOf(4, 1)],
    },
    {
      dn: `cn=Sales,${base}`, id: uuidOf(4, 3), name: 'Sales', kind: 'groupOfUniqueNames',
      memberDns: [...sellers.map((u) => u.dn), special.smith.dn],
      members: [...sellers.map((u) => u.id), special.smith.id],
    },
    {
      dn: `cn=Support,${base}`, id: uuidOf(4, 4), name: 'Support', kind: 'groupOfNames',
      memberDns: [special.zoe.dn, special.locked.dn, ghost, special.service],
      members: [special.zoe.id, special.locked.id],
    },
  ];
}

/** The 16 bytes of an AD objectGUID whose canonical string is `uuid` (first three fields little-endian). */
export function guidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  const swap = (start: number, length: number) => bytes.subarray(start, start + length).reverse();
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  return bytes;
}

const AD_REQUIRED = (suffix: string, category: string) => ({
  instanceType: '4',
  nTSecurityDescriptor: Buffer.from([1, 0, 4, 0x80]),
  objectCategory: `CN=${category},CN=Schema,CN=Configuration,${suffix}`,
});

export interface AdUser extends ExpectedUser {
  upn: string;
  userAccountControl: number;
  mail?: string;
}

function adUser(user: AdUser, suffix: string, usn: number): LdifEntry {
  return {
    dn: user.dn,
    attributes: {
      // Debian's msuser.schema leaves `department` out of `user`; extensibleObject lets it in.
      objectClass: ['top', 'person', 'organizationalPerson', 'user', 'extensibleObject'],
      ...AD_REQUIRED(suffix, 'Person'),
      cn: user.dn.slice(3, user.dn.search(/,OU=/)).replace(/\\/g, ''),
      sn: user.familyName,
      givenName: user.givenName,
      displayName: user.displayName,
      userPrincipalName: user.upn,
      userAccountControl: String(user.userAccountControl),
      objectGUID: guidBytes(user.id),
      uSNChanged: String(usn),
      ...(user.mail ? { mail: user.mail } : {}),
      ...(user.department ? { department: user.department } : {}),
      ...(user.title ? { title: user.title } : {}),
    },
  };
}

/**
 * An Active Directory-shaped directory: `DC=ad,DC=example`, users under `OU=Staff` (nested OUs),
 * mixed-case DNs as AD writes them. `users` people plus: a disabled one (userAccountControl 514),
 * one without mail whose UPN is on a routable domain (its UPN is the address), one without mail
 * whose UPN is on `corp.local` (no address), `CN=Smith\, John`, a computer (never a user).
 */
export function adDirectory(count: number): Fixture {
  const suffix = 'DC=ad,DC=example';
  const userBase = `OU=Staff,${suffix}`;
  const groupBase = `OU=Groups,${suffix}`;
  const entries: LdifEntry[] = [
    { dn: suffix, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: 'ad', o: 'AD' } },
    { dn: userBase, attributes: { objectClass: 'organizationalUnit', ou: 'Staff' } },
    { dn: `OU=London,${userBase}`, attributes: { objectClass: 'organizationalUnit', ou: 'London' } },
    { dn: groupBase, attributes: { objectClass: 'organizationalUnit', ou: 'Groups' } },
  ];
  const users: AdUser[] = [];
  for (let i = 1; i <= count; i += 1) {
    const name = `Person ${i}`;
    const ou = i % 2 === 0 ? `OU=London,${userBase}` : userBase;
    users.push({ dn: `CN=${name},${ou}`, id: uuidOf(7, i), upn: `p${i}@ad.example.com`, mail: `person${i}@example.com`, email: `person${i}@example.com`, displayName: name, givenName: 'Person', familyName: String(i), department: 'R&D', title: 'Engineer', active: true, userAccountControl: 512 });
  }
  const extra: AdUser[] = [
    { dn: `CN=Disabled Dan,${userBase}`, id: uuidOf(8, 1), upn: 'dan@ad.example.com', mail: 'dan@example.com', email: 'dan@example.com', displayName: 'Disabled Dan', givenName: 'Dan', familyName: 'Disabled', active: false, userAccountControl: 514 },
    { dn: `CN=Upn Only,${userBase}`, id: uuidOf(8, 2), upn: 'upn.only@example.com', email: 'upn.only@example.com', displayName: 'Upn Only', givenName: 'Upn', familyName: 'Only', active: true, userAccountControl: 66048 },
    { dn: `CN=Local Lou,${userBase}`, id: uuidOf(8, 3), upn: 'lou@corp.local', email: null, displayName: 'Local Lou', givenName: 'Lou', familyName: 'Local', active: true, userAccountControl: 512 },
    { dn: `CN=Smith\\, John,OU=London,${userBase}`, id: uuidOf(8, 4), upn: 'jsmith@ad.example.com', mail: 'john.smith@example.com', email: 'john.smith@example.com', displayName: 'John Smith', givenName: 'John', familyName: 'Smith', active: true, userAccountControl: 512 },
  ];
  users.push(...extra);
  users.forEach((user, i) => entries.push(adUser(user, suffix, 1000 + i)));
  entries.push({
    dn: `CN=WS01,${userBase}`,
    attributes: { objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'], ...AD_REQUIRED(suffix, 'Computer'), cn: 'WS01', sn: 'WS01', userAccountControl: '4096', objectGUID: guidBytes(uuidOf(9, 1)) },
  });
  const staff = users.slice(0, 10);
  const groups: (ExpectedGroup & { memberDns: string[] })[] = [
    { dn: `CN=Staff All,${groupBase}`, id: uuidOf(6, 1), name: 'Staff All', memberDns: [...staff.map((u) => u.dn.toLowerCase()), extra[3]!.dn, `CN=Admins,${groupBase}`, `CN=WS01,${userBase}`], members: [...staff.map((u) => u.id), extra[3]!.id, uuidOf(6, 2)] },
    { dn: `CN=Admins,${groupBase}`, id: uuidOf(6, 2), name: 'Admins', memberDns: [extra[0]!.dn, extra[1]!.dn, `CN=Staff All,${groupBase}`], members: [extra[0]!.id, extra[1]!.id, uuidOf(6, 1)] },
  ];
  for (const group of groups) {
    entries.push({
      dn: group.dn,
      attributes: { objectClass: ['top', 'group'], ...AD_REQUIRED(suffix, 'Group'), cn: group.name, groupType: '-2147483646', objectGUID: guidBytes(group.id), member: group.memberDns },
    });
  }
  return { suffix, userBase, groupBase, ldif: toLdif(entries), users, groups: groups.map(({ dn, id, name, members }) => ({ dn, id, name, members })) };
}
