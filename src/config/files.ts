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
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw inputError(`${path}: malformed YAML: ${messageOf(error).split('\n')[0]}`, error);
  }
}

export async function readStructured(path: string, what = 'file'): Promise<unknown> {
  return parseStructured(await readText(path, what), path);
}
