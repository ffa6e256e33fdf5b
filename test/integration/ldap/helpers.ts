/** Shared pieces of the LDAP source tests: settings for a test server, one read, a log recorder. */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { LdapSource, type LdapSourceOptions } from '../../../connectors/ldap/index.js';
import { ldapSettingsSchema, type LdapSettings } from '../../../connectors/ldap/settings.js';
import type { Snapshot } from '../../../src/model/directory.js';
import { policySchema, type PolicyInput } from '../../../src/model/policy.js';
import { MemoryStateStore, type StateStore } from '../../../src/store/types.js';

export function settingsFor(input: Record<string, unknown>): LdapSettings {
  return ldapSettingsSchema.parse(input);
}

/** A logger whose every line lands in `lines` (JSON text), at debug level. */
export function recordingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export interface ReadResult {
  snapshot: Snapshot;
  source: LdapSource;
  logLines: string[];
}

export async function readOnce(
  input: Record<string, unknown>,
  options: { policy?: PolicyInput; state?: StateStore; full?: boolean; client?: LdapSourceOptions['client'] } = {},
): Promise<ReadResult> {
  const source = new LdapSource(settingsFor(input), { baseDir: process.cwd(), ...(options.client ? { client: options.client } : {}) });
  const { log, lines } = recordingLogger();
  const snapshot = await source.read({ policy: policySchema.parse(options.policy ?? {}), state: options.state ?? new MemoryStateStore(), full: options.full ?? false, log });
  return { snapshot, source, logLines: lines };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: unknown; retry?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: unknown };
  }
  throw new Error('expected a failure, the call succeeded');
}
