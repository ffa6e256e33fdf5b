/**
 * An emulator in a child process of its own (so its CPU and memory are not counted as the reader's),
 * spoken to over IPC: `ask(message, reply)` sends a message (none when empty) and waits for the
 * first answer of type `reply`.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface EmulatorChild {
  child: ChildProcess;
  ask<T>(message: object, reply: string): Promise<T>;
}

/** Fork `script` (a TypeScript file, run through tsx) with `config` as its one argument. */
export function forkEmulator(script: URL, config: object): EmulatorChild {
  const child = fork(script, [JSON.stringify(config)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: object, reply: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== reply) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      if (Object.keys(message).length > 0) child.send(message);
    });
  return { child, ask };
}
