/**
 * The reconciliation plan: an ordered list of operations with reasons, guards and warnings.
 * Plain, JSON-serializable data (schema `orgsync.plan/v1`); rendering lives in `src/plan`.
 */

/** Operation kinds, in the order a plan applies them (DESIGN §3 "Order"). */
export const OPERATION_KINDS = [
  'createGroup',
  'updateGroup',
  'linkAccount',
  'createAccount',
  'reactivateAccount',
  'updateAccount',
  'inviteUser',
  'addMembers',
  'removeMembers',
  'revokeAccess',
  'deactivateAccount',
  'deleteGroup',
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Kinds that act on a managed (claimed-domain) account. */
export const MANAGED_KINDS: ReadonlySet<OperationKind> = new Set([
  'createAccount',
  'linkAccount',
  'updateAccount',
  'reactivateAccount',
  'deactivateAccount',
]);

/** Kinds that act on an external (unclaimed-domain) person. */
export const EXTERNAL_KINDS: ReadonlySet<OperationKind> = new Set(['inviteUser', 'revokeAccess']);

/** Kinds that take something away; an incomplete snapshot never plans them. */
export const REMOVING_KINDS: ReadonlySet<OperationKind> = new Set([
  'deactivateAccount',
  'revokeAccess',
  'removeMembers',
  'deleteGroup',
]);

export type Classification = 'claimed' | 'external';

/** The group an operation acts on: the org group (when one exists) and the IdP group it mirrors. */
export interface GroupRef {
  /** Org group id; null when the group does not exist yet (createGroup, or members of a group created earlier in the plan). */
  id: string | null;
  /** Source group id (the link). Null for a group the sync does not mirror. */
  externalId: string | null;
  name: string;
}

/** One member of an addMembers/removeMembers operation. */
export interface MemberRef {
  email: string;
  /** Source user id; null for an org user no source user links to. */
  sourceId: string | null;
  /** Org user id when the account exists at plan time; null when the plan creates or invites it. */
  accountId: string | null;
  classification: Classification;
}

export interface Operation {
  /** Stable content hash: the same change always has the same id. */
  id: string;
  kind: OperationKind;
  /** A human sentence: why this operation is planned. */
  reason: string;
  email: string | null;
  sourceId: string | null;
  accountId: string | null;
  group: GroupRef | null;
  members: MemberRef[] | null;
  classification: Classification | null;
  domain: string | null;
  /** What the subject looked like at plan time (the fields the operation changes); the apply precondition. */
  before: Record<string, unknown> | null;
  /** What the subject should look like after the operation. */
  after: Record<string, unknown> | null;
}

export interface Warning {
  code: string;
  message: string;
  subject?: string;
}

export interface GuardResult {
  name: string;
  limit: number;
  actual: number;
  passed: boolean;
}

export interface SourceSummary {
  name: string;
  kind: string;
  complete: boolean;
  users: number;
  groups: number;
}

export type PlanStatus = 'ready' | 'blocked' | 'empty';

/**
 * What a plan's guards were computed from, so that `apply` can compute them again from the
 * operations: the policy's limits and the facts about both sides the guards use.
 */
export interface GuardBasis {
  /** Org users linked to the sync (with an externalId) when the plan was made. */
  linkedUsers: number;
  /** Source users in scope (active or not). */
  inScopeUsers: number;
  /** The snapshot was complete. */
  complete: boolean;
  /** The policy's guard limits (`policy.guards`). */
  limits: { maxDeprovisions: number; maxDeprovisionPercent: number; maxGroupDeletions: number };
}

export const PLAN_SCHEMA = 'orgsync.plan/v1';

export interface Plan {
  schema: typeof PLAN_SCHEMA;
  id: string;
  createdAt: string;
  status: PlanStatus;
  profile: string;
  fingerprints: { org: string; policy: string };
  sources: SourceSummary[];
  summary: Partial<Record<OperationKind, number>>;
  guards: GuardResult[];
  /** What `guards` were computed from. */
  basis: GuardBasis;
  warnings: Warning[];
  operations: Operation[];
  /** `sha256:` and the hash of the whole plan without this field (see `src/plan/digest.ts`). */
  digest: string;
}

/**
 * What the pure core produces: the plan minus the parts that need a clock or a name
 * (`id`, `createdAt`, `profile`, `sources`) and the digest, which the caller adds with `assemblePlan`.
 */
export interface ReconcileResult {
  status: PlanStatus;
  fingerprints: { org: string; policy: string };
  summary: Partial<Record<OperationKind, number>>;
  guards: GuardResult[];
  basis: GuardBasis;
  warnings: Warning[];
  operations: Operation[];
}
