/**
 * The managed-account lifecycle over SCIM, shared by the generic SCIM adapter and the Atlassian
 * adapter: create (a 409 finds the existing user by `userName` and links it), link (set
 * `externalId`), update (PatchOp of the planned fields), deactivate and reactivate (`active`).
 *
 * In: plan operations and an `AccountDirectory` that maps org account ids to SCIM users (for plain
 * SCIM they are the same id; Atlassian accounts have their own id). Out: `ApplyOutcome`s. Every
 * PATCH carries the version read last (`If-Match`) when the server versions its resources, and the
 * answer replaces what is remembered, so several operations on one user in one apply chain cleanly.
 */
import { OrgsyncError, inputError } from '../../errors.js';
import type { Operation } from '../../model/plan.js';
import type { ApplyOutcome } from '../types.js';
import type { ScimClient } from './client.js';
import { emailKey, RFC_SCHEMA, userBody, userFields, userPatch, type PatchOperation, type ScimSchema, type ScimUser } from './map.js';
import type { Ownership } from './ownership.js';

export interface AccountDirectory {
  /** The SCIM user behind an org account id, as last read or changed. */
  scimUserOf(accountId: string): ScimUser | undefined;
  /** The org account id of a SCIM user. */
  accountIdOf(user: ScimUser): Promise<string>;
  /** Remember a SCIM user this apply created or changed. */
  remember(accountId: string, user: ScimUser): void;
  /** The profile an account has outside SCIM (plan fields), carried over when linking provisions it. */
  profileOf?(accountId: string): Record<string, unknown>;
}

/** Keys of `after` that describe the account rather than the link or the lifecycle. */
const NOT_PROFILE = new Set(['email', 'externalId', 'status']);

function profileOf(after: Record<string, unknown> | null): Record<string, unknown> {
  return Object.fromEntries(Object.entries(after ?? {}).filter(([key]) => !NOT_PROFILE.has(key)));
}

function required(value: string | null, what: string, op: Operation): string {
  if (!value) throw inputError(`${op.kind} ${op.id}: the operation has no ${what}`);
  return value;
}

/** The planned fields whose value differs on the SCIM user. */
function differing(user: ScimUser, wanted: Record<string, unknown>, schema: ScimSchema): Record<string, unknown> {
  const have = userFields(user, schema);
  const current = (key: string): unknown => {
    if (key === 'email') return emailKey(have.email);
    if (key === 'displayName' || key === 'givenName' || key === 'familyName' || key === 'externalId') return have[key] ?? null;
    return have.attributes[key] ?? null;
  };
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => {
      const want = key === 'email' && typeof value === 'string' ? emailKey(value) : value === '' ? null : value ?? null;
      return current(key) !== want;
    }),
  );
}

export class ScimAccounts {
  constructor(
    private readonly scim: ScimClient,
    private readonly directory: AccountDirectory,
    private readonly ownership: Ownership,
    private readonly schema: ScimSchema = RFC_SCHEMA,
  ) {}

  async create(op: Operation): Promise<ApplyOutcome> {
    return this.provision(op, profileOf(op.after), true);
  }

  /** POST the user; `owned`: whether a user created this way counts as brought in by the sync. */
  private async provision(op: Operation, profile: Record<string, unknown>, owned: boolean): Promise<ApplyOutcome> {
    const email = required(op.email ?? (op.after?.email as string | undefined) ?? null, 'email', op);
    const sourceId = required(op.sourceId, 'sourceId', op);
    const answer = await this.scim.create<ScimUser>('Users', userBody(profile, email, sourceId, this.schema));
    if (answer.created) {
      const accountId = await this.directory.accountIdOf(answer.resource);
      this.directory.remember(accountId, answer.resource);
      await this.ownership.setUser(accountId, { sourceId, email, owned });
      return { result: 'applied', accountId };
    }
    const existing = await this.scim.find<ScimUser>('Users', 'userName', email);
    if (!existing) {
      throw new OrgsyncError('conflict', `SCIM Users: creating ${email} answered 409 (${answer.detail}) but no user has that userName`);
    }
    const accountId = await this.adopt(existing, sourceId, profile);
    return { result: 'skipped', message: `${email} already existed; linked to source user ${sourceId}`, accountId };
  }

