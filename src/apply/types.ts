/**
 * Results of applying a plan, and the journal that makes apply resumable.
 */
import type { OperationKind } from '../model/plan.js';

export type OperationResultKind = 'applied' | 'skipped' | 'conflict' | 'failed';

export interface OperationResult {
  id: string;
  kind: OperationKind;
  result: OperationResultKind;
  /** Why it was skipped, the conflict found, or the server's message for a failure. */
  message?: string;
  /** Org id of an account or group the operation created or found. */
  accountId?: string;
  groupId?: string;
  at: string;
}

/**
 * Completed operations of one plan, by operation id. The executor reads it before starting and
 * records each result as soon as it is known, so a run killed mid-apply resumes where it stopped.
 * `MemoryJournal` serves one-shot commands; the worker keeps the journal in Redis.
 */
export interface Journal {
  completed(): Promise<Map<string, OperationResult>>;
  record(result: OperationResult): Promise<void>;
}

export class MemoryJournal implements Journal {
  private readonly results = new Map<string, OperationResult>();

  async completed(): Promise<Map<string, OperationResult>> {
    return new Map(this.results);
  }

  async record(result: OperationResult): Promise<void> {
    this.results.set(result.id, result);
  }
}

export type ApplyStatus = 'applied' | 'partially-applied' | 'failed';

export interface ApplyReport {
  status: ApplyStatus;
  results: OperationResult[];
  counts: Record<OperationResultKind, number>;
}
