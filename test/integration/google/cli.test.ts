/**
 * `orgsync plan` with the README's Google example (`examples/google/`) pointed at the emulator:
 * a plan from the Workspace, a read that fails planning nothing, and config errors (exit 2).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePlan } from '../../../src/plan/schema.js';
import { exampleCopy, run, STACK } from '../../cli/helpers.js';
import type { GoogleEmulator, Workspace } from '../../emulators/google/index.js';
import { account, emulator, workspace } from './helpers.js';

/** The Workspace behind the example org file: ids as `examples/google/org.json` links them. */
function exampleWorkspace(): Workspace {
  const ws = workspace();
  const alice = ws.addUser({ id: '110000000000000000001', primaryEmail: 'alice@acme.example', name: { givenName: 'Alice', familyName: 'Ng', fullName: 'Alice Ng' }, organizations: [{ primary: true, title: 'Staff Engineer', department: 'R&D' }] });
  const sam = ws.addUser({ id: '110000000000000000002', primaryEmail: 'sam@acme.example', suspended: true, name: { givenName: 'Sam', familyName: 'Ruiz', fullName: 'Sam Ruiz' } });
  const dana = ws.addUser({ id: '110000000000000000003', primaryEmail: 'dana@acme.example', name: { givenName: 'Dana', familyName: 'Lee', fullName: 'Dana Lee' } });
  const group = ws.addGroup({ id: '120000000000000000001', email: 'atlassian-users@acme.example', name: 'Atlassian users' });
  for (const user of [alice, sam, dana]) ws.addMember(group, { user });
  ws.addMember(group, { external: 'bob@partner.example' });
  ws.addGroup({ email: 'all-staff@acme.example', name: 'All staff' });
  return ws;
}

describe('orgsync plan with a google source', { timeout: 120_000 }, () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  let google: GoogleEmulator;
  const env = () => ({ GOOGLE_CREDENTIALS: JSON.stringify(account().keyFile) });

  beforeEach(async () => {
    ex = await exampleCopy();
    google = await emulator(exampleWorkspace());
    const config = await ex.read('google/orgsync.yaml');
    await ex.write('google/orgsync.yaml', config.replace('kind: google\n', `kind: google\n      rootUrl: ${google.rootUrl}\n      tokenUrl: ${google.tokenUrl}\n`));
  });
  afterEach(async () => {
    await ex.dispose();
  });

  it('plans the README example against the emulated Workspace', async () => {
    const result = await run(['plan', '--config', 'google/orgsync.yaml', '--format', 'json'], { cwd: ex.dir, env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = parsePlan(JSON.parse(result.stdout), 'stdout');
    expect(plan.sources).toEqual([{ name: 'acme-google', kind: 'google', complete: true, users: 5, groups: 1 }]);
    const ops = plan.operations.map((op) => `${op.kind} ${op.email ?? op.group?.name}`).sort();
    expect(ops).toEqual([
      'addMembers Atlassian users',
      'createAccount dana@acme.example',
      'deactivateAccount sam@acme.example',
      'inviteUser bob@partner.example',
      'removeMembers Atlassian users',
      'updateAccount alice@acme.example',
    ]);
    const invite = plan.operations.find((op) => op.kind === 'inviteUser')!;
    expect(invite).toMatchObject({ sourceId: 'external:bob@partner.example', classification: 'external', domain: 'partner.example' });
  });

  it('invites an external member, links it by its external id, converges, and revokes it when it leaves', async () => {
    const config = ['--config', 'google/orgsync.yaml'];
    const planned = await run(['plan', ...config, '--out', 'plan.json'], { cwd: ex.dir, env: env() });
    expect(planned.code).toBe(0);
    const applied = await run(['apply', 'plan.json', ...config, '--override-guards'], { cwd: ex.dir, env: env() });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const org = JSON.parse(await ex.read('google/org.json')) as { users: Array<{ email: string; externalId: string | null; managed: boolean; status: string }> };
    expect(org.users.find((u) => u.email === 'bob@partner.example')).toMatchObject({ externalId: 'external:bob@partner.example', managed: false, status: 'invited' });

    const again = await run(['plan', ...config, '--format', 'json'], { cwd: ex.dir, env: env() });
    expect(parsePlan(JSON.parse(again.stdout), 'stdout').operations).toEqual([]);

    const group = google.workspace.findGroup('atlassian-users@acme.example')!;
    group.members = group.members.filter((m) => m.email !== 'bob@partner.example');
    const after = await run(['plan', ...config, '--format', 'json'], { cwd: ex.dir, env: env() });
    const ops = parsePlan(JSON.parse(after.stdout), 'stdout').operations.map((op) => `${op.kind} ${op.email ?? op.group?.name}`);
    expect(ops).toContain('revokeAccess bob@partner.example');
  });

  it('plans nothing when a page fails mid-listing', async () => {
    google.inject({ route: 'members', status: 500, times: Infinity });
    const before = await ex.read('google/org.json');
    const result = await run(['plan', '--config', 'google/orgsync.yaml'], { cwd: ex.dir, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^orgsync: Google Directory API members\.list of group 120000000000000000001 answered 500: Backend Error/);
    expect(result.stderr).not.toMatch(STACK);
    expect(await ex.read('google/org.json')).toBe(before);
  });

  it('exits 2 naming the key file when it is not JSON', async () => {
    await writeFile(join(ex.dir, 'google/broken-key.json'), '-----BEGIN PRIVATE KEY-----\nnot json\n');
    const result = await run(['plan', '--config', 'google/orgsync.yaml'], { cwd: ex.dir, env: { GOOGLE_CREDENTIALS: 'broken-key.json' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`orgsync: google source: credentials: ${join(ex.dir, 'google/broken-key.json')} is not JSON; expected a service-account key (JSON) from the Google Cloud console\n`);
    expect(google.stats.total).toBe(0);
  });

  it('exits 2 naming the key at fault in the source block', async () => {
    const config = await readFile(join(ex.dir, 'google/orgsync.yaml'), 'utf8');
    await ex.write('google/orgsync.yaml', config.replace('concurrency: 4', 'concurrency: 0\n      userFilter: x'));
    const result = await run(['plan', '--config', 'google/orgsync.yaml'], { cwd: ex.dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/profiles\[0\]\.source\.concurrency: .*>=1/);
    expect(result.stderr).toMatch(/unknown key profiles\[0\]\.source\.userFilter/);
  });
});
