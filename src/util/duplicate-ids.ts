/**
 * Ids that a source read more than once, for every source connector (file, Entra, Okta, and the
 * ones to come).
 *
 * The rule every source follows: a source never picks one of two records with the same id (which
 * one would depend on record or page order, and picking the disabled copy deprovisions an active
 * person). It passes every record into the snapshot and reports the id with this function. The
 * reconcile core sees the id twice and plans nothing for it: no account operation and no
 * membership change (`duplicate-source-id`, `duplicate-group-id`).
 *
 * In: the records as read, how to get a record's id, and how to name a record's place for a
 * person (`users[3]`, `line 7`, `the DEPROVISIONED listing`). Out: one `ReadIssue` per repeated
 * id, naming every place it was read, with the code the core uses for the same finding (the core
 * then adds no second warning of its own). One pass over the records.
 */
import type { ReadIssue } from '../model/directory.js';

export type RecordKind = 'user' | 'group';

const CODES: Record<RecordKind, string> = { user: 'duplicate-source-id', group: 'duplicate-group-id' };

export function duplicateIdIssues<T>(records: Iterable<T>, idOf: (record: T) => string, placeOf: (record: T, index: number) => string, kind: RecordKind): ReadIssue[] {
  const places = new Map<string, string[]>();
  let index = 0;
  for (const record of records) {
    const id = idOf(record);
    const place = placeOf(record, index);
    index += 1;
    const seen = places.get(id);
    if (seen) seen.push(place);
    else places.set(id, [place]);
  }
  const issues: ReadIssue[] = [];
  for (const [id, where] of places) {
    if (where.length < 2) continue;
    issues.push({
      code: CODES[kind],
      subject: id,
      message: `${kind} id "${id}" occurs ${where.length} times (${listPlaces(where)}); nothing is planned for it until the source has one record with that id`,
    });
  }
  return issues;
}

function listPlaces(places: string[]): string {
  return places.length === 2 ? `${places[0]} and ${places[1]}` : `${places.slice(0, -1).join(', ')} and ${places[places.length - 1]}`;
}
