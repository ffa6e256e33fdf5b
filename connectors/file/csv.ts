/**
 * The CSV form of a directory: one user per row under the header
 * `id,email,displayName,givenName,familyName,active,groups`.
 *
 * In: the file's text and name. Out: a `Snapshot` (always `complete` unless a row is unusable).
 * - `id` and `email` columns are required; the others are optional, in any order. A `userName`
 *   column is read too; any further column (e.g. `title`, `department`) becomes an attribute.
 * - `active`: `true`/`false` (also `yes`/`no`, `1`/`0`); empty means active. Anything else makes
 *   the row unusable (reported, snapshot incomplete): guessing could deprovision someone.
 * - `groups`: group names separated by `;`. Each name becomes a group whose id and displayName
 *   are that name, with the row's user as a direct member.
 * Malformed CSV (an unclosed quote, a row with the wrong number of fields) is an input error
 * naming the file and line.
 */
import { parse } from 'csv-parse/sync';
import { inputError, messageOf } from '../../src/errors.js';
import type { Snapshot } from '../../src/model/directory.js';
import { DirectoryBuilder } from './records.js';

const REQUIRED = ['id', 'email'];
const PROFILE = ['userName', 'displayName', 'givenName', 'familyName'];
const SPECIAL = new Set([...REQUIRED, ...PROFILE, 'active', 'groups']);

const TRUE = new Set(['', 'true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

interface Row {
  record: string[];
  info: { lines: number };
}

export function parseDirectoryCsv(text: string, file: string): Snapshot {
  const [header, ...rows] = parseRows(text, file);
  if (!header) throw inputError(`${file}: empty CSV file, expected a header line starting "id,email"`);
  const columns = header.record;
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw inputError(`${file}: line ${header.info.lines}: header lacks column ${missing.map((m) => `"${m}"`).join(', ')} (expected id,email,displayName,givenName,familyName,active,groups)`);
  }
  const builder = new DirectoryBuilder(file);
  const members = new Map<string, string[]>();
  for (const row of rows) {
    const at = `line ${row.info.lines}`;
    const cells = Object.fromEntries(columns.map((name, i) => [name, row.record[i] ?? '']));
    const user = toUserRecord(cells, columns);
    if (user.active === undefined) {
      builder.issue('invalid-record', `${at} (id "${cells.id}"): "active" must be true or false, got "${cells.active}"; record not read`, cells.id || at, true);
      continue;
    }
    builder.addUser(user, at);
    if (!cells.id) continue;
    for (const name of splitGroups(cells.groups)) members.set(name, [...(members.get(name) ?? []), cells.id]);
  }
  for (const [name, ids] of [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    builder.addGroup({ id: name, displayName: name, members: ids }, `group "${name}"`);
  }
  return builder.finish();
}

function parseRows(text: string, file: string): Row[] {
  try {
    return parse(text, { info: true, bom: true, trim: true, skip_empty_lines: true }) as unknown as Row[];
  } catch (error) {
    throw inputError(`${file}: malformed CSV: ${messageOf(error)}`, error);
  }
}

/** One row as a directory user record; `active` is undefined when the cell is not a boolean. */
function toUserRecord(cells: Record<string, string>, columns: string[]): Record<string, unknown> {
  const activeCell = (cells.active ?? '').toLowerCase();
  const record: Record<string, unknown> = {
    email: cells.email ? cells.email : null,
    active: TRUE.has(activeCell) ? true : FALSE.has(activeCell) ? false : undefined,
    attributes: Object.fromEntries(columns.filter((c) => !SPECIAL.has(c) && cells[c]).map((c) => [c, cells[c]])),
  };
  if (cells.id) record.id = cells.id;
  for (const key of PROFILE) if (cells[key]) record[key] = cells[key];
  return record;
}

function splitGroups(cell: string | undefined): string[] {
  return [...new Set((cell ?? '').split(';').map((name) => name.trim()).filter(Boolean))];
}
