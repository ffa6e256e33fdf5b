/**
 * Reading JSON or YAML files for config, policy and data, with errors that name the file.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { inputError, messageOf } from '../errors.js';

/** Read a file as UTF-8; a missing or unreadable file is one clear error naming it. */
export async function readText(path: string, what = 'file'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw inputError(`${path}: ${what} not found`, error);
    if (code === 'EISDIR') throw inputError(`${path}: is a directory, expected a ${what}`, error);
    throw inputError(`${path}: cannot read ${what}: ${messageOf(error)}`, error);
  }
}

/** Parse JSON text, naming the file and the position of a syntax error. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError(`${path}: malformed JSON: ${messageOf(error)}`, error);
  }
}

/** Parse a `.json` file as JSON and anything else as YAML (a superset of JSON). */
export function parseStructured(text: string, path: string): unknown {
  if (path.endsWith('.json')) return parseJson(text, path);
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw inputError(`${path}: malformed YAML: ${messageOf(error).split('\n')[0]}`, error);
  }
  const cycle = cyclePath(value);
  if (cycle !== undefined) throw inputError(`${path}: malformed YAML: ${cycle || '(top level)'}: an alias refers to a node that contains it (a recursive structure)`);
  return value;
}

type Frame = { value: object; path: string; children: Array<[string, unknown]> | undefined; next: number };

/**
 * The key path of the first value that contains itself (a YAML alias to its own ancestor), or
 * undefined. Iterative, so a deep document cannot overflow the stack; shared aliases that are not
 * ancestors are fine.
 */
export function cyclePath(root: unknown): string | undefined {
  if (!root || typeof root !== 'object') return undefined;
  const open = new Set<object>();
  const done = new Set<object>();
  const stack: Frame[] = [{ value: root, path: '', children: undefined, next: 0 }];
  open.add(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    frame.children ??= Object.entries(frame.value);
    const entry = frame.children[frame.next++];
    if (entry === undefined) {
      open.delete(frame.value);
      done.add(frame.value);
      stack.pop();
      continue;
    }
    const [key, child] = entry;
    if (!child || typeof child !== 'object' || done.has(child)) continue;
    const path = Array.isArray(frame.value) ? `${frame.path}[${key}]` : frame.path === '' ? key : `${frame.path}.${key}`;
    if (open.has(child)) return path;
    open.add(child);
    stack.push({ value: child, path, children: undefined, next: 0 });
  }
  return undefined;
}

export async function readStructured(path: string, what = 'file'): Promise<unknown> {
  return parseStructured(await readText(path, what), path);
}