  /**
   * Link an existing managed account. One without a SCIM user yet is provisioned with the profile it
   * already has (which links it without blanking a field).
   */
  async link(op: Operation): Promise<ApplyOutcome> {
    const accountId = required(op.accountId, 'accountId', op);
    const sourceId = required(op.sourceId ?? (op.after?.externalId as string | undefined) ?? null, 'sourceId', op);
    const user = this.directory.scimUserOf(accountId);
    if (!user) {
      const outcome = await this.provision(op, this.directory.profileOf?.(accountId) ?? {}, false);
      return { ...outcome, result: 'applied' };
    }
    const linked = await this.adopt(user, sourceId, {});
    return { result: 'applied', accountId: linked };
  }

  async update(op: Operation): Promise<ApplyOutcome> {
    const accountId = required(op.accountId, 'accountId', op);
    const user = this.userOf(accountId, op);
    const changes = Object.fromEntries(Object.entries(op.after ?? {}).filter(([key]) => key !== 'status'));
    await this.patch(accountId, user, userPatch(changes, this.schema));
    const email = changes.email;
    if (typeof email === 'string') await this.ownership.updateUser(accountId, (current) => ({ ...current, email }));
    return { result: 'applied', accountId };
  }

  async setActive(op: Operation, active: boolean): Promise<ApplyOutcome> {
    const accountId = required(op.accountId, 'accountId', op);
    const user = this.userOf(accountId, op);
    if ((user.active !== false) === active) return { result: 'skipped', message: `already ${active ? 'active' : 'deactivated'}`, accountId };
    await this.patch(accountId, user, [{ op: 'replace', path: 'active', value: active }]);
    return { result: 'applied', accountId };
  }

  private userOf(accountId: string, op: Operation): ScimUser {
    const user = this.directory.scimUserOf(accountId);
    if (!user) throw new OrgsyncError('not-found', `${op.kind}: account ${accountId} has no SCIM user to change`);
    return user;
  }

  /** Set the link (and any differing profile fields) on an existing SCIM user; returns its account id. */
  private async adopt(user: ScimUser, sourceId: string, profile: Record<string, unknown>): Promise<string> {
    if (user.externalId && user.externalId !== sourceId) {
      throw new OrgsyncError('conflict', `SCIM user ${user.userName} is already linked to source user ${user.externalId}, not ${sourceId}`);
    }
    const accountId = await this.directory.accountIdOf(user);
    await this.patch(accountId, user, userPatch(differing(user, { ...profile, externalId: sourceId }, this.schema), this.schema));
    if (!this.ownership.user(accountId)) await this.ownership.setUser(accountId, { sourceId, email: userFields(user, this.schema).email, owned: false });
    return accountId;
  }

  private async patch(accountId: string, user: ScimUser, operations: PatchOperation[]): Promise<void> {
    if (operations.length === 0) return;
    const answer = await this.scim.patch<ScimUser>('Users', user.id, operations, user.meta?.version);
    const fresh = answer ?? (await this.scim.get<ScimUser>('Users', user.id));
    if (fresh) this.directory.remember(accountId, fresh);
  }
}

/**
 * Route a managed-account operation to `accounts`; undefined for any other kind. Shared by every
 * adapter that provisions managed accounts over SCIM.
 */
export function applyAccountOperation(op: Operation, accounts: ScimAccounts): Promise<ApplyOutcome> | undefined {
  switch (op.kind) {
    case 'createAccount':
      return accounts.create(op);
    case 'linkAccount':
      return accounts.link(op);
    case 'updateAccount':
      return accounts.update(op);
    case 'reactivateAccount':
      return accounts.setActive(op, true);
    case 'deactivateAccount':
      return accounts.setActive(op, false);
    default:
      return undefined;
  }
}
