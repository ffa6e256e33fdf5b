/**
 * Shared set-up for the Entra connector tests: an emulator per test (closed afterwards), a
 * connector pointed at it with fast retries, and a read with a given policy and state store.
 */
import { afterEach } from 'vitest';
import { EntraSource } from '../../../connectors/entra/index.js';
import { entraSettingsSchema, type EntraSettings } from '../../../connectors/entra/settings.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { silentLogger } from '../../../src/log.js';
import type { Snapshot } from '../../../src/model/directory.js';
import type { PolicyInput } from '../../../src/model/policy.js';
import { MemoryStateStore, type StateStore } from '../../../src/store/types.js';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../emulators/graph/index.js';

const open: GraphEmulator[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

/** An emulator without artificial latency unless asked, closed after the test. */
export async function emulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const started = await startGraphEmulator({ latencyMs: 0, ...options });
  open.push(started);
  return started;
}

export interface Harness {
  source: EntraSource;
  settings: EntraSettings;
  waits: number[];
}

/** A connector for `graph` with a bearer token and retries that wait little (except what servers ask). */
export function connect(graph: GraphEmulator, settings: Record<string, unknown> = {}): Harness {
  const parsed = entraSettingsSchema.parse({ tenantId: 'contoso', graphBaseUrl: graph.url, accessToken: graph.token, ...settings });
  const waits: number[] = [];
  const source = new EntraSource(parsed, { baseDir: process.cwd(), retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5, onRetry: ({ waitMs }) => waits.push(waitMs) } });
  return { source, settings: parsed, waits };
}

export interface ReadArgs {
  policy?: PolicyInput;
  state?: StateStore;
  full?: boolean;
  keepState?: boolean;
}

export function read(harness: Harness, args: ReadArgs = {}): Promise<Snapshot> {
  return harness.source.read({ policy: parsePolicy(args.policy ?? {}), state: args.state ?? new MemoryStateStore(), full: args.full ?? false, keepState: args.keepState, log: silentLogger() });
}

/** A state store whose contents can be copied, to replay a read from an earlier state. */
export class CopyableStore implements StateStore {
  private readonly data = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.data.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.data.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }

  copy(): CopyableStore {
    const other = new CopyableStore();
    for (const [key, value] of this.data) other.data.set(key, value);
    return other;
  }

  get size(): number {
    return this.data.size;
  }
}

/** Group members with nested groups replaced by their users (what the reconcile core does). */
export function flattened(snapshot: Snapshot): Record<string, string[]> {
  const byId = new Map(snapshot.groups.map((g) => [g.id, g]));
  const out: Record<string, string[]> = {};
  for (const group of snapshot.groups) {
    const users = new Set<string>();
    const seen = new Set<string>();
    const queue = [group.id];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const member of byId.get(id)?.members ?? []) {
        if (byId.has(member)) queue.push(member);
        else users.add(member);
      }
    }
    out[group.displayName] = [...users].sort();
  }
  return out;
}
