/**
 * Two one-shot `orgsync sync` runs against the Atlassian emulator: the first applies, the second
 * (a dry run) plans nothing. Atlassian does not record who invited whom, so this holds only if the
 * ownership records of the first run are still there for the second.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { run, type RunResult } from '../../cli/helpers.js';
import { startAtlassianEmulator, type AtlassianEmulator } from '../../emulators/atlassian/index.js';

let dir: string;
let emulator: AtlassianEmulator;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orgsync-atlassian-cli-'));
  emulator = await startAtlassianEmulator();
  emulator.model.addDomain('acme.com', 'verified');
});

afterEach(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

function sync(...args: string[]): Promise<RunResult> {
  return run(['sync', ...args], { cwd: dir, env: { ATLASSIAN_API_KEY: emulator.apiKey, ATLASSIAN_SCIM_TOKEN: emulator.scimToken } });
}

const directory = {
  users: [
    { id: 'u-alice', email: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', active: true, attributes: {} },
    { id: 'u-carol', email: 'carol@partner.io', displayName: 'Carol Diaz', active: true, attributes: {} },
  ],
  groups: [{ id: 'g-eng', displayName: 'Engineering', description: '', members: ['u-alice', 'u-carol'] }],
};

async function writeConfig(extra: { directoryId?: string; policy?: string; org?: string } = {}): Promise<string> {
  await writeFile(join(dir, 'directory.json'), JSON.stringify(directory));
  const org = [
    `kind: atlassian, orgId: ${emulator.orgId}, apiKey: "\${ATLASSIAN_API_KEY}", directoryId: ${extra.directoryId ?? emulator.directoryId}`,
    `scimDirectoryId: ${emulator.scimDirectoryId}, scimToken: "\${ATLASSIAN_SCIM_TOKEN}", baseUrl: "${emulator.url}", requestsPerSecond: 0${extra.org ?? ''}`,
  ].join(', ');
  const config = ['profiles:', '  - name: cloud', '    source: { kind: file, path: directory.json }', `    org: { ${org} }`, '    apply: { operationsPerSecond: 0 }', ...(extra.policy ? [`    policy: ${extra.policy}`] : []), ''];
  const path = join(dir, 'orgsync.yaml');
  await writeFile(path, config.join('\n'));
  return path;
}

describe('orgsync sync against Atlassian, twice', () => {
  it('invites the external once and then plans nothing', async () => {
    const config = await writeConfig();
    const first = await sync('--config', config, '--apply');
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const invites = emulator.requests.filter((r) => r.path.endsWith('/users/invite'));
    expect(invites).toHaveLength(1);

    const second = await sync('--config', config, '--format', 'json');
    expect(second.code).toBe(0);
    const plan = JSON.parse(second.stdout) as Plan;
    expect(plan.operations).toEqual([]);
    expect(await readdir(join(dir, '.orgsync-state'))).toEqual(['cloud.org.json']);
    expect(emulator.requests.filter((r) => r.path.endsWith('/users/invite'))).toHaveLength(1);
  });

  it("reports an invitation Atlassian partly refused as failed, with Atlassian's reason, and does not invite again", async () => {
    const site = 'ari:cloud:jira-software::site/1';
    emulator.model.addResource(site);
    emulator.model.failInviteAssignment('carol@partner.io', { kind: 'role', id: site, reason: 'User limit exceeded for Jira Software' });
    const config = await writeConfig({ policy: '{ external: { roles: [jira] } }', org: `, roles: { jira: { resource: "${site}", role: atlassian/user } }` });
    const first = await sync('--config', config, '--apply');
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/failed\s+> inviteUser\s+carol@partner\.io: inviteUser carol@partner\.io: invited, but Atlassian refused role atlassian\/user on ari:cloud:jira-software::site\/1: User limit exceeded for Jira Software/);
    expect(first.stdout).toMatch(/Done \(partially-applied\)/);
    const second = await sync('--config', config, '--format', 'json');
    expect((JSON.parse(second.stdout) as Plan).operations).toEqual([]);
    expect(emulator.model.emailsSentTo('carol@partner.io')).toBeLessThanOrEqual(1);
    expect(emulator.model.invitations).toHaveLength(1);
  });

  it('exits 2 with one line naming the key for a directory the organization does not have, or an attribute Atlassian has no field for', async () => {
    const wrong = await sync('--config', await writeConfig({ directoryId: 'dir-nope' }));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/directoryId: the organization has no directory dir-nope/);
    const attribute = await sync('--config', await writeConfig({ policy: '{ attributes: [displayName, costCenter] }' }));
    expect(attribute.code).toBe(2);
    expect(attribute.stderr).toMatch(/profiles\[0\]\.policy\.attributes: attribute "costCenter" has no field in Atlassian's SCIM user schema/);
  });
});
