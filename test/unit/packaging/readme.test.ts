/**
 * After `npm ci` the bare `orgsync` command is not on PATH: every command the README shows is
 * written `npx orgsync ...` so it runs as written on a fresh clone (issue 11, item 16).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../cli/helpers.js';

const VERBS = ['plan', 'apply', 'sync', 'snapshot', 'worker', 'resync', 'plans', 'console'];
const BARE = new RegExp(`(?<![\\w/.-])(?<!npx )orgsync (?:${VERBS.join('|')})\\b`);

describe('README commands', () => {
  it('say npx orgsync wherever they run the command', () => {
    const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
    // A rendered plan starts with "orgsync plan p-<id>": output, not a command.
    const bare = lines.map((line, i) => `${i + 1}: ${line}`).filter((line) => BARE.test(line) && !/orgsync plan p-[0-9a-f]/.test(line));
    expect(bare).toEqual([]);
  });
});
