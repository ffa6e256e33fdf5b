import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/plan/schema.js';
import { exampleCopy, run, STACK } from './helpers.js';

describe('orgsync apply', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  beforeEach(async () => {
    ex = await exampleCopy();
  });
  afterEach(async () => {
    await ex.dispose();
  });
  const cwd = () => ({ cwd: ex.dir });
  const savePlan = async (...extra: string[]) => {
    const result = await run(['plan', '--config', 'orgsync.yaml', '--out', 'plan.json', ...extra], cwd());
    expect(result.code).toBe(0);
    return parsePlan(JSON.parse(await ex.read('plan.json')), 'plan.json');
  };

  it('plan -> apply -> plan again is empty', async () => {
    const plan = await savePlan();
    expect(plan.status).toBe('ready');
    const applied = await run(['apply', 'plan.json', '--org', 'file:org.json'], cwd());
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const lines = applied.stdout.split('\n').filter((line) => /^ {2}applied /.test(line));
    expect(lines).toHaveLength(plan.operations.length);
    expect(applied.stdout).toContain(`Done (applied): ${plan.operations.length} applied, 0 skipped, 0 conflicts, 0 failed.`);

    const again = await run(['plan', '--config', 'orgsync.yaml', '--format', 'json'], cwd());
    const second = parsePlan(JSON.parse(again.stdout), 'stdout');
    expect(second.operations).toEqual([]);
    expect(second.status).toBe('empty');
  });

  it('refuses a blocked plan unless --override-guards, and records the override', async () => {
    await ex.write('strict.yaml', 'guards: { maxDeprovisions: 1 }\n');
    const plan = await savePlan('--policy', 'strict.yaml');
    expect(plan.status).toBe('blocked');
    const before = await ex.read('org.json');

    const refused = await run(['apply', 'plan.json', '--org', 'file:org.json'], cwd());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`orgsync: plan.json: plan ${plan.id} is blocked by maxDeprovisions (3 of 1); review it, then rerun with --override-guards to apply it anyway\n`);
    expect(await ex.read('org.json')).toBe(before);

    const overridden = await run(['apply', 'plan.json', '--org', 'file:org.json', '--override-guards'], cwd());
    expect(overridden.code).toBe(0);
    expect(overridden.stdout.split('\n')[0]).toBe('Guards overridden with --override-guards: maxDeprovisions (3 of 1)');
    expect(await ex.read('org.json')).not.toBe(before);
  });

  it('refuses a plan made against another org state unless --force', async () => {
    const plan = await savePlan();
    const org = JSON.parse(await ex.read('org.json'));
    const admin = org.users.find((u: { id: string }) => u.id === 'a-900');
    admin.displayName = 'IT Administrator';
    await ex.write('org.json', JSON.stringify(org));

    const refused = await run(['apply', 'plan.json', '--org', 'file:org.json'], cwd());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^orgsync: the org has changed since plan ${plan.id} was made \\(.*\\); make a new plan, or rerun with --force\\n$`));
    expect(JSON.parse(await ex.read('org.json'))).toEqual(org);

    const forced = await run(['apply', 'plan.json', '--org', 'file:org.json', '--force'], cwd());
    expect(forced.stdout).toMatch(/^The org has changed since the plan was made .*applying anyway \(--force\)/);
    expect(forced.code).toBe(0);
  });

  it('exits 1 and reports conflicts when the org changed under a planned operation', async () => {
    await savePlan();
    const org = JSON.parse(await ex.read('org.json'));
    org.users.find((u: { externalId: string }) => u.externalId === 'u-105').attributes.title = 'Principal Engineer';
    await ex.write('org.json', JSON.stringify(org));
    const forced = await run(['apply', 'plan.json', '--org', 'file:org.json', '--force'], cwd());
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/^ {2}conflict {2}~ updateAccount +emeka\.obi@acme\.com: .*changed since the plan was made$/m);
    expect(forced.stdout).toMatch(/Done \(partially-applied\): \d+ applied, 0 skipped, 1 conflict, 0 failed\./);
    expect(JSON.parse(await ex.read('org.json')).users.find((u: { externalId: string }) => u.externalId === 'u-105').attributes.title).toBe('Principal Engineer');
  });

  it('names the index and kind of an unknown operation in a plan file', async () => {
    const plan = await savePlan();
    const document = JSON.parse(await ex.read('plan.json'));
    document.operations[2].kind = 'deleteEverything';
    await ex.write('plan.json', JSON.stringify(document));
    const result = await run(['apply', 'plan.json', '--org', 'file:org.json'], cwd());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^orgsync: plan\.json: not a valid plan: operations\[2\]\.kind: unknown operation kind "deleteEverything" \(kinds: createGroup, /);
    expect(result.stderr).not.toMatch(STACK);
    expect(plan.operations.length).toBeGreaterThan(2);
  });

  it('names a missing or malformed plan file and a missing plan argument', async () => {
    const missing = await run(['apply', 'nope.json', '--org', 'file:org.json'], cwd());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: plan file not found\n$/);
    await ex.write('broken.json', '{"schema":');
    const broken = await run(['apply', 'broken.json', '--org', 'file:org.json'], cwd());
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^orgsync: broken\.json: malformed JSON: /);
    const none = await run(['apply', '--org', 'file:org.json'], cwd());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/apply: missing argument/);
  });
});
