import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operation, Plan } from '../../src/model/plan.js';
import { parseOrgFile } from '../../src/org/file/orgfile.js';
import { parsePlan } from '../../src/plan/schema.js';
import { exampleCopy, run, STACK } from './helpers.js';

/** Whether an operation touches the source user `id`: as its subject or as one of its members. */
function touches(op: Operation, id: string): boolean {
  return op.sourceId === id || (op.members ?? []).some((member) => member.sourceId === id);
}

describe('orgsync provision', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  beforeEach(async () => {
    ex = await exampleCopy();
  });
  afterEach(async () => {
    await ex.dispose();
  });
  const cwd = () => ({ cwd: ex.dir });

  async function provisionJson(key: string, ...extra: string[]): Promise<{ code: number; plan: Plan; doc: Record<string, unknown>; stderr: string }> {
    const result = await run(['provision', 'example', key, '--json', ...extra], cwd());
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    return { code: result.code, plan: parsePlan(doc.plan, 'stdout'), doc, stderr: result.stderr };
  }

  async function fullPlan(): Promise<Plan> {
    const result = await run(['plan', '--config', 'orgsync.yaml', '--format', 'json'], cwd());
    expect(result.code).toBe(0);
    return parsePlan(JSON.parse(result.stdout), 'stdout');
  }

  async function orgUser(id: string) {
    const org = parseOrgFile(JSON.parse(await ex.read('org.json')), 'org.json');
    return org.users.find((user) => user.id === id);
  }

  it('shows the steps for a claimed user with no account and changes nothing without --apply', async () => {
    const before = await ex.read('org.json');
    const result = await run(['provision', 'example', 'Xavier.Dubois@ACME.com'], cwd());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1\. Read {6}u-125 Xavier Dubois <xavier\.dubois@acme\.com>, active, from source file\n/);
    expect(result.stdout).toMatch(/^ +groups: All Staff, Engineering$/m);
    expect(result.stdout).toContain('2. Classify  xavier.dubois@acme.com on claimed domain acme.com: a managed account; in scope');
    expect(result.stdout).toContain('3. Match     no org account is linked to this person or has this address');
    expect(result.stdout).toContain('4. Actions   3 operations');
    expect(await ex.read('org.json')).toBe(before);
  });

  it('provisions a claimed user with --apply; the next full plan has nothing for them, and no one else changed', async () => {
    const before = parseOrgFile(JSON.parse(await ex.read('org.json')), 'org.json');
    const { code, plan, doc } = await provisionJson('u-125', '--apply');
    expect(code).toBe(0);
    expect(plan.operations.map((op) => op.kind)).toEqual(['createAccount', 'addMembers', 'addMembers']);
    for (const op of plan.operations) expect(touches(op, 'u-125')).toBe(true);
    expect((doc.apply as { counts: { applied: number } }).counts.applied).toBe(3);
    const after = parseOrgFile(JSON.parse(await ex.read('org.json')), 'org.json');
    expect(after.users.filter((user) => user.externalId === 'u-125')).toHaveLength(1);
    expect(after.users.filter((user) => user.externalId !== 'u-125')).toEqual(before.users);
    const next = await fullPlan();
    expect(next.operations.length).toBeGreaterThan(0);
    expect(next.operations.filter((op) => touches(op, 'u-125'))).toEqual([]);
  });

  it('invites an external user, creating the mirrored group they are added to', async () => {
    const { code, plan } = await provisionJson('isla.murray@freelance-design.studio', '--apply');
    expect(code).toBe(0);
    expect(plan.operations.map((op) => op.kind)).toEqual(['createGroup', 'inviteUser', 'addMembers', 'addMembers', 'addMembers']);
    expect(plan.operations[0]!.group?.externalId).toBe('g-design');
    expect(plan.operations[1]!.classification).toBe('external');
    const next = await fullPlan();
    expect(next.operations.filter((op) => touches(op, 'u-304'))).toEqual([]);
  });

  it('deactivates a disabled user and deprovisions no one the narrowed read did not see', async () => {
    const before = await fullPlan();
    // The full plan would also deactivate a-190, whose directory user is gone.
    expect(before.operations.some((op) => op.kind === 'deactivateAccount' && op.accountId === 'a-190')).toBe(true);
    const { code, plan } = await provisionJson('julia.romano@acme.com', '--apply');
    expect(code).toBe(0);
    expect(plan.summary).toEqual({ removeMembers: 1, deactivateAccount: 1 });
    expect(plan.operations.find((op) => op.kind === 'removeMembers')?.members?.map((m) => m.sourceId)).toEqual(['u-110']);
    expect(plan.guards.find((guard) => guard.name === 'maxDeprovisions')?.actual).toBe(1);
    expect((await orgUser('a-110'))?.status).toBe('deactivated');
    expect((await orgUser('a-190'))?.status).toBe('active');
    const next = await fullPlan();
    expect(next.operations.filter((op) => touches(op, 'u-110'))).toEqual([]);
    expect(next.operations.some((op) => op.kind === 'deactivateAccount' && op.accountId === 'a-190')).toBe(true);
  });

  it('moves a user whose address crossed the claimed line: deactivates the managed account, invites the new address', async () => {
    await ex.write('directory.json', (await ex.read('directory.json')).replace('"chen.wei@acme.com"', '"chen.wei@northwind-consulting.com"'));
    const { code, plan, doc } = await provisionJson('u-103', '--apply');
    expect(code).toBe(0);
    const steps = doc.steps as { classify: { classification: string }; match: { accounts: { id: string; by: string }[] } };
    expect(steps.classify.classification).toBe('external');
    expect(steps.match.accounts).toEqual([expect.objectContaining({ id: 'a-103', by: 'linked' })]);
    const kinds = plan.operations.map((op) => `${op.kind} ${op.email}`);
    expect(kinds).toContain('inviteUser chen.wei@northwind-consulting.com');
    expect(kinds).toContain('deactivateAccount chen.wei@acme.com');
    expect(plan.warnings.map((w) => w.code)).toContain('reclassified');
    expect((await orgUser('a-103'))?.status).toBe('deactivated');
    const next = await fullPlan();
    expect(next.operations.filter((op) => touches(op, 'u-103'))).toEqual([]);
  });

  it('answers in one line, exit 1, for a person the source does not have', async () => {
    const result = await run(['provision', 'example', 'nobody@acme.com'], cwd());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('orgsync: no person "nobody@acme.com" in source file (looked up by source id, email and user name)\n');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('answers in one line, exit 1, for a person the source has twice, by address or by id', async () => {
    const directory = JSON.parse(await ex.read('directory.json')) as { users: Record<string, unknown>[] };
    directory.users.push({ id: 'u-999', email: 'ALICE.NG@acme.com', active: true, attributes: {} });
    await ex.write('directory.json', JSON.stringify(directory));
    const before = await ex.read('org.json');
    for (const key of ['alice.ng@acme.com', 'u-101']) {
      const result = await run(['provision', 'example', key, '--apply'], cwd());
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`orgsync: "${key}" names more than one person in source file (u-101, u-999); nothing is planned for them\n`);
    }
    const json = await run(['provision', 'example', 'u-101', '--json'], cwd());
    expect(JSON.parse(json.stdout)).toEqual({ result: 'duplicate', key: 'u-101', source: 'file', ids: ['u-101', 'u-999'] });
    expect(await ex.read('org.json')).toBe(before);
  });

  it('does not apply a plan its guards block, and says so', async () => {
    await ex.write('orgsync.yaml', (await ex.read('orgsync.yaml')).replace('policyFile: policy.yaml', 'policy: { guards: { maxDeprovisions: 0 } }'));
    const before = await ex.read('org.json');
    const result = await run(['provision', 'example', 'u-110', '--apply'], cwd());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('status BLOCKED');
    expect(result.stderr).toBe('orgsync: the plan for this person is blocked by its guards and was not applied\n');
    expect(await ex.read('org.json')).toBe(before);
  });

  it('names a missing argument as a usage error', async () => {
    const result = await run(['provision', 'example'], cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orgsync: provision: missing argument; see "orgsync provision --help"\n/);
  });
});
