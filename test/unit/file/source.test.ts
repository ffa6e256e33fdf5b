import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileSourceFactory } from '../../../connectors/file/index.js';
import { parseDirectoryCsv } from '../../../connectors/file/csv.js';
import { parseDirectoryJson } from '../../../connectors/file/json.js';
import { defaultPolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import { MemoryStateStore } from '../../../src/store/types.js';

const user = (id: string, extra: Record<string, unknown> = {}) => ({ id, email: `${id}@acme.com`, ...extra });

describe('JSON directory file', () => {
  it('reads users and groups with defaults filled in', () => {
    const snapshot = parseDirectoryJson(
      {
        users: [user('u1', { displayName: 'U One', attributes: { title: 'Engineer' } }), user('u2', { active: false })],
        groups: [{ id: 'g1', displayName: 'Eng', members: ['u1', 'g2'] }, { id: 'g2', members: ['u2'] }],
      },
      'dir.json',
    );
    expect(snapshot.complete).toBe(true);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.users).toEqual([
      { id: 'u1', email: 'u1@acme.com', displayName: 'U One', active: true, attributes: { title: 'Engineer' } },
      { id: 'u2', email: 'u2@acme.com', active: false, attributes: {} },
    ]);
    expect(snapshot.groups).toEqual([
      { id: 'g1', displayName: 'Eng', description: '', members: ['u1', 'g2'] },
      { id: 'g2', displayName: 'g2', description: '', members: ['u2'], unnamed: true },
    ]);
  });

  it('honours "complete": false in the file', () => {
    expect(parseDirectoryJson({ complete: false, users: [] }, 'dir.json').complete).toBe(false);
  });

  it('reports a user without an id by position, reads the rest, and marks the snapshot incomplete', () => {
    const snapshot = parseDirectoryJson({ users: [user('u1'), { email: 'ghost@acme.com' }, user('u3')] }, 'dir.json');
    expect(snapshot.users.map((u) => u.id)).toEqual(['u1', 'u3']);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toEqual([{ code: 'record-without-id', message: 'dir.json: users[1]: record has no "id"', subject: 'users[1]' }]);
  });

  it('treats a non-string id like a missing one', () => {
    const snapshot = parseDirectoryJson({ users: [{ id: 42, email: 'x@acme.com' }] }, 'dir.json');
    expect(snapshot.users).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toBe('dir.json: users[0]: "id" must be a non-empty string, got 42');
  });

  it('does not read a record whose fields have the wrong type, and marks the snapshot incomplete', () => {
    const snapshot = parseDirectoryJson({ users: [user('u1', { active: 'no' }), user('u2')] }, 'dir.json');
    expect(snapshot.users.map((u) => u.id)).toEqual(['u2']);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toMatch(/^dir\.json: users\[0\] \(id "u1"\)\.active: .*boolean.*; record not read$/);
  });

  it('passes both records of a duplicate id on and names both places, staying complete', () => {
    const snapshot = parseDirectoryJson({ users: [user('u1', { displayName: 'First' }), user('u2'), user('u1', { displayName: 'Second' })] }, 'dir.json');
    expect(snapshot.users.map((u) => u.displayName ?? u.id)).toEqual(['First', 'u2', 'Second']);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.issues).toEqual([
      { code: 'duplicate-source-id', subject: 'u1', message: 'dir.json: user id "u1" occurs 2 times (users[0] and users[2]); nothing is planned for it until the source has one record with that id' },
    ]);
  });

  it('drops and reports a group member that names nobody', () => {
    const snapshot = parseDirectoryJson({ users: [user('u1')], groups: [{ id: 'g1', displayName: 'G', members: ['u1', 'nobody'] }] }, 'dir.json');
    expect(snapshot.groups[0]!.members).toEqual(['u1']);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.issues).toEqual([
      { code: 'unknown-member', message: 'dir.json: groups[0].members[1]: "nobody" names no user or group', subject: 'g1' },
    ]);
  });

  it('reads a record with an unknown key but reports the key', () => {
    const snapshot = parseDirectoryJson({ users: [user('u1', { mail: 'x@acme.com' })] }, 'dir.json');
    expect(snapshot.users).toHaveLength(1);
    expect(snapshot.issues[0]!.message).toBe('dir.json: users[0] (id "u1"): unknown key "mail" ignored');
  });

  it('marks the snapshot incomplete when a group has no id', () => {
    const snapshot = parseDirectoryJson({ users: [], groups: [{ displayName: 'Lost' }] }, 'dir.json');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toBe('dir.json: groups[0]: record has no "id"');
  });

  it.each([
    [[], 'dir.json: expected a JSON object with "users" and "groups", got an array'],
    [{ groups: [] }, 'dir.json: "users" must be an array of user records, got nothing'],
    [{ users: {} }, 'dir.json: "users" must be an array of user records, got an object'],
    [{ users: [], groups: 'x' }, 'dir.json: "groups" must be an array of group records, got a string'],
    [{ users: [], complete: 'yes' }, 'dir.json: "complete" must be true or false, got a string'],
  ])('rejects the top-level shape %j', (value, message) => {
    expect(() => parseDirectoryJson(value, 'dir.json')).toThrow(message);
  });
});

