/**
 * Building operations: every field present (null where it does not apply), and an `id` that is a
 * content hash (SHA-256) of the kind, the subject (email, source id, account id, group) and the
 * intended change (members, before, after), listed in a fixed order. The reason is left out of the
 * hash, so rewording a reason never changes an id; the same change always has the same id.
 */
import { hash } from 'node:crypto';
import type { Classification, GroupRef, MemberRef, Operation, OperationKind } from '../model/plan.js';

export interface OperationFields {
  kind: OperationKind;
  reason: string;
  email?: string | null;
  sourceId?: string | null;
  accountId?: string | null;
  group?: GroupRef | null;
  members?: MemberRef[] | null;
  classification?: Classification | null;
  domain?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Length of an operation id: 128 bits of SHA-256 in hex. */
const ID_LENGTH = 32;

export function operation(fields: OperationFields): Operation {
  const content = {
    kind: fields.kind,
    email: fields.email ?? null,
    sourceId: fields.sourceId ?? null,
    accountId: fields.accountId ?? null,
    group: fields.group ?? null,
    members: fields.members ?? null,
    classification: fields.classification ?? null,
    domain: fields.domain ?? null,
  };
  const before = fields.before ?? null;
  const after = fields.after ?? null;
  const { group, members } = content;
  // One JSON text in a fixed field order, serialized once. `before` and `after` are built by the
  // planners with their keys in a fixed order (the policy's attribute order), so their JSON is stable.
  // What is hashed is that text as a JSON string literal (`hashOf(text)` gave ids that way from the
  // start, and ids must not change); quoting a string is one native pass, with no canonicalizing walk.
  const text = JSON.stringify([
    content.kind,
    content.email,
    content.sourceId,
    content.accountId,
    group && [group.id, group.externalId, group.name],
    members && members.map((m) => [m.email, m.sourceId, m.accountId, m.classification]),
    content.classification,
    content.domain,
    before,
    after,
  ]);
  const id = hash('sha256', JSON.stringify(text), 'hex').slice(0, ID_LENGTH);
  return { id, ...content, reason: fields.reason, before, after };
}
