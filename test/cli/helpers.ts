/** In-process command runs with captured output, and a private copy of the bundled example. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const EXAMPLES = join(REPO, 'examples');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean }): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A temp directory holding a copy of `examples/`; `dispose()` removes it. */
export async function exampleCopy(): Promise<{ dir: string; read(name: string): Promise<string>; write(name: string, text: string): Promise<void>; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'orgsync-cli-'));
  await cp(EXAMPLES, dir, { recursive: true });
  return {
    dir,
    read: (name) => readFile(join(dir, name), 'utf8'),
    write: (name, text) => writeFile(join(dir, name), text),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Lines that look like a stack trace. */
export const STACK = /^\s+at /m;
