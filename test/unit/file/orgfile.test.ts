import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatOrgFile, parseOrgFile, readOrgFile, writeOrgFile } from '../../../src/org/file/orgfile.js';
import type { OrgState } from '../../../src/model/org.js';

const state: OrgState = {
  domains: [{ name: 'acme.com', status: 'verified' }],
  users: [
    { id: 'a-1', email: 'ann@acme.com', externalId: 'u-1', displayName: 'Ann', attributes: { title: 'Engineer' }, managed: true, status: 'active', source: 'sync' },
    { id: 'a-2', email: 'bo@partner.io', externalId: null, attributes: {}, managed: false, status: 'invited', source: 'manual' },
  ],
  groups: [{ id: 'og-1', name: 'Eng', description: '', externalId: 'g-1', source: 'sync', members: ['a-1', 'a-2'] }],
};

describe('org file', () => {
  it('fills defaults: externalId null, no attributes, source manual', () => {
    const parsed = parseOrgFile(
      { domains: [], users: [{ id: 'a', email: 'a@x.io', managed: false, status: 'active' }], groups: [{ id: 'g', name: 'G' }] },
      'org.json',
    );
    expect(parsed.users[0]).toEqual({ id: 'a', email: 'a@x.io', externalId: null, attributes: {}, managed: false, status: 'active', source: 'manual' });
    expect(parsed.groups[0]).toEqual({ id: 'g', name: 'G', description: '', externalId: null, source: 'manual', members: [] });
  });

  it.each([
    [{ users: [], groups: [] }, 'org.json: domains: '],
    [{ ...state, users: [{ ...state.users[0], status: 'gone' }] }, 'org.json: users[0] (id "a-1").status: '],
    [{ ...state, users: [{ ...state.users[0], externalID: 'u-1' }] }, 'org.json: users[0] (id "a-1"): unknown key "externalID"'],
    [{ ...state, users: [state.users[0], state.users[0]] }, 'org.json: users[1]: duplicate user id "a-1"'],
    [{ ...state, groups: [{ ...state.groups[0], members: ['a-9'] }] }, 'org.json: groups[0] (id "og-1").members[0]: "a-9" names no user of the file'],
    [{ ...state, users: [{ email: 'x@acme.com', managed: true, status: 'active' }] }, 'org.json: users[0].id: '],
  ])('names the file and the record at fault (%#)', (value, message) => {
    expect(() => parseOrgFile(value, 'org.json')).toThrow(message);
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'orgsync-orgfile-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes atomically what it reads back, leaving no temp file', async () => {
      const path = join(dir, 'org.json');
      await writeFile(path, 'old content');
      await writeOrgFile(path, state);
      expect(await readdir(dir)).toEqual(['org.json']);
      expect(await readFile(path, 'utf8')).toBe(formatOrgFile(state));
      expect(await readOrgFile(path)).toEqual(state);
    });

    it('reports a malformed file by name', async () => {
      const path = join(dir, 'org.json');
      await writeFile(path, '{ nope');
      await expect(readOrgFile(path, 'org.json')).rejects.toThrow(/^org\.json: malformed JSON/);
      await expect(readOrgFile(join(dir, 'missing.json'))).rejects.toThrow('missing.json: org file not found');
    });

    it('fails a write into a missing directory with a message naming the file', async () => {
      const path = join(dir, 'nowhere', 'org.json');
      await expect(writeOrgFile(path, state)).rejects.toThrow(`${path}: cannot write`);
    });
  });
});
