import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATION_KINDS, REMOVING_KINDS } from '../../src/model/plan.js';
import { parsePlan } from '../../src/plan/schema.js';
import { exampleCopy, run, STACK } from './helpers.js';

describe('orgsync plan', () => {
  let ex: Awaited<ReturnType<typeof exampleCopy>>;
  beforeEach(async () => {
    ex = await exampleCopy();
  });
  afterEach(async () => {
    await ex.dispose();
  });
  const files = ['--source', 'file:directory.json', '--org', 'file:org.json'];

  it('plans the example from file specs, showing every kind of operation, and changes nothing', async () => {
    const before = await ex.read('org.json');
    const result = await run(['plan', ...files, '--policy', 'policy.yaml'], { cwd: ex.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^orgsync plan p-[0-9a-f]{20} {2}profile adhoc {2}status READY\n/);
    for (const kind of OPERATION_KINDS) expect(result.stdout).toMatch(new RegExp(`^${kind} \\(\\d+\\)$`, 'm'));
    expect(result.stdout).toMatch(/^ {2}unverified-domain /m);
    expect(await ex.read('org.json')).toBe(before);
  });

  it('prints the plan document as JSON, and saves it with --out whatever the format', async () => {
    const json = await run(['plan', ...files, '--format', 'json'], { cwd: ex.dir });
    expect(json.code).toBe(0);
    const plan = parsePlan(JSON.parse(json.stdout), 'stdout');
    expect(plan.operations.length).toBeGreaterThan(0);

    const saved = await run(['plan', '--config', 'orgsync.yaml', '--format', 'markdown', '--out', 'plan.json'], { cwd: ex.dir });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/^### orgsync plan `p-/);
    const document = parsePlan(JSON.parse(await ex.read('plan.json')), 'plan.json');
    expect(document.profile).toBe('example');
    expect(saved.stderr).toBe(`Plan ${document.id} saved to plan.json.\n`);
  });

  it('colours text only on a terminal without NO_COLOR', async () => {
    const escape = '\x1b[';
    expect((await run(['plan', ...files], { cwd: ex.dir, tty: true })).stdout).toContain(escape);
    expect((await run(['plan', ...files], { cwd: ex.dir, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(escape);
    expect((await run(['plan', ...files], { cwd: ex.dir, tty: false })).stdout).not.toContain(escape);
  });

  it('exits 0 for a blocked plan', async () => {
    await ex.write('strict.yaml', 'guards: { maxDeprovisions: 1 }\n');
    const result = await run(['plan', ...files, '--policy', 'strict.yaml'], { cwd: ex.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('status BLOCKED');
    expect(result.stdout).toMatch(/BLOCKED {2}maxDeprovisions +3 of 1/);
  });

  it('reads a directory record without an id as a warning naming it, and plans nothing that removes', async () => {
    const directory = JSON.parse(await ex.read('directory.json'));
    delete directory.users[3].id;
    await ex.write('directory.json', JSON.stringify(directory));
    const result = await run(['plan', ...files, '--format', 'json'], { cwd: ex.dir });
    expect(result.code).toBe(0);
    const plan = parsePlan(JSON.parse(result.stdout), 'stdout');
    expect(plan.sources[0]!.complete).toBe(false);
    expect(plan.warnings.map((w) => w.message)).toContain('directory.json: users[3]: record has no "id"');
    expect(plan.warnings.map((w) => w.code)).toContain('incomplete-source');
    expect(plan.operations.filter((op) => REMOVING_KINDS.has(op.kind))).toEqual([]);
  });

  it('names a missing directory file, exit 1, no stack trace', async () => {
    const result = await run(['plan', '--source', 'file:nowhere.json', '--org', 'file:org.json'], { cwd: ex.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^orgsync: \S*nowhere\.json: directory file not found\n$/);
    expect(result.stdout).toBe('');
  });

  it('names malformed JSON by file', async () => {
    await ex.write('directory.json', '{ "users": [ { "id": "u-1", } ] }');
    const result = await run(['plan', ...files], { cwd: ex.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^orgsync: directory\.json: malformed JSON: .+\n$/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('names the file and key of a misspelt policy key, exit 2', async () => {
    await ex.write('typo.yaml', 'guards:\n  maxDeprovision: 5\n');
    const result = await run(['plan', ...files, '--policy', 'typo.yaml'], { cwd: ex.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orgsync: \S*typo\.yaml: unknown key guards\.maxDeprovision\n$/);
  });

  it('names an org file record of the wrong shape', async () => {
    const org = JSON.parse(await ex.read('org.json'));
    org.users[2].status = 'retired';
    await ex.write('org.json', JSON.stringify(org));
    const result = await run(['plan', ...files], { cwd: ex.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^orgsync: org\\.json: users\\[2\\] \\(id "${org.users[2].id}"\\)\\.status: `));
  });

  it('rejects usage mistakes with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['plan', ...files, '--format', 'yaml'], /unknown format "yaml" \(formats: text, json, markdown\)/],
      [['plan', ...files, '--frobnicate'], /plan: unknown option "--frobnicate"/],
      [['plan', '--source', 'file:', '--org', 'file:org.json'], /--source file:: give a path after "file:"/],
      [['plan', ...files, 'extra'], /plan: unexpected argument "extra"/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv, { cwd: ex.dir });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('asks for a config or file specs when a side is missing and there is no orgsync.yaml', async () => {
    await mkdir(join(ex.dir, 'empty'));
    const result = await run(['plan', '--source', 'file:../directory.json'], { cwd: join(ex.dir, 'empty') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orgsync: no config file orgsync\.yaml in \S+empty: pass --config <file>, or --source file:<path> and --org file:<path>\n$/);
  });

  it('reads the config and names what is wrong in it', async () => {
    expect((await run(['plan', '--config', 'missing.yaml'], { cwd: ex.dir })).code).toBe(2);
    await ex.write('orgsync.yaml', 'profiles:\n  - name: example\n    source: { kind: file, file: directory.json }\n    org: { kind: file, path: org.json }\n');
    const result = await run(['plan'], { cwd: ex.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/orgsync\.yaml: .*profiles\[0\]\.source/);
    const viaEnv = await run(['plan', '--profile', 'other'], { cwd: ex.dir, env: { ORGSYNC_CONFIG: 'missing.yaml' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toMatch(/missing\.yaml: config file not found/);
  });
});

describe('orgsync --help', () => {
  it('prints usage with every verb and per-verb help', async () => {
    const top = await run(['--help'], { cwd: '/' });
    expect(top.code).toBe(0);
    for (const verb of ['plan', 'apply', 'sync', 'snapshot']) {
      expect(top.stdout).toMatch(new RegExp(`^ {2}${verb} `, 'm'));
      const help = await run([verb, '--help'], { cwd: '/' });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: orgsync ${verb}`));
    }
    expect((await run([], { cwd: '/' })).code).toBe(2);
    expect((await run(['frobnicate'], { cwd: '/' })).code).toBe(2);
  });
});
