/**
 * Bad input to the command line is one clear line naming the file or option, with exit status 2,
 * never a stack trace; a reader that closes the pipe early ends the command quietly (issue 11, item 12).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleCopy, REPO, run, STACK, type RunResult } from './helpers.js';

let ex: Awaited<ReturnType<typeof exampleCopy>>;
beforeEach(async () => {
  ex = await exampleCopy();
});
afterEach(() => ex.dispose());

const files = ['--source', 'file:directory.json', '--org', 'file:org.json'];

function oneLine(result: RunResult, code: number, ...parts: string[]): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  for (const part of parts) expect(result.stderr).toContain(part);
}

describe('policy files are configuration: exit status 2 like the config file', () => {
  it('a missing policy file', async () => {
    oneLine(await run(['plan', ...files, '--policy', 'nope.yaml'], { cwd: ex.dir }), 2, 'nope.yaml: policy file not found');
  });

  it('malformed YAML in a policy file', async () => {
    await ex.write('bad.yaml', 'guards: { maxDeprovisions: [\n');
    oneLine(await run(['plan', ...files, '--policy', 'bad.yaml'], { cwd: ex.dir }), 2, 'bad.yaml: malformed YAML');
  });

  it('the same for the config file', async () => {
    await ex.write('bad-config.yaml', 'profiles: [\n');
    oneLine(await run(['sync', '--config', 'bad-config.yaml'], { cwd: ex.dir }), 2, 'bad-config.yaml: malformed YAML');
    oneLine(await run(['sync', '--config', 'none.yaml'], { cwd: ex.dir }), 2, 'none.yaml: config file not found');
  });
});

describe('a recursive YAML alias names the file and the key', () => {
  it('in a config file', async () => {
    await ex.write('loop.yaml', 'profiles: &p\n  - name: x\n    source: { kind: file, path: d.json }\n    org: { kind: file, path: o.json }\n    policy: { external: { groups: *p } }\n');
    oneLine(await run(['sync', '--config', 'loop.yaml'], { cwd: ex.dir }), 2, 'loop.yaml: malformed YAML: profiles[0].policy.external.groups: an alias refers to a node that contains it');
  });

  it('in a policy file', async () => {
    await ex.write('loop-policy.yaml', 'scope: &s\n  groups: [*s]\n');
    oneLine(await run(['plan', ...files, '--policy', 'loop-policy.yaml'], { cwd: ex.dir }), 2, 'loop-policy.yaml: malformed YAML: scope.groups[0]: an alias refers');
  });

  it('shared aliases that are not recursive are fine', async () => {
    await ex.write('shared.yaml', 'scope: { groups: &g [Engineering] }\nexternal: { groups: *g }\n');
    expect((await run(['plan', ...files, '--policy', 'shared.yaml'], { cwd: ex.dir })).code).toBe(0);
  });
});

describe('a file given without the file: prefix', () => {
  it('with no config file, says to write file:', async () => {
    await rm(join(ex.dir, 'orgsync.yaml'));
    oneLine(await run(['plan', '--source', 'file:directory.json', '--org', 'org.json'], { cwd: ex.dir }), 2, '--org org.json: names a profile', 'write --org file:org.json');
  });

  it('with a config file that has no such profile, says the same', async () => {
    oneLine(await run(['plan', '--source', 'directory.json', '--org', 'file:org.json'], { cwd: ex.dir }), 2, '--source directory.json: no profile named "directory.json"', 'write --source file:directory.json');
  });
});

describe('a closed pipe', () => {
  it('ends the command quietly: no EPIPE trace', async () => {
    expect(existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js')), 'dist is missing: run "npm run build"').toBe(true);
    const users = Array.from({ length: 3000 }, (_, i) => ({ id: `u-${i}`, email: `person.${i}@acme.com`, displayName: `Person ${i}`, active: true }));
    await ex.write('big.json', JSON.stringify({ users, groups: [] }));
    const child = spawn(`set -o pipefail; "${process.execPath}" "${join(REPO, 'bin', 'orgsync.js')}" plan --source file:big.json --org file:org.json --format json | head -c 10 >/dev/null`, {
      cwd: ex.dir,
      shell: '/bin/bash',
      env: { ...process.env, ORGSYNC_CONFIG: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
