/**
 * The org adapter conformance suite against the file org adapter: the seed written as an org file
 * (DESIGN §4) in a temporary directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileOrgFactory } from '../../src/org/file/index.js';
import { MemoryStateStore } from '../../src/store/types.js';
import { describeOrgAdapterConformance, type Seed } from './org-adapter.js';

function orgFile(seed: Seed): unknown {
  const id = (email: string) => `a-${email.split('@')[0]}`;
  return {
    domains: seed.domains,
    users: seed.users.map((u) => ({
      id: id(u.email),
      email: u.email,
      externalId: u.externalId,
      displayName: u.displayName,
      ...(u.givenName ? { givenName: u.givenName } : {}),
      ...(u.familyName ? { familyName: u.familyName } : {}),
      attributes: u.title ? { title: u.title } : {},
      managed: u.email.endsWith('@acme.com'),
      status: u.active ? 'active' : 'deactivated',
      source: 'manual',
    })),
    groups: seed.groups.map((g, i) => ({ id: `og-${i + 1}`, name: g.name, description: '', externalId: null, source: 'manual', members: g.members.map(id) })),
  };
}

describeOrgAdapterConformance({
  name: 'file',
  async start(seed) {
    const dir = await mkdtemp(join(tmpdir(), 'orgsync-conformance-'));
    await writeFile(join(dir, 'org.json'), JSON.stringify(orgFile(seed), null, 2));
    const state = new MemoryStateStore();
    return {
      adapter: () => fileOrgFactory.create({ path: 'org.json' }, { baseDir: dir, state }),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
