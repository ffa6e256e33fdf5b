/**
 * The org file (DESIGN §4): `{ domains, users, groups }` as JSON, validated with zod.
 *
 * `readOrgFile(path)` returns a validated `OrgState`; every error names the file and the record
 * (`org.json: users[2] (id "a-3").status: ...`). All three top-level keys are required: a missing
 * `domains` would turn every managed account external. Records are strict, so a misspelt key
 * (`externalID`) is an error rather than a lost link. `source` defaults to `manual`, the safe
 * reading: the sync never removes what it does not own. `formatOrgFile`/`writeOrgFile` produce
 * the same format; writes are atomic.
 */
import { z } from 'zod';
import { parseJson, readText } from '../../config/files.js';
import { keyPath } from '../../config/validate.js';
import { inputError } from '../../errors.js';
import type { OrgState } from '../../model/org.js';
import { writeFileAtomic } from '../../util/atomic-file.js';

const id = z.string().min(1);
const ownership = z.enum(['sync', 'manual']).default('manual');

const domainSchema = z.object({ name: id, status: z.string().min(1) }).strict();

const userSchema = z
  .object({
    id,
    email: z.string().min(1),
    externalId: id.nullable().default(null),
    displayName: z.string().optional(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    attributes: z.record(z.string(), z.string()).default({}),
    managed: z.boolean(),
    status: z.enum(['active', 'deactivated', 'invited', 'suspended']),
    source: ownership,
  })
  .strict();

const groupSchema = z
  .object({
    id,
    name: z.string().min(1),
    description: z.string().default(''),
    externalId: id.nullable().default(null),
    source: ownership,
    members: z.array(id).default([]),
  })
  .strict();

export const orgFileSchema = z
  .object({ domains: z.array(domainSchema), users: z.array(userSchema), groups: z.array(groupSchema) })
  .strict();

export async function readOrgFile(path: string, name: string = path): Promise<OrgState> {
  return parseOrgFile(parseJson(await readText(path, 'org file'), name), name);
}

/** Validate a parsed org file; errors name `file` and the record at fault. */
export function parseOrgFile(value: unknown, file: string): OrgState {
  const result = orgFileSchema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0]!;
    throw inputError(`${file}: ${where(value, first.path)}: ${describeIssue(first)}`, result.error);
  }
  const state: OrgState = result.data;
  checkReferences(state, file);
  return state;
}

export function formatOrgFile(state: OrgState): string {
  return `${JSON.stringify({ domains: state.domains, users: state.users, groups: state.groups }, null, 2)}\n`;
}

export async function writeOrgFile(path: string, state: OrgState): Promise<void> {
  await writeFileAtomic(path, formatOrgFile(state));
}

/** Ids are unique and group members name users of the file. */
function checkReferences(state: OrgState, file: string): void {
  const users = new Set<string>();
  state.users.forEach((user, i) => {
    if (users.has(user.id)) throw inputError(`${file}: users[${i}]: duplicate user id "${user.id}"`);
    users.add(user.id);
  });
  const groups = new Set<string>();
  state.groups.forEach((group, i) => {
    if (groups.has(group.id)) throw inputError(`${file}: groups[${i}]: duplicate group id "${group.id}"`);
    groups.add(group.id);
    group.members.forEach((member, j) => {
      if (!users.has(member)) throw inputError(`${file}: groups[${i}] (id "${group.id}").members[${j}]: "${member}" names no user of the file`);
    });
  });
}

/** `users[2] (id "a-3").status`: the key path, with the id of the record it falls in. */
function where(value: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  const [list, index, ...rest] = path;
  const record = typeof index === 'number' ? (value as Record<string, unknown[]>)[String(list)]?.[index] : undefined;
  const recordId = record && typeof record === 'object' ? (record as { id?: unknown }).id : undefined;
  if (typeof recordId !== 'string') return keyPath(path);
  const tail = rest.length > 0 ? `.${keyPath(rest)}` : '';
  return `${keyPath([list!, index!])} (id "${recordId}")${tail}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
