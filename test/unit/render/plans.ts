/** Builders of hand-made plans for rendering and schema tests. */
import { PLAN_SCHEMA, type Operation, type OperationKind, type Plan } from '../../../src/model/plan.js';

import { HAND_MADE_BASIS, operation as op } from '../../builders.js';

export { op };

export function userOp(kind: OperationKind, email: string, fields: Partial<Operation> = {}): Operation {
  const domain = email.split('@')[1]!;
  return op(kind, { email, sourceId: `u-${email}`, classification: domain === 'acme.com' ? 'claimed' : 'external', domain, ...fields });
}

export function groupOp(kind: OperationKind, name: string, fields: Partial<Operation> = {}): Operation {
  return op(kind, { group: { id: `og-${name}`, externalId: `g-${name}`, name }, ...fields });
}

export function plan(operations: Operation[], fields: Partial<Plan> = {}): Plan {
  const summary: Partial<Record<OperationKind, number>> = {};
  for (const o of operations) summary[o.kind] = (summary[o.kind] ?? 0) + 1;
  const guards = [
    { name: 'maxDeprovisions', limit: 50, actual: 2, passed: true },
    { name: 'maxDeprovisionPercent', limit: 10, actual: 12.5, passed: false },
  ];
  return {
    schema: PLAN_SCHEMA,
    id: 'p-0123456789abcdef0123',
    createdAt: '2025-01-02T03:04:05.000Z',
    status: operations.length === 0 ? 'empty' : 'blocked',
    profile: 'acme',
    fingerprints: { org: 'f'.repeat(64), policy: 'e'.repeat(64) },
    sources: [{ name: 'acme', kind: 'file', complete: true, users: 40, groups: 6 }],
    summary,
    guards,
    warnings: [{ code: 'unverified-domain', message: 'lee@acme-labs.com: acme-labs.com is claimed but not verified', subject: 'u-9' }],
    operations,
    basis: HAND_MADE_BASIS,
    digest: 'sha256:',
    ...fields,
  };
}

/** One operation of every kind, in plan order. */
export function everyKind(): Operation[] {
  const member = (email: string) => ({ email, sourceId: `u-${email}`, accountId: null, classification: 'claimed' as const });
  return [
    groupOp('createGroup', 'Design'),
    groupOp('updateGroup', 'Platform', { before: { name: 'Infra' }, after: { name: 'Platform' } }),
    userOp('linkAccount', 'kim@acme.com', { accountId: 'a-17' }),
    userOp('createAccount', 'new@acme.com'),
    userOp('reactivateAccount', 'back@acme.com', { accountId: 'a-3' }),
    userOp('updateAccount', 'ann@acme.com', { accountId: 'a-1', before: { title: 'Engineer' }, after: { title: 'Senior Engineer' } }),
    userOp('inviteUser', 'pat@partner.io'),
    groupOp('addMembers', 'Design', { members: [member('new@acme.com'), member('ann@acme.com')] }),
    groupOp('removeMembers', 'Platform', { members: [member('old@acme.com')] }),
    userOp('revokeAccess', 'gone@partner.io', { accountId: 'a-8' }),
    userOp('deactivateAccount', 'left@acme.com', { accountId: 'a-9' }),
    groupOp('deleteGroup', 'Legacy'),
  ];
}
