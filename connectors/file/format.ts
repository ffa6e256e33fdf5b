/**
 * A snapshot written as a directory file (DESIGN §4), the format the `file` source reads back:
 * what `orgsync snapshot source` prints. Read issues are not part of the format.
 */
import type { Snapshot } from '../../src/model/directory.js';

export function formatDirectory(snapshot: Snapshot): string {
  const document = {
    complete: snapshot.complete,
    users: snapshot.users.map((u) => ({
      id: u.id,
      email: u.email,
      ...(u.userName === undefined ? {} : { userName: u.userName }),
      ...(u.displayName === undefined ? {} : { displayName: u.displayName }),
      ...(u.givenName === undefined ? {} : { givenName: u.givenName }),
      ...(u.familyName === undefined ? {} : { familyName: u.familyName }),
      active: u.active,
      attributes: u.attributes,
    })),
    groups: snapshot.groups.map((g) => ({ id: g.id, ...(g.unnamed ? {} : { displayName: g.displayName }), description: g.description, members: g.members })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
