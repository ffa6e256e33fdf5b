/**
 * The contract of an IdP source connector.
 *
 * In: the profile's validated settings (at construction) and, per read, the policy, a state store
 * and whether a full read is required. Out: one `Snapshot` of users and groups.
 *
 * A connector reads; it never writes to the IdP. It pages with async iterables internally, bounds
 * its own fan-out, and retries transient failures (honouring `Retry-After` and rate-limit resets).
 * It must never return `complete: true` when any page, group or member list was not read: it
 * either throws (the read failed) or returns `complete: false` with an issue saying what is missing.
 * Records it cannot use (no id, a member naming nobody) become `issues`, not exceptions.
 *
 * Deliberately out: planning, org state, deciding what "gone" means. Incremental connectors keep
 * their cursor (and whatever baseline they need to return a whole snapshot) in `state`.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Snapshot } from '../src/model/directory.js';
import type { Policy } from '../src/model/policy.js';
import type { StateStore } from '../src/store/types.js';

export interface ReadOptions {
  policy: Policy;
  /** Durable per-profile state for incremental reads; a fresh MemoryStateStore means "no history". */
  state: StateStore;
  /** Ignore any incremental cursor and read everything (the cursor is renewed). */
  full: boolean;
  /**
   * False when `state` is thrown away after this read (one-shot commands): then no cursor or
   * baseline is worth making, and an incremental source skips that work. Default true.
   */
  keepState?: boolean;
  log: Logger;
  signal?: AbortSignal;
}

export interface SourceConnector {
  readonly kind: string;
  read(options: ReadOptions): Promise<Snapshot>;
}

/** Registered under `kind`; `settings` validates the profile's `source` block (minus `kind`). */
export interface SourceConnectorFactory<S = unknown> {
  readonly kind: string;
  readonly settings: z.ZodType<S>;
  create(settings: S, context: { baseDir: string }): SourceConnector;
}
