/**
 * The pure parts of the Atlassian adapter: directory resolution, the SCIM schema and the policy
 * check made when the config is loaded, and how groups of both directories join into pairs.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { resolveDirectories } from '../../../src/org/atlassian/directories.js';
import { buildPairs, pairMembers } from '../../../src/org/atlassian/pairs.js';
import { ATLASSIAN_SCHEMA } from '../../../src/org/atlassian/schema.js';
import { userBody, userPatch } from '../../../src/org/scim/map.js';
import { Ownership } from '../../../src/org/scim/ownership.js';
import { MemoryStateStore } from '../../../src/store/types.js';

const dirs = [{ directoryId: 'local-1', name: 'Local' }, { directoryId: 'idp-1', name: 'Entra ID' }];

describe('atlassian directories', () => {
  it('uses the configured ids the organization has, and discovers the one local directory', () => {
    expect(resolveDirectories(dirs, { scimDirectoryId: 'idp-1', directoryId: 'local-1' })).toEqual({ local: 'local-1', idp: 'idp-1' });
    expect(resolveDirectories(dirs, { scimDirectoryId: 'idp-1' })).toEqual({ local: 'local-1', idp: 'idp-1' });
  });

  it('names the key of an id the organization does not have, or an unclear choice', () => {
    const wrong = () => resolveDirectories(dirs, { scimDirectoryId: 'idp-1', directoryId: 'nope' });
    expect(wrong).toThrow(/^atlassian org: directoryId: the organization has no directory nope \(directories: local-1 \(Local\), idp-1 \(Entra ID\)\)$/);
    expect(wrong).toThrow(expect.objectContaining({ code: 'config' }));
    expect(() => resolveDirectories(dirs, { scimDirectoryId: 'scim-x' })).toThrow(/scimDirectoryId: the organization has no directory scim-x/);
    expect(() => resolveDirectories([...dirs, { directoryId: 'local-2' }], { scimDirectoryId: 'idp-1' })).toThrow(/directoryId: not set, and the organization has 2 directories besides the SCIM one/);
  });
});

describe("atlassian's SCIM schema", () => {
  it('writes the enterprise extension and refuses what Atlassian has no field for', () => {
    const body = userBody({ displayName: 'A', title: 'Eng', department: 'R&D', timezone: 'Europe/Berlin' }, 'a@acme.com', 'u-1', ATLASSIAN_SCHEMA);
    expect(body).toMatchObject({ title: 'Eng', timezone: 'Europe/Berlin', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' } });
    for (const name of ['userType', 'locale', 'profileUrl', 'division', 'costCenter', 'employeeNumber']) {
      expect(() => userPatch({ [name]: 'x' }, ATLASSIAN_SCHEMA)).toThrow(`attribute "${name}" has no Atlassian's SCIM counterpart`);
    }
    expect(userPatch({ costCenter: 'x' })).toHaveLength(1);
  });

  it('refuses a managed attribute Atlassian has no field for when the config is loaded, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orgsync-atl-config-'));
    const org = '{ kind: atlassian, orgId: o, apiKey: k, scimDirectoryId: s, scimToken: t }';
    const config = (policy: string) => `profiles:\n  - name: acme\n    source: { kind: file, path: d.json }\n    org: ${org}\n    ${policy}\n`;
    await writeFile(join(dir, 'a.yaml'), config('policy: { attributes: [displayName, title, costCenter] }'));
    await expect(loadConfig(join(dir, 'a.yaml'), {})).rejects.toThrow(/a\.yaml: profiles\[0\]\.policy\.attributes: attribute "costCenter" has no field in Atlassian's SCIM user schema/);
    await expect(loadConfig(join(dir, 'a.yaml'), {})).rejects.toMatchObject({ code: 'config' });
    await writeFile(join(dir, 'p.json'), JSON.stringify({ attributes: ['userType'] }));
    await writeFile(join(dir, 'b.yaml'), config('policyFile: p.json'));
    await expect(loadConfig(join(dir, 'b.yaml'), {})).rejects.toThrow(/p\.json: attributes: attribute "userType" has no field/);
    await writeFile(join(dir, 'c.yaml'), config('policy: { attributes: [displayName, title, department, organization] }'));
    expect((await loadConfig(join(dir, 'c.yaml'), {})).profiles[0]!.policy.attributes).toContain('organization');
  });
});

describe('atlassian group pairs', () => {
  const group = (id: string, name: string) => ({ id, name, description: '' });

  it('joins a SCIM group, its twin in the identity provider directory and its local companion into one group', async () => {
    const ownership = await Ownership.load(new MemoryStateStore());
    await ownership.setGroup('scim-eng', { sourceId: 'g-eng', name: 'Engineering', owned: true, description: 'Builders' });
    await ownership.setGroup('loc-eng', { sourceId: 'g-eng', name: 'Engineering', owned: true, pair: 'scim-eng' });
    const members: Record<string, string[]> = { 'idp-eng': ['a-managed'], 'loc-eng': ['a-guest'], 'loc-hand': ['a-guest'] };
    const pairs = buildPairs(
      {
        localGroups: [group('loc-eng', 'Engineering (external)'), group('loc-hand', 'Hand made')],
        idpGroups: [group('idp-eng', 'Engineering'), group('idp-other', 'Synced elsewhere')],
        scimGroups: [{ id: 'scim-eng', displayName: 'Engineering', externalId: 'g-eng', members: [{ value: 'scim-user-2' }] }],
        membersOf: (id) => new Set(members[id] ?? []),
        accountOfScim: (id) => (id === 'scim-user-2' ? 'a-managed-2' : undefined),
      },
      ownership,
    );
    expect([...pairs.keys()].sort()).toEqual(['idp-other', 'loc-hand', 'scim-eng']);
    const eng = pairs.get('scim-eng')!;
    expect(eng).toMatchObject({ name: 'Engineering', description: 'Builders', externalId: 'g-eng' });
    expect(eng.idp?.group?.id).toBe('idp-eng');
    expect(eng.local?.group.id).toBe('loc-eng');
    expect([...pairMembers(eng)].sort()).toEqual(['a-guest', 'a-managed', 'a-managed-2']);
    expect(pairs.get('loc-hand')).toMatchObject({ name: 'Hand made', externalId: null });
  });

  it('keeps a group an earlier version made in the local directory as the local side of its IdP group', async () => {
    const ownership = await Ownership.load(new MemoryStateStore());
    await ownership.setGroup('loc-old', { sourceId: 'g-eng', name: 'Engineering', owned: true });
    const input = { localGroups: [group('loc-old', 'Engineering')], idpGroups: [], membersOf: () => new Set(['a-guest']), accountOfScim: () => undefined };
    const alone = buildPairs({ ...input, scimGroups: [] }, ownership);
    expect([...alone.values()]).toMatchObject([{ id: 'loc-old', name: 'Engineering', externalId: 'g-eng' }]);
    const joined = buildPairs({ ...input, scimGroups: [{ id: 'scim-new', displayName: 'Engineering (managed)', externalId: 'g-eng' }] }, ownership);
    expect([...joined.keys()]).toEqual(['scim-new']);
    expect(joined.get('scim-new')).toMatchObject({ name: 'Engineering', local: { group: { id: 'loc-old' } } });
  });
});
