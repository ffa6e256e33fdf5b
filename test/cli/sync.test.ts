import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatOrgFile, parseOrgFile } from '../../src/org/file/orgfile.js';
import { parsePlan } from '../../src/plan/schema.js';
import { exampleCopy, run } from './helpers.js';

describe('orgsync sync', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  beforeEach(async () => {
    ex = await exampleCopy();
  });
  afterEach(async () => {
    await ex.dispose();
  });
  const cwd = () => ({ cwd: ex.dir });

  it('prints the plan and changes nothing without --apply', async () => {
    const before = await ex.read('org.json');
    const result = await run(['sync', '--config', 'orgsync.yaml'], cwd());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^orgsync plan p-\S+ {2}profile example {2}status READY/);
    expect(await ex.read('org.json')).toBe(before);
  });

  it('applies a ready plan with --apply, after which a second sync has nothing to do', async () => {
    const result = await run(['sync', '--apply'], cwd());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nApplying plan p-\S+ \((\d+) operations\)\n/);
    expect(result.stdout).toMatch(/Done \(applied\): \d+ applied, 0 skipped, 0 conflicts, 0 failed\.\n$/);
    const again = await run(['sync', '--apply'], cwd());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('status EMPTY');
    expect(again.stdout).toMatch(/Nothing to apply\.\n$/);
  });

  it('does not apply a blocked plan and exits 1', async () => {
    const config = (await ex.read('orgsync.yaml')).replace('policyFile: policy.yaml', 'policy: { guards: { maxGroupDeletions: 0 } }');
    await ex.write('orgsync.yaml', config);
    const before = await ex.read('org.json');
    const result = await run(['sync', '--apply'], cwd());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('status BLOCKED');
    expect(result.stderr).toMatch(/^orgsync: plan p-\S+ is blocked by its guards and was not applied; /);
    expect(await ex.read('org.json')).toBe(before);
  });

  it('keeps stdout pure JSON with --format json --apply', async () => {
    const result = await run(['sync', '--apply', '--format', 'json'], cwd());
    expect(result.code).toBe(0);
    const plan = parsePlan(JSON.parse(result.stdout), 'stdout');
    expect(result.stderr).toContain(`Applying plan ${plan.id}`);
  });

  it('names an unknown profile', async () => {
    const result = await run(['sync', '--profile', 'prod'], cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/orgsync\.yaml: no profile named "prod" \(profiles: example\)\n$/);
  });
});

describe('orgsync snapshot', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  beforeEach(async () => {
    ex = await exampleCopy();
  });
  afterEach(async () => {
    await ex.dispose();
  });

  it('prints the org in the org file format', async () => {
    const result = await run(['snapshot', 'org'], { cwd: ex.dir });
    expect(result.code).toBe(0);
    const expected = parseOrgFile(JSON.parse(await ex.read('org.json')), 'org.json');
    expect(result.stdout).toBe(formatOrgFile(expected));
  });

  it('prints the source in the directory file format, readable as a source again', async () => {
    const result = await run(['snapshot', 'source', '--source', 'file:directory.json', '--out', 'copy.json'], { cwd: ex.dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(await ex.read('copy.json'))).toEqual(JSON.parse(await ex.read('directory.json')));
    const original = await run(['plan', '--source', 'file:directory.json', '--org', 'file:org.json', '--format', 'json'], { cwd: ex.dir });
    const copy = await run(['plan', '--source', 'file:copy.json', '--org', 'file:org.json', '--format', 'json'], { cwd: ex.dir });
    expect(parsePlan(JSON.parse(copy.stdout), 'copy').operations).toEqual(parsePlan(JSON.parse(original.stdout), 'original').operations);
  });

  it('reports read issues on stderr', async () => {
    await ex.write('people.csv', 'id,email,active\nu-1,ann@acme.com,true\n,ghost@acme.com,true\n');
    const result = await run(['snapshot', 'source', '--source', 'file:people.csv'], { cwd: ex.dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ complete: false, users: [{ id: 'u-1' }] });
    expect(result.stderr).toBe('warning: record-without-id: people.csv: line 3: record has no "id"\n');
  });
});