describe('CSV directory file', () => {
  const header = 'id,email,displayName,givenName,familyName,active,groups,title';

  it('reads users, turns id=name group entries into groups, and extra columns into attributes', () => {
    const snapshot = parseDirectoryCsv(
      [header, 'u1,ann@acme.com,Ann Lee,Ann,Lee,true,g-eng=Engineering;g-all,Engineer', 'u2,bo@acme.com,Bo,Bo,,false,g-all = All staff,', ''].join('\n'),
      'people.csv',
    );
    expect(snapshot.complete).toBe(true);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.users).toEqual([
      { id: 'u1', email: 'ann@acme.com', displayName: 'Ann Lee', givenName: 'Ann', familyName: 'Lee', active: true, attributes: { title: 'Engineer' } },
      { id: 'u2', email: 'bo@acme.com', displayName: 'Bo', givenName: 'Bo', active: false, attributes: {} },
    ]);
    expect(snapshot.groups).toEqual([
      { id: 'g-all', displayName: 'All staff', description: '', members: ['u1', 'u2'], undescribed: true },
      { id: 'g-eng', displayName: 'Engineering', description: '', members: ['u1'], undescribed: true },
    ]);
  });

  it('reports a row without an id by line and marks the snapshot incomplete', () => {
    const snapshot = parseDirectoryCsv([header, 'u1,ann@acme.com,,,,,,', ',ghost@acme.com,,,,,Eng,'].join('\n'), 'people.csv');
    expect(snapshot.users.map((u) => u.id)).toEqual(['u1']);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toBe('people.csv: line 3: record has no "id"');
  });

  it('does not guess an unreadable "active" cell', () => {
    const snapshot = parseDirectoryCsv([header, 'u1,ann@acme.com,,,,maybe,,'].join('\n'), 'people.csv');
    expect(snapshot.users).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues[0]!.message).toBe('people.csv: line 2 (id "u1"): "active" must be true or false, got "maybe"; record not read');
  });

  it('names the missing header column and malformed rows', () => {
    expect(() => parseDirectoryCsv('id,mail\nu1,x@acme.com\n', 'people.csv')).toThrow('people.csv: line 1: header lacks column "email"');
    expect(() => parseDirectoryCsv('id,email\nu1,x@acme.com,extra\n', 'people.csv')).toThrow(/^people\.csv: malformed CSV: .*line 2/);
    expect(() => parseDirectoryCsv('', 'people.csv')).toThrow('people.csv: empty CSV file');
  });
});

describe('file source connector', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-file-source-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const read = (path: string) =>
    fileSourceFactory
      .create({ path }, { baseDir: dir })
      .read({ policy: defaultPolicy(), state: new MemoryStateStore(), full: true, log: silentLogger() });

  it('resolves the path against baseDir and picks the parser by extension', async () => {
    await writeFile(join(dir, 'dir.json'), JSON.stringify({ users: [user('u1')] }));
    await writeFile(join(dir, 'people.CSV'), 'id,email\nu2,u2@acme.com\n');
    expect((await read('dir.json')).users.map((u) => u.id)).toEqual(['u1']);
    expect((await read('people.CSV')).users.map((u) => u.id)).toEqual(['u2']);
  });

  it('fails a missing or malformed file with a message naming it, never reading "no users"', async () => {
    await expect(read('absent.json')).rejects.toThrow(`${join(dir, 'absent.json')}: directory file not found`);
    await writeFile(join(dir, 'bad.json'), '{"users": [');
    await expect(read('bad.json')).rejects.toThrow(/^bad\.json: malformed JSON/);
  });
});
