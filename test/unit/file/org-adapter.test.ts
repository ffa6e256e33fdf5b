import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATION_KINDS, type Operation } from '../../../src/model/plan.js';
import { fileOrgFactory } from '../../../src/org/file/index.js';
import { readOrgFile } from '../../../src/org/file/orgfile.js';
import type { OrgRefs } from '../../../src/org/types.js';
import { MemoryStateStore } from '../../../src/store/types.js';

const refs: OrgRefs = { accountFor: () => undefined, groupFor: () => undefined };

function createAccount(n: number): Operation {
  const email = `new${n}@acme.com`;
  return {
    id: `op-${n}`,
    kind: 'createAccount',
    reason: 'new',
    email,
    sourceId: `u-${n}`,
    accountId: null,
    group: null,
    members: null,
    classification: 'claimed',
    domain: 'acme.com',
    before: null,
    after: { email, displayName: `New ${n}`, title: 'Engineer' },
  };
}

/** Compact on purpose: the adapter writes indented JSON, so an unchanged text proves no write. */
const ORIGINAL = JSON.stringify({
  domains: [{ name: 'acme.com', status: 'verified' }],
  users: [{ id: 'a-1', email: 'ann@acme.com', externalId: 'u-1', attributes: {}, managed: true, status: 'active', source: 'sync' }],
  groups: [{ id: 'og-1', name: 'Eng', description: '', externalId: 'g-1', source: 'sync', members: ['a-1'] }],
});

describe('file org adapter', () => {
  let dir: string;
  let path: string;
  const open = () => fileOrgFactory.create({ path: 'org.json' }, { baseDir: dir, state: new MemoryStateStore() });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orgsync-file-org-'));
    path = join(dir, 'org.json');
    await writeFile(path, ORIGINAL);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('can perform every kind and reads the file against baseDir', async () => {
    const org = open();
    expect([...org.capabilities]).toEqual([...OPERATION_KINDS]);
    expect((await org.readState()).users.map((u) => u.email)).toEqual(['ann@acme.com']);
  });

  it('writes each applied operation to the file before resolving, leaving no temp file', async () => {
    const org = open();
    await org.readState();
    const outcome = await org.apply(createAccount(1), refs);
    expect(outcome.result).toBe('applied');
    const onDisk = await readOrgFile(path);
    const created = onDisk.users.find((u) => u.id === outcome.accountId);
    expect(created).toMatchObject({ email: 'new1@acme.com', externalId: 'u-1', displayName: 'New 1', attributes: { title: 'Engineer' }, source: 'sync' });
    expect(await readdir(dir)).toEqual(['org.json']);
    await org.close();
  });

  it('applies concurrent calls one after the other, losing none', async () => {
    const org = open();
    await org.readState();
    const outcomes = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => org.apply(createAccount(n), refs)));
    expect(outcomes.every((o) => o.result === 'applied')).toBe(true);
    const emails = (await readOrgFile(path)).users.map((u) => u.email).sort();
    expect(emails).toEqual(['ann@acme.com', 'new1@acme.com', 'new2@acme.com', 'new3@acme.com', 'new4@acme.com', 'new5@acme.com', 'new6@acme.com']);
  });

  it('does not rewrite the file for a skipped operation', async () => {
    const org = open();
    await org.readState();
    const again = { ...createAccount(9), sourceId: 'u-1', email: 'ann@acme.com', after: { email: 'ann@acme.com' } };
    expect((await org.apply(again, refs)).result).toBe('skipped');
    expect(await readFile(path, 'utf8')).toBe(ORIGINAL);
  });

  it('leaves the file as it was when an operation fails, and goes on with the next', async () => {
    const org = open();
    await org.readState();
    const linkTaken: Operation = { ...createAccount(2), kind: 'linkAccount', accountId: 'a-1', sourceId: 'u-2', after: { externalId: 'u-2' } };
    await expect(org.apply(linkTaken, refs)).rejects.toThrow(/linked to source user u-1/);
    expect(await readFile(path, 'utf8')).toBe(ORIGINAL);
    expect((await org.apply(createAccount(3), refs)).result).toBe('applied');
    expect((await readOrgFile(path)).users).toHaveLength(2);
  });
});
