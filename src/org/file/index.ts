/**
 * The `file` org adapter: an organization kept in a JSON org file (DESIGN §4). Settings:
 * `{ path }`, resolved against the config's directory.
 *
 * `readState()` reads and validates the file. `apply(op, refs)` changes the state in memory with
 * the same operation semantics as the in-memory org (`applyOperation`) and then rewrites the file
 * atomically (temp file + fsync + rename) before it resolves, so every applied operation is on
 * disk before the executor journals it and a crash never leaves half a file. Operations are
 * applied one at a time even when the executor runs several at once. Ownership (`source`) is
 * recorded in the file itself, so the state store is not used.
 */
import { resolve } from 'node:path';
import type { OrgState } from '../../model/org.js';
import { OPERATION_KINDS, type Operation, type OperationKind } from '../../model/plan.js';
import { applyOperation } from '../memory/apply.js';
import type { ApplyOutcome, OrgAdapter, OrgAdapterFactory, OrgRefs } from '../types.js';
import { readOrgFile, writeOrgFile } from './orgfile.js';
import { fileOrgSettings, type FileOrgSettings } from './settings.js';

export class FileOrg implements OrgAdapter {
  readonly kind = 'file';
  readonly capabilities: ReadonlySet<OperationKind> = new Set(OPERATION_KINDS);
  private state: OrgState | undefined;
  /** Serializes apply calls: each one reads the state the previous one left and writes it out. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `path` is read and written; `name` is how messages refer to the file (the path as configured). */
  constructor(
    private readonly path: string,
    private readonly name: string = path,
  ) {}

  async readState(): Promise<OrgState> {
    this.state = await readOrgFile(this.path, this.name);
    return structuredClone(this.state);
  }

  apply(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const next = this.queue.then(() => this.applyNow(operation, refs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
  }

  private async applyNow(operation: Operation, refs: OrgRefs): Promise<ApplyOutcome> {
    const current = this.state ?? (await readOrgFile(this.path, this.name));
    const { state, outcome } = applyOperation(current, operation, refs);
    if (outcome.result === 'applied') await writeOrgFile(this.path, state);
    this.state = state;
    return outcome;
  }
}

export const fileOrgFactory: OrgAdapterFactory<FileOrgSettings> = {
  kind: 'file',
  settings: fileOrgSettings,
  create(settings, { baseDir }) {
    return new FileOrg(resolve(baseDir, settings.path), settings.path);
  },
};

export { formatOrgFile, readOrgFile, writeOrgFile } from './orgfile.js';
export type { FileOrgSettings };
