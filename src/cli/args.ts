/**
 * Argument parsing for one verb: `node:util` `parseArgs` in strict mode, with `--help`/`-h` on
 * every verb, a positional count check, and every parse failure turned into a usage error that
 * names the verb and the option (exit status 2).
 *
 * In: the verb's arguments and its spec. Out: `{ help: true }` when help was asked for (the verb
 * prints `spec.usage`), else the typed option values and positionals.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';
import type { CliIo, Command } from './io.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  verb: string;
  /** Full help text, printed for `--help`. */
  usage: string;
  options: O;
  /** How many positionals the verb takes (default: none). */
  positionals?: { min: number; max: number };
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export type Parsed<O extends ParseArgsOptionsConfig> = { help: true } | { help: false; values: Values<O>; positionals: string[] };

export function parseCommand<O extends ParseArgsOptionsConfig>(args: string[], spec: CommandSpec<O>): Parsed<O> {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(`${spec.verb}: ${describe(error)}; see "orgsync ${spec.verb} --help"`);
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const count = parsed.positionals.length;
  if (count < min) throw usageError(`${spec.verb}: missing argument; see "orgsync ${spec.verb} --help"`);
  if (count > max) throw usageError(`${spec.verb}: unexpected argument "${parsed.positionals[max]}"; see "orgsync ${spec.verb} --help"`);
  return { help: false, values: parsed.values as Values<O>, positionals: parsed.positionals };
}

/** Node's parse error, shortened to what the user needs. */
function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return option ? `unknown option "${option}"` : message.split('.')[0]!;
  }
  return message;
}

/**
 * A verb from its spec and its body: `--help` prints the spec's usage and exits 0; anything else
 * is parsed and handed to `body`.
 */
export function command<O extends ParseArgsOptionsConfig>(
  spec: CommandSpec<O>,
  body: (parsed: { values: Values<O>; positionals: string[] }, io: CliIo) => Promise<number>,
): Command {
  return async (args, io) => {
    const parsed = parseCommand(args, spec);
    if (parsed.help) {
      io.stdout.write(spec.usage);
      return 0;
    }
    return body(parsed, io);
  };
}
