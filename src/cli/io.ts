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
  quietOnBrokenPipe();
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * When the reader of our output goes away (`orgsync plans list | head`), stop quietly: the output
 * was not wanted any more, which is neither a failure nor worth a stack trace.
 */
function quietOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/** A verb: parses its own arguments, returns the exit status; throws `OrgsyncError` for failures. */
export type Command = (args: string[], io: CliIo) => Promise<number>;
