/**
 * The `file` source: a directory read from a JSON file (DESIGN §4) or, for a path ending in
 * `.csv`, from the CSV users form. Settings: `{ path }`, resolved against the config's directory.
 *
 * Every read reads the whole file (there is no incremental mode). A missing or malformed file
 * fails the read with an error naming the file; it is never read as "no users".
 */
import { extname, resolve } from 'node:path';
import { parseJson, readText } from '../../src/config/files.js';
import type { Snapshot } from '../../src/model/directory.js';
import type { ReadOptions, SourceConnector, SourceConnectorFactory } from '../types.js';
import { parseDirectoryCsv } from './csv.js';
import { parseDirectoryJson } from './json.js';
import { fileSourceSettings, type FileSourceSettings } from './settings.js';

export class FileSource implements SourceConnector {
  readonly kind = 'file';

  /** `path` is read from; `name` is how messages refer to the file (the path as configured). */
  constructor(
    private readonly path: string,
    private readonly name: string = path,
  ) {}

  async read(options?: Pick<ReadOptions, 'signal'>): Promise<Snapshot> {
    options?.signal?.throwIfAborted();
    const text = await readText(this.path, 'directory file');
    if (extname(this.path).toLowerCase() === '.csv') return parseDirectoryCsv(text, this.name);
    return parseDirectoryJson(parseJson(text, this.name), this.name);
  }
}

export const fileSourceFactory: SourceConnectorFactory<FileSourceSettings> = {
  kind: 'file',
  settings: fileSourceSettings,
  create(settings, { baseDir }) {
    return new FileSource(resolve(baseDir, settings.path), settings.path);
  },
};

export { formatDirectory } from './format.js';
export type { FileSourceSettings };
