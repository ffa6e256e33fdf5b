/**
 * What a command may touch of its process: its output streams, environment and working
 * directory. Tests pass their own to run commands in-process.
 */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** A verb: parses its own arguments, returns the exit status; throws `OrgsyncError` for failures. */
export type Command = (args: string[], io: CliIo) => Promise<number>;
