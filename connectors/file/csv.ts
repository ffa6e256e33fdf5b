/**
 * The CSV form of a directory: one user per row under the header
 * `id,email,displayName,givenName,familyName,active,groups`.
 *
 * In: the file's text and name. Out: a `Snapshot` (always `complete` unless a row is unusable).
 * - `id` and `email` columns are required; the others are optional, in any order. A `userName`
 *   column is read too; any further column (e.g. `title`, `department`) becomes an attribute.
 * - `active`: `true`/`false` (also `yes`/`no`, `1`/`0`); empty means active. Anything else makes
 *   the row unusable (reported, snapshot incomplete): guessing could deprovision someone.
 * - `groups`: the row's user's groups separated by `;`, each `id=name` (`g-eng=Engineering`) or a
 *   bare `id`. The id is the group's link key; the name is its displayName. A group that no row
 *   names is known by its id only (`unnamed`): it is created under its id but a linked org group
 *   is never renamed to it. Rows that give one id two different names are reported and the group
 *   is read as unnamed (neither name is picked by row order). Names cannot contain `;`. A CSV
 *   carries no group descriptions, so an org group's description is never changed from one.
 *   Groups come out sorted by id.
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
  const groups = new CsvGroups(builder);
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
    for (const entry of splitGroups(cells.groups)) groups.add(entry, cells.id, at);
  }
  groups.addTo(builder);
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
  return [...new Set((cell ?? '').split(';').map((entry) => entry.trim()).filter(Boolean))];
}

interface CsvGroup {
  name: string | undefined;
  /** Where the name was first given, for the conflict message. */
  namedAt: string | undefined;
  conflict: boolean;
  members: string[];
}

/** The groups named in the `groups` column: `id=name` or `id` entries, collected row by row. */
class CsvGroups {
  private readonly groups = new Map<string, CsvGroup>();

  constructor(private readonly builder: DirectoryBuilder) {}

  add(entry: string, userId: string, at: string): void {
    const equals = entry.indexOf('=');
    const id = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const name = equals < 0 ? '' : entry.slice(equals + 1).trim();
    if (id === '') {
      this.builder.issue('invalid-group', `${at} (id "${userId}"): group "${entry}" has no id before "="; that membership is not read`, userId, true);
      return;
    }
    let group = this.groups.get(id);
    if (!group) {
      group = { name: undefined, namedAt: undefined, conflict: false, members: [] };
      this.groups.set(id, group);
    }
    group.members.push(userId);
    if (name === '' || name === group.name) return;
    if (group.name === undefined) {
      group.name = name;
      group.namedAt = at;
    } else if (!group.conflict) {
      group.conflict = true;
      this.builder.issue('group-names-differ', `${at}: group "${id}" is named "${name}" here and "${group.name}" at ${group.namedAt}; it is read by its id only and not renamed`, id);
    }
  }

  /** Add every group to the directory, sorted by id. */
  addTo(builder: DirectoryBuilder): void {
    const ids = [...this.groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of ids) {
      const group = this.groups.get(id)!;
      const named = group.name !== undefined && !group.conflict;
      builder.addGroup({ id, ...(named ? { displayName: group.name } : {}), members: group.members }, `group "${id}"`, { undescribed: true });
    }
  }
}
