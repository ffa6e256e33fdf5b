/**
 * `orgsync sync --apply` provisions a real SCIM service (scimmy) from a directory file, in-process
 * through `main()`; a second `sync --format json` (a dry run) then plans nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../../cli/helpers.js';
import type { Plan } from '../../../src/model/plan.js';
import { startScimServer, type ScimServer } from './server.js';

let dir: string;
let server: ScimServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orgsync-scim-cli-'));
  server = await startScimServer();
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function sync(...args: string[]): Promise<RunResult> {
  return run(['sync', ...args], { cwd: dir, env: { SCIM_TOKEN: server.token } });
}

const directory = {
  complete: true,
  users: [
    { id: 'u-alice', email: 'alice@acme.com', displayName: 'Alice Ng', givenName: 'Alice', familyName: 'Ng', active: true, attributes: { title: 'Engineer', department: 'R&D' } },
    { id: 'u-bob', email: 'Bob@ACME.com', displayName: 'Bob Stone', givenName: 'Bob', familyName: 'Stone', active: true, attributes: {} },
    { id: 'u-dave', email: 'dave@acme.com', displayName: 'Dave Kim', givenName: 'Dave', familyName: 'Kim', active: true, attributes: {} },
    { id: 'u-carol', email: 'carol@partner.io', displayName: 'Carol Diaz', active: true, attributes: {} },
  ],
  groups: [{ id: 'g-eng', displayName: 'Engineering', description: '', members: ['u-alice', 'u-bob', 'u-carol'] }],
};

async function writeConfig(): Promise<string> {
  await writeFile(join(dir, 'directory.json'), JSON.stringify(directory));
  const config = [
    'profiles:',
    '  - name: scim-test',
    '    source: { kind: file, path: directory.json }',
    `    org: { kind: scim, baseUrl: "${server.url}", token: "\${SCIM_TOKEN}", domains: [acme.com], requestsPerSecond: 0, pageSize: 2 }`,
    '    apply: { operationsPerSecond: 0 }',
    '',
  ].join('\n');
  const path = join(dir, 'orgsync.yaml');
  await writeFile(path, config);
  return path;
}

describe('orgsync sync against a SCIM service', () => {
  it('provisions the claimed-domain users and groups, then plans nothing', async () => {
    server.store.put(server.store.users, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'user-dave', userName: 'dave@acme.com', displayName: 'Dave Kim', name: { givenName: 'Dave', familyName: 'Kim' }, emails: [{ value: 'dave@acme.com', primary: true }], active: true });
    const config = await writeConfig();

    const first = await sync('--config', config, '--profile', 'scim-test', '--apply');
    const status = first.code;
    expect(first.stderr).toBe('');
    expect(status).toBe(0);

    const users = [...server.store.users.values()];
    expect(users.map((u) => u.userName).sort()).toEqual(['alice@acme.com', 'bob@acme.com', 'dave@acme.com']);
    expect(users.find((u) => u.userName === 'dave@acme.com')?.externalId).toBe('u-dave');
    const alice = users.find((u) => u.userName === 'alice@acme.com')!;
    expect(alice).toMatchObject({ externalId: 'u-alice', title: 'Engineer', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' } });
    const groups = [...server.store.groups.values()];
    expect(groups.map((g) => g.displayName)).toEqual(['Engineering']);
    const members = (groups[0]!.members as Array<{ value: string }>).map((m) => server.store.users.get(m.value)?.userName).sort();
    expect(members).toEqual(['alice@acme.com', 'bob@acme.com']);

    const second = await sync('--config', config, '--profile', 'scim-test', '--format', 'json');
    expect(second.code).toBe(0);
    const plan = JSON.parse(second.stdout) as Plan;
    expect(plan.operations).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toContain('unsupported-operation');
  });
});
