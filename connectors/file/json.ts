/**
 * The JSON directory file (DESIGN §4): `{ complete?, users: [...], groups?: [...] }`.
 *
 * In: the parsed JSON value and the file name for messages. Out: a `Snapshot`.
 * A wrong top-level shape (not an object, `users` missing or not an array, `groups` or `complete`
 * of the wrong type) is an input error naming the file and the key: nothing of such a file is
 * trusted. Problems inside single records become issues (see `records.ts`).
 */
import { inputError } from '../../src/errors.js';
import type { Snapshot } from '../../src/model/directory.js';
import { DirectoryBuilder } from './records.js';

const TOP_KEYS = new Set(['complete', 'users', 'groups']);

export function parseDirectoryJson(value: unknown, file: string): Snapshot {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw inputError(`${file}: expected a JSON object with "users" and "groups", got ${describe(value)}`);
  }
  const top = value as Record<string, unknown>;
  if (!Array.isArray(top.users)) {
    throw inputError(`${file}: "users" must be an array of user records, got ${describe(top.users)}`);
  }
  if (top.groups !== undefined && !Array.isArray(top.groups)) {
    throw inputError(`${file}: "groups" must be an array of group records, got ${describe(top.groups)}`);
  }
  if (top.complete !== undefined && typeof top.complete !== 'boolean') {
    throw inputError(`${file}: "complete" must be true or false, got ${describe(top.complete)}`);
  }
  const builder = new DirectoryBuilder(file, top.complete ?? true);
  for (const key of Object.keys(top).filter((k) => !TOP_KEYS.has(k))) {
    builder.issue('unknown-key', `unknown top-level key "${key}" ignored`);
  }
  top.users.forEach((raw: unknown, i: number) => builder.addUser(raw, `users[${i}]`));
  ((top.groups ?? []) as unknown[]).forEach((raw, i) => builder.addGroup(raw, `groups[${i}]`));
  return builder.finish();
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
