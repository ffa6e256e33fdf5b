/**
 * Settings of the `ldap` source, validated once at config load, and the flavor defaults.
 *
 * In: the profile's `source` block minus `kind`. Out: `LdapSettings` (as written, checked), and
 * with `resolveSettings` a `LdapProfile`: every attribute name, filter and the disabled rule filled
 * in from the `flavor` (`openldap`, the default, or `activedirectory`) where the settings leave
 * them out. Every problem names the key at fault; the bind password never appears in a message.
 */
import { z } from 'zod';

const text = z.string().trim().min(1, 'must not be empty');

/** An RFC 4515 filter: parenthesized, balanced. The server has the last word on the rest. */
const filter = text.refine(balancedFilter, 'must be an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson)');

export function balancedFilter(value: string): boolean {
  if (!value.startsWith('(') || !value.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i];
    if (c === '\\') i += 2;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const ldapUrl = text.refine((value) => URL.canParse(value) && /^ldaps?:$/.test(new URL(value).protocol) && new URL(value).pathname.replace(/\/$/, '') === '', 'must be ldap://host[:port] or ldaps://host[:port]');

const disabledRule = z.union([
  z.literal('userAccountControl'),
  z.literal('none'),
  z.object({ attribute: text, value: text.optional() }).strict(),
]);

const attributesSchema = z
  .object({
    id: text,
    email: text,
    userName: text,
    displayName: text,
    givenName: text,
    familyName: text,
    title: text,
    department: text,
    groupName: text,
    groupDescription: text,
    /** Attributes that list a group's members: DNs (`member`, `uniqueMember`) or user names (`memberUid`). */
    member: z.union([text, z.array(text).min(1)]).transform((value) => (Array.isArray(value) ? value : [value])),
  })
  .partial()
  .strict();

export const ldapSettingsSchema = z
  .object({
    flavor: z.enum(['openldap', 'activedirectory']).default('openldap'),
    url: ldapUrl,
    startTls: z.boolean().default(false),
    tls: z
      .object({
        /** PEM file of the CA that signed the server's certificate, relative to the config file. */
        ca: text.optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .default({ rejectUnauthorized: true }),
    bindDn: text.optional(),
    bindPassword: z.string().min(1, 'must not be empty').optional(),
    allowAnonymous: z.boolean().default(false),
    userBase: text,
    userFilter: filter.optional(),
    /** Where groups are read; without it no groups are read. */
    groupBase: text.optional(),
    groupFilter: filter.optional(),
    scope: z.enum(['sub', 'one']).default('sub'),
    attributes: attributesSchema.default({}),
    /** How an account reads as disabled (flavor default: AD `userAccountControl`, OpenLDAP `pwdAccountLockedTime` present). */
    disabled: disabledRule.optional(),
    /** Entries per page (Simple Paged Results); AD's default MaxPageSize is 1000. */
    pageSize: z.number().int().min(1).max(100_000).default(500),
    /** Seconds one LDAP operation may take before the read fails. */
    timeoutSeconds: z.number().positive().max(3600).default(60),
  })
  .strict()
  .superRefine((value, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (value.startTls && value.url.startsWith('ldaps:')) issue(['startTls'], 'cannot be used with an ldaps:// url (the connection is already TLS)');
    if (value.allowAnonymous) {
      if (value.bindDn !== undefined || value.bindPassword !== undefined) issue(['allowAnonymous'], 'give either allowAnonymous: true or bindDn + bindPassword, not both');
      return;
    }
    if (value.bindDn === undefined) issue(['bindDn'], 'required (the service account that reads the directory), unless allowAnonymous: true');
    if (value.bindPassword === undefined) issue(['bindPassword'], 'required with bindDn (e.g. "${LDAP_BIND_PASSWORD}")');
  });

export type LdapSettings = z.output<typeof ldapSettingsSchema>;

export type DisabledRule = { kind: 'userAccountControl' } | { kind: 'none' } | { kind: 'attribute'; attribute: string; value?: string };

/** Everything a read needs, defaults filled in. */
export interface LdapProfile {
  flavor: LdapSettings['flavor'];
  userBase: string;
  userFilter: string;
  groupBase?: string;
  groupFilter: string;
  scope: 'sub' | 'one';
  attributes: Required<z.output<typeof attributesSchema>>;
  disabled: DisabledRule;
  /** Whether a user without `mail` takes its `userPrincipalName` as address (AD, routable domains only). */
  upnFallback: boolean;
  pageSize: number;
}

const OPENLDAP = {
  attributes: { id: 'entryUUID', email: 'mail', userName: 'uid', displayName: 'displayName', givenName: 'givenName', familyName: 'sn', title: 'title', department: 'departmentNumber', groupName: 'cn', groupDescription: 'description', member: ['member', 'uniqueMember'] },
  userFilter: '(objectClass=inetOrgPerson)',
  groupFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
  disabled: { kind: 'attribute', attribute: 'pwdAccountLockedTime' } as DisabledRule,
};

const ACTIVE_DIRECTORY = {
  attributes: { id: 'objectGUID', email: 'mail', userName: 'userPrincipalName', displayName: 'displayName', givenName: 'givenName', familyName: 'sn', title: 'title', department: 'department', groupName: 'cn', groupDescription: 'description', member: ['member'] },
  userFilter: '(&(objectClass=user)(!(objectClass=computer)))',
  groupFilter: '(objectClass=group)',
  disabled: { kind: 'userAccountControl' } as DisabledRule,
};

function disabledOf(rule: LdapSettings['disabled']): DisabledRule | undefined {
  if (rule === undefined) return undefined;
  if (rule === 'userAccountControl' || rule === 'none') return { kind: rule };
  return { kind: 'attribute', ...rule };
}

/** The settings with the flavor's defaults filled in. Pure. */
export function resolveSettings(settings: LdapSettings): LdapProfile {
  const defaults = settings.flavor === 'activedirectory' ? ACTIVE_DIRECTORY : OPENLDAP;
  return {
    flavor: settings.flavor,
    userBase: settings.userBase,
    userFilter: settings.userFilter ?? defaults.userFilter,
    ...(settings.groupBase === undefined ? {} : { groupBase: settings.groupBase }),
    groupFilter: settings.groupFilter ?? defaults.groupFilter,
    scope: settings.scope,
    attributes: { ...defaults.attributes, ...settings.attributes },
    disabled: disabledOf(settings.disabled) ?? defaults.disabled,
    upnFallback: settings.flavor === 'activedirectory',
    pageSize: settings.pageSize,
  };
}
