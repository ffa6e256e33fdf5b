/**
 * A CSV names its groups with `id=name` entries; a group known by its id only is never renamed
 * to that id, and two rows naming one id differently pick neither name.
 */
import { describe, expect, it } from 'vitest';
import { parseDirectoryCsv } from '../../../connectors/file/csv.js';
import { managedUser, orgGroup, orgState, plan } from '../../builders.js';

const header = 'id,email,active,groups';
const org = orgState({
  users: [managedUser('a-1', 'ann@acme.com', { externalId: 'u1' })],
  groups: [orgGroup('og-1', 'Engineering', ['a-1'], { externalId: 'g-eng', description: 'Builds things' })],
});

function planOf(rows: string[]) {
  return plan({ snapshot: parseDirectoryCsv([header, ...rows].join('\n'), 'people.csv'), org });
}

describe('CSV groups', () => {
  it('a group given by id only leaves the org group’s name and description alone', () => {
    const result = planOf(['u1,ann@acme.com,true,g-eng']);
    expect(result.operations).toEqual([]);
  });

  it('an id=name entry renames the linked group when the name differs', () => {
    const result = planOf(['u1,ann@acme.com,true,g-eng=Platform']);
    expect(result.operations.map((op) => [op.kind, op.after])).toEqual([['updateGroup', { name: 'Platform' }]]);
  });

  it('an id=name entry matching the org group plans nothing', () => {
    expect(planOf(['u1,ann@acme.com,true,g-eng=Engineering', 'u2,bo@acme.com,true,g-eng']).operations.map((op) => op.kind)).toEqual(['createAccount', 'addMembers']);
  });

  it('one id named differently by two rows: reported, and the group is read by its id only', () => {
    const snapshot = parseDirectoryCsv([header, 'u1,ann@acme.com,true,g-eng=Engineering', 'u2,bo@acme.com,true,g-eng=Sales'].join('\n'), 'people.csv');
    expect(snapshot.issues).toEqual([{ code: 'group-names-differ', subject: 'g-eng', message: 'people.csv: line 3: group "g-eng" is named "Sales" here and "Engineering" at line 2; it is read by its id only and not renamed' }]);
    expect(snapshot.groups).toEqual([{ id: 'g-eng', displayName: 'g-eng', description: '', members: ['u1', 'u2'], unnamed: true, undescribed: true }]);
    expect(plan({ snapshot, org }).operations.filter((op) => op.kind === 'updateGroup')).toEqual([]);
  });

  it('a new group is created under its name, or under its id when no row names it', () => {
    const result = planOf(['u1,ann@acme.com,true,g-eng;g-ops=Operations;g-x']);
    expect(result.operations.filter((op) => op.kind === 'createGroup').map((op) => op.group?.name)).toEqual(['Operations', 'g-x']);
  });

  it('an entry without an id is reported and makes the read incomplete', () => {
    const snapshot = parseDirectoryCsv([header, 'u1,ann@acme.com,true,=Engineering'].join('\n'), 'people.csv');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toBe('people.csv: line 2 (id "u1"): group "=Engineering" has no id before "="; that membership is not read');
  });
});
