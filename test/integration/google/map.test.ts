/** The pure mapping of the `google` source: records it cannot use, and member resolution corners. */
import { describe, expect, it } from 'vitest';
import type { GoogleMember } from '../../../connectors/google/client.js';
import { externalMemberId, toSnapshot } from '../../../connectors/google/map.js';

const user = (id: string | undefined, primaryEmail: string) => ({ id, primaryEmail });
const member = (type: string, id: string | undefined, email?: string): GoogleMember => ({ type, id, email });

describe('google mapping', () => {
  it('reports a user without an id and marks the snapshot incomplete', () => {
    const snapshot = toSnapshot({ users: [user('1', 'a@acme.example'), user(undefined, 'ghost@acme.example')], groups: [], members: new Map() });
    expect(snapshot.complete).toBe(false);
    expect(snapshot.users.map((u) => u.id)).toEqual(['1']);
    expect(snapshot.issues).toEqual([{ code: 'missing-id', message: 'Google user #2 (ghost@acme.example) has no id and was skipped' }]);
  });

  it('leaves out members it cannot place and names each member once', () => {
    const members = new Map<string, GoogleMember[]>([
      ['g1', [member('USER', '1'), member('USER', '1'), member('USER', undefined, 'not an address'), member('USER', undefined, 'x@acme.example'), member('GROUP', 'g2'), member('CUSTOMER', 'C1'), member('GROUP', 'gone')]],
      ['g2', [member('USER', undefined, 'Pat@Partner.example'), member('GROUP', 'g1')]],
    ]);
    const snapshot = toSnapshot({ users: [user('1', 'a@acme.example'), user('2', 'b@acme.example')], groups: [{ id: 'g1', name: 'One' }], members });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.groups).toEqual([{ id: 'g1', displayName: 'One', description: '', members: ['1', '2', externalMemberId('pat@partner.example')] }]);
    expect(snapshot.users.map((u) => u.id)).toEqual(['1', '2', 'external:pat@partner.example']);
  });
});
