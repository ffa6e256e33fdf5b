/**
 * A `StateStore` kept in one JSON file, for one-shot commands (`plan`, `sync`, `apply`) that have
 * no Redis: it keeps what an org adapter must remember between runs (e.g. which externals and
 * groups the sync invited or created). The file is created on the first write and replaced
 * atomically on each write; a file that is not a JSON object of strings is an error naming it.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readText } from '../config/files.js';
import { inputError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { StateStore } from './types.js';

export class FileStateStore implements StateStore {
  private values: Map<string, string> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async get(key: string): Promise<string | null> {
    return (await this.load()).get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    (await this.load()).set(key, value);
    await this.save();
  }

  async delete(key: string): Promise<void> {
    if ((await this.load()).delete(key)) await this.save();
  }

  private async load(): Promise<Map<string, string>> {
    if (this.values) return this.values;
    let text: string | undefined;
    try {
      text = await readText(this.path, 'state file');
    } catch (error) {
      if (!(error instanceof Error && / not found$/.test(error.message))) throw error;
    }
    this.values = text === undefined ? new Map() : parseState(text, this.path);
    return this.values;
  }

  /** Writes are chained so two concurrent `set`s never race each other's rename. */
  private save(): Promise<void> {
    const values = this.values ?? new Map<string, string>();
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`);
    });
    return this.writing;
  }
}

function parseState(text: string, path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw inputError(`${path}: malformed state file: ${(error as Error).message}`, error);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw inputError(`${path}: state file must be a JSON object of strings`);
  }
  return new Map(Object.entries(parsed as Record<string, string>));
}
