/**
 * Log messages are often built from names (a user signing in, a server's answer): the logger
 * writes their control and bidi characters as escapes. Runs the built logger in a child process,
 * since it writes to file descriptor 2 (`npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/helpers.js';

describe('logger', () => {
  it('escapes control and bidi characters in messages', () => {
    const log = pathToFileURL(join(REPO, 'dist', 'src', 'log.js')).href;
    const script = `import { createLogger } from ${JSON.stringify(log)}; createLogger().info({ at: 1 }, 'console sign-in: ' + process.argv[1]);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, 'eve\x1b[2J\u202Egnp.exe\u0085'], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    const line = JSON.parse(child.stderr) as { msg: string; at: number };
    expect(line.msg).toBe('console sign-in: eve\\x1b[2J\\u202egnp.exe\\x85');
    expect(child.stderr).not.toMatch(/[\u0085\u202e]/);
  });
});
