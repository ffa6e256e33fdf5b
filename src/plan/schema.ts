/**
 * The plan document read back from disk (schema `orgsync.plan/v1`), validated before anything is
 * applied. In: a parsed JSON value (or a file path). Out: a `Plan`, or an input error naming the
 * file and the key at fault, e.g. `plan.json: operations[3].kind: unknown operation kind "frob"`.
 */
import { z } from 'zod';
import { parseJson, readText } from '../config/files.js';
import { keyPath } from '../config/validate.js';
import { inputError } from '../errors.js';
import { OPERATION_KINDS, PLAN_SCHEMA, type Plan } from '../model/plan.js';

const nullableText = z.string().nullable();
const classification = z.enum(['claimed', 'external']);
const fields = z.record(z.string(), z.unknown()).nullable();

const operationKind = z.enum(OPERATION_KINDS, {
  error: (issue) => `unknown operation kind ${JSON.stringify(issue.input)} (kinds: ${OPERATION_KINDS.join(', ')})`,
});

const memberSchema = z.object({
  email: z.string(),
  sourceId: nullableText,
  accountId: nullableText.default(null),
  classification,
});

const operationSchema = z.object({
  id: z.string().min(1),
  kind: operationKind,
  reason: z.string(),
  email: nullableText.default(null),
  sourceId: nullableText.default(null),
  accountId: nullableText.default(null),
  group: z.object({ id: nullableText, externalId: nullableText, name: z.string() }).nullable().default(null),
  members: z.array(memberSchema).nullable().default(null),
  classification: classification.nullable().default(null),
  domain: nullableText.default(null),
  before: fields.default(null),
  after: fields.default(null),
});

const count = z.number().int().nonnegative();

export const planSchema = z.object({
  schema: z.literal(PLAN_SCHEMA, { error: (issue) => `expected "${PLAN_SCHEMA}", got ${JSON.stringify(issue.input)}` }),
  id: z.string().min(1),
  createdAt: z.string(),
  status: z.enum(['ready', 'blocked', 'empty']),
  profile: z.string(),
  fingerprints: z.object({ org: z.string(), policy: z.string() }),
  sources: z.array(z.object({ name: z.string(), kind: z.string(), complete: z.boolean(), users: count, groups: count })),
  summary: z.partialRecord(operationKind, count),
  guards: z.array(z.object({ name: z.string(), limit: z.number(), actual: z.number(), passed: z.boolean() })),
  basis: z.object({
    linkedUsers: count,
    inScopeUsers: count,
    complete: z.boolean(),
    limits: z.object({ maxDeprovisions: count, maxDeprovisionPercent: z.number().nonnegative(), maxGroupDeletions: count }),
  }, { error: (issue) => (issue.input === undefined ? 'missing: the plan does not say what its guards were computed from (make the plan again with this version)' : 'expected an object') }),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), subject: z.string().optional() })),
  operations: z.array(operationSchema),
  digest: z.string({ error: (issue) => (issue.input === undefined ? 'missing: the plan carries no digest (make the plan again with this version)' : 'expected a string') }),
}).superRefine((plan, ctx) => {
  // A plan edited by hand must not slip past its guards: the status has to agree with them.
  const failed = plan.guards.filter((g) => !g.passed).map((g) => g.name);
  if (failed.length > 0 && plan.status !== 'blocked') {
    ctx.addIssue({ code: 'custom', path: ['status'], message: `is "${plan.status}" but guard ${failed.join(', ')} failed: the plan is blocked` });
  }
  if ((plan.status === 'empty') !== (plan.operations.length === 0)) {
    ctx.addIssue({ code: 'custom', path: ['status'], message: `is "${plan.status}" but the plan has ${plan.operations.length} operations` });
  }
});

/** Validate a parsed plan; `file` names it in errors. */
export function parsePlan(value: unknown, file: string): Plan {
  const result = planSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.length > 0 ? keyPath(issue.path) : '(top level)';
  throw inputError(`${file}: not a valid plan: ${at}: ${issue.message}`, result.error);
}

export async function readPlanFile(path: string, name: string = path): Promise<Plan> {
  return parsePlan(parseJson(await readText(path, 'plan file'), name), name);
}
