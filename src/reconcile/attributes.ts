/**
 * Managed attributes of claimed-domain accounts: which fields a new account gets and which fields
 * of an existing account differ from the source.
 *
 * `displayName`, `givenName` and `familyName` are top-level fields on both sides; any other name in
 * `policy.attributes` is read from the source user's `attributes` (or `userName`) and stored in the
 * org user's `attributes`. An absent value and an empty string are the same: null. Names that are
 * not profile fields (`email`, `status`, `externalId`, `id`, `managed`, `source`, `name`,
 * `description`) are ignored in the list.
 */
import type { SourceUser } from '../model/directory.js';
import type { OrgUser } from '../model/org.js';

const PROFILE_FIELDS = new Set(['displayName', 'givenName', 'familyName']);
const RESERVED = new Set(['email', 'status', 'externalId', 'id', 'managed', 'source', 'name', 'description']);

export type Fields = Record<string, string | null>;

/** The managed attribute names of a policy, without duplicates or reserved names, in policy order. */
export function managedAttributes(names: readonly string[]): string[] {
  return [...new Set(names)].filter((name) => !RESERVED.has(name));
}

function clean(value: string | undefined | null): string | null {
  return value == null || value === '' ? null : value;
}

export function sourceValue(user: SourceUser, name: string): string | null {
  if (PROFILE_FIELDS.has(name)) return clean(user[name as 'displayName']);
  if (name === 'userName' && !Object.hasOwn(user.attributes, name)) return clean(user.userName);
  return clean(Object.hasOwn(user.attributes, name) ? user.attributes[name] : undefined);
}

/** The value as the org stores it (absent: null), for `before`, the apply precondition. */
export function storedValue(user: OrgUser, name: string): string | null {
  if (PROFILE_FIELDS.has(name)) return user[name as 'displayName'] ?? null;
  return Object.hasOwn(user.attributes, name) ? (user.attributes[name] ?? null) : null;
}

export function orgValue(user: OrgUser, name: string): string | null {
  return clean(storedValue(user, name));
}

/** The fields of a new account: email, the three name fields, then the managed attributes. */
export function newAccountFields(user: SourceUser, address: string, attributes: readonly string[]): Fields {
  const fields: Fields = { email: address };
  for (const name of ['displayName', 'givenName', 'familyName', ...attributes]) fields[name] = sourceValue(user, name);
  return fields;
}

/**
 * The managed fields of an account that differ from the source, as `before` (the account now) and
 * `after` (the source); null when nothing differs. The email differs only when the normalized
 * addresses differ (`accountAddress` is the account's normalized address).
 */
export function accountChanges(source: SourceUser, address: string, account: OrgUser, accountAddress: string | null, attributes: readonly string[]): { before: Fields; after: Fields } | null {
  // Most accounts are in sync: nothing is allocated until a field differs.
  let changes: { before: Fields; after: Fields } | null = null;
  if (accountAddress !== address) {
    changes = { before: {}, after: {} };
    changes.before.email = account.email;
    changes.after.email = address;
  }
  for (const name of attributes) {
    const want = sourceValue(source, name);
    if (want === orgValue(account, name)) continue;
    changes ??= { before: {}, after: {} };
    changes.before[name] = storedValue(account, name);
    changes.after[name] = want;
  }
  return changes;
}
